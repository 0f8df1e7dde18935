import { Type } from 'typebox'
import { CANDIDATE_COVERAGE_DEFAULTS as D, DEFAULT_COSTS as C } from '../../services/planning/candidate-coverage.service.ts'
import { MAX_SEARCH_SPAN_DEG } from '../../services/planning/candidates.service.ts'
import { Nullable } from '../common/schemas.ts'

/** Radii of a candidate's coverage set, m (as a what-if's: the sweep runs in the job's thread). */
export const MIN_OPTIMISE_RADIUS_M = 500
export const MAX_OPTIMISE_RADIUS_M = 35_000

const OPERATOR_CODE = '^[a-z][a-z0-9_-]*$'
const Cost = (description: string, fallback: number) => Type.Optional(Type.Number({ minimum: 0, maximum: 1e9, description: `${description} (default ${fallback}; million VND by convention)` }))

export const OptimiseJobParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Job id (in memory: a restart forgets the jobs)', examples: [1] }) })

export const OptimiseBody = Type.Object({
  operatorCode: Type.String({ pattern: OPERATOR_CODE, description: 'The operator building the sites: its candidate sites, its coverage', examples: ['viettel'] }),
  scope: Type.Object({
    communeCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{5}$' }), { minItems: 1, maxItems: 200, uniqueItems: true, description: 'Villages of these communes' })),
    bbox: Type.Optional(Type.Array(Type.Number({ minimum: -180, maximum: 180 }), {
      minItems: 4, maxItems: 4, description: `Villages in [minLon, minLat, maxLon, maxLat], each side at most ${MAX_SEARCH_SPAN_DEG}°; with communeCodes, villages in both`,
    })),
  }, { additionalProperties: false, description: 'The villages to serve (communeCodes or bbox required). Candidates: the operator\'s candidate sites within radiusM of one of them' }),
  k: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Choose at most k sites (with budget or targetShare: a cap)' })),
  budget: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12, description: 'Total cost at most this (site + fibre per km or microwave hop + grid per km or solar)' })),
  targetShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'The fewest sites so that the served share of the scope\'s weight (existing coverage included) reaches this' })),
  costs: Type.Optional(Type.Object({
    siteCost: Cost('Tower, equipment and land per site', C.siteCost),
    fibreCostPerKm: Cost('Fibre spur per km', C.fibreCostPerKm),
    microwaveHopCost: Cost('Microwave link (both ends)', C.microwaveHopCost),
    powerCostPerKm: Cost('Grid extension per km', C.powerCostPerKm),
    solarCost: Cost('Solar and battery supply', C.solarCost),
  }, { additionalProperties: false })),
  constraints: Type.Optional(Type.Object({
    maxFibreKm: Type.Optional(Type.Number({ minimum: 0, maximum: 200, description: `Longest fibre spur built, km (default ${D.maxFibreKm}); beyond it a microwave hop is needed` })),
    maxHopKm: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: `Longest microwave hop to a fibre-fed existing site, km (default ${D.maxHopKm})` })),
    maxGridKm: Type.Optional(Type.Number({ minimum: 0, maximum: 200, description: `Longest grid extension built, km (default ${D.maxGridKm}); beyond it solar is needed` })),
    requireGridPower: Type.Optional(Type.Boolean({ description: 'No solar anywhere (default false: solar allowed at its cost)' })),
    maxSlopeDeg: Type.Optional(Type.Number({ minimum: 0, maximum: 90, description: 'Leave out candidates steeper than this, degrees (default: none)' })),
    hopFrequencyMhz: Type.Optional(Type.Number({ minimum: 1000, maximum: 90_000, description: `Microwave band, MHz (default ${D.hopFrequencyMhz})` })),
    hopAntennaHeightM: Type.Optional(Type.Number({ minimum: 1, maximum: 200, description: `Hop antenna height at both ends, m (default ${D.hopAntennaHeightM})` })),
    requiredClearance: Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: `Share of the first Fresnel zone kept clear (default ${D.requiredClearance})` })),
  }, { additionalProperties: false })),
  radiusM: Type.Optional(Type.Number({
    minimum: MIN_OPTIMISE_RADIUS_M, maximum: MAX_OPTIMISE_RADIUS_M,
    description: `Computation radius of each candidate, m (default: the current run's radius, else ${D.radiusM})`,
  })),
  existingFor: Type.Optional(Type.Union([Type.Literal('operator'), Type.Literal('any')], {
    description: "A village is already served when the operator's prediction ('operator', default) or any operator's ('any') is weak or better",
  })),
  villageWeights: Type.Optional(Type.Array(Type.Object({
    code: Type.String({ minLength: 1, maxLength: 60 }), weight: Type.Number({ minimum: 0, maximum: 1e9 }),
  }, { additionalProperties: false }), { maxItems: 100_000, description: 'Objective weights by village code (default: population)' })),
  localSearchMaxMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, description: 'Time cap of the local search, ms (default 60 000)' })),
}, {
  additionalProperties: false,
  examples: [
    { operatorCode: 'viettel', scope: { communeCodes: ['04001'] }, k: 5 },
    { operatorCode: 'vnpt', scope: { bbox: [103.85, 21.25, 104.15, 21.45] }, budget: 12000, costs: { siteCost: 1800 }, constraints: { maxFibreKm: 3, requireGridPower: true } },
    { operatorCode: 'viettel', scope: { communeCodes: ['04001', '04002'] }, targetShare: 0.9 },
  ],
})

