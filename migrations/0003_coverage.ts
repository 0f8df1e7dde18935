import { type Kysely, sql } from 'kysely'

/**
 * Predicted coverage. A recompute is a `coverage_runs` row whose work is
 * split into `coverage_jobs` (one per sector, then composites), so it can be
 * handed to workers — in this process today, on other machines through the
 * same table later (SELECT … FOR UPDATE SKIP LOCKED). Results carry their
 * run id; `coverage_runs.is_current` marks the one complete run the maps and
 * indicators read, so a recompute in progress never shows half a map.
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TYPE coverage_model AS ENUM ('fast', 'itm', 'radius')`.execute(db)
  await sql`CREATE TYPE coverage_class AS ENUM ('good', 'weak', 'none')`.execute(db)
  await sql`CREATE TYPE job_status AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled')`.execute(db)

  await sql`
    CREATE TABLE coverage_runs (
      id serial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('full', 'incremental')),
      status job_status NOT NULL DEFAULT 'queued',
      model coverage_model NOT NULL DEFAULT 'fast',
      params jsonb NOT NULL DEFAULT '{}'::jsonb,
      requested_by text NOT NULL,
      total_jobs integer NOT NULL DEFAULT 0 CHECK (total_jobs >= 0),
      done_jobs integer NOT NULL DEFAULT 0 CHECK (done_jobs >= 0),
      is_current boolean NOT NULL DEFAULT false,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    )`.execute(db)
  await sql`CREATE UNIQUE INDEX coverage_runs_one_current ON coverage_runs (is_current) WHERE is_current`.execute(db)

  await sql`
    CREATE TABLE coverage_jobs (
      id bigserial PRIMARY KEY,
      run_id integer NOT NULL REFERENCES coverage_runs (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('sector', 'composite')),
      sector_id integer REFERENCES sectors (id) ON DELETE CASCADE,
      status job_status NOT NULL DEFAULT 'queued',
      attempts integer NOT NULL DEFAULT 0,
      locked_by text,
      locked_at timestamptz,
      error text,
      CHECK (kind <> 'sector' OR sector_id IS NOT NULL)
    )`.execute(db)
  await sql`CREATE INDEX coverage_jobs_queue_idx ON coverage_jobs (run_id, status)`.execute(db)

  // One sector's predicted RSRP raster: Int16 little-endian, tenths of a dBm, -32768 = no value;
  // grid aligned to the DEM cells it was computed on. `input_hash` lets a recompute skip sectors
  // whose inputs (radio parameters, site, DEM, model) did not change.
  await sql`
    CREATE TABLE sector_coverage (
      sector_id integer NOT NULL REFERENCES sectors (id) ON DELETE CASCADE,
      run_id integer NOT NULL REFERENCES coverage_runs (id) ON DELETE CASCADE,
      model coverage_model NOT NULL,
      input_hash text NOT NULL,
      west double precision NOT NULL,
      north double precision NOT NULL,
      step_lon double precision NOT NULL CHECK (step_lon > 0),
      step_lat double precision NOT NULL CHECK (step_lat > 0),
      cols integer NOT NULL CHECK (cols > 0),
      rows integer NOT NULL CHECK (rows > 0),
      rsrp_decidbm bytea NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sector_id, run_id)
    )`.execute(db)

  // Best-server composites per operator (NULL = any operator) and technology, in tiles of the DEM grid.
  await sql`
    CREATE TABLE coverage_tiles (
      run_id integer NOT NULL REFERENCES coverage_runs (id) ON DELETE CASCADE,
      operator_id integer REFERENCES operators (id),
      technology technology NOT NULL,
      tile text NOT NULL,
      west double precision NOT NULL,
      north double precision NOT NULL,
      step_lon double precision NOT NULL,
      step_lat double precision NOT NULL,
      cols integer NOT NULL,
      rows integer NOT NULL,
      best_rsrp_decidbm bytea NOT NULL,
      serving_sector_ids bytea NOT NULL,
      geom geometry(Polygon, 4326) NOT NULL
    )`.execute(db)
  await sql`CREATE UNIQUE INDEX coverage_tiles_key ON coverage_tiles (run_id, coalesce(operator_id, 0), technology, tile)`.execute(db)
  await sql`CREATE INDEX coverage_tiles_geom_gist ON coverage_tiles USING gist (geom)`.execute(db)

  await sql`
    CREATE TABLE coverage_polygons (
      id bigserial PRIMARY KEY,
      run_id integer NOT NULL REFERENCES coverage_runs (id) ON DELETE CASCADE,
      operator_id integer REFERENCES operators (id),
      technology technology NOT NULL,
      class coverage_class NOT NULL,
      model coverage_model NOT NULL,
      geom geometry(MultiPolygon, 4326) NOT NULL,
      area_km2 double precision NOT NULL,
      CHECK (ST_IsValid(geom))
    )`.execute(db)
  await sql`CREATE INDEX coverage_polygons_geom_gist ON coverage_polygons USING gist (geom)`.execute(db)
  await sql`CREATE INDEX coverage_polygons_run_idx ON coverage_polygons (run_id, operator_id, technology, class)`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
