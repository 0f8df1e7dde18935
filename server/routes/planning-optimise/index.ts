import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Bbox } from '../../repositories/paging.ts'
import { problems } from '../common/schemas.ts'
import { OptimiseBody, OptimiseJob, OptimiseJobParams } from './optimise.schema.ts'

/**
 * The site optimiser as a background job (services/planning/optimise-jobs.service.ts): start,
 * progress, result, cancel. Writers only (candidate sites are private).
 */
const planningOptimiseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/', {
    config: { expensive: true },
    preHandler: app.requireWriter,
    schema: {
      tags: ['planning'],
      summary: 'Choose new sites among the candidates: K sites, a cost budget or a target share',
      description: 'Checks the request (scope, operator, communes, a current 4G run) and starts the optimiser in the background: per candidate '
        + 'the villages it would newly serve (the what-if\'s sweep read at the villages), fibre and grid distances, microwave hops to fibre-fed '
        + 'existing sites (≥ 60 % of the first Fresnel zone clear), then lazy greedy and local search. 202 with Location; poll it. One run at a '
        + 'time, others queued (429 beyond 8). Jobs are kept in memory.',
      security: [{ adminToken: [] }],
      body: OptimiseBody,
      response: { 202: OptimiseJob, ...problems(400, 401, 403, 404, 429, 503) },
    },
  }, async (req, reply) => {
    const b = req.body
    const job = await app.planningJobs.start({
      operatorCode: b.operatorCode,
      communeCodes: b.scope.communeCodes,
      bbox: b.scope.bbox as Bbox | undefined,
      radiusM: b.radiusM,
      existingFor: b.existingFor,
      villageWeights: b.villageWeights,
      ...b.constraints,
      costs: b.costs,
      k: b.k,
      budget: b.budget,
      targetShare: b.targetShare,
      localSearchMaxMs: b.localSearchMaxMs,
    }, req.writeContext())
    return reply.status(202).header('location', `${req.url.split('?')[0]!.replace(/\/$/, '')}/${job.id}`).send(job)
  })

  app.get('/:id', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['planning'], summary: 'One optimiser job: status, progress (phase, fraction), the result once done',
      security: [{ adminToken: [] }], params: OptimiseJobParams, response: { 200: OptimiseJob, ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const job = app.planningJobs.get(req.params.id)
    if (job.status === 'running' || job.status === 'queued') reply.header('cache-control', 'no-store')
    return job
  })

  app.post('/:id/cancel', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['planning'],
      summary: 'Cancel an optimiser job',
      description: 'A queued job ends cancelled at once; a running one stops at its next yield (within ~20 ms of work) and ends cancelled, '
        + 'with the best selection so far when the optimiser had started. A finished job is returned unchanged.',
      security: [{ adminToken: [] }], params: OptimiseJobParams, response: { 202: OptimiseJob, ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(202).send(app.planningJobs.cancel(req.params.id)))
}

export default planningOptimiseRoutes
