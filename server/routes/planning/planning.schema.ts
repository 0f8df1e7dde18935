import { Type } from 'typebox'
import { DEFAULT_WHAT_IF_RADIUS_M } from '../../services/planning/what-if.service.ts'
import { Nullable } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

/** Radii a what-if accepts, m (the coverage runs' own bounds are 500 m–50 km; a what-if stays interactive). */
export const MIN_WHAT_IF_RADIUS_M = 500
export const MAX_WHAT_IF_RADIUS_M = 35_000

/** One candidate sector; bounds as the sectors table's. */
const CandidateSectorBody = Type.Object({
  azimuthDeg: Type.Optional(Nullable(Type.Number({ minimum: 0, exclusiveMaximum: 360, description: 'Boresight, degrees from north; may be omitted for an omni sector (beamwidth 360)' }))),
  beamwidthDeg: Type.Number({ exclusiveMinimum: 0, maximum: 360, description: 'Horizontal 3 dB beamwidth, degrees' }),
  heightM: Type.Number({ exclusiveMinimum: 0, maximum: 200, description: 'Antenna height above ground, m' }),
  eirpDbm: Type.Number({ minimum: 0, maximum: 90, description: 'EIRP on boresight, dBm (gain included)' }),
  gainDbi: Type.Number({ minimum: -10, maximum: 30, description: 'Antenna gain, dBi (shapes the pattern)' }),
  frequencyMhz: Type.Number({ minimum: 400, maximum: 6000, description: 'Carrier, MHz' }),
  electricalTiltDeg: Type.Optional(Type.Number({ minimum: -10, maximum: 20, default: 0, description: 'Electrical downtilt, degrees' })),
  mechanicalTiltDeg: Type.Optional(Type.Number({ minimum: -10, maximum: 20, default: 0, description: 'Mechanical downtilt, degrees' })),
}, { additionalProperties: false })

export const WhatIfBody = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Candidate site longitude, WGS84 degrees' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Candidate site latitude, WGS84 degrees' }),
  operatorCode: Type.String({ minLength: 1, maxLength: 40, description: 'The operator that would build it (see GET /api/operators)' }),
  technology: Type.Optional(Type.Union(TechnologySchema.anyOf, { default: '4G', description: 'Compared with the current run of this technology (default 4G)' })),
  radiusM: Type.Optional(Type.Number({
    minimum: MIN_WHAT_IF_RADIUS_M, maximum: MAX_WHAT_IF_RADIUS_M, default: DEFAULT_WHAT_IF_RADIUS_M,
    description: `Computation radius around the candidate, m (default ${DEFAULT_WHAT_IF_RADIUS_M}); the run's radius gives what a recompute would`,
  })),
  sectors: Type.Optional(Type.Array(CandidateSectorBody, {
    minItems: 1, maxItems: 12,
    description: "The candidate's sectors; absent: 3 sectors at 0/120/240°, 65°, 30 m, 1800 MHz with the operator's median EIRP and gain (else 60 dBm, 17 dBi)",
  })),
}, {
  additionalProperties: false,
  examples: [
    { lon: 103.93, lat: 21.33, operatorCode: 'viettel' },
    {
      lon: 103.93, lat: 21.33, operatorCode: 'vnpt', radiusM: 10000, sectors: [
        { azimuthDeg: 60, beamwidthDeg: 65, heightM: 40, eirpDbm: 61, gainDbi: 17, frequencyMhz: 1800, electricalTiltDeg: 2, mechanicalTiltDeg: 0 },
        { azimuthDeg: 200, beamwidthDeg: 65, heightM: 40, eirpDbm: 61, gainDbi: 17, frequencyMhz: 1800 },
      ],
    },
  ],
})

const Km2 = (description: string) => Type.Number({ minimum: 0, description: `${description}, km² (WGS84 ellipsoid)` })
const ClassAreas = Type.Object({ good: Km2('Good'), weak: Km2('Weak'), none: Km2('Predicted below weak') })
const AreaTransitions = Type.Object({ noneToWeak: Km2('none → weak'), noneToGood: Km2('none → good'), weakToGood: Km2('weak → good') })
const Counts = Type.Object({ noneToWeak: Type.Integer(), noneToGood: Type.Integer(), weakToGood: Type.Integer() })
const CoverageClassSchema = Type.Union([Type.Literal('good'), Type.Literal('weak'), Type.Literal('none')])

