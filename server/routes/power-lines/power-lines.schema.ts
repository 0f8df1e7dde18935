import { Type } from 'typebox'
import { Attributes, FeatureCollectionOf, FeatureOf, Nullable } from '../common/schemas.ts'
import { LineListQuery, LineStatus } from '../fibre/fibre.schema.ts'

export const PowerLineProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  owner: Type.String(),
  voltageKv: Nullable(Type.Number()),
  status: LineStatus,
  lengthKm: Type.Number(),
  synthetic: Type.Boolean(),
  attributes: Attributes,
})

export const PowerLineFeature = FeatureOf(PowerLineProperties)
export const PowerLineCollection = FeatureCollectionOf(PowerLineProperties)

export const PowerLineListQuery = Type.Object({
  ...LineListQuery,
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['EVN'] })),
})
