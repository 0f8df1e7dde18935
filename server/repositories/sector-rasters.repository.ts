import { type RawBuilder, sql } from 'kysely'
import type { Executor, Technology, Tx } from '../db/database.ts'
import { base64FromBytea, byteaFromBase64, bytesFromBase64 } from '../db/bytea.ts'

/**
 * Sector rasters stored by their inputs' hash, the rasters each run used, and
 * the copying and pruning that make a recompute incremental (migrations/0004);
 * the village samples of those rasters and each run's best servers at villages
 * (migrations/0005, 0007).
 */

const CHUNK = 500

export interface StoredSectorRaster {
  input_hash: string
  sector_id: number
  west: number
  north: number
  step_lon: number
  step_lat: number
  cols: number
  rows: number
  rsrp: Uint8Array
}

export type SectorRasterWindow = Omit<StoredSectorRaster, 'rsrp'>

/** Which of these hashes already have a stored raster. */
export async function findStoredSectorRasterHashes(db: Executor, hashes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < hashes.length; i += CHUNK) {
    const rows = await db.selectFrom('sector_rasters').select('input_hash').where('input_hash', 'in', hashes.slice(i, i + CHUNK)).execute()
    for (const r of rows) found.add(r.input_hash)
  }
  return found
}

/**
 * Stores rasters (a raster already stored under the same hash is kept: same inputs, same raster).
 * Bytes travel as base64 text decoded by the server (`byteaFromBase64`).
 */
export async function insertSectorRasters(db: Executor, rows: readonly StoredSectorRaster[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50) {
    await db.insertInto('sector_rasters')
      .values(rows.slice(i, i + 50).map((r) => ({ ...r, rsrp: byteaFromBase64(r.rsrp), model: 'fast' as const, codec: 'half-db-deflate' as const })))
      .onConflict((oc) => oc.column('input_hash').doNothing())
      .execute()
  }
}

/** The stored rasters of these hashes (those that exist). */
export async function fetchSectorRasters(db: Executor, hashes: readonly string[]): Promise<StoredSectorRaster[]> {
  const out: StoredSectorRaster[] = []
  for (let i = 0; i < hashes.length; i += CHUNK) {
    const rows = await db.selectFrom('sector_rasters')
      .select(['input_hash', 'sector_id', 'west', 'north', 'step_lon', 'step_lat', 'cols', 'rows', base64FromBytea('rsrp').as('rsrp')])
      .where('input_hash', 'in', hashes.slice(i, i + CHUNK)).execute()
    for (const r of rows) out.push({ ...r, rsrp: bytesFromBase64(r.rsrp) })
  }
  return out
}

export interface RunSector {
  sector_id: number
  operator_id: number
  input_hash: string
  /** Whether the run's composites use it (its site in service on the run's date). */
  in_composite: boolean
}

export async function insertRunSectors(db: Executor, runId: number, rows: readonly RunSector[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db.insertInto('coverage_run_sectors').values(rows.slice(i, i + CHUNK).map((r) => ({ run_id: runId, ...r }))).execute()
  }
}

/** The sectors a run used, with their rasters' windows. */
export async function listRunSectors(db: Executor, runId: number): Promise<Array<RunSector & SectorRasterWindow>> {
  return db.selectFrom('coverage_run_sectors as r').innerJoin('sector_rasters as x', 'x.input_hash', 'r.input_hash')
    .select(['r.sector_id', 'r.operator_id', 'r.input_hash', 'r.in_composite', 'x.west', 'x.north', 'x.step_lon', 'x.step_lat', 'x.cols', 'x.rows'])
    .where('r.run_id', '=', runId).orderBy('r.sector_id').execute()
}

/** Copies a run's composite tiles and their class polygons into another run, except the listed tiles. */
export async function copyCompositeTiles(tx: Tx, fromRunId: number, toRunId: number, exceptTiles: readonly string[]): Promise<void> {
  const except = exceptTiles.length > 0 ? sql`AND tile NOT IN (${sql.join(exceptTiles.map((t) => sql`${t}`))})` : sql``
  await sql`
    INSERT INTO coverage_tiles (run_id, operator_id, technology, tile, west, north, step_lon, step_lat, cols, rows, best_rsrp_decidbm, serving_sector_ids, codec, geom)
    SELECT ${toRunId}, operator_id, technology, tile, west, north, step_lon, step_lat, cols, rows, best_rsrp_decidbm, serving_sector_ids, codec, geom
    FROM coverage_tiles WHERE run_id = ${fromRunId} ${except}`.execute(tx)
  await sql`
    INSERT INTO coverage_polygons (run_id, operator_id, technology, class, model, tile, geom, area_km2)
    SELECT ${toRunId}, operator_id, technology, class, model, tile, geom, area_km2
    FROM coverage_polygons WHERE run_id = ${fromRunId} AND tile IS NOT NULL ${except}`.execute(tx)
}

