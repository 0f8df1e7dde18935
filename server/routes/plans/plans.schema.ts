import { Type } from 'typebox'
import { EXPORT_FORMATS } from '../../services/export.service.ts'
import { DEFAULT_BACKHAUL_MAX_FIBRE_M, DEFAULT_COST_MODEL, MAX_COMPARED_PLANS, MIN_COMPARED_PLANS } from '../../services/planning/plan-evaluation.service.ts'
import { Nullable, PagingQuery } from '../common/schemas.ts'
import { MAX_WHAT_IF_RADIUS_M, MIN_WHAT_IF_RADIUS_M } from '../planning/planning.schema.ts'

const Sector = Type.Object({
  azimuthDeg: Type.Optional(Nullable(Type.Number({ minimum: 0, exclusiveMaximum: 360, description: 'Required unless the sector is omni (beamwidth 360)' }))),
  beamwidthDeg: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 360, description: 'Horizontal −3 dB beamwidth (default 65)' })),
  frequencyMhz: Type.Optional(Type.Number({ minimum: 400, maximum: 6000, description: 'Default 1800' })),
  eirpDbm: Type.Optional(Type.Number({ minimum: 0, maximum: 90, description: 'Default 60' })),
  gainDbi: Type.Optional(Type.Number({ minimum: -10, maximum: 30, description: 'Default 17' })),
  electricalTiltDeg: Type.Optional(Type.Number({ minimum: -10, maximum: 20, description: 'Default 2' })),
  mechanicalTiltDeg: Type.Optional(Type.Number({ minimum: -10, maximum: 20, description: 'Default 0' })),
}, { additionalProperties: false })

const PlanSite = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  heightM: Type.Number({ exclusiveMinimum: 0, maximum: 200, description: 'Antenna height above ground, m' }),
  sectors: Type.Array(Sector, { minItems: 1, maxItems: 12 }),
  label: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  candidateSiteId: Type.Optional(Nullable(Type.Integer({ minimum: 1, description: 'A candidate site (status candidate) of the plan\'s operator it comes from' }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
}, { additionalProperties: false })

const example = {
  name: 'Tà Xùa 2026',
  operatorCode: 'viettel',
  description: 'Two ridge sites for the villages east of Tà Xùa',
  sites: [
    { lon: 104.4612, lat: 21.3158, heightM: 30, label: 'Đỉnh Tà Xùa', sectors: [{ azimuthDeg: 0 }, { azimuthDeg: 120 }, { azimuthDeg: 240 }] },
    { lon: 104.512, lat: 21.29, heightM: 42, sectors: [{ azimuthDeg: null, beamwidthDeg: 360, frequencyMhz: 900, eirpDbm: 58 }] },
  ],
}

export const PlanCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  operatorCode: Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  sites: Type.Array(PlanSite, { maxItems: 500 }),
}, { additionalProperties: false, examples: [example] })

export const PlanPatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
  description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  sites: Type.Optional(Type.Array(PlanSite, { maxItems: 500, description: 'Replaces every site of the plan' })),
}, { additionalProperties: false, minProperties: 1, examples: [{ name: 'Tà Xùa 2026 (v2)' }, { sites: example.sites.slice(0, 1) }] })

const Summary = {
  id: Type.Integer(),
  name: Type.String(),
  operatorCode: Type.String(),
  description: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  siteCount: Type.Integer(),
}

export const PlanList = Type.Object({ total: Type.Integer(), plans: Type.Array(Type.Object(Summary)) })

export const PlanDetail = Type.Object({
  ...Summary,
  sites: Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Object({
      type: Type.Literal('Feature'),
      id: Type.Integer(),
      geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }),
      properties: Type.Object({
        position: Type.Integer(), label: Nullable(Type.String()), heightM: Type.Number(), candidateSiteId: Nullable(Type.Integer()), notes: Nullable(Type.String()),
        operatorCode: Type.String(),
        sectors: Type.Array(Type.Object({
          azimuthDeg: Nullable(Type.Number()), beamwidthDeg: Type.Number(), frequencyMhz: Type.Number(), eirpDbm: Type.Number(), gainDbi: Type.Number(),
          electricalTiltDeg: Type.Number(), mechanicalTiltDeg: Type.Number(),
        })),
      }),
    })),
  }),
})

export const PlanListQuery = Type.Object({
  operator: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', examples: ['viettel'] })),
  ...PagingQuery,
})

export const PlanExportQuery = Type.Object({
  format: Type.Optional(Type.String({ enum: [...EXPORT_FORMATS], default: 'geojson', examples: ['kml'] })),
})

// ---- Evaluation and comparison (services/planning/plan-evaluation.service.ts) -------------------------

const EvaluationQueryProps = {
  technology: Type.Optional(Type.String({ enum: ['2G', '3G', '4G', '5G'], default: '4G', description: 'Compared with the current run of this technology', examples: ['4G'] })),
  radiusM: Type.Optional(Type.Number({ minimum: MIN_WHAT_IF_RADIUS_M, maximum: MAX_WHAT_IF_RADIUS_M, description: "Computation radius around each site, m (default: the current run's radius, what a recompute uses; else 15000)", examples: [10000] })),
  siteCost: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000, description: `Cost of one site, million VND (default ${DEFAULT_COST_MODEL.siteCost})`, examples: [1800] })),
  fibreCostPerKm: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: `Fibre to the nearest existing route, million VND per km (default ${DEFAULT_COST_MODEL.fibreCostPerKm})`, examples: [200] })),
  powerCostPerKm: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: `Power to the nearest line, million VND per km (default ${DEFAULT_COST_MODEL.powerCostPerKm})`, examples: [500] })),
  backhaulMaxFibreM: Type.Optional(Type.Number({ minimum: 0, maximum: 30_000, description: `Farther from fibre than this, a site needs a microwave hop, m (default ${DEFAULT_BACKHAUL_MAX_FIBRE_M}); also how near fibre an existing site must be to feed a hop`, examples: [3000] })),
}

