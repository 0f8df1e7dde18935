import { type Kysely, sql } from 'kysely'

/**
 * Keys that make imports idempotent (re-importing a file upserts instead of
 * duplicating): sectors are identified by (site, label); measurements and
 * village status reports, which have no code of their own, by an import key
 * (a hash of their identifying fields, computed by the importer).
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE UNIQUE INDEX sectors_site_label_key ON sectors (site_id, label)`.execute(db)
  await sql`ALTER TABLE measurements ADD COLUMN import_key text UNIQUE`.execute(db)
  await sql`ALTER TABLE village_status_reports ADD COLUMN import_key text UNIQUE`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
