import { type Kysely, sql } from 'kysely'

/**
 * Incremental coverage. A sector's predicted raster is stored once per set of
 * inputs (`sector_rasters`, keyed by a hash of the sector's radio, its site's
 * position, the DEM tiles under it, the model and the run's parameters), and
 * a run lists the rasters it used (`coverage_run_sectors`). A recompute then
 * computes only sectors whose inputs changed, and rebuilds only the composite
 * tiles their windows touch; the others are copied from the current run.
 * Composite tiles get a `codec` (new runs store them deflated) and class
 * polygons the tile they were traced in. A run now has a technology, and one
 * run per technology is current (a 3G recompute does not replace the 4G map).
 * The unused `sector_coverage` table of 0003 goes.
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE sector_coverage`.execute(db)
  // rsrp: one byte per cell, 0 = no value, else RSRP = code / 2 − 160.5 dBm (−160 … −33 dBm in
  // 0.5 dB steps), deflated (RFC 1951).
  await sql`
    CREATE TABLE sector_rasters (
      input_hash text PRIMARY KEY,
      sector_id integer NOT NULL,
      model coverage_model NOT NULL,
      west double precision NOT NULL,
      north double precision NOT NULL,
      step_lon double precision NOT NULL CHECK (step_lon > 0),
      step_lat double precision NOT NULL CHECK (step_lat > 0),
      cols integer NOT NULL CHECK (cols > 0),
      rows integer NOT NULL CHECK (rows > 0),
      codec text NOT NULL CHECK (codec IN ('half-db-deflate')),
      rsrp bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db)
  await sql`
    CREATE TABLE coverage_run_sectors (
      run_id integer NOT NULL REFERENCES coverage_runs (id) ON DELETE CASCADE,
      sector_id integer NOT NULL,
      operator_id integer NOT NULL,
      input_hash text NOT NULL REFERENCES sector_rasters (input_hash),
      PRIMARY KEY (run_id, sector_id)
    )`.execute(db)
  await sql`CREATE INDEX coverage_run_sectors_hash_idx ON coverage_run_sectors (input_hash)`.execute(db)
  await sql`ALTER TABLE coverage_tiles ADD COLUMN codec text NOT NULL DEFAULT 'raw' CHECK (codec IN ('raw', 'deflate'))`.execute(db)
  await sql`ALTER TABLE coverage_polygons ADD COLUMN tile text`.execute(db)
  await sql`ALTER TABLE coverage_runs ADD COLUMN technology technology NOT NULL DEFAULT '4G'`.execute(db)
  await sql`UPDATE coverage_runs SET technology = (params->>'technology')::technology WHERE params ? 'technology'`.execute(db)
  await sql`DROP INDEX coverage_runs_one_current`.execute(db)
  await sql`CREATE UNIQUE INDEX coverage_runs_one_current ON coverage_runs (technology) WHERE is_current`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
