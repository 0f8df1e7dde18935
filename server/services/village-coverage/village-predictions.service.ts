import { sql } from 'kysely'
import type { Db, Technology } from '../../db/database.ts'
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
}

export async function villagePredictions(db: Db, query: VillagePredictionQuery): Promise<{ runId: number | null; predictions: VillagePrediction[] }> {
  const technology = query.technology ?? '4G'
  const run = await db.selectFrom('coverage_runs').select(['id', 'model']).where('is_current', '=', true).where('technology', '=', technology).executeTakeFirst()
  if (!run) return { runId: null, predictions: [] }
  const offsets = new Map<number, number>()
  if (query.calibrated !== false) {
    const applied = await db.selectFrom('calibration_offsets').select(['operator_id', 'offset_db'])
      .where('technology', '=', technology).where('model', '=', run.model).where('applied', '=', true).execute()
    for (const a of applied) offsets.set(a.operator_id, Number(a.offset_db))
  }
  const villageFilter = query.villageIds ? sql`AND v.id IN (${sql.join(query.villageIds.length > 0 ? query.villageIds : [-1])})` : sql``
  const communeFilter = query.communeIds ? sql`AND v.commune_id IN (${sql.join(query.communeIds.length > 0 ? query.communeIds : [-1])})` : sql``
  // Per operator the strongest sector (an operator's offset moves all its sectors alike, so it
  // does not change which of them is best).
  const { rows } = await sql<{ village_id: number; operator_id: number; sector_id: number; site_id: number; rsrp_dbm: number }>`
    SELECT DISTINCT ON (vs.village_id, rs.operator_id) vs.village_id, rs.operator_id, rs.sector_id, x.site_id, vs.rsrp_dbm
    FROM village_signal vs
    JOIN coverage_run_sectors rs ON rs.input_hash = vs.input_hash AND rs.run_id = ${run.id}
    JOIN sectors x ON x.id = rs.sector_id
    JOIN sites s ON s.id = x.site_id
    JOIN villages v ON v.id = vs.village_id AND ST_X(v.geom) = vs.lon AND ST_Y(v.geom) = vs.lat
    WHERE vs.rsrp_dbm IS NOT NULL
      AND (s.commissioned_on IS NULL OR s.commissioned_on <= ${query.onDate})
      AND (s.decommissioned_on IS NULL OR s.decommissioned_on > ${query.onDate})
      ${villageFilter} ${communeFilter}
    ORDER BY vs.village_id, rs.operator_id, vs.rsrp_dbm DESC, rs.sector_id`.execute(db)
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
