import { Type } from 'typebox'
import { BboxQuery, CommuneCodeQuery, FeatureCollectionOf, FeatureOf, Nullable, PagingQuery } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

export const SectorProperties = Type.Object({
  id: Type.Integer(),
  siteId: Type.Integer(),
  siteCode: Type.String(),
  operatorCode: Type.String(),
  label: Nullable(Type.String()),
  technology: TechnologySchema,
  frequencyMhz: Type.Number(),
  azimuthDeg: Nullable(Type.Number()),
  beamwidthDeg: Type.Number(),
  electricalTiltDeg: Type.Number(),
  mechanicalTiltDeg: Type.Number(),
  heightM: Type.Number({ description: 'antenna height above ground, m' }),
  eirpDbm: Type.Number(),
  gainDbi: Type.Number(),
})

/** A sector's geometry is its site's point. */
export const SectorFeature = FeatureOf(SectorProperties)
export const SectorCollection = FeatureCollectionOf(SectorProperties)

export const SectorListQuery = Type.Object({
  ...BboxQuery,
  ...CommuneCodeQuery,
  site: Type.Optional(Type.Integer({ minimum: 1, description: 'Site id', examples: [12] })),
  operator: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', examples: ['viettel'] })),
  technology: Type.Optional(TechnologySchema),
  ...PagingQuery,
})

const fields = {
  siteId: Type.Integer({ minimum: 1 }),
  label: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  technology: TechnologySchema,
  frequencyMhz: Type.Number({ minimum: 400, maximum: 6000 }),
  azimuthDeg: Type.Optional(Nullable(Type.Number({ minimum: 0, exclusiveMaximum: 360, description: 'degrees clockwise from true north' }))),
  beamwidthDeg: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 360, description: 'horizontal 3 dB beamwidth; 360 = omni' })),
  electricalTiltDeg: Type.Optional(Type.Number({ minimum: -10, maximum: 20 })),
  mechanicalTiltDeg: Type.Optional(Type.Number({ minimum: -10, maximum: 20 })),
  heightM: Type.Number({ exclusiveMinimum: 0, maximum: 200, description: 'antenna height above ground, m' }),
  eirpDbm: Type.Number({ minimum: 0, maximum: 90 }),
  gainDbi: Type.Optional(Type.Number({ minimum: -10, maximum: 30 })),
}

export const SectorCreateBody = Type.Object(fields, {
  additionalProperties: false,
  examples: [{
    siteId: 12,
    label: 'A',
    technology: '4G',
    frequencyMhz: 1800,
    azimuthDeg: 120,
    beamwidthDeg: 65,
    electricalTiltDeg: 4,
    mechanicalTiltDeg: 2,
    heightM: 30,
    eirpDbm: 58.5,
    gainDbi: 17.5,
  }],
})
// Type.Partial keeps only the options given to it, so they are given here.
export const SectorPatchBody = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ azimuthDeg: 135, electricalTiltDeg: 6 }, { azimuthDeg: null, beamwidthDeg: 360 }],
})
