import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { fitLeastSquaresLine, type LineFitOut } from '../../../../../server/geo/propagation/itm/fit-least-squares-line.ts'
import { inverseComplementaryNormal } from '../../../../../server/geo/propagation/itm/inverse-complementary-normal.ts'
import { ItmPathState } from '../../../../../server/geo/propagation/itm/itm-path-state.ts'
import { meanPathElevation } from '../../../../../server/geo/propagation/itm/mean-path-elevation.ts'
import { selectKthLargest } from '../../../../../server/geo/propagation/itm/select-kth-largest.ts'
import { terrainIrregularity } from '../../../../../server/geo/propagation/itm/terrain-irregularity.ts'

describe('inverseComplementaryNormal', () => {
  it('gives the standard normal deviates of common percentages within the 4.5e-4 of the approximation', () => {
    expect(Math.abs(inverseComplementaryNormal(0.5))).toBeLessThan(1e-8)
    expect(Math.abs(inverseComplementaryNormal(0.1) - 1.281552)).toBeLessThan(4.5e-4)
    expect(Math.abs(inverseComplementaryNormal(0.9) + 1.281552)).toBeLessThan(4.5e-4)
    expect(Math.abs(inverseComplementaryNormal(0.01) - 2.326348)).toBeLessThan(4.5e-4)
  })
})

describe('selectKthLargest', () => {
  it('agrees with sorting on random arrays with ties (seed "itm-select")', () => {
    const rng = seedrandom('itm-select')
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rng() * 245)
      const values = Float64Array.from({ length: n }, () => Math.round(rng() * 40))
      const sorted = Array.from(values).sort((a, b) => b - a)
      const k = Math.floor(rng() * n)
      expect(selectKthLargest(values, n, k), `seed "itm-select", trial ${trial}, n ${n}, k ${k}`).toBe(sorted[k])
      // A second selection on the reordered array is still right.
      const k2 = n - 1 - k
      expect(selectKthLargest(values, n, k2), `seed "itm-select", trial ${trial}, n ${n}, k ${k2}`).toBe(sorted[k2])
    }
  })
})

describe('fitLeastSquaresLine', () => {
  it('recovers a straight line exactly and reports it at both ends of the whole profile', () => {
    const z = Array.from({ length: 101 }, (_, i) => 100 + 2 * i * 10) // 2 m per 10 m step
    const out: LineFitOut = { fitZ0: 0, fitZn: 0 }
    fitLeastSquaresLine(z, 100, 10, 150, 700, out)
    expect(out.fitZ0).toBeCloseTo(100, 9)
    expect(out.fitZn).toBeCloseTo(100 + 2 * 1000, 9)
  })
})

describe('terrainIrregularity', () => {
  it('is 0 on a flat or uniformly sloping profile', () => {
    const s = new ItmPathState()
    expect(terrainIrregularity(s, new Array(500).fill(250), 499, 30, 300, 14000)).toBeCloseTo(0, 9)
    const slope = Array.from({ length: 500 }, (_, i) => 250 + 0.05 * i * 30)
    expect(terrainIrregularity(s, slope, 499, 30, 300, 14000)).toBeCloseTo(0, 6)
  })

  it('is about the interdecile range of a square wave, scaled for the path length', () => {
    // ±50 m square wave with a 600 m period over 30 km: interdecile range 100 m (a little more
    // after resampling with linear interpolation and removing the fitted line).
    const z = Array.from({ length: 1001 }, (_, i) => (Math.floor(i / 10) % 2 === 0 ? 50 : -50))
    const dh = terrainIrregularity(new ItmPathState(), z, 1000, 30, 0, 30000)
    const unscaled = dh * (1 - 0.8 * Math.exp(-30000 / 50e3))
    expect(unscaled).toBeGreaterThan(95)
    expect(unscaled).toBeLessThan(105)
  })

  it('is 0 for a stretch of fewer than two intervals', () => {
    expect(terrainIrregularity(new ItmPathState(), [0, 100, 0, 100], 3, 30, 0, 50)).toBe(0)
  })
})

describe('meanPathElevation', () => {
  it('leaves out the first and last tenth of the profile', () => {
    // 21 points: p = 2, mean over points 2 … 18.
    const z = Array.from({ length: 21 }, (_, i) => (i < 2 || i > 18 ? 1000 : 100))
    expect(meanPathElevation(z, 21)).toBe(100)
  })
})