const AreaChange = Type.Object({
  before: ClassAreas,
  after: ClassAreas,
  transitions: Type.Object(AreaTransitions.properties, { description: 'Area changing class (no prediction counts as none)' }),
  newlyCoveredKm2: Km2('Weak or better after, not before'),
  deadZoneKm2: Type.Object({ before: Km2('Before'), after: Km2('After') }, { description: "Inside the candidate's radius: below weak or not predicted" }),
}, { description: "Inside the candidate's window" })

const VillageChanges = Type.Object({
  villages: Type.Array(Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    population: Nullable(Type.Integer()),
    before: CoverageClassSchema,
    after: CoverageClassSchema,
    beforeRsrpDbm: Nullable(Type.Number({ description: 'null: nothing predicted before' })),
    afterRsrpDbm: Type.Number(),
  })),
  counts: Type.Object(Counts.properties, { description: 'Villages by transition' }),
  population: Type.Object(Counts.properties, { description: 'Population of those villages by transition' }),
  total: Type.Object({ villages: Type.Integer(), population: Type.Integer() }),
})

const NearestLine = Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), distanceM: Type.Number({ description: 'Geodesic, m' }) }))

export const WhatIfResultSchema = Type.Object({
  runId: Type.Integer({ description: 'The current coverage run compared with' }),
  technology: Type.String(),
  operator: Type.Object({ id: Type.Integer(), code: Type.String() }),
  site: Type.Object({
    lon: Type.Number(),
    lat: Type.Number(),
    groundElevationM: Nullable(Type.Number({ description: 'Ground height at the site, m above sea level (DEM, bilinear)' })),
    slopeDeg: Nullable(Type.Number({ description: "Ground slope at the site, degrees (Horn's 3 × 3 at the DEM step)" })),
  }),
  radiusM: Type.Number(),
  runRadiusM: Nullable(Type.Number({ description: "The run's fixed radius (null: by band and EIRP)" })),
  configuration: Type.Union([Type.Literal('given'), Type.Literal('operator-default')]),
  configurationBasis: Nullable(Type.String()),
  sectors: Type.Array(Type.Object({
    azimuthDeg: Nullable(Type.Number()),
    beamwidthDeg: Type.Number(),
    heightM: Type.Number(),
    eirpDbm: Type.Number(),
    gainDbi: Type.Number(),
    frequencyMhz: Type.Number(),
    electricalTiltDeg: Type.Number(),
    mechanicalTiltDeg: Type.Number(),
  })),
  thresholds: Type.Object({ goodDbm: Type.Number(), weakDbm: Type.Number() }),
  window: Type.Object({
    west: Type.Number(), south: Type.Number(), east: Type.Number(), north: Type.Number(),
    cols: Type.Integer(), rows: Type.Integer(), stepDeg: Type.Number(),
  }, { description: "The cells of the run's grid the candidate was computed on" }),
  areas: Type.Object({ operator: AreaChange, any: AreaChange }),
  overlap: Type.Object({
    footprintKm2: Km2('Where the candidate alone reaches weak or better'),
    overlapKm2: Km2('Part of the footprint some operator already served at weak or better'),
    share: Type.Number({ minimum: 0, maximum: 1, description: 'overlapKm2 / footprintKm2' }),
  }),
  villages: Type.Object({ operator: VillageChanges, any: VillageChanges }, { description: 'Villages whose predicted class would change' }),
  distances: Type.Object({
    fibre: NearestLine,
    powerLine: NearestLine,
    road: Type.Null(),
    roadReason: Type.String(),
  }),
  dem: Type.Object({
    synthetic: Type.Boolean({ description: 'Some terrain read is the generated sample, not measured' }),
    tiles: Type.Array(Type.Object({ name: Type.String(), kind: Type.Union([Type.Literal('real'), Type.Literal('synthetic'), Type.Literal('sea')]) })),
  }),
  elapsedMs: Type.Number({ description: 'Time in the service, ms' }),
  phasesMs: Type.Object({
    prepare: Type.Number({ description: 'Checks, run, operator, DEM tiles' }),
    rasters: Type.Number({ description: "The candidate's sector rasters" }),
    reads: Type.Number({ description: 'Waiting for the database reads (composite tiles, villages and their predictions, nearest lines), started before the rasters' }),
    composite: Type.Number({ description: 'Decoding the composite tiles, areas' }),
    villages: Type.Number({ description: 'Villages changing class' }),
  }),
})
