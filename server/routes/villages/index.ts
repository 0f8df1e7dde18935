import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createVillage, getVillageFeature, listVillageFeatures, patchVillage } from '../../services/villages.service.ts'
import { pageOf, parseBbox } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { VillageCollection, VillageCreateBody, VillageFeature, VillageListQuery, VillagePatchBody } from './villages.schema.ts'

/** Villages (bản, thôn, tổ dân phố): the unit provincial staff count. */
const villagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['villages'],
      summary: 'List villages (GeoJSON), filtered by bbox, commune or name prefix',
      querystring: VillageListQuery,
      response: { 200: VillageCollection, ...problems(400, 503) },
    },
  }, async (req) => {
    const q = req.query
    return listVillageFeatures(app.db, { bbox: parseBbox(q.bbox), commune: q.commune, q: q.q }, pageOf(q))
  })

  app.get('/:id', {
    schema: { tags: ['villages'], summary: 'One village', params: IdParams, response: { 200: VillageFeature, ...problems(404, 503) } },
  }, async (req) => getVillageFeature(app.db, req.params.id))

  app.post('/', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['villages'],
      summary: 'Create a village from a GeoJSON Point feature',
      body: VillageCreateBody,
      response: { 201: VillageFeature, ...problems(400, 401, 403, 409, 503) },
    },
  }, async (req, reply) => {
    const feature = await createVillage(app.db, req.body, req.writeContext())
    return reply.status(201).header('location', `${req.url.replace(/\/$/, '')}/${feature.id}`).send(feature)
  })

  app.patch('/:id', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['villages'],
      summary: 'Change some fields or the geometry of a village',
      params: IdParams,
      body: VillagePatchBody,
      response: { 200: VillageFeature, ...problems(400, 401, 403, 404, 409, 503) },
    },
  }, async (req) => patchVillage(app.db, req.params.id, req.body, req.writeContext()))
}

export default villagesRoutes
