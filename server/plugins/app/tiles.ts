import fp from 'fastify-plugin'
import { defaultEncoder, TileService } from '../../services/tiles/tiles.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Vector tiles through the bounded in-memory cache, invalidated when the data under a tile changes. */
    tiles: TileService
  }
}

/** Decorates `app.tiles` (one cache per process, shared by the tile routes and whoever changes data). */
export default fp<{ cacheBytes: number }>(async (app, opts) => {
  app.decorate('tiles', new TileService(app.db, defaultEncoder(app.database.engine), opts.cacheBytes))
}, { name: 'tiles', dependencies: ['database'] })
