import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createSector, getSectorFeature, listSectorFeatures, patchSector } from '../../services/sectors.service.ts'
import { pageOf, parseBbox } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { SectorCollection, SectorCreateBody, SectorFeature, SectorListQuery, SectorPatchBody } from './sectors.schema.ts'

/** Sectors (antennas) of the sites: what the coverage engine radiates from. */
const sectorsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: { tags: ['sectors'], summary: 'List sectors (GeoJSON, at their site’s point)', querystring: SectorListQuery, response: { 200: SectorCollection, ...problems(400, 503) } },
  }, async (req) => {
    const q = req.query
    return listSectorFeatures(app.db, { bbox: parseBbox(q.bbox), commune: q.commune, site: q.site, operator: q.operator, technology: q.technology }, pageOf(q), req.viewer)
  })

  app.get('/:id', {
    schema: { tags: ['sectors'], summary: 'One sector', params: IdParams, response: { 200: SectorFeature, ...problems(404, 503) } },
  }, async (req) => getSectorFeature(app.db, req.params.id, req.viewer))

  app.post('/', {
    preHandler: app.requireWriter,
    schema: { tags: ['sectors'], summary: 'Add a sector to a site', body: SectorCreateBody, response: { 201: SectorFeature, ...problems(400, 401, 403, 503) } },
  }, async (req, reply) => {
    const feature = await createSector(app.db, req.body, req.writeContext())
    return reply.status(201).header('location', `${req.url.replace(/\/$/, '')}/${feature.id}`).send(feature)
  })

  app.patch('/:id', {
    preHandler: app.requireWriter,
    schema: { tags: ['sectors'], summary: 'Change a sector', params: IdParams, body: SectorPatchBody, response: { 200: SectorFeature, ...problems(400, 401, 403, 404, 503) } },
  }, async (req) => patchSector(app.db, req.params.id, req.body, req.writeContext()))
}

export default sectorsRoutes
