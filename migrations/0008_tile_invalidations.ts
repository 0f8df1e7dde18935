import { type Kysely, sql } from 'kysely'

/**
 * Where the map's vector tiles went stale. Every statement that changes a
 * table a tile layer reads records the extent of the rows it touched (before
 * and after) for that layer; a finished coverage run records the composite
 * tiles it rebuilt. A process serving tiles reads the new rows and drops the
 * cached tiles that intersect them, whoever made the change (the API, an
 * import, the CLI, psql) and in whichever process (server/services/tiles/).
 * A NULL extent means the whole layer.
 *
 * Statement-level triggers with transition tables: one row per statement
 * (an import of 10,000 villages adds one row per batch, not per village).
 * PostgreSQL allows transition tables only on single-event triggers, hence
 * three per table, plus one for TRUNCATE (the whole layer).
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE tile_invalidations (
      seq bigserial PRIMARY KEY,
      layer text NOT NULL,
      west double precision,
      south double precision,
      east double precision,
      north double precision,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((west IS NULL) = (north IS NULL))
    )`.execute(db)

  // One function per transition-table shape; the layer is the trigger's argument.
  for (const [name, from] of [
    ['tile_invalidate_inserted', 'SELECT geom FROM new_rows'],
    ['tile_invalidate_deleted', 'SELECT geom FROM old_rows'],
    ['tile_invalidate_updated', 'SELECT geom FROM new_rows UNION ALL SELECT geom FROM old_rows'],
  ] as const) {
    await sql.raw(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO tile_invalidations (layer, west, south, east, north)
        SELECT TG_ARGV[0], ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
        FROM (SELECT ST_Extent(geom)::geometry AS b FROM (${from}) g) e
        WHERE b IS NOT NULL;
        RETURN NULL;
      END
      $fn$`).execute(db)
  }

  await sql`
    CREATE FUNCTION tile_invalidate_all() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO tile_invalidations (layer) VALUES (TG_ARGV[0]);
      RETURN NULL;
    END
    $fn$`.execute(db)

  for (const [table, layer] of [['communes', 'communes'], ['villages', 'villages'], ['sites', 'sites'], ['fibre_routes', 'fibre']] as const) {
    await sql.raw(`CREATE TRIGGER ${table}_tiles_ins AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidate_inserted('${layer}')`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_tiles_upd AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidate_updated('${layer}')`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_tiles_del AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidate_deleted('${layer}')`).execute(db)
    await sql.raw(`CREATE TRIGGER ${table}_tiles_trunc AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidate_all('${layer}')`).execute(db)
  }
  // Coverage changes when a run is promoted: the recompute records the tiles it rebuilt
  // (server/services/coverage/recompute-coverage.service.ts); emptying the runs drops the layer.
  await sql`CREATE TRIGGER coverage_runs_tiles_trunc AFTER TRUNCATE ON coverage_runs FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidate_all('coverage-4g')`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
