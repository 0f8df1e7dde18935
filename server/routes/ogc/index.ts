import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../errors/error-catalogue.ts'
import type { Bbox } from '../../repositories/paging.ts'
import { conformance, GEOJSON, getCollection, getItem, getItems, landingPage, listCollections, OGC_DEFAULT_LIMIT, type OgcUrls } from '../../services/ogc/ogc.service.ts'
import { problems } from '../common/schemas.ts'
import { CollectionParams, Collections, Collection, ConformanceDeclaration, Item, ItemParams, Items, ItemsQuery, LandingPage, OGC_FILTERS } from './ogc.schema.ts'

/** Absolute URLs of the server and of this plugin's root, from the request. */
function urlsOf(req: FastifyRequest, prefix: string): OgcUrls {
  const origin = `${req.protocol}://${req.host}`
  return { origin, apiRoot: `${origin}${prefix}` }
}

/** `minLon,minLat,maxLon,maxLat` in CRS84; any size (paging bounds the answer). */
function parseOgcBbox(value: string | undefined): Bbox | undefined {
  if (value === undefined) return undefined
  const parts = value.split(',').map((s) => Number(s.trim()))
  const fail = (reason: string) => new AppError('validation-failed', `bbox: ${reason}`, [{ field: 'bbox', location: 'querystring', value, reason }])
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw fail('expected four numbers minLon,minLat,maxLon,maxLat')
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number]
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) throw fail('longitudes must be within ±180 and latitudes within ±90')
  if (minLon >= maxLon || minLat >= maxLat) throw fail('min must be less than max (order is minLon,minLat,maxLon,maxLat)')
  return [minLon, minLat, maxLon, maxLat]
}

/**
 * OGC API – Features, Part 1 (Core, GeoJSON, OpenAPI 3.0), mounted at /ogc:
 * a GIS client pointed at the landing page lists and loads the public layers.
 */
const ogcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const prefix = app.prefix
  const tags = ['ogc']

  app.get('/', {
    schema: { tags, summary: 'OGC API – Features landing page', response: { 200: LandingPage } },
  }, async (req) => landingPage(urlsOf(req, prefix)))

  app.get('/conformance', {
    schema: { tags, summary: 'Conformance classes implemented', response: { 200: ConformanceDeclaration } },
  }, async () => conformance())

  app.get('/collections', {
    schema: { tags, summary: 'The feature collections', response: { 200: Collections, ...problems(503) } },
  }, async (req) => listCollections(app.db, urlsOf(req, prefix)))

  app.get('/collections/:collectionId', {
    schema: { tags, summary: 'One feature collection', params: CollectionParams, response: { 200: Collection, ...problems(404, 503) } },
  }, async (req) => getCollection(app.db, req.params.collectionId, urlsOf(req, prefix)))

  app.get('/collections/:collectionId/items', {
    schema: {
      tags,
      summary: 'Features of a collection (GeoJSON), filtered by bbox and properties, paged with limit/offset and next links',
      params: CollectionParams,
      querystring: ItemsQuery,
      response: { 200: Items, ...problems(400, 404, 503) },
    },
  }, async (req, reply) => {
    const q = req.query
    const filters: Record<string, string> = {}
    for (const key of OGC_FILTERS) if (q[key] !== undefined) filters[key] = q[key]
    const rawQuery: Record<string, string> = { ...filters }
    if (q.bbox !== undefined) rawQuery['bbox'] = q.bbox
    const body = await getItems(app.db, req.params.collectionId, {
      bbox: parseOgcBbox(q.bbox),
      page: { limit: q.limit ?? OGC_DEFAULT_LIMIT, offset: q.offset ?? 0 },
      filters,
      rawQuery,
    }, urlsOf(req, prefix))
    return reply.type(GEOJSON).send(body)
  })

  app.get('/collections/:collectionId/items/:featureId', {
    schema: { tags, summary: 'One feature', params: ItemParams, response: { 200: Item, ...problems(404, 503) } },
  }, async (req, reply) => reply.type(GEOJSON).send(await getItem(app.db, req.params.collectionId, req.params.featureId, urlsOf(req, prefix))))
}

export default ogcRoutes
