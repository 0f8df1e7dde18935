/**
 * Calibration statistics: pure, no I/O.
 *
 * A pair is one measurement and the prediction at its place, both RSRP in dBm. The error of a pair
 * is `measured − predicted` (positive: the prediction was too pessimistic). A calibration offset
 * is added to every prediction of one operator and model: `calibrated = predicted + offset`.
 *
 * - `mean` (default): the offset that minimises the squared error, the mean residual. After it,
 *   the mean error is 0 and the RMSE is the residuals' standard deviation.
 * - `median`: the median residual, which minimises the absolute error; one wild measurement (a
 *   handset indoors, a wrong operator) moves it far less than the mean.
 *
 * The "after" figures are in-sample: the offset is fitted and judged on the same pairs, so they
 * say how much of the error is a constant bias, not how well the offset will do elsewhere.
 *
 * Rule for small samples: with fewer than `MIN_CALIBRATION_PAIRS` pairs the offset is still
 * computed and shown, but marked not applicable (`sufficient: false`, with the reason) and
 * cannot be applied: with a typical 6–8 dB spread of single measurements, 30 pairs put the mean's
 * standard error near 1.3 dB, and fewer would let a handful of readings shift a whole operator's map.
 */

/** One measurement and the prediction at its place, dBm. */
export interface RsrpPair {
  predictedDbm: number
  measuredDbm: number
}

export type OffsetMethod = 'mean' | 'median'

/** Fewest pairs from which an offset may be applied. */
export const MIN_CALIBRATION_PAIRS = 30

/** Half-width of the band of errors counted as "within", dB. */
export const WITHIN_DB = 6

export interface ErrorStats {
  /** Pairs. */
  n: number
  /** Mean of measured − predicted, dB (null when n = 0). */
  meanErrorDb: number | null
  /** Median of measured − predicted, dB (null when n = 0). */
  medianErrorDb: number | null
  /** Root mean square of measured − predicted, dB (null when n = 0). */
  rmseDb: number | null
  /** Share of pairs with |measured − predicted| ≤ 6 dB, 0–1 (null when n = 0). */
  within6DbShare: number | null
}

export interface OffsetFit {
  method: OffsetMethod
  n: number
  /** The fitted offset, dB, added to predictions (null when there is no pair). */
  offsetDb: number | null
  /** Whether there are enough pairs for the offset to be applied (`MIN_CALIBRATION_PAIRS`). */
  sufficient: boolean
  /** Why the offset may not be applied; null when it may. */
  reason: string | null
  /** Errors of the predictions as they are. */
  before: ErrorStats
  /** Errors once the offset is added (in-sample); null when the offset may not be applied. */
  after: ErrorStats | null
}

/**
 * Error statistics of `pairs` once `offsetDb` is added to every prediction (0: as predicted).
 * Non-finite pairs must have been left out by the caller.
 */
export function errorStats(pairs: readonly RsrpPair[], offsetDb = 0): ErrorStats {
  const n = pairs.length
  if (n === 0) return { n: 0, meanErrorDb: null, medianErrorDb: null, rmseDb: null, within6DbShare: null }
  const residuals = residualsOf(pairs, offsetDb)
  let sum = 0
  let sumSquares = 0
  let within = 0
  for (const e of residuals) {
    sum += e
    sumSquares += e * e
    if (Math.abs(e) <= WITHIN_DB) within++
  }
  return { n, meanErrorDb: sum / n, medianErrorDb: median(residuals), rmseDb: Math.sqrt(sumSquares / n), within6DbShare: within / n }
}

/**
 * Fits the offset of one operator and model from its pairs (see the module comment for the
 * methods and the small-sample rule), with the error statistics before and after.
 */
export function fitOffset(pairs: readonly RsrpPair[], method: OffsetMethod = 'mean', minPairs = MIN_CALIBRATION_PAIRS): OffsetFit {
  const n = pairs.length
  const before = errorStats(pairs)
  if (n === 0) {
    return { method, n, offsetDb: null, sufficient: false, reason: 'no measurement with a prediction at its place', before, after: null }
  }
  const offsetDb = method === 'mean' ? before.meanErrorDb! : before.medianErrorDb!
  if (n < minPairs) {
    return { method, n, offsetDb, sufficient: false, reason: `${n} measurement${n === 1 ? '' : 's'} with a prediction: at least ${minPairs} are needed to apply an offset`, before, after: null }
  }
  return { method, n, offsetDb, sufficient: true, reason: null, before, after: errorStats(pairs, offsetDb) }
}

function residualsOf(pairs: readonly RsrpPair[], offsetDb: number): Float64Array {
  const out = new Float64Array(pairs.length)
  for (let i = 0; i < pairs.length; i++) out[i] = pairs[i]!.measuredDbm - (pairs[i]!.predictedDbm + offsetDb)
  return out
}

/** Median of a non-empty array (sorted in place); the mean of the two middle values for an even count. */
function median(values: Float64Array): number {
  values.sort()
  const mid = values.length >> 1
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2
}
