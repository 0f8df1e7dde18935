import { sql } from 'kysely'
import type { Executor } from '../db/database.ts'

/** Is the named extension available on this server, and is it installed in the database? */
export async function findExtensionAvailability(
  db: Executor,
  extension: string,
): Promise<{ available: boolean; installedVersion: string | null }> {
  const { rows } = await sql<{ installed_version: string | null }>`
    SELECT installed_version FROM pg_available_extensions WHERE name = ${extension}`.execute(db)
  const row = rows[0]
  return { available: row !== undefined, installedVersion: row?.installed_version ?? null }
}

/** The PostGIS library version, e.g. '3.6.2'. */
export async function findPostgisVersion(db: Executor): Promise<string> {
  const { rows } = await sql<{ version: string }>`SELECT postgis_lib_version() AS version`.execute(db)
  return rows[0]?.version ?? 'unknown'
}

/** The PostgreSQL server version, e.g. '15.19'. */
export async function findPostgresVersion(db: Executor): Promise<string> {
  const { rows } = await sql<{ version: string }>`SELECT current_setting('server_version') AS version`.execute(db)
  return rows[0]?.version ?? 'unknown'
}

/** Name of the newest applied migration, or null on an empty database. */
export async function findSchemaVersion(db: Executor): Promise<string | null> {
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(db)
  return rows[0]?.name ?? null
}

/** The schema unqualified names resolve to (first on the search_path). */
export async function findCurrentSchema(db: Executor): Promise<string> {
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)
  const schema = rows[0]?.schema
  if (!schema) throw new Error('the database has no current schema: check search_path / DATABASE_SCHEMA')
  return schema
}
