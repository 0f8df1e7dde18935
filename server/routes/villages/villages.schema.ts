import { Type, type Static } from 'typebox'
import { Attributes, BboxQuery, CommuneCodeQuery, FeatureCollectionOf, FeatureOf, MultiPolygonGeometry, Nullable, PagingQuery, PointGeometry, PolygonGeometry } from '../common/schemas.ts'

export const VillageProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String({ description: 'Vietnamese name with diacritics' }),
  communeCode: Type.String(),
  communeName: Type.String(),
  population: Nullable(Type.Integer()),
  households: Nullable(Type.Integer()),
  hasGridPower: Nullable(Type.Boolean()),
  synthetic: Type.Boolean({ description: 'true for generated sample data' }),
  attributes: Attributes,
})

const AreaGeometry = Type.Optional(Nullable(Type.Union([PolygonGeometry, MultiPolygonGeometry])))
const areaOut = { areaGeometry: Type.Optional(MultiPolygonGeometry) }

export const VillageFeature = FeatureOf(VillageProperties, areaOut)
export const VillageCollection = FeatureCollectionOf(VillageProperties, areaOut)

export const VillageListQuery = Type.Object({
  ...BboxQuery,
  ...CommuneCodeQuery,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name prefix, with or without diacritics', examples: ['Bản Nà', 'ban na'] })),
  ...PagingQuery,
})

const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' })
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })
const writable = {
  code: Code,
  name: Name,
  communeCode: Type.String({ pattern: '^[0-9]{5}$' }),
  population: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  households: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 500_000 }))),
  hasGridPower: Type.Optional(Nullable(Type.Boolean())),
  attributes: Type.Optional(Attributes),
}

export const VillageCreateBody = Type.Object({
  type: Type.Literal('Feature'),
  geometry: PointGeometry,
  areaGeometry: AreaGeometry,
  properties: Type.Object(writable, { additionalProperties: false }),
}, {
  examples: [{
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [104.4612, 21.3158] },
    properties: {
      code: '03868-013',
      name: 'Bản Nà Tấu',
      communeCode: '03868',
      population: 412,
      households: 86,
      hasGridPower: false,
      attributes: { ethnic_majority: 'Mông' },
    },
  }],
})

export const VillagePatchBody = Type.Object({
  type: Type.Optional(Type.Literal('Feature')),
  geometry: Type.Optional(PointGeometry),
  areaGeometry: AreaGeometry,
  properties: Type.Optional(Type.Partial(Type.Object(writable), { additionalProperties: false })),
}, {
  minProperties: 1,
  examples: [
    { properties: { population: 436, households: 91, hasGridPower: true } },
    { geometry: { type: 'Point', coordinates: [104.4618, 21.3161] } },
  ],
})

export type VillageCreateBodyT = Static<typeof VillageCreateBody>
