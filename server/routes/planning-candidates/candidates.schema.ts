import { Type } from 'typebox'
import { CANDIDATE_GENERATION_DEFAULTS as D, MAX_SEARCH_SPAN_DEG } from '../../services/planning/candidates.service.ts'
import { Nullable } from '../common/schemas.ts'

const OPERATOR_CODE = '^[a-z][a-z0-9_-]*$'

export const GenerateCandidatesBody = Type.Object({
  operatorCode: Type.String({ pattern: OPERATOR_CODE, description: 'The operator the candidates are for (their sites and, by default, their coverage)', examples: ['viettel'] }),
  communeCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{5}$' }), {
    minItems: 1, maxItems: 200, uniqueItems: true, description: 'Serve the villages of these communes (5-digit codes). communeCodes or bbox is required; with both, villages in both',
  })),
  bbox: Type.Optional(Type.Array(Type.Number({ minimum: -180, maximum: 180 }), {
    minItems: 4, maxItems: 4, description: `Serve the villages in [minLon, minLat, maxLon, maxLat], WGS84 degrees, each side at most ${MAX_SEARCH_SPAN_DEG}°`,
  })),
  maxDistanceKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 30, description: `Keep high points within this distance of an uncovered village, km (default ${D.maxDistanceKm})` })),
  minSpacingM: Type.Optional(Type.Number({ minimum: 100, maximum: 30_000, description: `Minimum distance between two candidates, and from the operator's existing, planned and candidate sites, m (default ${D.minSpacingM})` })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: `Most candidates, the best by score (default ${D.limit})` })),
  uncoveredOnly: Type.Optional(Type.Boolean({ description: 'Serve only villages without coverage (default true); false: every village of the scope' })),
  uncoveredFor: Type.Optional(Type.Union([Type.Literal('operator'), Type.Literal('any')], {
    description: "'operator' (default): villages this operator does not cover; 'any': villages no operator covers",
  })),
  avoidExistingSites: Type.Optional(Type.Boolean({ description: "No candidate within minSpacingM of the operator's existing, planned or candidate sites (default true)" })),
  onDate: Type.Optional(Type.String({ format: 'date', description: 'Coverage on this day (sites in service then), YYYY-MM-DD; default today (Vietnam time)' })),
  dryRun: Type.Optional(Type.Boolean({ description: 'Answer the candidates without storing them (default false)' })),
  peakRadiusM: Type.Optional(Type.Number({ minimum: 30, maximum: 2000, description: `A high point tops every DEM post within this square radius, m (default ${D.peakRadiusM})` })),
  ridgeHalfLengthM: Type.Optional(Type.Number({ minimum: 30, maximum: 2000, description: `Half-length of the ridge profiles, m (default ${D.ridgeHalfLengthM}, at least 2 posts)` })),
  reliefRadiusM: Type.Optional(Type.Number({ minimum: 100, maximum: 5000, description: `Relief (the score) is the height above the mean within this square radius, m (default ${D.reliefRadiusM})` })),
  minReliefM: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: `Keep only points standing more than this above their surroundings, m (default ${D.minReliefM})` })),
}, {
  additionalProperties: false,
  examples: [
    { operatorCode: 'viettel', communeCodes: ['04001'], maxDistanceKm: 5, minSpacingM: 1000, limit: 20, dryRun: true },
    { operatorCode: 'vnpt', bbox: [103.85, 21.25, 104.15, 21.45], uncoveredFor: 'any' },
  ],
})

const Int = Type.Integer()
const NullableNumber = Nullable(Type.Number())

