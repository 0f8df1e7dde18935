import { Type } from 'typebox'
import { Nullable, PagingQuery } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

/** Smallest and largest computation radius around a site a planner may ask for, m. */
export const MIN_RADIUS_M = 500
export const MAX_RADIUS_M = 50_000

const JobStatus = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed'), Type.Literal('cancelled')])
const CoverageModel = Type.Union([Type.Literal('fast'), Type.Literal('itm'), Type.Literal('radius')], {
  description: "fast: radial sweep over the DEM; itm: Longley–Rice; radius: free-space footprints where no DEM covers a site",
})
const Timestamp = Type.String({ format: 'date-time' })

export const CoverageRunCreateBody = Type.Object({
  radiusM: Type.Optional(Type.Number({ minimum: MIN_RADIUS_M, maximum: MAX_RADIUS_M, description: `Computation radius around each site, m (${MIN_RADIUS_M}–${MAX_RADIUS_M}); default: by band and EIRP, at most 35 km` })),
  full: Type.Optional(Type.Boolean({ default: false, description: 'Compute every sector and build every tile (default: only what changed since the current run)' })),
  onDate: Type.Optional(Type.String({ format: 'date', description: 'Sites in service on this date count (YYYY-MM-DD, default today)' })),
  technology: Type.Optional(Type.Union(TechnologySchema.anyOf, { default: '4G', description: 'Technology of the sectors computed (default 4G)' })),
}, {
  additionalProperties: false,
  examples: [
    { technology: '4G', onDate: '2025-06-30' },
    { technology: '4G', radiusM: 20000, full: true },
  ],
})

export const CoverageRun = Type.Object({
  id: Type.Integer(),
  status: JobStatus,
  kind: Type.Union([Type.Literal('full'), Type.Literal('incremental')]),
  model: CoverageModel,
  technology: Nullable(Type.String({ description: 'The technology computed: 2G, 3G, 4G or 5G' })),
  params: Type.Object({
    technology: Type.Optional(Type.String()),
    onDate: Type.Optional(Type.String()),
    radiusM: Type.Optional(Nullable(Type.Number({ description: 'null: by band and EIRP' }))),
  }, { additionalProperties: true, description: 'The parameters the run was computed with' }),
  progress: Type.Object({
    done: Type.Integer({ description: 'Site sweeps computed plus composite tiles built' }),
    total: Type.Integer({ description: 'Site sweeps to compute plus composite tiles to build (sites and tiles unchanged since the current run are not counted)' }),
    percent: Type.Number({ minimum: 0, maximum: 100 }),
  }),
  isCurrent: Type.Boolean({ description: 'The one complete run the maps and /api/coverage/at read' }),
  cancelRequested: Type.Boolean({ description: 'A cancel was asked for and the run has not stopped yet' }),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
})

export const CoverageRunList = Type.Object({
  numberMatched: Type.Integer({ description: 'Runs, all pages' }),
  numberReturned: Type.Integer({ description: 'Runs in this page' }),
  runs: Type.Array(CoverageRun, { description: 'Latest first' }),
})

export const CoverageRunListQuery = Type.Object({
  limit: Type.With(PagingQuery.limit, { examples: [20] }),
  offset: Type.With(PagingQuery.offset, { examples: [0] }),
})

export const CurrentRunQuery = Type.Object({
  technology: Type.Optional(Type.Union(TechnologySchema.anyOf, { default: '4G', description: 'One run per technology is current (default 4G)', examples: ['4G'] })),
})

export const CoverageAtQuery = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, WGS84 degrees', examples: [104.4612] }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, WGS84 degrees', examples: [21.3158] }),
  operator: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 32, description: 'Operator code (viettel, vnpt, mobifone…); absent = the best server of any operator', examples: ['viettel'] })),
  technology: Type.Optional(Type.Union(TechnologySchema.anyOf, { default: '4G', examples: ['4G'] })),
})

export const CoverageAt = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  operator: Nullable(Type.String()),
  technology: TechnologySchema,
  rsrpDbm: Type.Number({ description: 'Predicted best-server RSRP, dBm' }),
  class: Type.Union([Type.Literal('good'), Type.Literal('weak'), Type.Literal('none')], { description: 'good ≥ −100 dBm, weak ≥ −115 dBm, none below' }),
  servingSectorId: Type.Integer(),
  servingSiteId: Nullable(Type.Integer()),
  runId: Type.Integer({ description: 'The current run the value comes from' }),
  model: CoverageModel,
  synthetic: Type.Boolean({ description: 'The value rests on generated data (synthetic terrain under the point or a synthetic serving site)' }),
  syntheticInputs: Type.Array(Type.Union([Type.Literal('terrain'), Type.Literal('site')])),
})
