import { Type } from 'typebox'
import { OGC_DEFAULT_LIMIT, OGC_MAX_LIMIT } from '../../services/ogc/ogc.service.ts'

/** Schemas of OGC API – Features (Part 1 Core); loose where the standard lets servers add members. */

export const Link = Type.Object({
  href: Type.String(),
  rel: Type.String(),
  type: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
})

export const LandingPage = Type.Object({ title: Type.String(), description: Type.String(), links: Type.Array(Link) })

export const ConformanceDeclaration = Type.Object({ conformsTo: Type.Array(Type.String()) })

export const Collection = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  itemType: Type.String(),
  crs: Type.Array(Type.String()),
  extent: Type.Object({
    spatial: Type.Object({ bbox: Type.Array(Type.Array(Type.Number())), crs: Type.String() }),
    temporal: Type.Object({ interval: Type.Array(Type.Array(Type.Union([Type.String(), Type.Null()]))) }),
  }),
  links: Type.Array(Link),
})

export const Collections = Type.Object({ links: Type.Array(Link), collections: Type.Array(Collection) })

export const CollectionParams = Type.Object({ collectionId: Type.String({ description: 'communes, villages, sites, sectors, fibre, coverage-4g…' }) })
export const ItemParams = Type.Object({ collectionId: Type.String(), featureId: Type.String({ description: 'Numeric id of the feature' }) })

/** Property filters the items route knows; each collection accepts some of them. */
export const OGC_FILTERS = ['province', 'commune', 'operator', 'status', 'technology', 'class'] as const

export const ItemsQuery = Type.Object({
  bbox: Type.Optional(Type.String({
    pattern: '^\\s*-?\\d+(\\.\\d+)?\\s*(,\\s*-?\\d+(\\.\\d+)?\\s*){3}$',
    description: 'minLon,minLat,maxLon,maxLat (CRS84)',
    examples: ['103.8,21.2,104.1,21.5'],
  })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: OGC_MAX_LIMIT, default: OGC_DEFAULT_LIMIT, description: `Page size (1–${OGC_MAX_LIMIT})` })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'Features to skip' })),
  province: Type.Optional(Type.String({ description: 'communes: 2-digit province code' })),
  commune: Type.Optional(Type.String({ description: 'villages: 5-digit commune code' })),
  operator: Type.Optional(Type.String({ description: 'sites, sectors, fibre: operator code; coverage: operator code or "any"' })),
  status: Type.Optional(Type.String({ description: 'sites: existing, decommissioned (comma-separated)' })),
  technology: Type.Optional(Type.String({ description: 'sectors: 2G, 3G, 4G or 5G' })),
  class: Type.Optional(Type.String({ description: 'coverage: good, weak, none (comma-separated)' })),
})

const AnyFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: Type.Unknown(),
  properties: Type.Unknown(),
}, { additionalProperties: true })

export const Item = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: Type.Unknown(),
  properties: Type.Unknown(),
  links: Type.Array(Link),
}, { additionalProperties: true })

export const Items = Type.Object({
  type: Type.Literal('FeatureCollection'),
  timeStamp: Type.String({ format: 'date-time' }),
  numberMatched: Type.Integer(),
  numberReturned: Type.Integer(),
  links: Type.Array(Link),
  features: Type.Array(AnyFeature),
})