const CandidateProperties = Type.Object({
  code: Type.String({ description: 'The site code (on a dry run, the code it would get): CAND-<operator>-<n>' }),
  rank: Type.Integer({ description: '1 = best score' }),
  status: Type.Literal('candidate'),
  source: Type.Literal('generated'),
  kind: Type.Union([Type.Literal('peak'), Type.Literal('ridge')], { description: 'peak: a local maximum of the DEM; ridge: a ridge post (profile recognition)' }),
  groundElevationM: Type.Number({ description: 'Ground height from the DEM, m' }),
  slopeDeg: Nullable(Type.Number({ description: "Horn's slope, degrees" })),
  reliefM: Type.Number({ description: 'Height above the mean within reliefRadiusM (TPI), m' }),
  score: Type.Number({ description: 'The ranking score: reliefM' }),
  nearestVillageId: Int,
  nearestVillageCode: Type.String(),
  nearestVillageName: Type.String(),
  distanceToVillageM: Type.Number(),
  nearestFibreCode: Nullable(Type.String()),
  distanceToFibreM: Nullable(Type.Number({ description: 'Geodesic distance to the nearest existing fibre route, m (null: no fibre stored)' })),
  nearestPowerLineCode: Nullable(Type.String()),
  distanceToPowerLineM: Nullable(Type.Number({ description: 'Geodesic distance to the nearest existing power line, m (null: none stored)' })),
  distanceToRoadM: Type.Null({ description: 'Always null: there is no roads layer (see road.reason)' }),
})

export const GeneratedCandidates = Type.Object({
  dryRun: Type.Boolean(),
  created: Type.Integer({ description: 'Sites stored (0 on a dry run)' }),
  operator: Type.Object({ code: Type.String() }),
  parameters: Type.Object({
    communeCodes: Nullable(Type.Array(Type.String())),
    bbox: Nullable(Type.Array(Type.Number())),
    maxDistanceKm: Type.Number(), minSpacingM: Type.Number(), limit: Type.Integer(), uncoveredOnly: Type.Boolean(),
    uncoveredFor: Type.String(), avoidExistingSites: Type.Boolean(), onDate: Type.String(), dryRun: Type.Boolean(),
    peakRadiusM: Type.Number(), ridgeHalfLengthM: Type.Number(), reliefRadiusM: Type.Number(), minReliefM: Type.Number(),
  }, { description: 'The parameters used, defaults filled in' }),
  coverage: Type.Object({
    technology: Type.Literal('4G'),
    runId: Nullable(Type.Integer()),
    onDate: Type.String(),
    uncoveredFor: Type.String(),
    basis: Type.Union([Type.Literal('prediction'), Type.Literal('no-current-run'), Type.Literal('not-used')], {
      description: 'prediction: the current run decided; no-current-run: every village counted as uncovered; not-used: uncoveredOnly was false',
    }),
    rule: Type.String(),
  }),
  villages: Type.Object({
    inScope: Type.Integer(),
    targeted: Type.Integer({ description: 'Villages the candidates serve' }),
    targets: Type.Array(Type.Object({
      id: Int, code: Type.String(), name: Type.String(), communeCode: Type.String(),
      reason: Type.String({ description: 'predicted-none, no-prediction (no sector reaches it), no-current-run, all-villages' }),
    })),
  }),
  dem: Type.Object({
    stepDeg: NullableNumber,
    postSpacingM: Nullable(Type.Object({ dx: Type.Number(), dy: Type.Number() })),
    posts: Type.Integer(),
    synthetic: Type.Boolean({ description: 'Some of the terrain read is the generated sample, not measured' }),
    tiles: Type.Array(Type.Object({ name: Type.String(), kind: Type.String() })),
  }),
  counts: Type.Object({
    peaks: Int, ridgeCells: Int, withinDistance: Int, aboveRelief: Int, nearExistingSites: Int, nearBetterCandidate: Int,
  }, { description: 'How the candidates were narrowed down' }),
  road: Type.Object({ available: Type.Literal(false), reason: Type.String() }),
  candidates: Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Object({
      type: Type.Literal('Feature'),
      id: Nullable(Type.Integer({ description: 'The stored site id (null on a dry run)' })),
      geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }),
      properties: CandidateProperties,
    })),
  }),
})
