import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Bbox } from '../../repositories/paging.ts'
import { generateCandidates } from '../../services/planning/candidates.service.ts'
import { problems } from '../common/schemas.ts'
import { GenerateCandidatesBody, GeneratedCandidates } from './candidates.schema.ts'

/**
 * Candidate sites generated from the terrain (services/planning/candidates.service.ts). Writers
 * only. Candidates are stored as sites with status 'candidate': the admin lists them with
 * `GET /api/sites?status=candidate&operator=…` (their figures are in `attributes`), the public
 * never sees them.
 */
const planningCandidatesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/generate', {
    config: { expensive: true },
    preHandler: app.requireWriter,
    schema: {
      tags: ['planning'],
      summary: 'Generate candidate sites on high points and ridges near villages without 4G',
      description: 'Finds the local maxima and ridge posts of the DEM within maxDistanceKm of the uncovered villages of the communes or bbox '
        + '(the current 4G run predicts none there, or nothing), scores them by their height above the mean within reliefRadiusM, thins them '
        + 'greedily to minSpacingM (also away from the operator\'s sites) and measures their distance to the nearest fibre route and power '
        + 'line. Stores them as sites with status candidate and codes CAND-<operator>-<n>, all or nothing (201), or answers them without '
        + 'storing on a dry run (200). 400 for bad input, 422 where no DEM tile covers the area.',
      body: GenerateCandidatesBody,
      response: { 200: GeneratedCandidates, 201: GeneratedCandidates, ...problems(400, 401, 403, 422, 503) },
    },
  }, async (req, reply) => {
    const b = req.body
    const result = await generateCandidates(app.db, app.demStore, {
      ...b, bbox: b.bbox as Bbox | undefined,
    }, req.writeContext())
    return reply.status(result.dryRun ? 200 : 201).send(result)
  })
}

export default planningCandidatesRoutes
