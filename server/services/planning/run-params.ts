import { AppError } from '../../errors/error-catalogue.ts'
import { COVERAGE_THRESHOLDS_DBM, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'

/** What a planning computation needs of the current coverage run's parameters (coverage_runs.params). */
export interface RunParams {
  step: number
  onDate: string
  radiusM: number | null
  bandwidthMhz: number
  environmentMarginDb: number
  thresholds: CoverageThresholds
}

/** The run's grid step, date, radius, bandwidth, margin and thresholds; a run without step or date cannot be planned against. */
export function runParams(raw: unknown, runId: number): RunParams {
  const p = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const step = typeof p.step === 'number' && p.step > 0 ? p.step : null
  const onDate = typeof p.onDate === 'string' ? p.onDate : null
  if (step === null || onDate === null) {
    throw new AppError('no-coverage-prediction', `Coverage run ${runId} records no grid step or date: start a new run with POST /api/coverage/runs`)
  }
  const t = p.thresholds as Partial<CoverageThresholds> | undefined
  return {
    step,
    onDate,
    radiusM: typeof p.radiusM === 'number' ? p.radiusM : null,
    bandwidthMhz: typeof p.bandwidthMhz === 'number' ? p.bandwidthMhz : 20,
    environmentMarginDb: typeof p.environmentMarginDb === 'number' ? p.environmentMarginDb : 0,
    thresholds: typeof t?.goodDbm === 'number' && typeof t.weakDbm === 'number' ? { goodDbm: t.goodDbm, weakDbm: t.weakDbm } : { ...COVERAGE_THRESHOLDS_DBM },
  }
}
