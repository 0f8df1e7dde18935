import fp from 'fastify-plugin'
import type { AppConfig } from '../../config.ts'
import { openDatabase, type DatabaseHandle } from '../../db/connect.ts'
import type { Db } from '../../db/database.ts'
import { migrateToLatest } from '../../db/migrate.ts'

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle
    db: Db
  }
}

export interface DatabasePluginOptions {
  config: AppConfig['database']
  /** An already open database (tests share one per worker); the app then leaves it open on close. */
  handle?: DatabaseHandle
}

/**
 * Opens the embedded or server database, brings the schema to the latest
 * migration, and decorates `app.database` / `app.db`. Closes it with the app.
 */
export default fp<DatabasePluginOptions>(async (app, opts) => {
  const handle = opts.handle ?? (await openDatabase(opts.config))
  try {
    const report = await migrateToLatest(handle.db)
    app.log.info({ engine: handle.engine, schema: report.latest, applied: report.applied }, 'database ready')
  } catch (err) {
    if (!opts.handle) await handle.close()
    throw err
  }
  app.decorate('database', handle)
  app.decorate('db', handle.db)
  if (!opts.handle) app.addHook('onClose', async () => handle.close())
}, { name: 'database' })
