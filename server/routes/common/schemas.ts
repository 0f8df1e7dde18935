import { Type, type Static, type TSchema } from 'typebox'
import type { Geometry } from 'geojson'

/**
 * Schemas shared by the resource routes: paging and bbox query parameters,
 * GeoJSON geometries in and out, FeatureCollections, problem+json.
 * They validate requests, serialise responses and feed the OpenAPI document.
 */

export const MAX_LIMIT = 5000
export const DEFAULT_LIMIT = 100
/** Largest bbox side accepted, degrees: a province or a few, not the whole country at once. */
export const MAX_BBOX_SPAN_DEG = 8
/** Largest bbox side the OGC API accepts, degrees (its pages are bounded by limit; this bounds the scan). */
export const OGC_MAX_BBOX_SPAN_DEG = 45

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Numeric id', examples: [42] }) })

export const PagingQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Page size (1–${MAX_LIMIT})` })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'Rows to skip' })),
}

export const BboxQuery = {
  bbox: Type.Optional(Type.String({
    pattern: '^\\s*-?\\d+(\\.\\d+)?\\s*(,\\s*-?\\d+(\\.\\d+)?\\s*){3}$',
    description: `minLon,minLat,maxLon,maxLat in WGS84 degrees; each side at most ${MAX_BBOX_SPAN_DEG}°`,
    examples: ['103.8,21.2,104.1,21.5'],
  })),
}

export const CommuneCodeQuery = {
  commune: Type.Optional(Type.String({ pattern: '^[0-9]{5}$', description: '5-digit commune code (2025 two-level structure)' })),
}

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 })

export const PointGeometry = Type.Object({ type: Type.Literal('Point'), coordinates: Position }, { additionalProperties: false })
export const LineStringGeometry = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position, { minItems: 2 }) }, { additionalProperties: false })
export const MultiLineStringGeometry = Type.Object(
  { type: Type.Literal('MultiLineString'), coordinates: Type.Array(Type.Array(Position, { minItems: 2 }), { minItems: 1 }) },
  { additionalProperties: false },
)
const Ring = Type.Array(Position, { minItems: 4 })
export const PolygonGeometry = Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { minItems: 1 }) }, { additionalProperties: false })
export const MultiPolygonGeometry = Type.Object(
  { type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Ring, { minItems: 1 }), { minItems: 1 }) },
  { additionalProperties: false },
)

/** Any geometry on output (coordinates are serialised as they are). */
export const GeometryOut = Type.Unsafe<Geometry>({
  type: 'object',
  required: ['type', 'coordinates'],
  properties: { type: { type: 'string' }, coordinates: { type: 'array', items: {} } },
  description: 'GeoJSON geometry, WGS84 lon/lat',
})

export const Attributes = Type.Record(Type.String(), Type.Unknown(), { description: 'Free attributes' })

/** A Feature with a numeric id and the given properties. */
export function FeatureOf<P extends TSchema>(properties: P, extra: Record<string, TSchema> = {}) {
  return Type.Object({ type: Type.Literal('Feature'), id: Type.Integer(), geometry: GeometryOut, properties, ...extra })
}

export function FeatureCollectionOf<P extends TSchema>(properties: P, extra: Record<string, TSchema> = {}) {
  return Type.Object({
    type: Type.Literal('FeatureCollection'),
    numberMatched: Type.Integer({ description: 'Features matching the filter, all pages' }),
    numberReturned: Type.Integer({ description: 'Features in this page' }),
    features: Type.Array(FeatureOf(properties, extra)),
  })
}

export const Problem = Type.Object(
  {
    type: Type.String({ examples: ['urn:phusong:problem:validation-failed'] }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({
      field: Type.Optional(Type.String()),
      location: Type.Optional(Type.String()),
      feature: Type.Optional(Type.Integer()),
      row: Type.Optional(Type.Integer()),
      value: Type.Optional(Type.Unknown()),
      reason: Type.String(),
    }))),
  },
  { description: 'RFC 9457 problem details (application/problem+json)' },
)

/** The error responses a route can give, by status, documented (and serialised) as application/problem+json. */
export function problems(...statuses: number[]): Record<number, { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }> {
  return Object.fromEntries(statuses.map((s) => [s, { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: Problem } } }]))
}

export type IdParamsT = Static<typeof IdParams>
