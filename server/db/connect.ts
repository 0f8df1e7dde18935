import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { AppConfig } from '../config.ts'
import type { Database, Db } from './database.ts'

export type Engine = 'embedded' | 'server'

export interface DatabaseHandle {
  db: Db
  engine: Engine
  /** Closes the pool or the embedded instance (and releases its data-directory lock). */
  close(): Promise<void>
}

/** PostgreSQL type OIDs whose default JS conversion we override on both engines. */
const OID = { int8: 20, date: 1082, numeric: 1700 } as const

/**
 * Same conversions on both engines: counts (int8) and numerics as numbers,
 * dates as 'YYYY-MM-DD' strings (a calendar date has no time zone).
 */
const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (v) => Number(v),
  [OID.numeric]: (v) => Number(v),
  [OID.date]: (v) => v,
}

/** Opens the database the config names: PGlite+PostGIS on disk, or a PostGIS server. */
export async function openDatabase(config: AppConfig['database']): Promise<DatabaseHandle> {
  return config.engine === 'embedded' ? openEmbedded(config.dataDir) : openServer(config.url, config.schema)
}

/**
 * Embedded engine. PGlite serves a single connection: Kysely's PGlite driver
 * queues queries and holds the connection for a whole transaction. A lock
 * file makes sure no second process opens the same data directory.
 * `dataDir` may be 'memory://' for a throwaway in-memory database.
 */
export async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://')
  const release = inMemory ? () => {} : lockDataDir(dataDir)
  let pglite: PGlite
  try {
    pglite = await PGlite.create(dataDir, { extensions: { postgis }, parsers })
  } catch (err) {
    release()
    throw err
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  return {
    db,
    engine: 'embedded',
    async close() {
      await db.destroy()
      release()
    },
  }
}

/** Server engine: a `pg` pool; `schema` comes first on the search_path, PostGIS is found in public. */
export async function openServer(url: string, schema: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    options: `-c search_path=${schema},public`,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // A client losing its connection (idle in the pool or busy) must not crash
  // the process: the query in flight fails, the next one reconnects, and
  // /health reports 503 meanwhile.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, engine: 'server', close: () => db.destroy() }
}

/**
 * Takes an exclusive lock on an embedded data directory with a pid file.
 * A stale lock (its process is gone) is taken over. Returns the release function.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockPath = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' })
      let released = false
      return () => {
        if (released) return
        released = true
        fs.rmSync(lockPath, { force: true })
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(fs.readFileSync(lockPath, 'utf8'))
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${pid}. ` +
            'PGlite serves one process at a time: stop the other phusong process, or set PHUSONG_DATA_DIR to another folder.',
        )
      }
      if (pid === process.pid) {
        throw new Error(`The embedded database in ${dataDir} is already open in this process; share the open handle.`)
      }
      fs.rmSync(lockPath, { force: true }) // stale lock
    }
  }
  throw new Error(`Could not lock ${dataDir}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
