import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getPowerLineFeature, listPowerLineFeatures } from '../../services/power-lines.service.ts'
import { pageOf, parseBbox, parseEnumList } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { LINE_STATUSES } from '../fibre/fibre.schema.ts'
import { PowerLineCollection, PowerLineFeature, PowerLineListQuery } from './power-lines.schema.ts'

/** The electricity grid: a new site needs power, and some villages have none. */
const powerLinesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: { tags: ['power-lines'], summary: 'List power lines (GeoJSON MultiLineStrings)', querystring: PowerLineListQuery, response: { 200: PowerLineCollection, ...problems(400, 503) } },
  }, async (req) => {
    const q = req.query
    return listPowerLineFeatures(app.db, {
      bbox: parseBbox(q.bbox), commune: q.commune, owner: q.owner, status: parseEnumList(q.status, LINE_STATUSES, 'status'),
    }, pageOf(q))
  })

  app.get('/:id', {
    schema: { tags: ['power-lines'], summary: 'One power line', params: IdParams, response: { 200: PowerLineFeature, ...problems(404, 503) } },
  }, async (req) => getPowerLineFeature(app.db, req.params.id))
}

export default powerLinesRoutes
