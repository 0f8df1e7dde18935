import type { CoverageModel, Db, ObservedStatus, ReportSource, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { groupBy } from '../../lib/group-by.ts'
import { COVERAGE_THRESHOLDS_DBM, coverageClass, type CoverageClass } from '../../geo/propagation/coverage-class.ts'
import { insertAuditEntry } from '../../repositories/audit.repository.ts'
import {
  countMeasurementsLeftOut, findCalibrationOffsetById, insertAppliedCalibrationOffset, listAppliedCalibrationOffsets,
  listLatestVillageReports, listRsrpMeasurementsWithOperator, unapplyCalibrationOffset,
  type CalibrationOffsetRow, type RsrpMeasurementRow,
} from '../../repositories/calibration.repository.ts'
import { findCurrentCoverageRun, type CoverageRunRow } from '../../repositories/coverage.repository.ts'
import { listOperators, type OperatorRow } from '../../repositories/operators.repository.ts'
import { visibilityOf, type Viewer } from '../access/viewer.ts'
import type { WriteContext } from '../write-context.ts'
import { fitOffset, MIN_CALIBRATION_PAIRS, WITHIN_DB, type ErrorStats, type OffsetFit, type OffsetMethod, type RsrpPair } from './fit-offset.ts'
import { samplePredictedRsrp } from './predicted-rsrp-sampler.ts'

/*
 * Calibration of the current run's predictions against field measurements and reports.
 * Measurements: RSRP samples of the technology that name their operator, each compared with
 * that operator's predicted best-server RSRP at its place (the operator's composite of the
 * current run). Reports: each village's latest report per operator, compared with the predicted
 * class at the village point. Nothing here changes a prediction: an applied offset is stored for
 * the readers that use calibrated values.
 */

/** dB values in answers: hundredths (the composites hold tenths). */
const round2 = (v: number) => Math.round(v * 100) / 100
const round4 = (v: number) => Math.round(v * 10_000) / 10_000

export interface ErrorStatsView {
  n: number
  meanErrorDb: number | null
  medianErrorDb: number | null
  rmseDb: number | null
  within6DbShare: number | null
}

function statsView(s: ErrorStats): ErrorStatsView {
  const r = (v: number | null, f: (x: number) => number) => (v === null ? null : f(v))
  return { n: s.n, meanErrorDb: r(s.meanErrorDb, round2), medianErrorDb: r(s.medianErrorDb, round2), rmseDb: r(s.rmseDb, round2), within6DbShare: r(s.within6DbShare, round4) }
}

/** A stored offset, as the API shows it. */
export interface CalibrationOffsetView {
  id: number
  technology: Technology
  operator: string
  model: CoverageModel
  offsetDb: number
  n: number
  method: OffsetMethod | null
  runId: number | null
  before: ErrorStatsView | null
  after: ErrorStatsView | null
  fittedAt: string
  applied: boolean
  appliedBy: string | null
}

function offsetView(r: CalibrationOffsetRow): CalibrationOffsetView {
  const s = r.stats as { method?: OffsetMethod; runId?: number; before?: ErrorStatsView; after?: ErrorStatsView }
  return {
    id: r.id, technology: r.technology, operator: r.operator_code, model: r.model, offsetDb: r.offset_db, n: r.n,
    method: s.method ?? null, runId: s.runId ?? null, before: s.before ?? null, after: s.after ?? null,
    fittedAt: new Date(r.fitted_at).toISOString(), applied: r.applied, appliedBy: r.applied_by,
  }
}

/** One operator's fit for the current run's model. */
export interface OperatorCalibration {
  operator: string
  operatorName: string
  model: CoverageModel
  /** RSRP measurements of this operator and technology. */
  measurements: number
  /** Of them, where the run predicts nothing for this operator (left out of the fit). */
  noPrediction: number
  n: number
  method: OffsetMethod
  /** Offset to add to this operator's predictions, dB (measured − predicted); null without pairs. */
  offsetDb: number | null
  sufficient: boolean
  reason: string | null
  before: ErrorStatsView
  after: ErrorStatsView | null
  /** The offset applied now for this operator, technology and model, if any. */
  applied: CalibrationOffsetView | null
}

export interface CalibrationReport {
  technology: Technology
  runId: number
  model: CoverageModel
  method: OffsetMethod
  minPairs: number
  withinDb: number
  /** Measurements of the technology left out before any comparison. */
  leftOut: { withoutRsrp: number; withoutOperator: number }
  operators: OperatorCalibration[]
}

export interface CalibrationQuery {
  technology: Technology
  method?: OffsetMethod
}

async function currentRunOrThrow(db: Db, technology: Technology): Promise<CoverageRunRow> {
  const run = await findCurrentCoverageRun(db, technology)
  if (!run) throw new AppError('not-found', `No ${technology} coverage run is current yet: start one with POST /api/coverage/runs`)
  return run
}

/** A measurement with the prediction at its place (NaN: nothing predicted). */
interface ComparedMeasurement {
  row: RsrpMeasurementRow
  predictedDbm: number
}

/** The RSRP measurements of a technology (optionally of one operator) by operator, each with its operator's prediction. */
async function compareMeasurements(db: Db, run: CoverageRunRow, technology: Technology, onlyOperatorId?: number): Promise<Map<number, ComparedMeasurement[]>> {
  const rows = await listRsrpMeasurementsWithOperator(db, technology, onlyOperatorId)
  const byOperator = groupBy(rows, (r) => r.operator_id)
  const out = new Map<number, ComparedMeasurement[]>()
  for (const [operatorId, list] of byOperator) {
    const predicted = await samplePredictedRsrp(db, run.id, operatorId, technology, list)
    out.set(operatorId, list.map((row, i) => ({ row, predictedDbm: predicted[i]! })))
  }
  return out
}

function pairsOf(compared: readonly ComparedMeasurement[]): RsrpPair[] {
  return compared.filter((c) => !Number.isNaN(c.predictedDbm)).map((c) => ({ predictedDbm: c.predictedDbm, measuredDbm: c.row.rsrp_dbm }))
}

/** The fit with its offset rounded to hundredths of a dB and the after-figures recomputed for that offset. */
function fitRounded(pairs: readonly RsrpPair[], method: OffsetMethod): OffsetFit {
  const fit = fitOffset(pairs, method)
  return fit.offsetDb === null ? fit : { ...fit, offsetDb: round2(fit.offsetDb) }
}

function operatorsById(rows: readonly OperatorRow[]): Map<number, OperatorRow> {
  return new Map(rows.map((o) => [o.id, o]))
}

/**
 * Fits, for the current run of a technology, one offset per operator with RSRP measurements
 * (fitted on the fly, not stored), with the error before and after and what was left out;
 * 404 when no run of the technology is current.
 */
export async function calibrationReport(db: Db, query: CalibrationQuery): Promise<CalibrationReport> {
  const { technology } = query
  const method = query.method ?? 'mean'
  const run = await currentRunOrThrow(db, technology)
  const [compared, leftOut, operators, applied] = await Promise.all([
    compareMeasurements(db, run, technology),
    countMeasurementsLeftOut(db, technology),
    listOperators(db),
    listAppliedCalibrationOffsets(db, technology),
  ])
  const byId = operatorsById(operators)
  const result: OperatorCalibration[] = []
  for (const [operatorId, list] of compared) {
    const operator = byId.get(operatorId)!
    const pairs = pairsOf(list)
    const fit = fitRounded(pairs, method)
    const current = applied.find((a) => a.operator_id === operatorId && a.model === run.model)
    result.push({
      operator: operator.code, operatorName: operator.name, model: run.model,
      measurements: list.length, noPrediction: list.length - pairs.length,
      n: fit.n, method, offsetDb: fit.offsetDb, sufficient: fit.sufficient, reason: fit.reason,
      before: statsView(fit.before), after: fit.after && statsView(fit.after),
      applied: current ? offsetView(current) : null,
    })
  }
  result.sort((a, b) => a.operator.localeCompare(b.operator))
  return { technology, runId: run.id, model: run.model, method, minPairs: MIN_CALIBRATION_PAIRS, withinDb: WITHIN_DB, leftOut, operators: result }
}

export interface ApplyCalibrationInput {
  technology: Technology
  operator: string
  method?: OffsetMethod
}

/**
 * Fits one operator's offset on the current run and stores it as the applied offset of its
 * technology, operator and model (the previous one, if any, stays as history, un-applied), with
 * an audit entry. 400 for an unknown operator, 404 without a current run, 422 when the
 * measurements are too few (the small-sample rule of fit-offset.ts).
 */
export async function applyCalibration(db: Db, input: ApplyCalibrationInput, ctx: WriteContext): Promise<CalibrationOffsetView & { replacedId: number | null }> {
  const { technology } = input
  const method = input.method ?? 'mean'
  const operator = (await listOperators(db)).find((o) => o.code === input.operator)
  if (!operator) {
    throw new AppError('unknown-reference', `operator: no operator has code ${input.operator}`, [
      { field: 'operator', location: 'body', value: input.operator, reason: 'unknown operator (see GET /api/operators)' },
    ])
  }
  const run = await currentRunOrThrow(db, technology)
  const compared = (await compareMeasurements(db, run, technology, operator.id)).get(operator.id) ?? []
  const fit = fitRounded(pairsOf(compared), method)
  if (!fit.sufficient || fit.offsetDb === null || !fit.after) {
    const reason = fit.reason ?? 'no offset could be fitted'
    throw new AppError('calibration-too-few-pairs', `${operator.code} ${technology}: ${reason}`, [
      { field: 'operator', location: 'body', value: operator.code, reason },
    ])
  }
  const stats = {
    method, runId: run.id, measurements: compared.length, noPrediction: compared.length - fit.n,
    before: statsView(fit.before), after: statsView(fit.after),
  }
  const { id, replacedId } = await db.transaction().execute(async (tx) => {
    const replaced = await unapplyCalibrationOffset(tx, { technology, operatorId: operator.id, model: run.model })
    const newId = await insertAppliedCalibrationOffset(tx, {
      technology, operatorId: operator.id, model: run.model, offsetDb: fit.offsetDb!, n: fit.n, stats, appliedBy: ctx.actor,
    })
    await insertAuditEntry(tx, {
      actor: ctx.actor, action: 'create', entity: 'calibration_offset', entityId: String(newId),
      details: { technology, operator: operator.code, model: run.model, offsetDb: fit.offsetDb, n: fit.n, method, runId: run.id, replaced },
    })
    return { id: newId, replacedId: replaced }
  })
  const row = await findCalibrationOffsetById(db, id)
  return { ...offsetView(row!), replacedId }
}

/** A measurement far from the prediction at its place. */
export interface MeasurementDisagreement {
  id: number
  measuredAt: string
  operator: string
  lon: number
  lat: number
  measuredDbm: number
  predictedDbm: number
  /** measured − predicted, dB. */
  differenceDb: number
}

/** A village whose latest report contradicts the predicted class at its point. */
export interface VillageDisagreement {
  villageId: number
  villageCode: string
  villageName: string
  communeCode: string
  lon: number
  lat: number
  /** The report's operator; null: the report names none and is compared with the best server of any operator. */
  operator: string | null
  reportId: number
  reportedOn: string
  reportedStatus: Extract<ObservedStatus, 'none' | 'good'>
  source: ReportSource
  verified: boolean
  /** Predicted best-server RSRP at the village point, dBm; null where nothing is predicted. */
  predictedDbm: number | null
  predictedClass: Extract<CoverageClass, 'none' | 'good'>
  /** How far the prediction would have to move to agree with the report, dB; null where nothing is predicted. */
  gapDb: number | null
}

export interface Disagreements {
  technology: Technology
  runId: number
  model: CoverageModel
  /** Measurements compared (RSRP, with an operator, with a prediction at their place). */
  measurementsCompared: number
  /** The `limit` measurements with the largest |measured − predicted|, largest first. */
  measurements: MeasurementDisagreement[]
  /** Latest village reports (per village and operator) that say none or good: those that can contradict a class. */
  reportsCompared: number
  /** All contradicting villages, before the limit. */
  villagesMatched: number
  /** Up to `limit` villages whose latest report contradicts the prediction: nothing predicted first, then by gap. */
  villages: VillageDisagreement[]
}

/**
 * Where the current run of a technology and the field disagree most: the measurements with the
 * largest |measured − predicted| (against the raw prediction, before any offset), and the
 * villages whose latest report says none where good is predicted, or good where none is.
 */
export async function listCalibrationDisagreements(db: Db, query: { technology: Technology; limit: number }, viewer: Viewer): Promise<Disagreements> {
  const { technology, limit } = query
  const run = await currentRunOrThrow(db, technology)
  const [compared, reports, operators] = await Promise.all([
    compareMeasurements(db, run, technology),
    // The public compares with published (verified) reports only.
    listLatestVillageReports(db, technology, { verifiedOnly: !visibilityOf(viewer).unverifiedReports }),
    listOperators(db),
  ])
  const byId = operatorsById(operators)

  const measured: MeasurementDisagreement[] = []
  for (const [operatorId, list] of compared) {
    const code = byId.get(operatorId)!.code
    for (const { row, predictedDbm } of list) {
      if (Number.isNaN(predictedDbm)) continue
      measured.push({
        id: row.id, measuredAt: new Date(row.measured_at).toISOString(), operator: code, lon: row.lon, lat: row.lat,
        measuredDbm: round2(row.rsrp_dbm), predictedDbm, differenceDb: round2(row.rsrp_dbm - predictedDbm),
      })
    }
  }
  measured.sort((a, b) => Math.abs(b.differenceDb) - Math.abs(a.differenceDb) || a.id - b.id)

  // Only reports of none or good can contradict a class outright; compare each with its operator's composite.
  const relevant = reports.filter((r) => r.observed_status === 'none' || r.observed_status === 'good')
  const byReportOperator = groupBy(relevant, (r) => r.operator_id)
  const { goodDbm, weakDbm } = COVERAGE_THRESHOLDS_DBM
  const villages: VillageDisagreement[] = []
  for (const [operatorId, list] of byReportOperator) {
    const predicted = await samplePredictedRsrp(db, run.id, operatorId, technology, list)
    list.forEach((r, i) => {
      const p = predicted[i]!
      const predictedClass = Number.isNaN(p) ? 'none' : coverageClass(p)
      const status = r.observed_status as 'none' | 'good'
      if (!((status === 'none' && predictedClass === 'good') || (status === 'good' && predictedClass === 'none'))) return
      villages.push({
        villageId: r.village_id, villageCode: r.village_code, villageName: r.village_name, communeCode: r.commune_code, lon: r.lon, lat: r.lat,
        operator: r.operator_code, reportId: r.report_id, reportedOn: r.reported_on, reportedStatus: status, source: r.source, verified: r.verified,
        predictedDbm: Number.isNaN(p) ? null : p, predictedClass,
        // Reported none: the prediction would have to fall below the weak threshold; reported good: rise to the good one.
        gapDb: Number.isNaN(p) ? null : round2(status === 'none' ? p - weakDbm : goodDbm - p),
      })
    })
  }
  villages.sort((a, b) => (b.gapDb ?? Infinity) - (a.gapDb ?? Infinity) || a.villageCode.localeCompare(b.villageCode) || (a.operator ?? '').localeCompare(b.operator ?? ''))

  return {
    technology, runId: run.id, model: run.model,
    measurementsCompared: measured.length, measurements: measured.slice(0, limit),
    reportsCompared: relevant.length, villagesMatched: villages.length, villages: villages.slice(0, limit),
  }
}
