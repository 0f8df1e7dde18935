import { type Selectable, sql } from 'kysely'
import type { CoverageModel, CoverageTilesTable, Db, Executor, GeometryValue, JobStatus, Technology, Tx } from '../db/database.ts'
import { base64FromBytea, byteaFromBase64, bytesFromBase64 } from '../db/bytea.ts'
import { stMakeEnvelope } from '../db/postgis.ts'
import { multiPolygonToWkb } from '../db/wkb.ts'
import { multiPolygonAreaKm2 } from '../geo/ellipsoidal-area.ts'

export interface CoverageRunRow {
  id: number
  kind: 'full' | 'incremental'
  status: JobStatus
  model: CoverageModel
  total_jobs: number
  done_jobs: number
  is_current: boolean
  error: string | null
  created_at: Date
  started_at: Date | null
  finished_at: Date | null
}

export async function insertCoverageRun(db: Executor, run: { kind: 'full' | 'incremental'; model: CoverageModel; technology: Technology; params: Record<string, unknown>; requestedBy: string }): Promise<number> {
  const { id } = await db
    .insertInto('coverage_runs')
    .values({ kind: run.kind, model: run.model, technology: run.technology, params: JSON.stringify(run.params), requested_by: run.requestedBy, status: 'running', started_at: sql<string>`now()` })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export async function updateCoverageRunProgress(db: Executor, id: number, progress: { totalJobs?: number; doneJobs?: number }): Promise<void> {
  await db.updateTable('coverage_runs').set({ total_jobs: progress.totalJobs, done_jobs: progress.doneJobs }).where('id', '=', id).execute()
}

export async function finishCoverageRun(db: Executor, id: number, status: Extract<JobStatus, 'done' | 'failed' | 'cancelled'>, error: string | null = null): Promise<void> {
  await db.updateTable('coverage_runs').set({ status, error, finished_at: sql<string>`now()` }).where('id', '=', id).execute()
}

/** Makes a finished run the one maps and indicators read for its technology (in the caller's transaction). */
export async function promoteCoverageRun(tx: Tx, id: number, technology: Technology): Promise<void> {
  await tx.updateTable('coverage_runs').set({ is_current: false }).where('is_current', '=', true).where('technology', '=', technology).execute()
  await tx.updateTable('coverage_runs').set({ is_current: true }).where('id', '=', id).execute()
}

/** The extents [west, south, east, north] of a run's polygons outside the composite tiles (radius fallback of sectors without DEM). */
export async function untiledCoveragePolygonBoxes(db: Executor, runId: number): Promise<Array<[number, number, number, number]>> {
  const { rows } = await sql<{ w: number; s: number; e: number; n: number }>`
    SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n
    FROM coverage_polygons WHERE run_id = ${runId} AND tile IS NULL`.execute(db)
  return rows.map((r) => [r.w, r.s, r.e, r.n])
}

export async function findCoverageRunById(db: Executor, id: number): Promise<CoverageRunRow | undefined> {
  return db.selectFrom('coverage_runs').select(['id', 'kind', 'status', 'model', 'total_jobs', 'done_jobs', 'is_current', 'error', 'created_at', 'started_at', 'finished_at'])
    .where('id', '=', id).executeTakeFirst()
}

/** The run maps and indicators read for a technology (default 4G), with its parameters. */
export async function findCurrentCoverageRun(db: Executor, technology: Technology = '4G'): Promise<CoverageRunDetailRow | undefined> {
  return db.selectFrom('coverage_runs').select(RUN_DETAIL_COLUMNS).where('is_current', '=', true).where('technology', '=', technology).executeTakeFirst()
}

/** A sector with what the coverage engine needs: its site's position and ground, its operator, its radio. */
export interface CoverageSectorRow {
  sector_id: number
  site_id: number
  operator_id: number
  operator_code: string
  lon: number
  lat: number
  ground_elevation_m: number | null
  technology: Technology
  frequency_mhz: number
  azimuth_deg: number | null
  beamwidth_deg: number
  electrical_tilt_deg: number
  mechanical_tilt_deg: number
  height_m: number
  eirp_dbm: number
  gain_dbi: number
}

/** A sector with its site's service dates. */
export interface CoverageSectorDatedRow extends CoverageSectorRow {
  commissioned_on: string | null
  decommissioned_on: string | null
}

/** Sectors of every site that is or was on air (existing or decommissioned, whatever the dates), for one technology. */
export async function listSectorsOnAir(db: Executor, technology: Technology): Promise<CoverageSectorDatedRow[]> {
  return db
    .selectFrom('sectors as x')
    .innerJoin('sites as s', 's.id', 'x.site_id')
    .innerJoin('operators as o', 'o.id', 's.operator_id')
    .select([
      'x.id as sector_id', 's.id as site_id', 'o.id as operator_id', 'o.code as operator_code',
      sql<number>`ST_X(s.geom)`.as('lon'), sql<number>`ST_Y(s.geom)`.as('lat'), 's.ground_elevation_m',
      'x.technology', 'x.frequency_mhz', 'x.azimuth_deg', 'x.beamwidth_deg', 'x.electrical_tilt_deg', 'x.mechanical_tilt_deg',
      'x.height_m', 'x.eirp_dbm', 'x.gain_dbi', 's.commissioned_on', 's.decommissioned_on',
    ])
    .where('x.technology', '=', technology)
    .where('s.status', 'in', ['existing', 'decommissioned'])
    .orderBy('s.id').orderBy('x.id')
    .execute()
}

/** Whether a site with these dates is in service on a date (commissioned on or before it, not decommissioned by it). */
export function inServiceOn(row: { commissioned_on: string | null; decommissioned_on: string | null }, onDate: string): boolean {
  return (row.commissioned_on === null || row.commissioned_on <= onDate) && (row.decommissioned_on === null || row.decommissioned_on > onDate)
}

export interface NewCoverageTile {
  runId: number
  operatorId: number | null
  technology: Technology
  tile: string
  west: number
  north: number
  stepLon: number
  stepLat: number
  cols: number
  rows: number
  bestRsrpDecidbm: Uint8Array
  servingSectorIds: Uint8Array
  codec: 'raw' | 'deflate'
}

export async function insertCoverageTiles(db: Executor, tiles: readonly NewCoverageTile[]): Promise<void> {
  for (let i = 0; i < tiles.length; i += 100) {
    await db.insertInto('coverage_tiles').values(tiles.slice(i, i + 100).map((t) => ({
      run_id: t.runId, operator_id: t.operatorId, technology: t.technology, tile: t.tile, west: t.west, north: t.north,
      step_lon: t.stepLon, step_lat: t.stepLat, cols: t.cols, rows: t.rows,
      best_rsrp_decidbm: byteaFromBase64(t.bestRsrpDecidbm), serving_sector_ids: byteaFromBase64(t.servingSectorIds), codec: t.codec,
      geom: stMakeEnvelope([t.west, t.north - t.rows * t.stepLat, t.west + t.cols * t.stepLon, t.north]),
    }))).execute()
  }
}

export type CoverageTileRow = Pick<Selectable<CoverageTilesTable>,
  'tile' | 'west' | 'north' | 'step_lon' | 'step_lat' | 'cols' | 'rows' | 'best_rsrp_decidbm' | 'serving_sector_ids' | 'codec'>

/** The composite tile covering a point for a run, operator (null = any) and technology. */
export async function findCoverageTileAt(db: Executor, runId: number, operatorId: number | null, technology: Technology, lon: number, lat: number): Promise<CoverageTileRow | undefined> {
  let q = db.selectFrom('coverage_tiles')
    .select(['tile', 'west', 'north', 'step_lon', 'step_lat', 'cols', 'rows', 'codec',
      base64FromBytea('best_rsrp_decidbm').as('best'), base64FromBytea('serving_sector_ids').as('server')])
    .where('run_id', '=', runId).where('technology', '=', technology)
    .where(sql<boolean>`geom && ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`)
  q = operatorId === null ? q.where('operator_id', 'is', null) : q.where('operator_id', '=', operatorId)
  const row = await q.executeTakeFirst()
  if (!row) return undefined
  const { best, server, ...rest } = row
  return { ...rest, best_rsrp_decidbm: bytesFromBase64(best), serving_sector_ids: bytesFromBase64(server) }
}

export async function countCoverageTiles(db: Db, runId: number): Promise<number> {
  const { n } = await db.selectFrom('coverage_tiles').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow()
  return Number(n)
}

export interface NewCoveragePolygon {
  runId: number
  operatorId: number | null
  technology: Technology
  className: 'good' | 'weak' | 'none'
  model: 'fast' | 'itm' | 'radius'
  /** The composite tile it was traced in; null for the radius fallback. */
  tile: string | null
  geometry: import('geojson').MultiPolygon
}

/**
 * Stores class polygons (sent as WKB), with their area on the WGS84 ellipsoid in km²
 * (`multiPolygonAreaKm2`, computed here: PostGIS's geography area was the slowest part of
 * storing a province's polygons in PGlite). Empty geometries are skipped.
 */
export async function insertCoveragePolygons(db: Executor, polygons: readonly NewCoveragePolygon[]): Promise<void> {
  const rows = polygons.filter((p) => p.geometry.coordinates.length > 0)
  for (let i = 0; i < rows.length; i += 200) {
    await db.insertInto('coverage_polygons').values(rows.slice(i, i + 200).map((p) => ({
      run_id: p.runId, operator_id: p.operatorId, technology: p.technology, class: p.className, model: p.model, tile: p.tile,
      geom: sql<GeometryValue>`ST_Multi(ST_GeomFromWKB(${byteaFromBase64(multiPolygonToWkb(p.geometry))}, 4326))`,
      area_km2: multiPolygonAreaKm2(p.geometry.coordinates),
    }))).execute()
  }
}

/** A village with an area polygon: its area (m², WGS84 ellipsoid) and the part of it in each class polygon of a run (m², null: none). */
export interface VillageClassAreaRow {
  id: number
  population: number | null
  total: number
  good: number | null
  weak: number | null
  none: number | null
}

/** For the villages with an area polygon (all, or these), how much of it lies in each class of a run, for one operator (null = any). */
export async function listVillageClassAreas(
  db: Executor, runId: number, technology: Technology, operatorId: number | null, villageIds?: readonly number[],
): Promise<VillageClassAreaRow[]> {
  const villageFilter = villageIds ? sql`AND v.id IN (${sql.join(villageIds.length > 0 ? villageIds : [-1])})` : sql``
  const { rows } = await sql<VillageClassAreaRow>`
    SELECT v.id, v.population, ST_Area(v.area_geom::geography) AS total,
      (SELECT sum(ST_Area(ST_Intersection(p.geom, v.area_geom)::geography)) FROM coverage_polygons p
        WHERE p.run_id = ${runId} AND p.technology = ${technology} AND p.class = 'good' AND p.operator_id IS NOT DISTINCT FROM ${operatorId}::int AND p.geom && v.area_geom) AS good,
      (SELECT sum(ST_Area(ST_Intersection(p.geom, v.area_geom)::geography)) FROM coverage_polygons p
        WHERE p.run_id = ${runId} AND p.technology = ${technology} AND p.class = 'weak' AND p.operator_id IS NOT DISTINCT FROM ${operatorId}::int AND p.geom && v.area_geom) AS weak,
      (SELECT sum(ST_Area(ST_Intersection(p.geom, v.area_geom)::geography)) FROM coverage_polygons p
        WHERE p.run_id = ${runId} AND p.technology = ${technology} AND p.class = 'none' AND p.operator_id IS NOT DISTINCT FROM ${operatorId}::int AND p.geom && v.area_geom) AS none
    FROM villages v
    WHERE v.area_geom IS NOT NULL ${villageFilter}
    ORDER BY v.id`.execute(db)
  return rows
}

/** A commune minus what one key (0 = any operator, else an operator id) covers, good or weak, in a run (GeoJSON, 7 decimals; null: nothing left). */
export interface CommuneDeadAreaRow {
  key: number
  code: string
  name: string
  dead: string | null
}

/**
 * For one commune and each key (0 = any operator, else an operator id): the commune minus the
 * union of the key's good and weak polygons of a run that overlap it.
 */
export async function listCommuneDeadAreas(
  db: Executor, runId: number, technology: Technology, communeId: number, keys: readonly number[],
): Promise<CommuneDeadAreaRow[]> {
  const { rows } = await sql<CommuneDeadAreaRow>`
    WITH c AS (SELECT id, code, name, geom FROM communes WHERE id = ${communeId}),
    k AS (SELECT * FROM (VALUES ${sql.join(keys.map((k) => sql`(${k}::int)`))}) AS t (key)),
    covered AS (
      SELECT k.key, ST_Union(ST_Intersection(p.geom, c.geom)) AS g
      FROM k CROSS JOIN c
      JOIN coverage_polygons p ON p.run_id = ${runId} AND p.technology = ${technology} AND p.class IN ('good', 'weak')
        AND coalesce(p.operator_id, 0) = k.key AND p.geom && c.geom
      GROUP BY k.key
    )
    SELECT k.key, c.code, c.name,
      ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(
        CASE WHEN covered.g IS NULL THEN c.geom ELSE ST_Difference(c.geom, covered.g) END, 3)), 7) AS dead
    FROM k CROSS JOIN c LEFT JOIN covered ON covered.key = k.key`.execute(db)
  return rows
}

/** The polygonal part of a − b, both GeoJSON (7 decimals; null when nothing is left). */
export async function differenceOfPolygons(db: Executor, a: string, b: string): Promise<string | null> {
  const { rows } = await sql<{ g: string | null }>`
    SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Difference(ST_GeomFromGeoJSON(${a}), ST_GeomFromGeoJSON(${b})), 3)), 7) AS g`.execute(db)
  return rows[0]?.g ?? null
}

/** A zone's area (km², WGS84 ellipsoid) and the villages of a commune whose point lies in it, by code. */
export async function describeCommuneZone(
  db: Executor, communeId: number, geometryJson: string,
): Promise<{ area: number; villages: Array<{ id: number; code: string; name: string; population: number | null }> } | undefined> {
  const { rows } = await sql<{ area: number; villages: Array<{ id: number; code: string; name: string; population: number | null }> | string | null }>`
    WITH z AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geometryJson}), 4326) AS g)
    SELECT ST_Area(z.g::geography) / 1e6 AS area,
      (SELECT json_agg(json_build_object('id', v.id, 'code', v.code, 'name', v.name, 'population', v.population) ORDER BY v.code)
       FROM villages v WHERE v.commune_id = ${communeId} AND ST_Intersects(v.geom, z.g)) AS villages
    FROM z`.execute(db)
  const row = rows[0]
  if (!row) return undefined
  const villages = typeof row.villages === 'string' ? JSON.parse(row.villages) as Array<{ id: number; code: string; name: string; population: number | null }> : row.villages ?? []
  return { area: Number(row.area), villages }
}

/** A run with its parameters, for the API (the progress columns are kept up to date by the recompute). */
export interface CoverageRunDetailRow extends CoverageRunRow {
  params: unknown
}

const RUN_DETAIL_COLUMNS = ['id', 'kind', 'status', 'model', 'params', 'total_jobs', 'done_jobs', 'is_current', 'error', 'created_at', 'started_at', 'finished_at'] as const

export async function findCoverageRunDetailById(db: Executor, id: number): Promise<CoverageRunDetailRow | undefined> {
  return db.selectFrom('coverage_runs').select(RUN_DETAIL_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** The current run of a technology (read from the run's parameters, which every run records). */
export async function findCurrentCoverageRunDetail(db: Executor, technology: Technology): Promise<CoverageRunDetailRow | undefined> {
  return db.selectFrom('coverage_runs').select(RUN_DETAIL_COLUMNS)
    .where('is_current', '=', true).where(sql<string>`params->>'technology'`, '=', technology)
    .orderBy('id', 'desc').executeTakeFirst()
}

/** Runs, latest first, one page, with the count of all runs. */
export async function listCoverageRunDetails(db: Executor, page: { limit: number; offset: number }): Promise<{ rows: CoverageRunDetailRow[]; total: number }> {
  const { n } = await db.selectFrom('coverage_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await db.selectFrom('coverage_runs').select(RUN_DETAIL_COLUMNS).orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute()
  return { rows, total: Number(n) }
}

/** The site a sector belongs to, with its synthetic flag (what a prediction at a point rests on). */
export async function findSiteOfSector(db: Executor, sectorId: number): Promise<{ site_id: number; site_code: string; synthetic: boolean } | undefined> {
  return db.selectFrom('sectors as x').innerJoin('sites as s', 's.id', 'x.site_id')
    .select(['s.id as site_id', 's.code as site_code', 's.synthetic']).where('x.id', '=', sectorId).executeTakeFirst()
}
