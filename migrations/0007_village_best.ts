import { type Kysely, sql } from 'kysely'

/**
 * The best server at every village on a run's own date, per operator, stored
 * when the run completes: the indicators of that date (and of any date on
 * which no site changes service) read it directly, and only the villages
 * near a site that is in service on one date and not on the other are worked
 * out again from `village_signal` (server/services/village-coverage/).
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE village_best (
      run_id integer NOT NULL REFERENCES coverage_runs (id) ON DELETE CASCADE,
      village_id integer NOT NULL REFERENCES villages (id) ON DELETE CASCADE,
      operator_id integer NOT NULL,
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      rsrp_dbm real NOT NULL,
      sector_id integer NOT NULL,
      site_id integer NOT NULL,
      PRIMARY KEY (run_id, village_id, operator_id)
    )`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
