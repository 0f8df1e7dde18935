import { Type } from 'typebox'
import { Attributes, BboxQuery, CommuneCodeQuery, FeatureCollectionOf, FeatureOf, Nullable, PagingQuery, PointGeometry } from '../common/schemas.ts'

export const SITE_STATUSES = ['existing', 'planned', 'candidate', 'decommissioned'] as const
export const SiteStatus = Type.Union([Type.Literal('existing'), Type.Literal('planned'), Type.Literal('candidate'), Type.Literal('decommissioned')])
export const TechnologySchema = Type.Union([Type.Literal('2G'), Type.Literal('3G'), Type.Literal('4G'), Type.Literal('5G')], { examples: ['4G'] })
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' })

export const SiteProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Nullable(Type.String()),
  operatorCode: Type.String(),
  operatorName: Type.String(),
  status: SiteStatus,
  groundElevationM: Nullable(Type.Number()),
  commissionedOn: Nullable(Type.String()),
  decommissionedOn: Nullable(Type.String()),
  synthetic: Type.Boolean(),
  attributes: Attributes,
  sectors: Type.Array(Type.Object({
    id: Type.Integer(),
    label: Nullable(Type.String()),
    technology: TechnologySchema,
    frequencyMhz: Type.Number(),
    azimuthDeg: Nullable(Type.Number()),
    beamwidthDeg: Type.Number(),
    heightM: Type.Number(),
    eirpDbm: Type.Number(),
  }), { description: 'Summary of the site’s sectors; full detail at /api/sectors?site=' }),
})

export const SiteFeature = FeatureOf(SiteProperties)
export const SiteCollection = FeatureCollectionOf(SiteProperties)

export const SiteListQuery = Type.Object({
  ...BboxQuery,
  ...CommuneCodeQuery,
  operator: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', description: 'Operator code: viettel, vnpt, mobifone…', examples: ['viettel'] })),
  status: Type.Optional(Type.String({ description: `Comma-separated: ${SITE_STATUSES.join(', ')}`, examples: ['existing,planned'] })),
  ...PagingQuery,
})

const writable = {
  code: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
  operatorCode: Type.String({ pattern: '^[a-z][a-z0-9_-]*$' }),
  name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  status: Type.Optional(SiteStatus),
  groundElevationM: Type.Optional(Nullable(Type.Number({ minimum: -100, maximum: 3500 }))),
  commissionedOn: Type.Optional(Nullable(IsoDate)),
  decommissionedOn: Type.Optional(Nullable(IsoDate)),
  attributes: Type.Optional(Attributes),
}

export const SiteCreateBody = Type.Object({
  type: Type.Literal('Feature'),
  geometry: PointGeometry,
  properties: Type.Object(writable, { additionalProperties: false }),
}, {
  examples: [{
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [104.4731, 21.3187] },
    properties: {
      code: 'VTL-SLA-0412',
      operatorCode: 'viettel',
      name: 'Tà Xùa 02',
      status: 'planned',
      groundElevationM: 1420,
      commissionedOn: '2025-06-30',
      attributes: { power: 'grid', backhaul: 'fibre' },
    },
  }],
})

export const SitePatchBody = Type.Object({
  type: Type.Optional(Type.Literal('Feature')),
  geometry: Type.Optional(PointGeometry),
  properties: Type.Optional(Type.Partial(Type.Object(writable), { additionalProperties: false })),
}, {
  minProperties: 1,
  examples: [
    { properties: { status: 'existing', commissionedOn: '2025-06-30' } },
    { geometry: { type: 'Point', coordinates: [104.4735, 21.3190] } },
  ],
})
