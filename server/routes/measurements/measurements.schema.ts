import { Type } from 'typebox'
import { Attributes, BboxQuery, FeatureCollectionOf, FeatureOf, Nullable, PagingQuery, PointGeometry } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

export const MAX_BATCH = 5000

const MeasurementSourceSchema = Type.Union([Type.Literal('drive_test'), Type.Literal('field_team'), Type.Literal('crowdsourced'), Type.Literal('operator')])
const OperatorCode = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 32, description: 'Operator code: viettel, vnpt, mobifone…' })

export const MeasurementProperties = Type.Object({
  id: Type.Integer(),
  measuredAt: Type.String({ format: 'date-time' }),
  operatorCode: Nullable(Type.String()),
  technology: TechnologySchema,
  rsrpDbm: Nullable(Type.Number()),
  rsrqDb: Nullable(Type.Number()),
  sinrDb: Nullable(Type.Number()),
  source: MeasurementSourceSchema,
  device: Nullable(Type.String()),
  attributes: Attributes,
})

export const MeasurementFeature = FeatureOf(MeasurementProperties)
export const MeasurementCollection = FeatureCollectionOf(MeasurementProperties)

const TimeBound = (what: string, examples: string[]) => Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T.+)?$',
  description: `${what}: a day YYYY-MM-DD (Vietnam time, UTC+07:00) or a date-time with its offset (2025-05-01T08:00:00+07:00)`,
  examples,
})

export const MeasurementListQuery = Type.Object({
  ...BboxQuery,
  operator: Type.Optional(Type.With(OperatorCode, { examples: ['viettel'] })),
  technology: Type.Optional(TechnologySchema),
  from: Type.Optional(TimeBound('Measured at or after', ['2025-06-01', '2025-06-30T07:00:00+07:00'])),
  to: Type.Optional(TimeBound('Measured up to (a day: to the end of that day)', ['2025-06-30'])),
  ...PagingQuery,
})

const MeasurementFeatureIn = Type.Object({
  type: Type.Literal('Feature'),
  geometry: PointGeometry,
  properties: Type.Object({
    measuredAt: Type.String({ format: 'date-time', description: 'When, with its offset (2025-05-01T08:30:00+07:00); not in the future' }),
    technology: TechnologySchema,
    operatorCode: Type.Optional(Nullable(OperatorCode)),
    rsrpDbm: Type.Optional(Nullable(Type.Number({ minimum: -160, maximum: -20, description: 'RSRP, dBm (−160 to −20)' }))),
    rsrqDb: Type.Optional(Nullable(Type.Number({ minimum: -45, maximum: 20, description: 'RSRQ, dB (−45 to 20)' }))),
    sinrDb: Type.Optional(Nullable(Type.Number({ minimum: -30, maximum: 60, description: 'SINR, dB (−30 to 60)' }))),
    source: Type.Optional(Type.Union(MeasurementSourceSchema.anyOf, { description: 'Default field_team' })),
    device: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    attributes: Type.Optional(Attributes),
  }, { additionalProperties: false, description: 'At least one of rsrpDbm, rsrqDb, sinrDb' }),
})

/** Index in the body schema's anyOf of each accepted shape (batch-errors.ts reads the errors of the one sent). */
export const BODY_BRANCH = { Feature: 0, FeatureCollection: 1 } as const

export const MeasurementCreateBody = Type.Union([
  MeasurementFeatureIn,
  Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(MeasurementFeatureIn, { minItems: 1, maxItems: MAX_BATCH }),
  }),
], {
  description: `One measurement (a GeoJSON Point Feature) or a FeatureCollection of 1 to ${MAX_BATCH}: all are written or none`,
  examples: [
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [104.4615, 21.3162] },
      properties: {
        measuredAt: '2025-06-30T09:15:00+07:00',
        technology: '4G',
        operatorCode: 'viettel',
        rsrpDbm: -108.5,
        rsrqDb: -13,
        sinrDb: 2.5,
        source: 'field_team',
        device: 'Samsung Galaxy A54 (G-NetTrack Pro)',
      },
    },
    {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [104.4731, 21.3187] },
          properties: { measuredAt: '2025-06-30T10:02:00+07:00', technology: '4G', operatorCode: 'vnpt', rsrpDbm: -97 },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [104.4805, 21.3088] },
          properties: { measuredAt: '2025-06-30T10:20:00+07:00', technology: '4G', operatorCode: 'mobifone', rsrpDbm: -121.5, sinrDb: -4 },
        },
      ],
    },
  ],
})

export const MeasurementsCreated = Type.Object({
  created: Type.Integer(),
  ids: Type.Array(Type.Integer(), { description: 'In the order sent' }),
})
