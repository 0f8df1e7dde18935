import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { conformance, GEOJSON, getCollection, getItem, getItems, landingPage, listCollections, OGC_DEFAULT_LIMIT, type OgcUrls } from '../../services/ogc/ogc.service.ts'
import { parseOgcBbox, parseOgcDatetime } from '../common/query-parsing.ts'
import { problems } from '../common/schemas.ts'
import { CollectionParams, Collections, Collection, ConformanceDeclaration, Item, ItemParams, Items, ItemsQuery, LandingPage, OGC_FILTERS } from './ogc.schema.ts'

/** Absolute URLs of the server and of this plugin's root, from the request. */
function urlsOf(req: FastifyRequest, prefix: string): OgcUrls {
  const origin = `${req.protocol}://${req.host}`
  return { origin, apiRoot: `${origin}${prefix}` }
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
  }, async (req) => listCollections(app.db, urlsOf(req, prefix), req.viewer))

  app.get('/collections/:collectionId', {
    schema: { tags, summary: 'One feature collection', params: CollectionParams, response: { 200: Collection, ...problems(404, 503) } },
  }, async (req) => getCollection(app.db, req.params.collectionId, urlsOf(req, prefix), req.viewer))

  app.get('/collections/:collectionId/items', {
    schema: {
      tags,
      summary: 'Features of a collection (GeoJSON), filtered by bbox and properties, paged with limit/offset and next links',
      params: CollectionParams,
      querystring: ItemsQuery,
      description: 'What a public request sees: no planned or candidate site (nor its sectors), no operator-owned fibre, no figure resting on an unverified report; '
        + 'send Authorization: Bearer <ADMIN_TOKEN> to see everything (a wrong token: 401). A parameter the collection does not know as a filter: 400; '
        + '`datetime` is applied by sites and commune-indicators and ignored by collections without a temporal dimension.',
      response: { 200: Items, ...problems(400, 401, 404, 503) },
    },
  }, async (req, reply) => {
    const q = req.query
    const filters: Record<string, string> = {}
    for (const key of OGC_FILTERS) if (q[key] !== undefined) filters[key] = q[key]
    const rawQuery: Record<string, string> = { ...filters }
    if (q.bbox !== undefined) rawQuery['bbox'] = q.bbox
    if (q.datetime !== undefined) rawQuery['datetime'] = q.datetime
    const body = await getItems(app.db, req.params.collectionId, {
      bbox: parseOgcBbox(q.bbox),
      datetime: parseOgcDatetime(q.datetime),
      page: { limit: q.limit ?? OGC_DEFAULT_LIMIT, offset: q.offset ?? 0 },
      filters,
      rawQuery,
    }, urlsOf(req, prefix), req.viewer)
    return reply.type(GEOJSON).send(body)
  })

  app.get('/collections/:collectionId/items/:featureId', {
    schema: { tags, summary: 'One feature', params: ItemParams, response: { 200: Item, ...problems(404, 503) } },
  }, async (req, reply) => reply.type(GEOJSON).send(await getItem(app.db, req.params.collectionId, req.params.featureId, urlsOf(req, prefix), req.viewer)))
}

export default ogcRoutes