/**
 * Drops the stored results of the finished runs of a technology other than
 * `keepRunId` (their run rows stay, as history), then the sector rasters no
 * run refers to any more — those stored before `keepRunId` started: a run
 * still going elsewhere may have stored rasters it has not listed yet.
 */
export async function pruneCoverageRuns(tx: Tx, technology: Technology, keepRunId: number): Promise<void> {
  const stale = sql`SELECT id FROM coverage_runs WHERE technology = ${technology} AND status <> 'running' AND id <> ${keepRunId}`
  await sql`DELETE FROM coverage_tiles WHERE run_id IN (${stale})`.execute(tx)
  await sql`DELETE FROM coverage_polygons WHERE run_id IN (${stale})`.execute(tx)
  await sql`DELETE FROM village_best WHERE run_id IN (${stale})`.execute(tx)
  await sql`DELETE FROM coverage_run_sectors WHERE run_id IN (${stale})`.execute(tx)
  await sql`
    DELETE FROM sector_rasters x
    WHERE x.created_at < (SELECT started_at FROM coverage_runs WHERE id = ${keepRunId})
      AND NOT EXISTS (SELECT 1 FROM coverage_run_sectors r WHERE r.input_hash = x.input_hash)`.execute(tx)
}

/** Every village point. */
export async function listVillagePoints(db: Executor): Promise<Array<{ id: number; lon: number; lat: number }>> {
  return db.selectFrom('villages').select(['id', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')]).orderBy('id').execute()
}

/** The village samples already stored for these rasters: `${village_id}|${input_hash}` → the point sampled. */
export async function findVillageSignalKeys(db: Executor, hashes: readonly string[]): Promise<Map<string, { lon: number; lat: number }>> {
  const out = new Map<string, { lon: number; lat: number }>()
  for (let i = 0; i < hashes.length; i += CHUNK) {
    const rows = await db.selectFrom('village_signal').select(['village_id', 'input_hash', 'lon', 'lat'])
      .where('input_hash', 'in', hashes.slice(i, i + CHUNK)).execute()
    for (const r of rows) out.set(`${r.village_id}|${r.input_hash}`, { lon: r.lon, lat: r.lat })
  }
  return out
}

export interface VillageSignalRow {
  village_id: number
  input_hash: string
  lon: number
  lat: number
  rsrp_dbm: number | null
}

/** Stores village samples (a village sampled again for the same raster, after it moved, replaces its row). */
export async function upsertVillageSignal(db: Executor, rows: readonly VillageSignalRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db.insertInto('village_signal').values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['village_id', 'input_hash']).doUpdateSet((eb) => ({
        lon: eb.ref('excluded.lon'), lat: eb.ref('excluded.lat'), rsrp_dbm: eb.ref('excluded.rsrp_dbm'),
      })))
      .execute()
  }
}

/** A village's strongest sector of one operator, with the village point the sample was taken at. */
export interface VillageBestRow {
  village_id: number
  operator_id: number
  sector_id: number
  site_id: number
  rsrp_dbm: number
  lon: number
  lat: number
}

/** Which villages the best servers are wanted for (absent: every village). */
export interface VillageBestScope {
  villageIds?: readonly number[]
  communeIds?: readonly number[]
}

function villageScopeFilter(scope: VillageBestScope): RawBuilder<unknown> {
  const villageFilter = scope.villageIds ? sql`AND v.id IN (${sql.join(scope.villageIds.length > 0 ? scope.villageIds : [-1])})` : sql``
  const communeFilter = scope.communeIds ? sql`AND v.commune_id IN (${sql.join(scope.communeIds.length > 0 ? scope.communeIds : [-1])})` : sql``
  return sql`${villageFilter} ${communeFilter}`
}

