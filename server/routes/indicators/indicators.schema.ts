import { Type } from 'typebox'
import { REPORT_SOURCES } from '../../services/village-status/official-status.ts'
import { INDICATOR_EXPORT_FORMATS } from '../../services/indicators/indicator-export.service.ts'
import { Nullable } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

/** A string that is one of `values` (an enum in the OpenAPI document). */
const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description === undefined ? {} : { description }) })

export const INDICATOR_KEYS = [
  'villages_total', 'villages_good', 'villages_weak', 'villages_intermittent', 'villages_none', 'villages_unknown',
  'villages_covered', 'villages_weak_or_intermittent', 'population_covered', 'villages_without_grid_power', 'communes_reached_by_fibre',
] as const

const MAX_COMMUNES = 2000

// ---- Query strings --------------------------------------------------------------------------

/** The rule, the date, the technology and the operator: shared by every indicators route. */
const ruleAndDate = {
  date: Type.Optional(Type.String({ format: 'date', description: 'The day the figures are for, YYYY-MM-DD (default today, Vietnam time): sites count from their commissioning to their decommissioning date, reports dated up to that day', examples: ['2025-06-30'] })),
  technology: Type.Optional(Type.Union(TechnologySchema.anyOf, { default: '4G', description: 'Technology (default 4G); predictions come from the current coverage run of that technology', examples: ['4G'] })),
  operator: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 32, description: 'Operator code (viettel, vnpt, mobifone…); absent = any operator (the best one at each village)', examples: ['viettel'] })),
  reportMaxAgeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, description: 'Rule: oldest field report that still overrides the prediction, days before date (default 365)', examples: [365] })),
  requireVerified: Type.Optional(Type.Boolean({ description: 'Rule: only verified reports override the prediction (default true)', examples: [true] })),
  trustedSources: Type.Optional(Type.String({ maxLength: 200, description: `Rule: comma-separated sources whose reports override the prediction (default all: ${REPORT_SOURCES.join(', ')})`, examples: ['commune_office,community_digital_team'] })),
}

export const IndicatorQuery = Type.Object({
  province: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: '2-digit province code: every commune of the province', examples: ['14'] })),
  commune: Type.Optional(Type.String({
    pattern: '^[0-9]{5}(,[0-9]{5})*$', maxLength: MAX_COMMUNES * 6,
    description: `Comma-separated 5-digit commune codes (at most ${MAX_COMMUNES}); with province, each must be in it. Neither: every commune`,
    examples: ['03868,03856'],
  })),
  since: Type.Optional(Type.String({ format: 'date', description: 'An earlier day to compare with, YYYY-MM-DD: adds `since` with the total then and the change', examples: ['2025-01-01'] })),
  fibreDistanceM: Type.Optional(Type.Integer({ minimum: 0, maximum: 50_000, description: 'A commune is reached by fibre when an existing route crosses it or passes within this distance of its centre, m (default 2000)', examples: [2000] })),
  ...ruleAndDate,
})

export const IndicatorExportQuery = Type.Object({
  format: Type.Optional(Type.String({ enum: [...INDICATOR_EXPORT_FORMATS], default: 'xlsx', description: 'xlsx: summary sheet and a sheet per commune; csv: the summary table (UTF-8 with BOM)', examples: ['xlsx'] })),
  ...IndicatorQuery.properties,
})

export const VillageIndicatorQuery = Type.Object({
  commune: Type.String({ pattern: '^[0-9]{5}$', description: '5-digit commune code', examples: ['03868'] }),
  ...ruleAndDate,
})

// ---- Responses -----------------------------------------------------------------------------

const Named = Type.Object({ code: Type.String(), name: Type.String() })

const Figure = Type.Object({
  key: literals(INDICATOR_KEYS),
  value: Type.Number({ description: 'A count of villages or communes, or a number of people (population_covered)' }),
  denominator: Nullable(Type.Object({
    of: literals(['villages', 'population', 'communes', 'villages with known grid power'], 'What the share is a share of'),
    value: Type.Number({ description: 'How many of them' }),
  })),
  percent: Nullable(Type.Number({ description: 'value / denominator × 100, one decimal; null without a denominator or when it is 0' })),
  basis: Type.Optional(Type.Object({
    report: Type.Integer({ description: 'Villages whose official status rests on a field report' }),
    prediction: Type.Integer({ description: 'Villages whose official status rests on the prediction' }),
  }, { description: 'Village counts only: what the counted villages rest on' })),
})

