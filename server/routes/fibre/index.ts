import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createFibreRoute, getFibreFeature, listFibreFeatures, patchFibreRoute } from '../../services/fibre.service.ts'
import { pageOf, parseBbox, parseEnumList } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { FibreCollection, FibreCreateBody, FibreFeature, FibreListQuery, FibrePatchBody, LINE_STATUSES } from './fibre.schema.ts'

/** Fibre routes: backhaul for new sites, and "communes reached by fibre". */
const fibreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: { tags: ['fibre'], summary: 'List fibre routes (GeoJSON MultiLineStrings)', querystring: FibreListQuery, response: { 200: FibreCollection, ...problems(400, 503) } },
  }, async (req) => {
    const q = req.query
    return listFibreFeatures(app.db, {
      bbox: parseBbox(q.bbox), commune: q.commune, operator: q.operator, status: parseEnumList(q.status, LINE_STATUSES, 'status'),
    }, pageOf(q), req.viewer)
  })

  app.get('/:id', {
    schema: { tags: ['fibre'], summary: 'One fibre route', params: IdParams, response: { 200: FibreFeature, ...problems(404, 503) } },
  }, async (req) => getFibreFeature(app.db, req.params.id, req.viewer))

  app.post('/', {
    preHandler: app.requireWriter,
    schema: { tags: ['fibre'], summary: 'Create a fibre route from a GeoJSON line feature', body: FibreCreateBody, response: { 201: FibreFeature, ...problems(400, 401, 403, 409, 503) } },
  }, async (req, reply) => {
    const feature = await createFibreRoute(app.db, req.body, req.writeContext())
    return reply.status(201).header('location', `${req.url.replace(/\/$/, '')}/${feature.id}`).send(feature)
  })

  app.patch('/:id', {
    preHandler: app.requireWriter,
    schema: { tags: ['fibre'], summary: 'Change a fibre route', params: IdParams, body: FibrePatchBody, response: { 200: FibreFeature, ...problems(400, 401, 403, 404, 409, 503) } },
  }, async (req) => patchFibreRoute(app.db, req.params.id, req.body, req.writeContext()))
}

export default fibreRoutes
