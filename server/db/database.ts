import type { ColumnType, Generated, Kysely, Transaction } from 'kysely'

/**
 * Table types for Kysely, mirroring migrations/. Geometry columns are typed
 * as `Geometry`: they are only ever read through ST_AsGeoJSON and written
 * through ST_GeomFromGeoJSON (see ./postgis.ts), never as raw values.
 */
export interface GeometryValue {
  readonly __brand: 'postgis-geometry'
}
export type Geometry = ColumnType<GeometryValue, GeometryValue, GeometryValue>

type Timestamps = {
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, never, Date | string>
}
type Json = Record<string, unknown>
/** `date` columns: read as 'YYYY-MM-DD' strings (see the type parsers in ./connect.ts). */
type DateColumn = ColumnType<string | null, string | null | undefined, string | null>

export type ProvinceType = 'province' | 'city'
export type CommuneType = 'commune' | 'ward' | 'special_zone'
export type SiteStatus = 'existing' | 'planned' | 'candidate' | 'decommissioned'
export type Technology = '2G' | '3G' | '4G' | '5G'
export type LineStatus = 'existing' | 'planned' | 'decommissioned'
export type ObservedStatus = 'none' | 'weak' | 'intermittent' | 'good'
export type ReportSource = 'commune_office' | 'community_digital_team' | 'operator' | 'citizen'
export type MeasurementSource = 'drive_test' | 'field_team' | 'crowdsourced' | 'operator'

export interface ProvincesTable extends Timestamps {
  id: Generated<number>
  code: string
  name: string
  type: ColumnType<ProvinceType, ProvinceType | undefined, ProvinceType>
  population: number | null
  area_km2: number | null
  geom: Geometry
}

export interface CommunesTable extends Timestamps {
  id: Generated<number>
  code: string
  name: string
  name_search: string
  type: ColumnType<CommuneType, CommuneType | undefined, CommuneType>
  province_id: number
  population: number | null
  area_km2: number | null
  historical_district_code: string | null
  historical_district_name: string | null
  attributes: ColumnType<Json, string | undefined, string>
  geom: Geometry
}

export interface VillagesTable extends Timestamps {
  id: Generated<number>
  code: string
  name: string
  name_search: string
  commune_id: number
  population: number | null
  households: number | null
  has_grid_power: boolean | null
  attributes: ColumnType<Json, string | undefined, string>
  synthetic: ColumnType<boolean, boolean | undefined, boolean>
  geom: Geometry
  area_geom: ColumnType<GeometryValue | null, GeometryValue | null | undefined, GeometryValue | null>
}

export interface OperatorsTable {
  id: Generated<number>
  code: string
  name: string
  mcc: number | null
  mnc: number | null
}

export interface SitesTable extends Timestamps {
  id: Generated<number>
  operator_id: number
  code: string
  name: string | null
  status: ColumnType<SiteStatus, SiteStatus | undefined, SiteStatus>
  ground_elevation_m: number | null
  commissioned_on: DateColumn
  decommissioned_on: DateColumn
  attributes: ColumnType<Json, string | undefined, string>
  synthetic: ColumnType<boolean, boolean | undefined, boolean>
  geom: Geometry
}

export interface SectorsTable extends Timestamps {
  id: Generated<number>
  site_id: number
  label: string | null
  technology: Technology
  frequency_mhz: number
  azimuth_deg: number | null
  beamwidth_deg: ColumnType<number, number | undefined, number>
  electrical_tilt_deg: ColumnType<number, number | undefined, number>
  mechanical_tilt_deg: ColumnType<number, number | undefined, number>
  height_m: number
  eirp_dbm: number
  gain_dbi: ColumnType<number, number | undefined, number>
}

export interface FibreRoutesTable extends Timestamps {
  id: Generated<number>
  code: string
  owner_operator_id: number | null
  owner_name: string | null
  status: ColumnType<LineStatus, LineStatus | undefined, LineStatus>
  attributes: ColumnType<Json, string | undefined, string>
  synthetic: ColumnType<boolean, boolean | undefined, boolean>
  geom: Geometry
}

export interface PowerLinesTable extends Timestamps {
  id: Generated<number>
  code: string
  owner: string
  voltage_kv: number | null
  status: ColumnType<LineStatus, LineStatus | undefined, LineStatus>
  attributes: ColumnType<Json, string | undefined, string>
  synthetic: ColumnType<boolean, boolean | undefined, boolean>
  geom: Geometry
}

export interface MeasurementsTable {
  id: Generated<number>
  measured_at: ColumnType<Date, Date | string, Date | string>
  operator_id: number | null
  technology: Technology
  rsrp_dbm: number | null
  rsrq_db: number | null
  sinr_db: number | null
  source: MeasurementSource
  device: string | null
  attributes: ColumnType<Json, string | undefined, string>
  import_key: string | null
  geom: Geometry
  created_at: ColumnType<Date, never, never>
}

export interface VillageStatusReportsTable {
  id: Generated<number>
  village_id: number
  reported_on: ColumnType<string, string, string>
  observed_status: ObservedStatus
  operator_id: number | null
  technology: Technology | null
  source: ReportSource
  verified: ColumnType<boolean, boolean | undefined, boolean>
  note: string | null
  import_key: string | null
  created_at: ColumnType<Date, never, never>
}

export interface AuditLogTable {
  id: Generated<number>
  occurred_at: ColumnType<Date, never, never>
  actor: string
  action: 'create' | 'update' | 'delete' | 'import' | 'recompute' | 'login' | 'other'
  entity: string
  entity_id: string | null
  details: ColumnType<Json, string | undefined, string>
}

