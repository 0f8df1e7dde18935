import { Type } from 'typebox'
import { OGC_DEFAULT_LIMIT, OGC_MAX_LIMIT } from '../../services/ogc/ogc.service.ts'
import { OGC_MAX_BBOX_SPAN_DEG } from '../common/schemas.ts'

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

export const CollectionParams = Type.Object({ collectionId: Type.String({ description: 'communes, villages, sites, sectors, fibre, dead-zones, commune-indicators, coverage-4g…', examples: ['villages'] }) })
export const ItemParams = Type.Object({ collectionId: Type.String({ examples: ['villages'] }), featureId: Type.String({ description: 'Numeric id of the feature', examples: ['42'] }) })

/** Property filters the items route knows; each collection accepts some of them. */
export const OGC_FILTERS = ['province', 'commune', 'operator', 'status', 'technology', 'class'] as const

export const ItemsQuery = Type.Object({
  bbox: Type.Optional(Type.String({
    pattern: '^\\s*-?\\d+(\\.\\d+)?\\s*(,\\s*-?\\d+(\\.\\d+)?\\s*){3}((,\\s*-?\\d+(\\.\\d+)?\\s*){2})?$',
    description: `minLon,minLat,maxLon,maxLat (CRS84), or with heights minLon,minLat,minH,maxLon,maxLat,maxH (heights ignored). `
      + `Longitudes within −180..180, latitudes within −90..90, min ≤ max (a bbox crossing the antimeridian is not supported), `
      + `each side at most ${OGC_MAX_BBOX_SPAN_DEG}°; otherwise 400 validation-failed with the reason.`,
    examples: ['103.8,21.2,104.1,21.5'],
  })),
  datetime: Type.Optional(Type.String({
    maxLength: 100,
    description: 'An instant (2025-06-01, or an RFC 3339 date-time with its offset such as 2025-06-01T00:00:00Z, read in Vietnam time) or an interval a/b, ../b, a/.. (OGC API – Features Part 1 §7.15.4). '
      + 'sites: those in service on that day or at some day of the interval; commune-indicators: computed on the instant, or on the interval\'s end (today when open). '
      + 'Collections without a temporal dimension ignore it. Not a date: 400 validation-failed naming datetime.',
    examples: ['2025-06-01', '2024-01-01/2025-06-01', '../2025-06-01'],
  })),
  limit: Type.Optional(Type.Integer({
    minimum: 1, maximum: OGC_MAX_LIMIT, default: OGC_DEFAULT_LIMIT,
    description: `Page size (1–${OGC_MAX_LIMIT}, default ${OGC_DEFAULT_LIMIT}); a larger limit is refused with 400 validation-failed rather than clamped, so a client never silently gets fewer features per page than it asked for`,
  })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'Features to skip' })),
  province: Type.Optional(Type.String({ description: 'communes, commune-indicators: 2-digit province code' })),
  commune: Type.Optional(Type.String({ description: 'villages, dead-zones: 5-digit commune code' })),
  operator: Type.Optional(Type.String({ description: 'sites, sectors, fibre: operator code; coverage, commune-indicators: operator code or "any"' })),
  status: Type.Optional(Type.String({ description: 'sites: existing, decommissioned (comma-separated; planned, candidate for admin)' })),
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
