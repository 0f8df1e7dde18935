import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getCommuneFeature, listCommuneFeatures } from '../../services/communes.service.ts'
import { pageOf, parseBbox } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { CommuneCollection, CommuneFeature, CommuneListQuery } from './communes.schema.ts'

/** Communes and wards (xã, phường) of the 2025 two-level structure. Read-only here; imports write them. */
const communesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['communes'],
      summary: 'List communes (GeoJSON MultiPolygons)',
      querystring: CommuneListQuery,
      response: { 200: CommuneCollection, ...problems(400, 503) },
    },
  }, async (req) => {
    const q = req.query
    return listCommuneFeatures(app.db, { bbox: parseBbox(q.bbox), commune: q.commune, province: q.province, q: q.q }, pageOf(q))
  })

  app.get('/:id', {
    schema: { tags: ['communes'], summary: 'One commune', params: IdParams, response: { 200: CommuneFeature, ...problems(404, 503) } },
  }, async (req) => getCommuneFeature(app.db, req.params.id))
}

export default communesRoutes