export const PlanEvaluationQuery = Type.Object(EvaluationQueryProps, { additionalProperties: false })

export const PlanCompareQuery = Type.Object({
  ids: Type.String({ pattern: '^\\s*\\d{1,10}\\s*(,\\s*\\d{1,10}\\s*)*$', maxLength: 100, description: `${MIN_COMPARED_PLANS}–${MAX_COMPARED_PLANS} plan ids, comma-separated, each once; one column per plan in this order`, examples: ['1,2,3'] }),
  ...EvaluationQueryProps,
}, { additionalProperties: false })

const Trans = Type.Object({ noneToWeak: Type.Number(), noneToGood: Type.Number(), weakToGood: Type.Number() })
const TransNew = Type.Object({ ...Trans.properties, newlyCovered: Type.Number() })
const Gain = Type.Object({
  villages: Type.Object({ newlyCovered: Type.Integer({ description: 'none → weak or good' }), improved: Type.Integer({ description: 'weak → good' }), counts: Trans }),
  population: Type.Object({ newlyCovered: Type.Integer(), improved: Type.Integer(), counts: Trans }),
  byCommune: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), villages: TransNew, population: TransNew })),
  areaKm2: Type.Object({ newlyCovered: Type.Number(), improved: Type.Number(), transitions: Trans }),
  deadZoneKm2: Type.Object({ before: Type.Number(), after: Type.Number(), change: Type.Number() }, { description: "Below weak or not predicted, within the sites' radius" }),
  changedVillages: Type.Array(Type.Object({
    id: Type.Integer(), code: Type.String(), name: Type.String(), communeCode: Type.String(), population: Nullable(Type.Integer()),
    before: Type.String(), after: Type.String(),
  })),
})
const CostParameter = Type.Object({ value: Type.Number(), isDefault: Type.Boolean() })
const PlanRef = Type.Object({ id: Type.Integer(), name: Type.String(), operatorCode: Type.String(), siteCount: Type.Integer() })

export const PlanEvaluationSchema = Type.Object({
  plan: PlanRef,
  runId: Nullable(Type.Integer()),
  technology: Type.String(),
  radiusM: Nullable(Type.Number()),
  coverage: Type.Object({ any: Gain, operator: Gain }, { description: 'any: for any operator (villages no operator served); operator: for the plan\'s operator' }),
  cost: Type.Object({
    currency: Type.String(),
    parameters: Type.Object({ siteCost: CostParameter, fibreCostPerKm: CostParameter, powerCostPerKm: CostParameter }),
    defaultsUsed: Type.Array(Type.String(), { description: 'Parameters not given in the query: their defaults were used' }),
    sites: Type.Array(Type.Object({
      position: Type.Integer(), label: Nullable(Type.String()), site: Type.Number(), fibreKm: Nullable(Type.Number()), fibre: Nullable(Type.Number()),
      powerKm: Nullable(Type.Number()), power: Nullable(Type.Number()), total: Type.Number(),
    })),
    totals: Type.Object({ sites: Type.Number(), fibre: Type.Number(), power: Type.Number(), total: Type.Number() }),
    incomplete: Type.Boolean(),
    model: Type.String(),
  }),
  backhaul: Type.Object({
    maxFibreM: Type.Number(),
    isDefaultMaxFibre: Type.Boolean(),
    sites: Type.Array(Type.Object({
      position: Type.Integer(),
      label: Nullable(Type.String()),
      fibre: Nullable(Type.Object({ code: Type.String(), distanceM: Type.Number() })),
      method: Type.String({ enum: ['fibre', 'microwave', 'none'] }),
      pass: Type.Boolean(),
      microwave: Nullable(Type.Object({
        to: Type.Object({ siteId: Type.Integer(), code: Type.String(), name: Nullable(Type.String()), lon: Type.Number(), lat: Type.Number(), heightM: Type.Number() }),
        distanceM: Type.Number(),
        pass: Type.Boolean(),
        clearanceRatio: Type.Number({ description: 'Worst clearance over the first Fresnel radius along the path' }),
        obstruction: Nullable(Type.Object({
          distanceM: Type.Number(), groundM: Type.Number(), obstructionM: Type.Number(), clearanceRatio: Type.Number(), aboveRequiredM: Type.Number(), blocksLineOfSight: Type.Boolean(),
        })),
        neededExtraHeightM: Type.Number({ description: 'Extra height on both masts that makes the hop pass, m' }),
        verdict: Type.String(),
      })),
      reason: Nullable(Type.String()),
    })),
    summary: Type.Object({
      fibre: Type.Integer(), microwavePass: Type.Integer(), microwaveFail: Type.Integer(), noHop: Type.Integer(), passes: Type.Integer(), fails: Type.Integer(),
    }),
  }),
  elapsedMs: Type.Number(),
})

export const PlanComparisonSchema = Type.Object({
  plans: Type.Array(PlanRef, { description: 'The columns, in the order asked' }),
  runIds: Type.Array(Nullable(Type.Integer())),
  currency: Type.String(),
  costDefaultsUsed: Type.Array(Type.String()),
  rows: Type.Array(Type.Object({
    key: Type.String(),
    label: Type.String(),
    unit: Type.String(),
    commune: Type.Optional(Type.Object({ code: Type.String(), name: Type.String() })),
    values: Type.Array(Nullable(Type.Number()), { description: 'One value per plan, in the order of plans' }),
  })),
})
