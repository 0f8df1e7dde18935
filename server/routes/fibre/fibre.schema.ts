import { Type } from 'typebox'
import { Attributes, BboxQuery, CommuneCodeQuery, FeatureCollectionOf, FeatureOf, LineStringGeometry, MultiLineStringGeometry, Nullable, PagingQuery } from '../common/schemas.ts'

export const LINE_STATUSES = ['existing', 'planned', 'decommissioned'] as const
export const LineStatus = Type.Union([Type.Literal('existing'), Type.Literal('planned'), Type.Literal('decommissioned')])

export const FibreProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  ownerCode: Nullable(Type.String({ description: 'operator code when an operator owns it' })),
  ownerName: Nullable(Type.String()),
  status: LineStatus,
  lengthKm: Type.Number(),
  synthetic: Type.Boolean(),
  attributes: Attributes,
})

export const FibreFeature = FeatureOf(FibreProperties)
export const FibreCollection = FeatureCollectionOf(FibreProperties)

export const LineListQuery = {
  ...BboxQuery,
  ...CommuneCodeQuery,
  status: Type.Optional(Type.String({ description: `Comma-separated: ${LINE_STATUSES.join(', ')}`, examples: ['existing,planned'] })),
  ...PagingQuery,
}

export const FibreListQuery = Type.Object({
  ...LineListQuery,
  operator: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', description: 'Owner operator code', examples: ['viettel'] })),
})

const LineGeometry = Type.Union([LineStringGeometry, MultiLineStringGeometry])
const writable = {
  code: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
  ownerCode: Type.Optional(Nullable(Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }))),
  ownerName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  status: Type.Optional(LineStatus),
  attributes: Type.Optional(Attributes),
}

export const FibreCreateBody = Type.Object({
  type: Type.Literal('Feature'),
  geometry: LineGeometry,
  properties: Type.Object(writable, { additionalProperties: false }),
}, {
  examples: [{
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: [[104.4190, 21.2452], [104.4405, 21.2710], [104.4530, 21.2960], [104.4612, 21.3158]] },
    properties: {
      code: 'VTL-FO-118',
      ownerCode: 'viettel',
      ownerName: 'Viettel Sơn La',
      status: 'planned',
      attributes: { cores: 24, laying: 'aerial' },
    },
  }],
})

export const FibrePatchBody = Type.Object({
  type: Type.Optional(Type.Literal('Feature')),
  geometry: Type.Optional(LineGeometry),
  properties: Type.Optional(Type.Partial(Type.Object(writable), { additionalProperties: false })),
}, {
  minProperties: 1,
  examples: [
    { properties: { status: 'existing' } },
    { geometry: { type: 'LineString', coordinates: [[104.4190, 21.2452], [104.4405, 21.2710], [104.4612, 21.3158]] } },
  ],
})
