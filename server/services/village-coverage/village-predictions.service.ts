import { type RawBuilder, sql } from 'kysely'
import type { Db, Executor, Technology } from '../../db/database.ts'
import { COVERAGE_THRESHOLDS_DBM, coverageClass, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'

/**
 * The predicted signal at villages on any date, from the current run of a
 * technology: for each village, the strongest sector of each operator, and of
 * any operator, among the sectors whose sites are in service that day (their
 * commissioning and decommissioning dates), with its class and serving site.
 * Exact, not interpolated: the recompute samples every sector raster at every
 * village point it covers (`village_signal`); this is a join over those
 * samples. A village moved since the last recompute has no prediction until the
 * next one (its stored point no longer matches). Sites that no DEM covered
 * (the radius model) give no village samples.
 *
 * Calibration: an offset applied for an operator (server/services/calibration/,
 * `calibration_offsets`, for the run's model) is added to that operator's
 * samples before the best server and the class are chosen, unless `calibrated`
 * is false; each prediction says which offset it carries. The map's composite
 * tiles stay uncalibrated.
 */
export interface VillagePrediction {
  villageId: number
  /** null = any operator. */
  operatorId: number | null
  rsrpDbm: number
  className: 'good' | 'weak' | 'none'
  servingSectorId: number
  servingSiteId: number
  /** The calibration offset added to the model's value, dB (0: none applied). */
  calibrationDb: number
}

export interface VillagePredictionQuery {
  technology?: Technology
  /** YYYY-MM-DD: sites in service that day count. */
  onDate: string
  villageIds?: readonly number[]
  communeIds?: readonly number[]
  thresholds?: CoverageThresholds
  /** Add the applied calibration offsets (default true). */
  calibrated?: boolean
  /** Use the run's stored best servers where no sector changed (default true; false recomputes every village — the reference). */
  useStoredBest?: boolean
}

export async function villagePredictions(db: Db, query: VillagePredictionQuery): Promise<{ runId: number | null; predictions: VillagePrediction[] }> {
  const technology = query.technology ?? '4G'
  const run = await db.selectFrom('coverage_runs').select(['id', 'model', 'params']).where('is_current', '=', true).where('technology', '=', technology).executeTakeFirst()
  if (!run) return { runId: null, predictions: [] }
  const runDate = (run.params as { onDate?: unknown } | null)?.onDate
  const offsets = new Map<number, number>()
  if (query.calibrated !== false) {
    const applied = await db.selectFrom('calibration_offsets').select(['operator_id', 'offset_db'])
      .where('technology', '=', technology).where('model', '=', run.model).where('applied', '=', true).execute()
    for (const a of applied) offsets.set(a.operator_id, Number(a.offset_db))
  }
  const villageFilter = query.villageIds ? sql`AND v.id IN (${sql.join(query.villageIds.length > 0 ? query.villageIds : [-1])})` : sql``
  const communeFilter = query.communeIds ? sql`AND v.commune_id IN (${sql.join(query.communeIds.length > 0 ? query.communeIds : [-1])})` : sql``
  // Per operator the strongest sector (an operator's offset moves all its sectors alike, so it
  // does not change which of them is best). The fast path reads the run's stored best servers
  // (runs completed before migration 0007 have none); villages sampled from a sector whose
  // service on the date differs from what the run stored for its own date (dates may have been
  // edited since), or from a sector deleted since, are worked out again from every sample.
  const hasBest = query.useStoredBest !== false && typeof runDate === 'string'
    && (await db.selectFrom('village_best').select('run_id').where('run_id', '=', run.id).limit(1).executeTakeFirst()) !== undefined
  const affected = hasBest ? await affectedVillages(db, run.id, query.onDate) : []
  // When most villages are affected (a date long before or after the run), one pass over every
  // sample is cheaper than the stored rows plus the recomputed ones.
  const villageCount = hasBest && affected.length > 0 ? Number((await sql<{ n: number }>`SELECT count(*) AS n FROM villages`.execute(db)).rows[0]!.n) : 0
  const useStored = hasBest && affected.length <= villageCount / 2
  const affectedArray = sql`${`{${affected.join(',')}}`}::int[]`
  const { rows } = useStored
    ? await sql<BestRow>`
      SELECT b.village_id, b.operator_id, b.sector_id, b.site_id, b.rsrp_dbm, b.lon, b.lat
      FROM village_best b JOIN villages v ON v.id = b.village_id AND ST_X(v.geom) = b.lon AND ST_Y(v.geom) = b.lat
      WHERE b.run_id = ${run.id} AND NOT (b.village_id = ANY(${affectedArray})) ${villageFilter} ${communeFilter}
      UNION ALL
      SELECT * FROM (${bestQuery(run.id, query.onDate, sql`${villageFilter} ${communeFilter} AND vs.village_id = ANY(${affectedArray})`)}) recomputed`.execute(db)
    : await bestQuery(run.id, query.onDate, sql`${villageFilter} ${communeFilter}`).execute(db)
  const thresholds = query.thresholds ?? COVERAGE_THRESHOLDS_DBM
  const predictions: VillagePrediction[] = []
  const anyBest = new Map<number, VillagePrediction>()
  for (const r of rows) {
    const calibrationDb = offsets.get(r.operator_id) ?? 0
    const rsrpDbm = Number(r.rsrp_dbm) + calibrationDb
    const p: VillagePrediction = {
      villageId: r.village_id, operatorId: r.operator_id, rsrpDbm, className: coverageClass(rsrpDbm, thresholds),
      servingSectorId: r.sector_id, servingSiteId: r.site_id, calibrationDb,
    }
    predictions.push(p)
    const best = anyBest.get(r.village_id)
    if (!best || p.rsrpDbm > best.rsrpDbm || (p.rsrpDbm === best.rsrpDbm && p.servingSectorId < best.servingSectorId)) anyBest.set(r.village_id, { ...p, operatorId: null })
  }
  predictions.push(...anyBest.values())
  return { runId: run.id, predictions }
}

export interface VillageAreaShares {
  villageId: number
  operatorId: number | null
  /** Share of the village's area in each class (0…1); `unknown` = no prediction there. */
  area: { good: number; weak: number; none: number; unknown: number }
  /** The same shares of its population (spread evenly over its area: no population points are stored). */
  population: { good: number; weak: number; none: number; unknown: number } | null
}

/**
 * For villages that have an area polygon: the share of that area, and of
 * their population, in each predicted class, from the current run's class
 * polygons (the run's date: the map), per operator and for any operator
 * (operatorId null). Areas on the WGS84 ellipsoid (PostGIS geography).
 */
export async function villageAreaShares(db: Db, query: { technology?: Technology; villageIds?: readonly number[]; operatorIds?: ReadonlyArray<number | null> }): Promise<VillageAreaShares[]> {
  const technology = query.technology ?? '4G'
  const run = await db.selectFrom('coverage_runs').select('id').where('is_current', '=', true).where('technology', '=', technology).executeTakeFirst()
  if (!run) return []
  const keys = query.operatorIds ?? [null]
  const villageFilter = query.villageIds ? sql`AND v.id IN (${sql.join(query.villageIds.length > 0 ? query.villageIds : [-1])})` : sql``
  const out: VillageAreaShares[] = []
  for (const operatorId of keys) {
    const { rows } = await sql<{ id: number; population: number | null; total: number; good: number | null; weak: number | null; none: number | null }>`
      SELECT v.id, v.population, ST_Area(v.area_geom::geography) AS total,
        (SELECT sum(ST_Area(ST_Intersection(p.geom, v.area_geom)::geography)) FROM coverage_polygons p
          WHERE p.run_id = ${run.id} AND p.technology = ${technology} AND p.class = 'good' AND p.operator_id IS NOT DISTINCT FROM ${operatorId}::int AND p.geom && v.area_geom) AS good,
        (SELECT sum(ST_Area(ST_Intersection(p.geom, v.area_geom)::geography)) FROM coverage_polygons p
          WHERE p.run_id = ${run.id} AND p.technology = ${technology} AND p.class = 'weak' AND p.operator_id IS NOT DISTINCT FROM ${operatorId}::int AND p.geom && v.area_geom) AS weak,
        (SELECT sum(ST_Area(ST_Intersection(p.geom, v.area_geom)::geography)) FROM coverage_polygons p
          WHERE p.run_id = ${run.id} AND p.technology = ${technology} AND p.class = 'none' AND p.operator_id IS NOT DISTINCT FROM ${operatorId}::int AND p.geom && v.area_geom) AS none
      FROM villages v
      WHERE v.area_geom IS NOT NULL ${villageFilter}
      ORDER BY v.id`.execute(db)
    for (const r of rows) {
      const total = Number(r.total)
      if (!(total > 0)) continue
      const share = (x: number | null) => Math.min(1, Math.max(0, Number(x ?? 0) / total))
      const good = share(r.good)
      const weak = share(r.weak)
      const none = share(r.none)
      const area = { good, weak, none, unknown: Math.max(0, 1 - good - weak - none) }
      out.push({
        villageId: r.id, operatorId, area,
        population: r.population === null ? null : { good: good * r.population, weak: weak * r.population, none: none * r.population, unknown: area.unknown * r.population },
      })
    }
  }
  return out
}

/** Villages with a sample from a sector whose service on the date differs from the run's record, or that was deleted. */
async function affectedVillages(db: Db, runId: number, onDate: string): Promise<number[]> {
  const { rows } = await sql<{ village_id: number }>`
    SELECT DISTINCT vs.village_id FROM village_signal vs
    WHERE vs.rsrp_dbm IS NOT NULL AND vs.input_hash IN (
      SELECT rs.input_hash FROM coverage_run_sectors rs
      LEFT JOIN sectors x ON x.id = rs.sector_id LEFT JOIN sites s ON s.id = x.site_id
      WHERE rs.run_id = ${runId} AND (x.id IS NULL OR rs.in_composite IS DISTINCT FROM ${inService(sql`s`, onDate)}))`.execute(db)
  return rows.map((r) => r.village_id)
}

interface BestRow {
  village_id: number
  operator_id: number
  sector_id: number
  site_id: number
  rsrp_dbm: number
  /** The village point the sample was taken at. */
  lon: number
  lat: number
}

/** A site (alias) in service on a date: commissioned on or before it, not decommissioned by it. */
function inService(site: RawBuilder<unknown>, onDate: string): RawBuilder<boolean> {
  return sql<boolean>`((${site}.commissioned_on IS NULL OR ${site}.commissioned_on <= ${onDate}) AND (${site}.decommissioned_on IS NULL OR ${site}.decommissioned_on > ${onDate}))`
}

/** The strongest sector per village and operator among those in service on a date, from every sample. */
function bestQuery(runId: number, onDate: string, filter: RawBuilder<unknown>): RawBuilder<BestRow> {
  return sql<BestRow>`
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
 * Stores the best server per village and operator on the run's own date (called by the recompute
 * once the villages are sampled): the fast path of `villagePredictions`.
 */
export async function storeVillageBest(db: Executor, runId: number, onDate: string): Promise<void> {
  await sql`
    INSERT INTO village_best (run_id, village_id, operator_id, lon, lat, rsrp_dbm, sector_id, site_id)
    SELECT ${runId}::int, village_id, operator_id, lon, lat, rsrp_dbm, sector_id, site_id FROM (${bestQuery(runId, onDate, sql``)}) best`.execute(db)
}
