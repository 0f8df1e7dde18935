import fp from 'fastify-plugin'
import { createCoverageJobs, type CoverageJobs } from '../../services/coverage/coverage-jobs.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Coverage recomputes started from the API: one at a time, in the background, cancellable. */
    coverageJobs: CoverageJobs
  }
}

/**
 * Decorates `app.coverageJobs`. On close a recompute in progress is cancelled
 * (its run ends 'cancelled', the previous coverage stays current) and awaited,
 * before the DEM store and the database it uses close (onClose hooks run in
 * reverse order of registration).
 */
export default fp(async (app) => {
  const jobs = createCoverageJobs({ db: app.db, dem: app.demStore, log: app.log })
  app.decorate('coverageJobs', jobs)
  app.addHook('onClose', async () => jobs.close())
}, { name: 'coverage-jobs', dependencies: ['database', 'dem-store'] })
