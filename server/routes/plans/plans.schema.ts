import { Type } from 'typebox'
import { EXPORT_FORMATS } from '../../services/export.service.ts'
import { Nullable, PagingQuery } from '../common/schemas.ts'

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
