import { Migrator, type MigrationProvider, type MigrationResult } from 'kysely/migration'
import { migrations } from '../../migrations/index.ts'
import { findCurrentSchema, findExtensionAvailability, findSchemaVersion } from '../repositories/system.repository.ts'
import type { Db } from './database.ts'

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** Thrown at start-up when the server cannot give us PostGIS; the message says how to fix it. */
export class PostgisMissingError extends Error {
  override name = 'PostgisMissingError'
}

const POSTGIS_HELP =
  'phusong needs the PostGIS extension. On Debian/Ubuntu: `apt-get install postgresql-15-postgis-3` ' +
  '(match your PostgreSQL major version), or use the `postgis/postgis` Docker image (see docker-compose.yml). ' +
  'Then a superuser runs `CREATE EXTENSION postgis;` in the database, or lets phusong do it at start.'

/**
 * Checks that the extension can be used before any migration runs.
 * `extension` is a parameter so the failure path can be tested on a real server.
 */
export async function assertPostgisAvailable(db: Db, extension = 'postgis'): Promise<void> {
  const { available } = await findExtensionAvailability(db, extension)
  if (!available) {
    throw new PostgisMissingError(`The database server has no '${extension}' extension available. ${POSTGIS_HELP}`)
  }
}

export interface MigrationReport {
  applied: string[]
  latest: string | null
}

/**
 * Brings the schema to the latest migration. Forward-only; the pending
 * migrations run in one transaction, so a failure applies none of them.
 * Throws (with the failing migration named) when anything goes wrong.
 */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  await assertPostgisAvailable(db)
  // The migration tables live in the schema we work in; without naming it,
  // Kysely would accept a kysely_migration table found in any other schema.
  const migrator = new Migrator({
    db,
    provider,
    migrationTableSchema: await findCurrentSchema(db),
  })
  const { error, results = [] } = await migrator.migrateToLatest()
  const failed = results.find((r: MigrationResult) => r.status === 'Error')
  if (error) {
    const message = error instanceof Error ? error.message : String(error)
    const hint = /permission denied to create extension/i.test(message)
      ? ` Only a superuser can create PostGIS. ${POSTGIS_HELP}`
      : ''
    throw new Error(`Migration ${failed?.migrationName ?? '(setup)'} failed: ${message}.${hint}`, { cause: error })
  }
  return {
    applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName),
    latest: await findSchemaVersion(db),
  }
}
