import { describe, expect, it } from 'vitest'
import { errorStats, fitOffset, MIN_CALIBRATION_PAIRS, type RsrpPair } from '../../../server/services/calibration/fit-offset.ts'

/**
 * Four pairs whose residuals (measured − predicted) are 4, 2, −3 and 10 dB:
 * mean 13/4 = 3.25, median (2 + 4)/2 = 3, RMSE √((16 + 4 + 9 + 100)/4) = √32.25, three of four within 6 dB.
 */
const FOUR: readonly RsrpPair[] = Object.freeze([
  { predictedDbm: -100, measuredDbm: -96 },
  { predictedDbm: -90, measuredDbm: -88 },
  { predictedDbm: -80, measuredDbm: -83 },
  { predictedDbm: -70, measuredDbm: -60 },
])

/** `n` pairs with residuals alternating +d and −d around a bias: mean = median = bias, RMSE = √(bias² + d²). */
function createBiasedPairs(n: number, bias: number, d: number): RsrpPair[] {
  return Array.from({ length: n }, (_, i) => ({ predictedDbm: -90 - i * 0.5, measuredDbm: -90 - i * 0.5 + bias + (i % 2 === 0 ? d : -d) }))
}

describe('errorStats', () => {
  it('gives n, mean, median, RMSE and the share within ±6 dB of measured − predicted', () => {
    const s = errorStats(FOUR)
    expect(s.n).toBe(4)
    expect(s.meanErrorDb).toBeCloseTo(3.25, 12)
    expect(s.medianErrorDb).toBeCloseTo(3, 12)
    expect(s.rmseDb).toBeCloseTo(Math.sqrt(32.25), 12)
    expect(s.within6DbShare).toBe(0.75)
  })

  it('adds the offset to every prediction first', () => {
    // Residuals 4 − 3.25 … = 0.75, −1.25, −6.25, 6.75: mean 0, RMSE² = 32.25 − 3.25² = 21.6875, two within 6 dB.
    const s = errorStats(FOUR, 3.25)
    expect(s.meanErrorDb).toBeCloseTo(0, 12)
    expect(s.medianErrorDb).toBeCloseTo(-0.25, 12)
    expect(s.rmseDb).toBeCloseTo(Math.sqrt(21.6875), 12)
    expect(s.within6DbShare).toBe(0.5)
  })

  it('counts an error of exactly 6 dB as within', () => {
    expect(errorStats([{ predictedDbm: -100, measuredDbm: -94 }, { predictedDbm: -100, measuredDbm: -106 }]).within6DbShare).toBe(1)
  })

  it('gives nulls for no pair', () => {
    expect(errorStats([])).toEqual({ n: 0, meanErrorDb: null, medianErrorDb: null, rmseDb: null, within6DbShare: null })
  })
})

describe('fitOffset', () => {
  it('fits the mean residual (least squares) and reports the errors before and after', () => {
    const fit = fitOffset(FOUR, 'mean', 4)
    expect(fit).toMatchObject({ method: 'mean', n: 4, sufficient: true, reason: null })
    expect(fit.offsetDb).toBeCloseTo(3.25, 12)
    expect(fit.before.rmseDb).toBeCloseTo(Math.sqrt(32.25), 12)
    expect(fit.after!.meanErrorDb).toBeCloseTo(0, 12)
    expect(fit.after!.rmseDb).toBeCloseTo(Math.sqrt(21.6875), 12)
    // The mean minimises the squared error: any other offset gives a larger RMSE.
    for (const other of [3, 3.2, 3.3, 4]) expect(errorStats(FOUR, other).rmseDb!).toBeGreaterThan(fit.after!.rmseDb!)
  })

  it('fits the median residual when asked (robust to one wild measurement)', () => {
    // Offset 3: residuals 1, −1, −6, 7 → mean 0.25, RMSE √(87/4), three within 6 dB, median 0.
    const fit = fitOffset(FOUR, 'median', 4)
    expect(fit.offsetDb).toBeCloseTo(3, 12)
    expect(fit.after!.meanErrorDb).toBeCloseTo(0.25, 12)
    expect(fit.after!.medianErrorDb).toBeCloseTo(0, 12)
    expect(fit.after!.rmseDb).toBeCloseTo(Math.sqrt(21.75), 12)
    expect(fit.after!.within6DbShare).toBe(0.75)
    // One outlier of +60 dB moves the mean by 60/31 ≈ 1.9 dB, the median by half a step.
    const pairs = [...createBiasedPairs(30, 5, 1), { predictedDbm: -120, measuredDbm: -55 }]
    expect(fitOffset(pairs, 'mean').offsetDb).toBeCloseTo((30 * 5 + 65) / 31, 9)
    expect(fitOffset(pairs, 'median').offsetDb).toBeCloseTo(6, 9)
  })

  it(`applies from ${MIN_CALIBRATION_PAIRS} pairs: below, the offset is shown but not applicable, with the reason`, () => {
    const enough = fitOffset(createBiasedPairs(MIN_CALIBRATION_PAIRS, 4, 2))
    expect(enough).toMatchObject({ n: 30, sufficient: true, reason: null })
    expect(enough.offsetDb).toBeCloseTo(4, 9)
    expect(enough.before.rmseDb).toBeCloseTo(Math.sqrt(20), 9)
    expect(enough.after!.rmseDb).toBeCloseTo(2, 9)

    const few = fitOffset(createBiasedPairs(MIN_CALIBRATION_PAIRS - 1, 4, 2))
    expect(few).toMatchObject({ n: 29, sufficient: false, after: null })
    expect(few.offsetDb).toBeCloseTo(4 + 2 / 29, 9) // 15 × (+2) and 14 × (−2) around 4
    expect(few.reason).toBe('29 measurements with a prediction: at least 30 are needed to apply an offset')
  })

  it('gives no offset without pairs', () => {
    expect(fitOffset([])).toMatchObject({ n: 0, offsetDb: null, sufficient: false, reason: 'no measurement with a prediction at its place', after: null })
  })
})
