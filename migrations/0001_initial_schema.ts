import { type Kysely, sql } from 'kysely'

/**
 * Data model v1. Frozen in time: imports nothing of the app.
 *
 * Every geometry is SRID 4326 with a GiST index, must be valid (ST_IsValid)
 * and must lie inside Vietnam's extent (mainland and islands, with a small
 * margin): lon 102.0–117.5 E, lat 6.5–23.5 N. The extent check lives in one
 * SQL function so every table uses the same numbers.
 *
 * The SQL here runs on PostgreSQL 15 + PostGIS 3.3 (server) and on
 * PGlite (PostgreSQL 18) + PostGIS 3.6 (embedded).
 */
// Kysely<any>: a migration works on the schema as it was then, not on the app's current Database type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db)

  await sql`
    CREATE FUNCTION phusong_in_vietnam_extent(g geometry) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT ST_XMin(g) >= 102.0 AND ST_XMax(g) <= 117.5
         AND ST_YMin(g) >= 6.5 AND ST_YMax(g) <= 23.5
    $$`.execute(db)

  await sql`CREATE TYPE province_type AS ENUM ('province', 'city')`.execute(db)
  await sql`CREATE TYPE commune_type AS ENUM ('commune', 'ward', 'special_zone')`.execute(db)
  await sql`CREATE TYPE site_status AS ENUM ('existing', 'planned', 'candidate', 'decommissioned')`.execute(db)
  await sql`CREATE TYPE technology AS ENUM ('2G', '3G', '4G', '5G')`.execute(db)
  await sql`CREATE TYPE line_status AS ENUM ('existing', 'planned', 'decommissioned')`.execute(db)
  await sql`CREATE TYPE observed_status AS ENUM ('none', 'weak', 'intermittent', 'good')`.execute(db)
  await sql`CREATE TYPE report_source AS ENUM ('commune_office', 'community_digital_team', 'operator', 'citizen')`.execute(db)
  await sql`CREATE TYPE measurement_source AS ENUM ('drive_test', 'field_team', 'crowdsourced', 'operator')`.execute(db)

  const geomChecks = (col: string) =>
    sql.raw(`CHECK (ST_IsValid(${col})), CHECK (phusong_in_vietnam_extent(${col}))`)
  const nullableGeomChecks = (col: string) =>
    sql.raw(`CHECK (${col} IS NULL OR ST_IsValid(${col})), CHECK (${col} IS NULL OR phusong_in_vietnam_extent(${col}))`)
  const timestamps = sql.raw(`created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()`)

  await sql`
    CREATE TABLE provinces (
      id serial PRIMARY KEY,
      code varchar(2) NOT NULL UNIQUE CHECK (code ~ '^[0-9]{2}$'),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      type province_type NOT NULL DEFAULT 'province',
      population integer CHECK (population >= 0),
      area_km2 double precision CHECK (area_km2 > 0),
      geom geometry(MultiPolygon, 4326) NOT NULL,
      ${timestamps},
      ${geomChecks('geom')}
    )`.execute(db)

  await sql`
    CREATE TABLE communes (
      id serial PRIMARY KEY,
      code varchar(5) NOT NULL UNIQUE CHECK (code ~ '^[0-9]{5}$'),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      name_search text NOT NULL,
      type commune_type NOT NULL DEFAULT 'commune',
      province_id integer NOT NULL REFERENCES provinces (id),
      population integer CHECK (population >= 0),
      area_km2 double precision CHECK (area_km2 > 0),
      historical_district_code varchar(3),
      historical_district_name text,
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      geom geometry(MultiPolygon, 4326) NOT NULL,
      ${timestamps},
      ${geomChecks('geom')}
    )`.execute(db)

  await sql`
    CREATE TABLE villages (
      id serial PRIMARY KEY,
      code text NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
      name text NOT NULL CHECK (length(trim(name)) > 0),
      name_search text NOT NULL,
      commune_id integer NOT NULL REFERENCES communes (id),
      population integer CHECK (population >= 0),
      households integer CHECK (households >= 0),
      has_grid_power boolean,
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      synthetic boolean NOT NULL DEFAULT false,
      geom geometry(Point, 4326) NOT NULL,
      area_geom geometry(MultiPolygon, 4326),
      ${timestamps},
      ${geomChecks('geom')},
      ${nullableGeomChecks('area_geom')}
    )`.execute(db)

  await sql`
    CREATE TABLE operators (
      id serial PRIMARY KEY,
      code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]*$'),
      name text NOT NULL,
      mcc smallint,
      mnc smallint,
      UNIQUE (mcc, mnc)
    )`.execute(db)
  // Vietnam's mobile network operators (MCC 452), reference data.
  await sql`
    INSERT INTO operators (code, name, mcc, mnc) VALUES
      ('mobifone', 'MobiFone', 452, 1),
      ('vnpt', 'VNPT (VinaPhone)', 452, 2),
      ('viettel', 'Viettel', 452, 4),
      ('vietnamobile', 'Vietnamobile', 452, 5),
      ('gmobile', 'Gmobile', 452, 7),
      ('itel', 'Itel', 452, 9)`.execute(db)

  await sql`
    CREATE TABLE sites (
      id serial PRIMARY KEY,
      operator_id integer NOT NULL REFERENCES operators (id),
      code text NOT NULL CHECK (length(trim(code)) > 0),
      name text,
      status site_status NOT NULL DEFAULT 'existing',
      ground_elevation_m real CHECK (ground_elevation_m BETWEEN -100 AND 3500),
      commissioned_on date,
      decommissioned_on date,
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      synthetic boolean NOT NULL DEFAULT false,
      geom geometry(Point, 4326) NOT NULL,
      ${timestamps},
      UNIQUE (operator_id, code),
      CHECK (decommissioned_on IS NULL OR commissioned_on IS NULL OR decommissioned_on >= commissioned_on),
      ${geomChecks('geom')}
    )`.execute(db)

  await sql`
    CREATE TABLE sectors (
      id serial PRIMARY KEY,
      site_id integer NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
      label text,
      technology technology NOT NULL,
      frequency_mhz real NOT NULL CHECK (frequency_mhz BETWEEN 400 AND 6000),
      azimuth_deg real CHECK (azimuth_deg >= 0 AND azimuth_deg < 360),
      beamwidth_deg real NOT NULL DEFAULT 360 CHECK (beamwidth_deg > 0 AND beamwidth_deg <= 360),
      electrical_tilt_deg real NOT NULL DEFAULT 0 CHECK (electrical_tilt_deg BETWEEN -10 AND 20),
      mechanical_tilt_deg real NOT NULL DEFAULT 0 CHECK (mechanical_tilt_deg BETWEEN -10 AND 20),
      height_m real NOT NULL CHECK (height_m > 0 AND height_m <= 200),
      eirp_dbm real NOT NULL CHECK (eirp_dbm BETWEEN 0 AND 90),
      gain_dbi real NOT NULL DEFAULT 0 CHECK (gain_dbi BETWEEN -10 AND 30),
      ${timestamps},
      CHECK (beamwidth_deg = 360 OR azimuth_deg IS NOT NULL)
    )`.execute(db)

  await sql`
    CREATE TABLE fibre_routes (
      id serial PRIMARY KEY,
      code text NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
      owner_operator_id integer REFERENCES operators (id),
      owner_name text,
      status line_status NOT NULL DEFAULT 'existing',
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      synthetic boolean NOT NULL DEFAULT false,
      geom geometry(MultiLineString, 4326) NOT NULL,
      ${timestamps},
      CHECK (owner_operator_id IS NOT NULL OR owner_name IS NOT NULL),
      ${geomChecks('geom')}
    )`.execute(db)

  await sql`
    CREATE TABLE power_lines (
      id serial PRIMARY KEY,
      code text NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
      owner text NOT NULL,
      voltage_kv real CHECK (voltage_kv > 0 AND voltage_kv <= 1000),
      status line_status NOT NULL DEFAULT 'existing',
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      synthetic boolean NOT NULL DEFAULT false,
      geom geometry(MultiLineString, 4326) NOT NULL,
      ${timestamps},
      ${geomChecks('geom')}
    )`.execute(db)

  await sql`
    CREATE TABLE measurements (
      id bigserial PRIMARY KEY,
      measured_at timestamptz NOT NULL,
      operator_id integer REFERENCES operators (id),
      technology technology NOT NULL,
      rsrp_dbm real CHECK (rsrp_dbm BETWEEN -160 AND -20),
      rsrq_db real CHECK (rsrq_db BETWEEN -45 AND 20),
      sinr_db real CHECK (sinr_db BETWEEN -30 AND 60),
      source measurement_source NOT NULL,
      device text,
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      geom geometry(Point, 4326) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (rsrp_dbm IS NOT NULL OR rsrq_db IS NOT NULL OR sinr_db IS NOT NULL),
      ${geomChecks('geom')}
    )`.execute(db)

  await sql`
    CREATE TABLE village_status_reports (
      id bigserial PRIMARY KEY,
      village_id integer NOT NULL REFERENCES villages (id) ON DELETE CASCADE,
      reported_on date NOT NULL,
      observed_status observed_status NOT NULL,
      operator_id integer REFERENCES operators (id),
      technology technology,
      source report_source NOT NULL,
      verified boolean NOT NULL DEFAULT false,
      note text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db)

  await sql`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import', 'recompute', 'login', 'other')),
      entity text NOT NULL,
      entity_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb
    )`.execute(db)

  // Spatial indexes.
  for (const [table, col] of [
    ['provinces', 'geom'], ['communes', 'geom'], ['villages', 'geom'], ['villages', 'area_geom'],
    ['sites', 'geom'], ['fibre_routes', 'geom'], ['power_lines', 'geom'], ['measurements', 'geom'],
  ] as const) {
    await sql.raw(`CREATE INDEX ${table}_${col}_gist ON ${table} USING gist (${col})`).execute(db)
  }
  // Lookups and foreign keys.
  await sql`CREATE INDEX communes_province_id_idx ON communes (province_id)`.execute(db)
  await sql`CREATE INDEX communes_name_search_idx ON communes (name_search text_pattern_ops)`.execute(db)
  await sql`CREATE INDEX villages_commune_id_idx ON villages (commune_id)`.execute(db)
  await sql`CREATE INDEX villages_name_search_idx ON villages (name_search text_pattern_ops)`.execute(db)
  await sql`CREATE INDEX sites_operator_status_idx ON sites (operator_id, status)`.execute(db)
  await sql`CREATE INDEX sectors_site_id_idx ON sectors (site_id)`.execute(db)
  await sql`CREATE INDEX measurements_measured_at_idx ON measurements (measured_at)`.execute(db)
  await sql`CREATE INDEX village_status_reports_village_idx ON village_status_reports (village_id, reported_on DESC)`.execute(db)
  await sql`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id)`.execute(db)
}

/** Forward-only: there is no down migration. */
export async function down(): Promise<void> {
  throw new Error('phusong migrations are forward-only')
}
