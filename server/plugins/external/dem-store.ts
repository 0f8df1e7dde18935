import fp from 'fastify-plugin'
import { openDemStore, type DemStore } from '../../services/dem/dem-store.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The elevation tiles under `<dataDir>/dem` (real and synthetic), read on demand through a bounded cache. */
    demStore: DemStore
  }
}

export interface DemStorePluginOptions {
  /** The DEM folder, `<dataDir>/dem`; it need not exist (then no tile is known until it is filled and rescanned). */
  dir: string
}

/**
 * Opens the DEM folder once (a scan of its file names; tiles are read when a
 * recompute needs them) and decorates `app.demStore`. Empties its cache on close.
 */
export default fp<DemStorePluginOptions>(async (app, opts) => {
  const store = await openDemStore({ dir: opts.dir })
  for (const warning of store.warnings) app.log.warn(`DEM: ${warning}`)
  app.decorate('demStore', store)
  app.addHook('onClose', async () => store.close())
}, { name: 'dem-store' })