const Rule = Type.Object({
  reportMaxAgeDays: Type.Integer(),
  requireVerified: Type.Boolean(),
  sourcesTrusted: Type.Array(literals(REPORT_SOURCES)),
  description: Type.String({ description: 'The rule in words' }),
}, { description: 'How a village\'s official status is made: the latest accepted field report overrides the predicted class' })

const Thresholds = Type.Object({
  goodDbm: Type.Number({ description: 'RSRP at or above which coverage is good' }),
  weakDbm: Type.Number({ description: 'RSRP at or above which (and below goodDbm) coverage is weak; below: none' }),
})

const Prediction = Type.Object({
  runId: Nullable(Type.Integer({ description: 'The current coverage run of the technology; null: none yet (every village without a report is unknown)' })),
  model: Nullable(Type.String()),
  computedAt: Nullable(Type.String({ format: 'date-time' })),
  dem: Nullable(Type.Object({
    real: Type.Integer(), synthetic: Type.Integer(), sea: Type.Integer(), missing: Type.Integer(),
  }, { description: '1° elevation tiles the run read, by kind' })),
  demSynthetic: Nullable(literals(['none', 'partly', 'all'], 'Whether the terrain under the prediction was synthetic (generated, not measured)')),
  calibration: Type.Array(Type.Object({ operator: Type.String(), offsetDb: Type.Number() }), {
    description: 'Calibration offsets (fitted to measurements, see /api/calibration) added to the model\'s RSRP at the villages; empty: none applied',
  }),
}, { description: 'Predicted classes come from a propagation model, not from measurements' })

const CommuneType = literals(['commune', 'ward', 'special_zone'], 'xã, phường, đặc khu')

export const IndicatorReportSchema = Type.Object({
  date: Type.String({ format: 'date' }),
  technology: TechnologySchema,
  operator: Nullable(Named),
  province: Nullable(Named),
  rule: Rule,
  thresholds: Thresholds,
  fibreDistanceM: Type.Number(),
  prediction: Prediction,
  total: Type.Array(Figure, { description: 'The figures of every commune in scope together' }),
  communes: Type.Array(Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    type: CommuneType,
    reachedByFibre: Type.Boolean(),
    figures: Type.Array(Figure),
  }), { description: 'Ordered by code' }),
  since: Type.Optional(Type.Object({
    date: Type.String({ format: 'date' }),
    total: Type.Array(Figure),
    change: Type.Array(Type.Object({
      key: literals(INDICATOR_KEYS),
      value: Type.Number({ description: 'Now minus then' }),
      percentPoints: Nullable(Type.Number({ description: 'Change of the share, percentage points' })),
    })),
  })),
})

const ObservedStatus = literals(['none', 'weak', 'intermittent', 'good'])

const ClassSharesSchema = Type.Object({ good: Type.Number(), weak: Type.Number(), none: Type.Number(), unknown: Type.Number({ description: 'No prediction there' }) })

export const CommuneVillagesSchema = Type.Object({
  date: Type.String({ format: 'date' }),
  technology: TechnologySchema,
  operator: Nullable(Named),
  rule: Rule,
  thresholds: Thresholds,
  prediction: Prediction,
  commune: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), type: CommuneType }),
  villages: Type.Array(Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    population: Nullable(Type.Integer()),
    hasGridPower: Nullable(Type.Boolean()),
    predicted: Nullable(literals(['good', 'weak', 'none'], 'Predicted class at the village point; null: nothing predicted there')),
    predictedRsrpDbm: Nullable(Type.Number({ description: 'Predicted best-server RSRP, dBm (0.1 dB)' })),
    servingSite: Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), operator: Type.String() })),
    observed: Nullable(ObservedStatus),
    official: literals(['none', 'weak', 'intermittent', 'good', 'unknown']),
    basis: literals(['report', 'prediction', 'none'], 'What the official status rests on'),
    report: Nullable(Type.Object({
      id: Type.Integer(),
      reportedOn: Type.String({ format: 'date' }),
      source: literals(REPORT_SOURCES),
      verified: Type.Boolean(),
    }, { description: 'The field report the official status rests on (basis report)' })),
    areaShares: Type.Optional(Nullable(Type.Object({
      area: ClassSharesSchema,
      population: Nullable(ClassSharesSchema),
    }, { description: 'For a village with an area polygon: the predicted share of its area (0–1) and of its population (people, spread evenly over the area) in each class, from the current map; null without a polygon' }))),
  }), { description: 'Ordered by code' }),
})

export const IndicatorExportResponse = {
  description: 'The file (Content-Disposition attachment, the date in its name)',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'Sheet "Tổng hợp" and a sheet per commune' }) },
    'text/csv': { schema: Type.String({ description: 'The summary table, UTF-8 with BOM' }) },
  },
}
