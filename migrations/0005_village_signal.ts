import { type Kysely, sql } from 'kysely'

/**
 * Predicted signal at villages, exact at any date. A run now lists every
 * sector of existing and decommissioned sites (whatever their dates), and
 * says which of them its composites (the map) use; `village_signal` holds,
 * for each village and each sector raster whose window covers the village
 * point, the sector's RSRP at that point (NULL: the raster has no value
 * there). A village's best server on a date is then the strongest of the
 * sectors in service that day: a join, no recompute. Rows are keyed by the
 * raster's input hash, so a recompute samples only new villages, moved
 * villages (the point is stored) and changed sectors.
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE coverage_run_sectors ADD COLUMN in_composite boolean NOT NULL DEFAULT true`.execute(db)
  await sql`
    CREATE TABLE village_signal (
      village_id integer NOT NULL REFERENCES villages (id) ON DELETE CASCADE,
      input_hash text NOT NULL REFERENCES sector_rasters (input_hash) ON DELETE CASCADE,
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      rsrp_dbm real,
      PRIMARY KEY (village_id, input_hash)
    )`.execute(db)
  await sql`CREATE INDEX village_signal_hash_idx ON village_signal (input_hash)`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
