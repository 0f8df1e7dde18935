import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createSite, getSiteFeature, listSiteFeatures, patchSite } from '../../services/sites.service.ts'
import { pageOf, parseBbox, parseEnumList } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { SITE_STATUSES, SiteCollection, SiteCreateBody, SiteFeature, SiteListQuery, SitePatchBody } from './sites.schema.ts'

/** BTS sites of every operator, with a summary of their sectors. */
const sitesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['sites'],
      summary: 'List BTS sites (GeoJSON Points)',
      querystring: SiteListQuery,
      response: { 200: SiteCollection, ...problems(400, 503) },
    },
  }, async (req) => {
    const q = req.query
    return listSiteFeatures(app.db, {
      bbox: parseBbox(q.bbox), commune: q.commune, operator: q.operator, status: parseEnumList(q.status, SITE_STATUSES, 'status'),
    }, pageOf(q), req.viewer)
  })

  app.get('/:id', {
    schema: { tags: ['sites'], summary: 'One site', params: IdParams, response: { 200: SiteFeature, ...problems(404, 503) } },
  }, async (req) => getSiteFeature(app.db, req.params.id, req.viewer))

  app.post('/', {
    preHandler: app.requireWriter,
    schema: { tags: ['sites'], summary: 'Create a site from a GeoJSON Point feature', body: SiteCreateBody, response: { 201: SiteFeature, ...problems(400, 401, 403, 409, 503) } },
  }, async (req, reply) => {
    const feature = await createSite(app.db, req.body, req.writeContext())
    return reply.status(201).header('location', `${req.url.replace(/\/$/, '')}/${feature.id}`).send(feature)
  })

  app.patch('/:id', {
    preHandler: app.requireWriter,
    schema: { tags: ['sites'], summary: 'Change some fields or the position of a site', params: IdParams, body: SitePatchBody, response: { 200: SiteFeature, ...problems(400, 401, 403, 404, 409, 503) } },
  }, async (req) => patchSite(app.db, req.params.id, req.body, req.writeContext()))
}

export default sitesRoutes