export type CoverageModel = 'fast' | 'itm' | 'radius'
export type CoverageClassName = 'good' | 'weak' | 'none'
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface CoverageRunsTable {
  id: Generated<number>
  kind: 'full' | 'incremental'
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>
  model: ColumnType<CoverageModel, CoverageModel | undefined, CoverageModel>
  technology: ColumnType<Technology, Technology | undefined, Technology>
  params: ColumnType<Json, string | undefined, string>
  requested_by: string
  total_jobs: ColumnType<number, number | undefined, number>
  done_jobs: ColumnType<number, number | undefined, number>
  is_current: ColumnType<boolean, boolean | undefined, boolean>
  error: string | null
  created_at: ColumnType<Date, never, never>
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface CoverageJobsTable {
  id: Generated<number>
  run_id: number
  kind: 'sector' | 'composite'
  sector_id: number | null
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>
  attempts: ColumnType<number, number | undefined, number>
  locked_by: string | null
  locked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  error: string | null
}

/** A sector's raster for one set of inputs (see migrations/0004). */
export interface SectorRastersTable {
  input_hash: string
  sector_id: number
  model: CoverageModel
  west: number
  north: number
  step_lon: number
  step_lat: number
  cols: number
  rows: number
  codec: 'half-db-deflate'
  rsrp: Uint8Array
  created_at: ColumnType<Date, never, never>
}

/** Which sector rasters a run used. */
export interface CoverageRunSectorsTable {
  run_id: number
  sector_id: number
  operator_id: number
  input_hash: string
  /** Whether the run's composites (the map) use it: its site was in service on the run's date. */
  in_composite: ColumnType<boolean, boolean | undefined, boolean>
}

/** The best server per village and operator on a run's own date (migrations/0007_village_best). */
export interface VillageBestTable {
  run_id: number
  village_id: number
  operator_id: number
  lon: number
  lat: number
  rsrp_dbm: number
  sector_id: number
  site_id: number
}

/** A sector raster's RSRP at a village point (migrations/0005_village_signal). */
export interface VillageSignalTable {
  village_id: number
  input_hash: string
  lon: number
  lat: number
  rsrp_dbm: number | null
}

export interface CoverageTilesTable {
  run_id: number
  operator_id: number | null
  technology: Technology
  tile: string
  west: number
  north: number
  step_lon: number
  step_lat: number
  cols: number
  rows: number
  best_rsrp_decidbm: Uint8Array
  serving_sector_ids: Uint8Array
  /** 'raw': little-endian arrays as they are; 'deflate': each deflated (RFC 1951). */
  codec: ColumnType<'raw' | 'deflate', 'raw' | 'deflate' | undefined, 'raw' | 'deflate'>
  geom: Geometry
}

export interface CoveragePolygonsTable {
  id: Generated<number>
  run_id: number
  operator_id: number | null
  technology: Technology
  class: CoverageClassName
  model: CoverageModel
  /** The composite tile the polygon was traced in (null for the radius fallback). */
  tile: string | null
  geom: Geometry
  area_km2: number
}

/** A fitted calibration offset (see migrations/0006_calibration); at most one applied per technology, operator and model. */
export interface CalibrationOffsetsTable {
  id: Generated<number>
  technology: Technology
  operator_id: number
  model: CoverageModel
  offset_db: number
  n: number
  stats: ColumnType<Json, string | undefined, string>
  fitted_at: ColumnType<Date, Date | string | undefined, Date | string>
  applied: ColumnType<boolean, boolean | undefined, boolean>
  applied_by: string | null
}

/** Where vector tiles went stale (migrations/0008_tile_invalidations); a NULL extent is the whole layer. */
export interface TileInvalidationsTable {
  seq: Generated<string>
  layer: string
  west: number | null
  south: number | null
  east: number | null
  north: number | null
  created_at: ColumnType<Date, never, never>
}

/** A planning scenario of one operator (migrations/0009_plans). */
export interface PlansTable {
  id: Generated<number>
  operator_id: number
  name: string
  description: string | null
  created_by: string
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, never, Date | string>
}

/** A proposed site of a plan; `sectors` is the JSON array of its sector configurations. */
export interface PlanSitesTable {
  id: Generated<number>
  plan_id: number
  position: number
  label: string | null
  candidate_site_id: number | null
  height_m: number
  sectors: ColumnType<PlanSectorJson[], string, string>
  notes: string | null
  geom: Geometry
}

/** A planned sector as kept in plan_sites.sectors (units as in the sectors table). */
export interface PlanSectorJson {
  azimuthDeg: number | null
  beamwidthDeg: number
  frequencyMhz: number
  eirpDbm: number
  gainDbi: number
  electricalTiltDeg: number
  mechanicalTiltDeg: number
}

export interface Database {
  provinces: ProvincesTable
  communes: CommunesTable
  villages: VillagesTable
  operators: OperatorsTable
  sites: SitesTable
  sectors: SectorsTable
  fibre_routes: FibreRoutesTable
  power_lines: PowerLinesTable
  measurements: MeasurementsTable
  village_status_reports: VillageStatusReportsTable
  audit_log: AuditLogTable
  coverage_runs: CoverageRunsTable
  coverage_jobs: CoverageJobsTable
  sector_rasters: SectorRastersTable
  coverage_run_sectors: CoverageRunSectorsTable
  village_signal: VillageSignalTable
  village_best: VillageBestTable
  coverage_tiles: CoverageTilesTable
  coverage_polygons: CoveragePolygonsTable
  calibration_offsets: CalibrationOffsetsTable
  tile_invalidations: TileInvalidationsTable
  plans: PlansTable
  plan_sites: PlanSitesTable
}

export type Db = Kysely<Database>
export type Tx = Transaction<Database>
/** Either the database or an open transaction: for reads and single writes. */
export type Executor = Kysely<Database>
