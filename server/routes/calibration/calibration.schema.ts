import { Type } from 'typebox'
import { Nullable } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

/** Most rows a disagreements list returns. */
export const MAX_DISAGREEMENTS = 500

const Technology = Type.Union(TechnologySchema.anyOf, { default: '4G', description: 'Technology whose current run is calibrated (default 4G)', examples: ['4G'] })
const Method = Type.Union([Type.Literal('mean'), Type.Literal('median')], {
  default: 'mean',
  examples: ['median'],
  description: 'mean: the offset minimising the squared error (mean of measured − predicted); median: the median residual, robust to a few wild measurements',
})
const CoverageModel = Type.Union([Type.Literal('fast'), Type.Literal('itm'), Type.Literal('radius')], { description: "The propagation model of the run the offset is fitted on" })
const OperatorCode = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 32, description: 'Operator code (viettel, vnpt, mobifone…)', examples: ['viettel'] })

const ErrorStats = Type.Object({
  n: Type.Integer({ description: 'Measurement/prediction pairs' }),
  meanErrorDb: Nullable(Type.Number({ description: 'Mean of measured − predicted, dB (positive: the prediction is pessimistic)' })),
  medianErrorDb: Nullable(Type.Number({ description: 'Median of measured − predicted, dB' })),
  rmseDb: Nullable(Type.Number({ description: 'Root mean square of measured − predicted, dB' })),
  within6DbShare: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'Share of pairs with |measured − predicted| ≤ 6 dB, 0–1' })),
}, { description: 'Prediction error; null figures when there is no pair' })

export const CalibrationOffset = Type.Object({
  id: Type.Integer(),
  technology: TechnologySchema,
  operator: Type.String(),
  model: CoverageModel,
  offsetDb: Type.Number({ description: 'Added to the operator’s predicted RSRP: calibrated = predicted + offset, dB' }),
  n: Type.Integer({ description: 'Pairs it was fitted on' }),
  method: Nullable(Method),
  runId: Nullable(Type.Integer({ description: 'The coverage run it was fitted on' })),
  before: Nullable(ErrorStats),
  after: Nullable(ErrorStats),
  fittedAt: Type.String({ format: 'date-time' }),
  applied: Type.Boolean({ description: 'At most one offset is applied per technology, operator and model' }),
  appliedBy: Nullable(Type.String()),
})

export const AppliedCalibrationOffset = Type.Object({
  ...CalibrationOffset.properties,
  replacedId: Nullable(Type.Integer({ description: 'The offset applied before for the same technology, operator and model, now un-applied (kept as history)' })),
})

export const CalibrationQuery = Type.Object({
  technology: Type.Optional(Technology),
  method: Type.Optional(Method),
})

export const CalibrationReport = Type.Object({
  technology: TechnologySchema,
  runId: Type.Integer({ description: 'The current run whose predictions are compared' }),
  model: CoverageModel,
  method: Method,
  minPairs: Type.Integer({ description: 'Fewest pairs from which an offset may be applied' }),
  withinDb: Type.Number({ description: 'Half-width of the "within" band, dB' }),
  leftOut: Type.Object({
    withoutRsrp: Type.Integer({ description: 'Measurements of the technology with RSRQ or SINR only' }),
    withoutOperator: Type.Integer({ description: 'RSRP measurements naming no operator' }),
  }, { description: 'Measurements left out before any comparison' }),
  operators: Type.Array(Type.Object({
    operator: Type.String(),
    operatorName: Type.String(),
    model: CoverageModel,
    measurements: Type.Integer({ description: 'RSRP measurements of the operator and technology' }),
    noPrediction: Type.Integer({ description: 'Of them, where the run predicts nothing for the operator (left out of the fit)' }),
    n: Type.Integer({ description: 'Pairs fitted on' }),
    method: Method,
    offsetDb: Nullable(Type.Number({ description: 'Offset to add to the operator’s predictions, dB; null without pairs' })),
    sufficient: Type.Boolean({ description: 'Enough pairs for the offset to be applied' }),
    reason: Nullable(Type.String({ description: 'Why the offset may not be applied' })),
    before: ErrorStats,
    after: Nullable(ErrorStats),
    applied: Nullable(CalibrationOffset),
  }), { description: 'One fit per operator with RSRP measurements, fitted on the fly (not stored)' }),
})

export const ApplyCalibrationBody = Type.Object({
  technology: Type.Optional(Technology),
  operator: OperatorCode,
  method: Type.Optional(Method),
}, {
  additionalProperties: false,
  examples: [{ technology: '4G', operator: 'viettel', method: 'median' }, { operator: 'vnpt' }],
})

export const DisagreementsQuery = Type.Object({
  technology: Type.Optional(Technology),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DISAGREEMENTS, default: 20, description: `Rows in each list (1–${MAX_DISAGREEMENTS})`, examples: [20] })),
})

const ReportedClass = Type.Union([Type.Literal('none'), Type.Literal('good')])

export const Disagreements = Type.Object({
  technology: TechnologySchema,
  runId: Type.Integer(),
  model: CoverageModel,
  measurementsCompared: Type.Integer({ description: 'RSRP measurements with an operator and a prediction at their place' }),
  measurements: Type.Array(Type.Object({
    id: Type.Integer(),
    measuredAt: Type.String({ format: 'date-time' }),
    operator: Type.String(),
    lon: Type.Number(),
    lat: Type.Number(),
    measuredDbm: Type.Number(),
    predictedDbm: Type.Number({ description: 'The operator’s predicted best-server RSRP at the place, before any offset' }),
    differenceDb: Type.Number({ description: 'measured − predicted, dB' }),
  }), { description: 'Largest |measured − predicted| first' }),
  reportsCompared: Type.Integer({ description: 'Latest village reports (per village and operator) that say none or good' }),
  villagesMatched: Type.Integer({ description: 'Villages (and operators) whose latest report contradicts the prediction, before the limit' }),
  villages: Type.Array(Type.Object({
    villageId: Type.Integer(),
    villageCode: Type.String(),
    villageName: Type.String(),
    communeCode: Type.String(),
    lon: Type.Number(),
    lat: Type.Number(),
    operator: Nullable(Type.String({ description: 'The report’s operator; null: compared with the best server of any operator' })),
    reportId: Type.Integer(),
    reportedOn: Type.String({ format: 'date' }),
    reportedStatus: ReportedClass,
    source: Type.String(),
    verified: Type.Boolean(),
    predictedDbm: Nullable(Type.Number({ description: 'Predicted RSRP at the village point, dBm; null where nothing is predicted' })),
    predictedClass: ReportedClass,
    gapDb: Nullable(Type.Number({ description: 'How far the prediction would have to move to agree with the report (to below −115 dBm for none, to −100 dBm for good), dB' })),
  }), { description: 'Latest report none where good is predicted, or good where none is; nothing predicted first, then the largest gap' }),
})
