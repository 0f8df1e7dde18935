import type { CommuneType, Db, ObservedStatus, ReportSource, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { COVERAGE_THRESHOLDS_DBM, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'
import { listAppliedCalibrationOffsets } from '../../repositories/calibration.repository.ts'
import { findCoverageRunDetailById } from '../../repositories/coverage.repository.ts'
import {
  findProvinceByCode, listCommunesByCodes, listCommunesByIds, listSiteCodesByIds, type ScopeCommuneRow,
} from '../../repositories/indicator-scope.repository.ts'
import { listOperators } from '../../repositories/operators.repository.ts'
import {
  officialStatusRule, type OfficialStatus, type OfficialStatusBasis, type OfficialStatusRule, type PredictedClass,
} from '../village-status/official-status.ts'
import { visibilityOf, type Viewer } from '../access/viewer.ts'
import { ruleDescription } from './indicator-labels.ts'
import { villageAreaShares } from '../village-coverage/village-predictions.service.ts'
import { computeIndicators, DEFAULT_FIBRE_DISTANCE_M, villageStatuses, type IndicatorFigure, type IndicatorKey, type VillageStatus } from './indicators.service.ts'
import { todayInVietnam } from '../../lib/vietnam-time.ts'

/**
 * The indicators as the API and the exports give them: the request's codes
 * (province, communes, operator) resolved to ids and checked (an unknown code
 * is a 400 naming the parameter), `computeIndicators` / `villageStatuses` run,
 * and their ids turned back into codes and names; plus what the predictions
 * rest on (the coverage run, its model, whether its terrain was synthetic).
 * The figures themselves are `computeIndicators`' own, unchanged.
 */

/** An indicators request, with codes as users write them. */
export interface IndicatorRequest {
  /** 2-digit province code. */
  province?: string
  /** 5-digit commune codes. */
  communes?: readonly string[]
  /** YYYY-MM-DD; default today in Vietnam. */
  date?: string
  /** An earlier YYYY-MM-DD to compare with. */
  since?: string
  technology?: Technology
  /** Operator code; absent = any operator. */
  operator?: string
  fibreDistanceM?: number
  reportMaxAgeDays?: number
  requireVerified?: boolean
  trustedSources?: readonly ReportSource[]
  /** Who asks: the public's indicators never rest on unverified reports (services/access/viewer.ts). */
  viewer: Viewer
}

export interface NamedRef {
  code: string
  name: string
}

/** What the predicted classes come from. */
export interface PredictionSource {
  /** The current coverage run of the technology; null: none yet, every prediction is unknown. */
  runId: number | null
  model: string | null
  /** When the run finished (ISO). */
  computedAt: string | null
  /** The 1° DEM tiles the run read, by kind (from the run's parameters); null when it does not say. */
  dem: { real: number; synthetic: number; sea: number; missing: number } | null
  /** Was the terrain synthetic: none of it, part of it, all of it; null when unknown. */
  demSynthetic: 'none' | 'partly' | 'all' | null
  /** Calibration offsets (fitted to measurements) added to the model's values at the villages, per operator; empty: none applied. */
  calibration: Array<{ operator: string; offsetDb: number }>
}

export interface RuleView extends Omit<OfficialStatusRule, 'sourcesTrusted'> {
  sourcesTrusted: ReportSource[]
  description: string
}

export interface CommuneIndicatorsView {
  id: number
  code: string
  name: string
  type: CommuneType
  reachedByFibre: boolean
  figures: IndicatorFigure[]
}

export interface IndicatorReportView {
  date: string
  technology: Technology
  operator: NamedRef | null
  province: NamedRef | null
  rule: RuleView
  thresholds: CoverageThresholds
  fibreDistanceM: number
  prediction: PredictionSource
  total: IndicatorFigure[]
  communes: CommuneIndicatorsView[]
  since?: { date: string; total: IndicatorFigure[]; change: Array<{ key: IndicatorKey; value: number; percentPoints: number | null }> }
}

export interface VillageStatusView {
  id: number
  code: string
  name: string
  population: number | null
  hasGridPower: boolean | null
  predicted: PredictedClass | null
  /** Best-server RSRP at the village point, dBm, 0.1 dB. */
  predictedRsrpDbm: number | null
  servingSite: { id: number; code: string; operator: string } | null
  observed: ObservedStatus | null
  official: OfficialStatus
  basis: OfficialStatusBasis
  /** The report the official status rests on (basis 'report'). */
  report: { id: number; reportedOn: string; source: ReportSource; verified: boolean } | null
  /**
   * For a village with an area polygon: the predicted share of its area and of its population in
   * each class (the current run's map, its own date); null without a polygon.
   */
  areaShares?: { area: ClassShares; population: ClassShares | null } | null
}

type ClassShares = { good: number; weak: number; none: number; unknown: number }

export interface CommuneVillagesView {
  date: string
  technology: Technology
  operator: NamedRef | null
  rule: RuleView
  thresholds: CoverageThresholds
  prediction: PredictionSource
  commune: { id: number; code: string; name: string; type: CommuneType }
  villages: VillageStatusView[]
}


interface ResolvedRequest {
  date: string
  since: string | undefined
  technology: Technology
  operator: (NamedRef & { id: number }) | null
  province: (NamedRef & { id: number }) | null
  communes: ScopeCommuneRow[] | undefined
  rule: OfficialStatusRule
  fibreDistanceM: number
  unverifiedReports: boolean
}

function badQuery(code: 'unknown-reference' | 'validation-failed', field: string, value: unknown, reason: string, detail: string): AppError {
  return new AppError(code, `${field}: ${detail}`, [{ field, location: 'querystring', value, reason }])
}

async function resolveRequest(db: Db, req: IndicatorRequest): Promise<ResolvedRequest> {
  const date = req.date ?? todayInVietnam()
  if (req.since !== undefined && req.since >= date) {
    throw badQuery('validation-failed', 'since', req.since, `must be a day before date (${date})`, `${req.since} is not before ${date}`)
  }
  let operator: ResolvedRequest['operator'] = null
  if (req.operator !== undefined) {
    const found = (await listOperators(db)).find((o) => o.code === req.operator)
    if (!found) throw badQuery('unknown-reference', 'operator', req.operator, 'unknown operator (see GET /api/operators)', `no operator has code ${req.operator}`)
    operator = { id: found.id, code: found.code, name: found.name }
  }
  let province: ResolvedRequest['province'] = null
  if (req.province !== undefined) {
    const found = await findProvinceByCode(db, req.province)
    if (!found) throw badQuery('unknown-reference', 'province', req.province, 'unknown province', `no province has code ${req.province}`)
    province = found
  }
  let communes: ScopeCommuneRow[] | undefined
  if (req.communes !== undefined) {
    communes = await listCommunesByCodes(db, req.communes)
    const known = new Set(communes.map((c) => c.code))
    const unknown = [...new Set(req.communes)].filter((c) => !known.has(c))
    if (unknown.length > 0) {
      throw badQuery('unknown-reference', 'commune', unknown.join(','), `unknown commune code${unknown.length > 1 ? 's' : ''} (see GET /api/communes)`,
        `no commune has code ${unknown.join(', ')}`)
    }
    const outside = province ? communes.filter((c) => c.province_id !== province.id) : []
    if (province && outside.length > 0) {
      throw badQuery('validation-failed', 'commune', outside.map((c) => c.code).join(','), `not in province ${province.code}`,
        `${outside.map((c) => c.code).join(', ')} ${outside.length > 1 ? 'are' : 'is'} not in province ${province.code} (${province.name})`)
    }
  }
  const overrides: Partial<OfficialStatusRule> = {}
  if (req.reportMaxAgeDays !== undefined) overrides.reportMaxAgeDays = req.reportMaxAgeDays
  if (req.requireVerified !== undefined) overrides.requireVerified = req.requireVerified
  if (req.trustedSources !== undefined) overrides.sourcesTrusted = [...new Set(req.trustedSources)]
  let rule: OfficialStatusRule
  try {
    rule = officialStatusRule(overrides)
  } catch (err) {
    throw new AppError('validation-failed', (err as Error).message, [{ location: 'querystring', field: 'reportMaxAgeDays', reason: (err as Error).message }])
  }
  return {
    date, since: req.since, technology: req.technology ?? '4G', operator, province, communes, rule,
    fibreDistanceM: req.fibreDistanceM ?? DEFAULT_FIBRE_DISTANCE_M, unverifiedReports: visibilityOf(req.viewer).unverifiedReports,
  }
}

function ruleView(rule: OfficialStatusRule): RuleView {
  return { ...rule, sourcesTrusted: [...rule.sourcesTrusted], description: ruleDescription(rule, 'en') }
}

/**
 * The coverage run the predictions come from, whether its terrain was
 * synthetic, and the calibration offsets the village predictions carry (those
 * applied for the technology and the run's model; for one operator, its own).
 */
async function predictionSource(db: Db, runId: number | null, technology: Technology, operator: string | null): Promise<PredictionSource> {
  const run = runId === null ? undefined : await findCoverageRunDetailById(db, runId)
  if (!run) return { runId, model: null, computedAt: null, dem: null, demSynthetic: null, calibration: [] }
  const params = (typeof run.params === 'string' ? JSON.parse(run.params) : run.params) as { dem?: Record<string, unknown> | null } | null
  const d = params?.dem
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
  const dem = d && typeof d === 'object' ? { real: n(d.real), synthetic: n(d.synthetic), sea: n(d.sea), missing: n(d.missing) } : null
  const demSynthetic = !dem ? null : dem.synthetic === 0 ? 'none' : dem.real === 0 ? 'all' : 'partly'
  const calibration = (await listAppliedCalibrationOffsets(db, technology))
    .filter((o) => o.model === run.model && (operator === null || o.operator_code === operator) && Number(o.offset_db) !== 0)
    .map((o) => ({ operator: o.operator_code, offsetDb: Number(o.offset_db) }))
  return { runId: run.id, model: run.model, computedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null, dem, demSynthetic, calibration }
}

/** `GET /api/indicators`: the indicators of a province, of some communes or of every commune, on a date. */
export async function indicatorReport(db: Db, req: IndicatorRequest): Promise<IndicatorReportView> {
  return reportOf(db, await resolveRequest(db, req))
}

/** The indicators and, for the exports' per-commune sheets, every village of each commune by commune id. */
export async function indicatorReportWithVillages(db: Db, req: IndicatorRequest): Promise<{ report: IndicatorReportView; villages: Map<number, VillageStatusView[]> }> {
  const r = await resolveRequest(db, req)
  const report = await reportOf(db, r)
  const { villages } = await statusesOf(db, r, report.communes.map((c) => c.id))
  return { report, villages: await groupViews(db, villages) }
}

async function reportOf(db: Db, r: ResolvedRequest): Promise<IndicatorReportView> {
  const report = await computeIndicators(db, {
    onDate: r.date, since: r.since, technology: r.technology, operatorId: r.operator?.id ?? null,
    communeIds: r.communes?.map((c) => c.id), provinceId: r.province?.id, rule: r.rule, thresholds: COVERAGE_THRESHOLDS_DBM,
    fibreDistanceM: r.fibreDistanceM, unverifiedReports: r.unverifiedReports,
  })
  const types = new Map((await listCommunesByIds(db, report.communes.map((c) => c.communeId))).map((c) => [c.id, c.type]))
  const view: IndicatorReportView = {
    date: report.onDate, technology: report.technology,
    operator: r.operator ? { code: r.operator.code, name: r.operator.name } : null,
    province: r.province ? { code: r.province.code, name: r.province.name } : null,
    rule: ruleView(report.rule), thresholds: { ...report.thresholds }, fibreDistanceM: report.fibreDistanceM,
    prediction: await predictionSource(db, report.runId, report.technology, r.operator?.code ?? null),
    total: report.total,
    communes: report.communes.map((c) => ({
      id: c.communeId, code: c.code, name: c.name, type: types.get(c.communeId) ?? 'commune', reachedByFibre: c.reachedByFibre, figures: c.figures,
    })),
  }
  if (report.since) view.since = { date: report.since.onDate, total: report.since.total, change: report.since.change }
  return view
}

async function statusesOf(db: Db, r: ResolvedRequest, communeIds: readonly number[]) {
  return villageStatuses(db, {
    onDate: r.date, technology: r.technology, operatorId: r.operator?.id ?? null, communeIds, unverifiedReports: r.unverifiedReports,
  }, r.rule, COVERAGE_THRESHOLDS_DBM, r.date)
}

async function groupViews(db: Db, villages: readonly VillageStatus[]): Promise<Map<number, VillageStatusView[]>> {
  const sites = await listSiteCodesByIds(db, villages.flatMap((v) => (v.servingSiteId === null ? [] : [v.servingSiteId])))
  const out = new Map<number, VillageStatusView[]>()
  for (const v of villages) {
    const site = v.servingSiteId === null ? undefined : sites.get(v.servingSiteId)
    const view: VillageStatusView = {
      id: v.villageId, code: v.code, name: v.name, population: v.population, hasGridPower: v.hasGridPower,
      predicted: v.predicted, predictedRsrpDbm: v.predictedRsrpDbm === null ? null : Math.round(v.predictedRsrpDbm * 10) / 10,
      servingSite: v.servingSiteId !== null && site ? { id: v.servingSiteId, code: site.code, operator: site.operatorCode } : null,
      observed: v.observed, official: v.official, basis: v.basis, report: v.report ? { ...v.report } : null,
    }
    const list = out.get(v.communeId)
    if (list) list.push(view)
    else out.set(v.communeId, [view])
  }
  return out
}

/** `GET /api/indicators/villages`: every village of one commune with its predicted, observed and official status. */
export async function communeVillages(db: Db, req: IndicatorRequest & { communes: readonly [string] }): Promise<CommuneVillagesView> {
  const r = await resolveRequest(db, req)
  const commune = r.communes![0]!
  const { runId, villages } = await statusesOf(db, r, [commune.id])
  return {
    date: r.date, technology: r.technology,
    operator: r.operator ? { code: r.operator.code, name: r.operator.name } : null,
    rule: ruleView(r.rule), thresholds: { ...COVERAGE_THRESHOLDS_DBM }, prediction: await predictionSource(db, runId, r.technology, r.operator?.code ?? null),
    commune: { id: commune.id, code: commune.code, name: commune.name, type: commune.type },
    villages: await withAreaShares(db, (await groupViews(db, villages)).get(commune.id) ?? [], r.technology, r.operator?.id ?? null),
  }
}

async function withAreaShares(db: Db, views: VillageStatusView[], technology: Technology, operatorId: number | null): Promise<VillageStatusView[]> {
  const shares = new Map((await villageAreaShares(db, { technology, villageIds: views.map((v) => v.id), operatorIds: [operatorId] })).map((s) => [s.villageId, s]))
  const round = (x: ClassShares): ClassShares => ({ good: r3(x.good), weak: r3(x.weak), none: r3(x.none), unknown: r3(x.unknown) })
  return views.map((v) => {
    const s = shares.get(v.id)
    return { ...v, areaShares: s ? { area: round(s.area), population: s.population ? round(s.population) : null } : null }
  })
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000
}
