import { Type } from 'typebox'
import { Attributes, BboxQuery, CommuneCodeQuery, FeatureCollectionOf, FeatureOf, Nullable, PagingQuery } from '../common/schemas.ts'

export const CommuneProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String({ description: '5-digit commune code (2025)' }),
  name: Type.String(),
  type: Type.Union([Type.Literal('commune'), Type.Literal('ward'), Type.Literal('special_zone')], { description: 'xã, phường or đặc khu' }),
  provinceCode: Type.String(),
  provinceName: Type.String(),
  population: Nullable(Type.Integer()),
  areaKm2: Nullable(Type.Number()),
  historicalDistrictCode: Nullable(Type.String({ description: 'district (huyện) before 1 July 2025, for old reports' })),
  historicalDistrictName: Nullable(Type.String()),
  attributes: Attributes,
  synthetic: Type.Boolean(),
})

export const CommuneFeature = FeatureOf(CommuneProperties)
export const CommuneCollection = FeatureCollectionOf(CommuneProperties)

export const CommuneListQuery = Type.Object({
  ...BboxQuery,
  ...CommuneCodeQuery,
  province: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: '2-digit province code', examples: ['14'] })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name prefix, with or without diacritics', examples: ['Chiềng', 'muong'] })),
  ...PagingQuery,
})
