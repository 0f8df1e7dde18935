import fp from 'fastify-plugin'
import { createOptimiseJobs, type OptimiseJobs } from '../../services/planning/optimise-jobs.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Site optimiser runs started from the API: in memory, one at a time (others queued), in the background, cancellable. */
    planningJobs: OptimiseJobs
  }
}

/**
 * Decorates `app.planningJobs`. On close the queued runs are cancelled and the running one is
 * cancelled and awaited, before the DEM store and the database it reads close (onClose hooks run
 * in reverse order of registration).
 */
export default fp(async (app) => {
  const jobs = createOptimiseJobs({ db: app.db, dem: app.demStore, log: app.log })
  app.decorate('planningJobs', jobs)
  app.addHook('onClose', async () => jobs.close())
}, { name: 'planning-jobs', dependencies: ['database', 'dem-store'] })
