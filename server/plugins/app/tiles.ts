import fp from 'fastify-plugin'
import { defaultEncoder, TileService } from '../../services/tiles/tiles.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Vector tiles through the bounded in-memory cache, invalidated when the data under a tile changes. */
    tiles: TileService
  }
}

/**
 * Decorates `app.tiles` (one cache per process). A request that may have
 * changed data (any method but GET/HEAD/OPTIONS), before its answer is sent, marks the cache for a look at
 * the database's invalidation records before the next tile, so this process's
 * own changes show at once; changes made elsewhere within a second (a timer looks beside
 * the requests; it stops when the app closes, before the database does).
 */
export default fp<{ cacheBytes: number }>(async (app, opts) => {
  const tiles = new TileService(app.db, defaultEncoder(app.database.engine), opts.cacheBytes)
  app.decorate('tiles', tiles)
  tiles.startPolling()
  app.addHook('onClose', async () => tiles.stopPolling())
  // onSend: the handler's writes are committed, and the client has not been answered yet.
  app.addHook('onSend', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') tiles.markDirty()
  })
}, { name: 'tiles', dependencies: ['database'] })
