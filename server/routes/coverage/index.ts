import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { describeCoverageAt } from '../../services/coverage/coverage-point.service.ts'
import { pageOf } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { CoverageAt, CoverageAtQuery, CoverageRun, CoverageRunCreateBody, CoverageRunList, CoverageRunListQuery, CurrentRunQuery } from './coverage.schema.ts'

/**
 * Predicted coverage: recomputes as jobs (start, progress, cancel; one at a
 * time, the previous coverage stays current until a run completes) and the
 * predicted RSRP at a point.
 */
const coverageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/runs', {
    config: { expensive: true },
    preHandler: app.requireWriter,
    // A POST without a body asks for the defaults.
    preValidation: async (req) => {
      if (req.body === undefined || req.body === null) req.body = {}
    },
    schema: {
      tags: ['coverage'],
      summary: 'Start a full coverage recompute in the background',
      description: 'Answers 202 once the run is recorded; poll the Location for its progress. One recompute at a time (409 names the running one).',
      security: [{ adminToken: [] }],
      body: CoverageRunCreateBody,
      response: { 202: CoverageRun, ...problems(400, 401, 403, 409, 503) },
    },
  }, async (req, reply) => {
    const run = await app.coverageJobs.start(req.body, req.writeContext())
    return reply.status(202).header('location', `${req.url.split('?')[0]!.replace(/\/$/, '')}/${run.id}`).send(run)
  })

  app.get('/runs', {
    schema: { tags: ['coverage'], summary: 'List coverage runs, latest first', querystring: CoverageRunListQuery, response: { 200: CoverageRunList, ...problems(400, 503) } },
  }, async (req) => app.coverageJobs.listRuns(pageOf(req.query)))

  app.get('/runs/current', {
    schema: {
      tags: ['coverage'], summary: 'The run the maps read for a technology (its latest complete one)',
      querystring: CurrentRunQuery, response: { 200: CoverageRun, ...problems(400, 404, 503) },
    },
  }, async (req) => app.coverageJobs.getCurrentRun(req.query.technology ?? '4G'))

  app.get('/runs/:id', {
    schema: { tags: ['coverage'], summary: 'One coverage run, with its progress', params: IdParams, response: { 200: CoverageRun, ...problems(400, 404, 503) } },
  }, async (req, reply) => {
    const run = await app.coverageJobs.getRun(req.params.id)
    if (run.status === 'running' || run.status === 'queued') reply.header('cache-control', 'no-store')
    return run
  })

  app.post('/runs/:id/cancel', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['coverage'],
      summary: 'Cancel the run in progress',
      description: 'Answers 202 while the run stops; it then ends cancelled and the previous coverage stays current. 409 when it has already ended.',
      security: [{ adminToken: [] }],
      params: IdParams,
      response: { 202: CoverageRun, ...problems(400, 401, 403, 404, 409, 503) },
    },
  }, async (req, reply) => reply.status(202).send(await app.coverageJobs.cancel(req.params.id)))

  app.get('/at', {
    schema: {
      tags: ['coverage'],
      summary: 'Predicted RSRP and coverage class at a point (current run)',
      querystring: CoverageAtQuery,
      response: { 200: CoverageAt, ...problems(400, 404, 503) },
    },
  }, async (req) => describeCoverageAt(app.db, app.demStore, { ...req.query, technology: req.query.technology ?? '4G' }))
}

export default coverageRoutes
