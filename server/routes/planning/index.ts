import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { whatIf } from '../../services/planning/what-if.service.ts'
import { problems } from '../common/schemas.ts'
import { WhatIfBody, WhatIfResultSchema } from './planning.schema.ts'

/**
 * Planning (services/planning/): not public — candidate sites are private — so every route needs
 * the writer's credentials until accounts exist.
 */
const planningRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/what-if', {
    config: { expensive: true },
    preHandler: app.requireWriter,
    schema: {
      tags: ['planning'],
      summary: 'What one candidate site would change: villages and population changing class, areas, dead zone, overlap, site context',
      description: "Computes the candidate's sectors on the current run's grid exactly as a recompute would and merges them with the run's "
        + 'composite tiles (no recompute, nothing stored): class areas before and after for the operator and for any operator, the '
        + 'dead zone inside its radius, the overlap with existing coverage, the villages whose class changes with their population, '
        + 'the nearest fibre route and power line, ground height and slope. 400 outside Vietnam or for an unknown operator, '
        + '404 no-coverage-prediction before the first run, 422 no-terrain-data where no DEM covers the site.',
      body: WhatIfBody,
      response: { 200: WhatIfResultSchema, ...problems(400, 401, 403, 404, 422, 503) },
    },
  }, async (req) => whatIf(app.db, app.demStore, req.body))
}

export default planningRoutes
