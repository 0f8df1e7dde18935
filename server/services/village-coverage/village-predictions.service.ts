import type { Db, Technology } from '../../db/database.ts'
import { COVERAGE_THRESHOLDS_DBM, coverageClass, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'
import { listAppliedCalibrationOffsets } from '../../repositories/calibration.repository.ts'
import { findCurrentCoverageRun, listVillageClassAreas } from '../../repositories/coverage.repository.ts'
import { hasVillageBest, listVillageBestServers, listVillagesWithChangedSectors } from '../../repositories/sector-rasters.repository.ts'
import { countVillages } from '../../repositories/villages.repository.ts'

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
  const run = await findCurrentCoverageRun(db, technology)
  if (!run) return { runId: null, predictions: [] }
  const runDate = (run.params as { onDate?: unknown } | null)?.onDate
  const offsets = new Map<number, number>()
  if (query.calibrated !== false) {
    const applied = await listAppliedCalibrationOffsets(db, technology)
    for (const a of applied) if (a.model === run.model) offsets.set(a.operator_id, Number(a.offset_db))
  }
  // Per operator the strongest sector (an operator's offset moves all its sectors alike, so it
  // does not change which of them is best). The fast path reads the run's stored best servers
  // (runs completed before migration 0007 have none); villages sampled from a sector whose
  // service on the date differs from what the run stored for its own date (dates may have been
  // edited since), or from a sector deleted since, are worked out again from every sample.
  const hasBest = query.useStoredBest !== false && typeof runDate === 'string' && await hasVillageBest(db, run.id)
  const affected = hasBest ? await listVillagesWithChangedSectors(db, run.id, query.onDate) : []
  // When most villages are affected (a date long before or after the run), one pass over every
  // sample is cheaper than the stored rows plus the recomputed ones.
  const villageCount = hasBest && affected.length > 0 ? await countVillages(db) : 0
  const useStored = hasBest && affected.length <= villageCount / 2
  const scope = { villageIds: query.villageIds, communeIds: query.communeIds }
  const rows = await listVillageBestServers(db, run.id, query.onDate, scope, useStored ? affected : undefined)
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
  const run = await findCurrentCoverageRun(db, technology)
  if (!run) return []
  const keys = query.operatorIds ?? [null]
  const out: VillageAreaShares[] = []
  for (const operatorId of keys) {
    const rows = await listVillageClassAreas(db, run.id, technology, operatorId, query.villageIds)
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
