import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import { openEmbedded, openServer, type DatabaseHandle, type Engine } from '../../server/db/connect.ts'
import type { Db } from '../../server/db/database.ts'
import { migrateToLatest } from '../../server/db/migrate.ts'

/**
 * The database engines the integration tests run on: the embedded engine
 * always; the PostGIS server when DATABASE_URL is set. With
 * REQUIRE_POSTGIS_SERVER=1 a missing DATABASE_URL is an error, never a skip.
 */
export function enginesUnderTest(): Engine[] {
  const url = process.env.DATABASE_URL
  if (process.env.REQUIRE_POSTGIS_SERVER === '1' && !url) {
    throw new Error('REQUIRE_POSTGIS_SERVER=1 but DATABASE_URL is not set: the PostGIS server tests cannot run')
  }
  return url ? ['embedded', 'server'] : ['embedded']
}

export const TEST_SCHEMA_PREFIX = 'phusong_test_'

/**
 * One migrated database per engine per worker, shared by all test files
 * (the integration project runs without module isolation): PGlite+PostGIS
 * takes ~10 s to start. On the server each run works in a fresh schema.
 */
const shared = new Map<Engine, Promise<DatabaseHandle>>()

export function sharedDatabase(engine: Engine): Promise<DatabaseHandle> {
  let handle = shared.get(engine)
  if (!handle) {
    handle = engine === 'embedded' ? openMigratedEmbedded() : openMigratedServer(serverUrl())
    shared.set(engine, handle)
  }
  return handle
}

export function serverUrl(): string {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set')
  return url
}

async function openMigratedEmbedded(): Promise<DatabaseHandle> {
  const handle = await openEmbedded('memory://')
  await migrateToLatest(handle.db)
  return handle
}

/** A fresh schema on the server, PostGIS in public, the migrations applied. */
export async function openMigratedServer(url: string): Promise<DatabaseHandle> {
  const schema = `${TEST_SCHEMA_PREFIX}${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  try {
    await admin.connect()
  } catch (err) {
    throw new Error(`PostGIS server at DATABASE_URL is unreachable: ${(err as Error).message}`)
  }
  try {
    await admin.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public')
    await admin.query(`CREATE SCHEMA ${schema}`)
  } finally {
    await admin.end()
  }
  const handle = await openServer(url, schema)
  await migrateToLatest(handle.db)
  return handle
}

/** Empties every data table (operators, reference data, stay). */
export async function resetData(db: Db): Promise<void> {
  await sql`TRUNCATE provinces, communes, villages, sites, sectors, fibre_routes, power_lines,
    measurements, village_status_reports, audit_log, coverage_runs, sector_rasters, calibration_offsets, plans RESTART IDENTITY CASCADE`.execute(db)
}