/** A site (alias) in service on a date: commissioned on or before it, not decommissioned by it. */
function inService(site: RawBuilder<unknown>, onDate: string): RawBuilder<boolean> {
  return sql<boolean>`((${site}.commissioned_on IS NULL OR ${site}.commissioned_on <= ${onDate}) AND (${site}.decommissioned_on IS NULL OR ${site}.decommissioned_on > ${onDate}))`
}

/** The strongest sector per village and operator among those in service on a date, from every sample of a run's rasters. */
function bestQuery(runId: number, onDate: string, filter: RawBuilder<unknown>): RawBuilder<VillageBestRow> {
  return sql<VillageBestRow>`
    SELECT DISTINCT ON (vs.village_id, rs.operator_id) vs.village_id, rs.operator_id, rs.sector_id, x.site_id, vs.rsrp_dbm, vs.lon, vs.lat
    FROM village_signal vs
    JOIN coverage_run_sectors rs ON rs.input_hash = vs.input_hash AND rs.run_id = ${runId}
    JOIN sectors x ON x.id = rs.sector_id
    JOIN sites s ON s.id = x.site_id
    JOIN villages v ON v.id = vs.village_id AND ST_X(v.geom) = vs.lon AND ST_Y(v.geom) = vs.lat
    WHERE vs.rsrp_dbm IS NOT NULL AND ${inService(sql`s`, onDate)} ${filter}
    ORDER BY vs.village_id, rs.operator_id, vs.rsrp_dbm DESC, rs.sector_id`
}

/**
 * The strongest sector per village (still at its sampled point) and operator among the sectors
 * in service on a date: worked out from every sample, or — with `storedExcept` — read from the
 * run's stored best servers except for the listed villages, which are worked out from every sample.
 */
export async function listVillageBestServers(
  db: Executor, runId: number, onDate: string, scope: VillageBestScope, storedExcept?: readonly number[],
): Promise<VillageBestRow[]> {
  const filter = villageScopeFilter(scope)
  if (storedExcept === undefined) return (await bestQuery(runId, onDate, filter).execute(db)).rows
  const except = sql`${`{${storedExcept.join(',')}}`}::int[]`
  const { rows } = await sql<VillageBestRow>`
    SELECT b.village_id, b.operator_id, b.sector_id, b.site_id, b.rsrp_dbm, b.lon, b.lat
    FROM village_best b JOIN villages v ON v.id = b.village_id AND ST_X(v.geom) = b.lon AND ST_Y(v.geom) = b.lat
    WHERE b.run_id = ${runId} AND NOT (b.village_id = ANY(${except})) ${filter}
    UNION ALL
    SELECT * FROM (${bestQuery(runId, onDate, sql`${filter} AND vs.village_id = ANY(${except})`)}) recomputed`.execute(db)
  return rows
}

/** Whether a run stored its best servers at villages (runs completed before migration 0007 did not). */
export async function hasVillageBest(db: Executor, runId: number): Promise<boolean> {
  return (await db.selectFrom('village_best').select('run_id').where('run_id', '=', runId).limit(1).executeTakeFirst()) !== undefined
}

/** Villages with a sample from a run's sector whose service on the date differs from the run's record, or that was deleted. */
export async function listVillagesWithChangedSectors(db: Executor, runId: number, onDate: string): Promise<number[]> {
  const { rows } = await sql<{ village_id: number }>`
    SELECT DISTINCT vs.village_id FROM village_signal vs
    WHERE vs.rsrp_dbm IS NOT NULL AND vs.input_hash IN (
      SELECT rs.input_hash FROM coverage_run_sectors rs
      LEFT JOIN sectors x ON x.id = rs.sector_id LEFT JOIN sites s ON s.id = x.site_id
      WHERE rs.run_id = ${runId} AND (x.id IS NULL OR rs.in_composite IS DISTINCT FROM ${inService(sql`s`, onDate)}))`.execute(db)
  return rows.map((r) => r.village_id)
}

/**
 * Stores the best server per village and operator on the run's own date (called by the recompute
 * once the villages are sampled): the fast path of the village predictions.
 */
export async function insertVillageBest(db: Executor, runId: number, onDate: string): Promise<void> {
  await sql`
    INSERT INTO village_best (run_id, village_id, operator_id, lon, lat, rsrp_dbm, sector_id, site_id)
    SELECT ${runId}::int, village_id, operator_id, lon, lat, rsrp_dbm, sector_id, site_id FROM (${bestQuery(runId, onDate, sql``)}) best`.execute(db)
}
