import type { Db, ObservedStatus, ReportSource, Technology } from '../../db/database.ts'
import { COVERAGE_THRESHOLDS_DBM, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'
import { groupBy } from '../../lib/group-by.ts'
import { listCommunesWithFibreReach, listReportsInCommunesUpTo, type CommuneFibreReach } from '../../repositories/indicator-scope.repository.ts'
import { listVillagesInCommunes } from '../../repositories/villages.repository.ts'
import { villagePredictions } from '../village-coverage/village-predictions.service.ts'
import {
  officialStatus, officialStatusRule, type OfficialStatus, type OfficialStatusBasis, type OfficialStatusRule, type PredictedClass,
} from '../village-status/official-status.ts'

/**
 * The indicators a province reports, for a commune, a province or any set of
 * communes, on any date, for one operator or any operator:
 *
 * - villages by official status (good / weak / intermittent / none / unknown),
 *   villages covered (good, weak or intermittent: some 4G signal), villages
 *   with weak or intermittent signal, villages without signal — each a count
 *   and a share *of villages*, split by what it rests on (a field report or
 *   the prediction);
 * - population covered, a share *of the population* of the villages whose
 *   population is known;
 * - villages without grid power, a share of the villages whose power is known;
 * - communes reached by fibre: an existing fibre route crossing the commune or
 *   within `fibreDistanceM` (default 2 km) of its centre (ST_PointOnSurface, a
 *   point always inside the commune), a share *of communes*. Fibre routes
 *   carry no dates: today's routes count on every date;
 * - optionally the same on an earlier date and the change.
 *
 * A village's official status is `officialStatus` (server/services/village-status/)
 * applied to its predicted class on the date (`villagePredictions`: the sectors
 * in service that day) and its field reports; the rule is a parameter.
 */
export type IndicatorKey =
  | 'villages_total' | 'villages_good' | 'villages_weak' | 'villages_intermittent' | 'villages_none' | 'villages_unknown'
  | 'villages_covered' | 'villages_weak_or_intermittent' | 'population_covered' | 'villages_without_grid_power'
  | 'communes_reached_by_fibre'

export type Denominator = 'villages' | 'population' | 'communes' | 'villages with known grid power'

export interface IndicatorFigure {
  key: IndicatorKey
  value: number
  /** What the share is a share of, and how many of them there are. */
  denominator: { of: Denominator; value: number } | null
  /** value / denominator × 100, one decimal; null without a denominator or when it is 0. */
  percent: number | null
  /** For village counts: how many rest on a field report and how many on the prediction. */
  basis?: { report: number; prediction: number }
}

export interface VillageStatus {
  villageId: number
  code: string
  name: string
  communeId: number
  population: number | null
  hasGridPower: boolean | null
  predicted: PredictedClass | null
  predictedRsrpDbm: number | null
  servingSiteId: number | null
  observed: ObservedStatus | null
  official: OfficialStatus
  basis: OfficialStatusBasis
  report: { id: number; reportedOn: string; source: ReportSource; verified: boolean } | null
}

export interface IndicatorQuery {
  technology?: Technology
  /** YYYY-MM-DD */
  onDate: string
  /** An earlier date to compare with. */
  since?: string
  /** null or absent = any operator. */
  operatorId?: number | null
  /** The communes; absent = every commune of `provinceId`, or every commune. */
  communeIds?: readonly number[]
  provinceId?: number
  rule?: Partial<OfficialStatusRule>
  thresholds?: CoverageThresholds
  fibreDistanceM?: number
  /**
   * Whether unverified (unpublished) reports may be read: false for the public
   * (services/access/viewer.ts), so neither a village's observed status nor any
   * figure rests on them; absent = true (every report, e.g. scripts).
   */
  unverifiedReports?: boolean
}

export interface CommuneIndicators {
  communeId: number
  code: string
  name: string
  reachedByFibre: boolean
  figures: IndicatorFigure[]
}

export interface IndicatorReport {
  onDate: string
  technology: Technology
  operatorId: number | null
  /** The coverage run the predictions come from (null: no coverage computed yet — every prediction is unknown). */
  runId: number | null
  rule: OfficialStatusRule
  thresholds: CoverageThresholds
  fibreDistanceM: number
  total: IndicatorFigure[]
  communes: CommuneIndicators[]
  since?: { onDate: string; total: IndicatorFigure[]; change: Array<{ key: IndicatorKey; value: number; percentPoints: number | null }> }
}

export const DEFAULT_FIBRE_DISTANCE_M = 2000

export async function computeIndicators(db: Db, query: IndicatorQuery): Promise<IndicatorReport> {
  const technology = query.technology ?? '4G'
  const rule = officialStatusRule(query.rule)
  const thresholds = query.thresholds ?? COVERAGE_THRESHOLDS_DBM
  const fibreDistanceM = query.fibreDistanceM ?? DEFAULT_FIBRE_DISTANCE_M
  const communes = await listCommunesWithFibreReach(db, { communeIds: query.communeIds, provinceId: query.provinceId, fibreDistanceM })
  const at = await villageStatuses(db, { ...query, technology, communeIds: communes.map((c) => c.id) }, rule, thresholds, query.onDate)
  const report: IndicatorReport = {
    onDate: query.onDate, technology, operatorId: query.operatorId ?? null, runId: at.runId, rule, thresholds, fibreDistanceM,
    total: figures(at.villages, communes),
    communes: communes.map((c) => ({
      communeId: c.id, code: c.code, name: c.name, reachedByFibre: c.reached,
      figures: figures(at.villages.filter((v) => v.communeId === c.id), [c]),
    })),
  }
  if (query.since !== undefined) {
    const before = await villageStatuses(db, { ...query, technology, communeIds: communes.map((c) => c.id) }, rule, thresholds, query.since)
    const total = figures(before.villages, communes)
    report.since = {
      onDate: query.since,
      total,
      change: report.total.map((f) => {
        const b = total.find((x) => x.key === f.key)!
        // From the exact shares, not the rounded ones (33.3 − 16.7 would give 16.6 instead of 16.7).
        const share = (x: IndicatorFigure) => (x.denominator && x.denominator.value > 0 ? (100 * x.value) / x.denominator.value : null)
        const now = share(f)
        const then = share(b)
        return { key: f.key, value: f.value - b.value, percentPoints: now === null || then === null ? null : round1(now - then) }
      }),
    }
  }
  return report
}

/** Every village of the communes with its predicted, observed and official status on a date. */
export async function villageStatuses(
  db: Db, query: IndicatorQuery & { communeIds: readonly number[] }, rule: OfficialStatusRule, thresholds: CoverageThresholds, onDate: string,
): Promise<{ runId: number | null; villages: VillageStatus[] }> {
  const operatorId = query.operatorId ?? null
  const technology = query.technology ?? '4G'
  if (query.communeIds.length === 0) return { runId: null, villages: [] }
  const villages = await listVillagesInCommunes(db, query.communeIds)
  const { runId, predictions } = await villagePredictions(db, { technology, onDate, communeIds: query.communeIds, thresholds })
  const predicted = new Map(predictions.filter((p) => p.operatorId === operatorId).map((p) => [p.villageId, p]))
  const reports = await listReportsInCommunesUpTo(db, query.communeIds, onDate, { verifiedOnly: query.unverifiedReports === false })
  const reportsOf = groupBy(reports, (r) => r.village_id)
  return {
    runId,
    villages: villages.map((v) => {
      const p = predicted.get(v.id)
      const result = officialStatus({
        predicted: p?.className ?? null, onDate, operator: operatorId, technology,
        reports: (reportsOf.get(v.id) ?? []).map((r) => ({
          id: r.id, reportedOn: String(r.reported_on), observedStatus: r.observed_status, verified: r.verified, source: r.source,
          operator: r.operator_id, technology: r.technology, createdAt: r.created_at,
        })),
      }, rule)
      return {
        villageId: v.id, code: v.code, name: v.name, communeId: v.commune_id, population: v.population, hasGridPower: v.has_grid_power,
        predicted: p?.className ?? null, predictedRsrpDbm: p?.rsrpDbm ?? null, servingSiteId: p?.servingSiteId ?? null,
        observed: result.observed, official: result.official, basis: result.basis,
        report: result.report ? { id: result.report.id!, reportedOn: result.report.reportedOn, source: result.report.source, verified: result.report.verified } : null,
      }
    }),
  }
}

const COVERED: ReadonlySet<OfficialStatus> = new Set(['good', 'weak', 'intermittent'])

function figures(villages: readonly VillageStatus[], communes: readonly CommuneFibreReach[]): IndicatorFigure[] {
  const n = villages.length
  const count = (key: IndicatorKey, keep: (v: VillageStatus) => boolean): IndicatorFigure => {
    const chosen = villages.filter(keep)
    return {
      key, value: chosen.length, denominator: { of: 'villages', value: n }, percent: pct(chosen.length, n),
      basis: { report: chosen.filter((v) => v.basis === 'report').length, prediction: chosen.filter((v) => v.basis === 'prediction').length },
    }
  }
  const withPopulation = villages.filter((v) => v.population !== null)
  const population = withPopulation.reduce((s, v) => s + v.population!, 0)
  const coveredPopulation = withPopulation.filter((v) => COVERED.has(v.official)).reduce((s, v) => s + v.population!, 0)
  const powerKnown = villages.filter((v) => v.hasGridPower !== null)
  const withoutPower = powerKnown.filter((v) => v.hasGridPower === false).length
  const reached = communes.filter((c) => c.reached).length
  return [
    { key: 'villages_total', value: n, denominator: null, percent: null },
    count('villages_good', (v) => v.official === 'good'),
    count('villages_weak', (v) => v.official === 'weak'),
    count('villages_intermittent', (v) => v.official === 'intermittent'),
    count('villages_none', (v) => v.official === 'none'),
    count('villages_unknown', (v) => v.official === 'unknown'),
    count('villages_covered', (v) => COVERED.has(v.official)),
    count('villages_weak_or_intermittent', (v) => v.official === 'weak' || v.official === 'intermittent'),
    { key: 'population_covered', value: coveredPopulation, denominator: { of: 'population', value: population }, percent: pct(coveredPopulation, population) },
    { key: 'villages_without_grid_power', value: withoutPower, denominator: { of: 'villages with known grid power', value: powerKnown.length }, percent: pct(withoutPower, powerKnown.length) },
    { key: 'communes_reached_by_fibre', value: reached, denominator: { of: 'communes', value: communes.length }, percent: pct(reached, communes.length) },
  ]
}

function pct(value: number, of: number): number | null {
  return of > 0 ? round1((100 * value) / of) : null
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}