const Phase = Type.Union([
  Type.Literal('queued'), Type.Literal('loading'), Type.Literal('coverage-sets'), Type.Literal('backhaul'),
  Type.Literal('greedy'), Type.Literal('local-search'), Type.Literal('done'),
])
const IdCode = Type.Object({ id: Type.Integer(), code: Type.String() })
const Selection = Type.Object({ chosen: Type.Array(IdCode), newlyCoveredWeight: Type.Number(), cost: Type.Number() })

const ChosenSite = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Nullable(Type.String()),
  position: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  groundElevationM: Nullable(Type.Number()),
  slopeDeg: Nullable(Type.Number()),
  newlyCovers: Type.Object({ villages: Type.Integer(), population: Type.Number() }, { description: 'Villages it serves that no existing site serves' }),
  ownWeight: Type.Number({ description: 'Weight only this site serves in the selection' }),
  backhaul: Type.Object({
    mode: Type.Union([Type.Literal('fibre'), Type.Literal('microwave')]),
    fibreKm: Nullable(Type.Number()),
    hub: Type.Optional(Type.Object({ id: Type.Integer(), code: Type.String(), distanceKm: Type.Number(), clearanceRatio: Type.Number() })),
  }),
  power: Type.Object({ mode: Type.Union([Type.Literal('grid'), Type.Literal('solar')]), gridKm: Nullable(Type.Number()) }),
  cost: Type.Object({ site: Type.Number(), backhaul: Type.Number(), power: Type.Number(), total: Type.Number() }),
})

const Result = Type.Object({
  status: Type.Union([Type.Literal('optimised'), Type.Literal('cancelled'), Type.Literal('target-unreachable')]),
  mode: Type.Union([Type.Literal('count'), Type.Literal('cost'), Type.Literal('target')]),
  runId: Type.Integer(),
  onDate: Type.String(),
  radiusM: Type.Number(),
  thresholds: Type.Object({ goodDbm: Type.Number(), weakDbm: Type.Number() }),
  scope: Type.Object({
    villages: Type.Integer(), population: Type.Number(), weight: Type.Number(),
    alreadyServed: Type.Object({ villages: Type.Integer(), population: Type.Number(), weight: Type.Number() }),
  }),
  candidates: Type.Object({
    considered: Type.Integer(), feasible: Type.Integer(), withGain: Type.Integer(),
    infeasible: Type.Object({ noBackhaul: Type.Integer(), noPower: Type.Integer(), noBackhaulNoPower: Type.Integer() }),
    excluded: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), reason: Type.String() })),
    fibreFedHubs: Type.Integer({ description: 'Existing sites of the operator within maxFibreKm of fibre, the far ends hops may reach' }),
  }),
  chosen: Type.Array(ChosenSite),
  newlyCovered: Type.Object({
    villages: Type.Integer(), population: Type.Number(), weight: Type.Number(), coveredShare: Type.Number(),
    list: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), communeCode: Type.String(), population: Type.Number() })),
  }),
  byCommune: Type.Array(Type.Object({
    communeCode: Type.String(), villages: Type.Integer(), population: Type.Number(), newlyCoveredVillages: Type.Integer(), newlyCoveredPopulation: Type.Number(),
  })),
  cost: Type.Object({ total: Type.Number(), site: Type.Number(), backhaul: Type.Number(), power: Type.Number() }),
  comparison: Type.Object({
    greedy: Type.Object({ ...Selection.properties, variant: Type.String() }),
    plainGreedy: Nullable(Selection),
    improvementWeight: Type.Number({ description: 'Newly covered weight the local search added to the greedy' }),
  }),
  model: Type.Object({}, { additionalProperties: true, description: 'The cost model and limits used' }),
  timesMs: Type.Object({ coverageSets: Type.Number(), backhaul: Type.Number(), greedy: Type.Number(), localSearch: Type.Number() }),
  stats: Type.Object({}, { additionalProperties: true }),
})

export const OptimiseJob = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed'), Type.Literal('cancelled')]),
  progress: Type.Object({ phase: Phase, fraction: Type.Number({ minimum: 0, maximum: 1, description: 'Within the phase' }) }),
  phases: Type.Array(Type.Object({ phase: Phase, ms: Type.Number() }), { description: 'Phases passed and their time' }),
  cancelRequested: Type.Boolean(),
  error: Nullable(Type.String()),
  request: Type.Object({}, { additionalProperties: true }),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  result: Nullable(Result),
})
