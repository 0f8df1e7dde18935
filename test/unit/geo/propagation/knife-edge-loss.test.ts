import { describe, expect, it } from 'vitest'
import { fresnelKirchhoffParameter } from '../../../../server/geo/propagation/fresnel-kirchhoff-parameter.ts'
import { knifeEdgeLoss } from '../../../../server/geo/propagation/knife-edge-loss.ts'

/**
 * References:
 * - ITU-R P.526 §4.1: J(ν) ≈ 6.9 + 20·log10(√((ν−0.1)² + 1) + ν − 0.1) for ν > −0.78, 0 below.
 * - Exact single knife-edge loss −20·log10(|(1+j)/2 · ∫_ν^∞ e^(−jπt²/2) dt|), from the Fresnel
 *   integrals (scipy.special.fresnel): J(0) = 6.02, J(1) = 13.86, J(2.4) = 20.62, J(2.74) = 21.75,
 *   J(4.25) = 25.53 dB. (The brief's "J(2.4) ≈ 20.7" is neither: the P.526 approximation gives 20.54.)
 * - T. S. Rappaport, Wireless Communications, 2nd ed., Example 4.7: λ = 1/3 m, d1 = d2 = 1 km,
 *   h = 25 m → ν = 2.74, loss ≈ 22 dB (figure 4.14) or 21.7 dB (Lee's approximation 20·log10(0.225/ν));
 *   h = 0 → 6 dB. Example 4.8: f = 900 MHz, tx 50 m, rx 25 m, obstacle 100 m at 10 km from tx and
 *   2 km from rx → ν ≈ 4.24, loss ≈ 25.5 dB; 6 dB of loss needs the obstacle at the line of sight.
 */
describe('knifeEdgeLoss', () => {
  it('is 6.0 dB at grazing incidence, ν = 0 (exact value 20·log10 2 = 6.02 dB)', () => {
    expect(knifeEdgeLoss(0)).toBeCloseTo(6.03, 2)
    expect(Math.abs(knifeEdgeLoss(0) - 6.02)).toBeLessThan(0.02)
  })

  it('is 0 dB at and below ν = −0.78, and continuous just above it', () => {
    expect(knifeEdgeLoss(-0.78)).toBe(0)
    expect(knifeEdgeLoss(-3)).toBe(0)
    expect(knifeEdgeLoss(-0.7799)).toBeLessThan(0.01)
  })

  it('is 13.9 dB at ν = 1 (exact 13.86 dB)', () => {
    expect(knifeEdgeLoss(1)).toBeCloseTo(13.93, 2)
    expect(Math.abs(knifeEdgeLoss(1) - 13.86)).toBeLessThan(0.1)
  })

  it('is 20.5 dB at ν = 2.4 (exact 20.62 dB)', () => {
    expect(knifeEdgeLoss(2.4)).toBeCloseTo(20.54, 2)
    expect(Math.abs(knifeEdgeLoss(2.4) - 20.62)).toBeLessThan(0.1)
  })

  it('gives 21.7 dB for Rappaport Example 4.7 (λ = 1/3 m, d1 = d2 = 1 km, h = 25 m → ν = 2.74)', () => {
    const nu = fresnelKirchhoffParameter(25, 1000, 1000, 1 / 3)
    expect(nu).toBeCloseTo(2.74, 2)
    expect(Math.abs(knifeEdgeLoss(nu) - 21.7)).toBeLessThan(0.1)
    expect(knifeEdgeLoss(fresnelKirchhoffParameter(0, 1000, 1000, 1 / 3))).toBeCloseTo(6.0, 1)
    expect(knifeEdgeLoss(fresnelKirchhoffParameter(-25, 1000, 1000, 1 / 3))).toBe(0)
  })

  it('gives 25.5 dB for Rappaport Example 4.8 (obstacle 70.8 m above the 50 m → 25 m line, 10 km / 2 km)', () => {
    // Line of sight at the obstacle: 50 + (25 − 50)·10/12 = 29.17 m, so h = 100 − 29.17 = 70.83 m.
    const lineAtObstacle = 50 + ((25 - 50) * 10_000) / 12_000
    const nu = fresnelKirchhoffParameter(100 - lineAtObstacle, 10_000, 2_000, 1 / 3)
    expect(Math.abs(nu - 4.24)).toBeLessThan(0.02)
    expect(Math.abs(knifeEdgeLoss(nu) - 25.5)).toBeLessThan(0.15)
    // 6 dB needs the obstacle top on the line of sight (ν = 0).
    expect(knifeEdgeLoss(fresnelKirchhoffParameter(0, 10_000, 2_000, 1 / 3))).toBeCloseTo(6.0, 1)
  })

  it('never decreases with ν (checked every 0.001 from −2 to 20)', () => {
    let firstDecrease: number | null = null
    for (let i = 1; i <= 22_000 && firstDecrease === null; i++) {
      const nu = -2 + i * 0.001
      if (knifeEdgeLoss(nu) < knifeEdgeLoss(nu - 0.001)) firstDecrease = nu
    }
    expect(firstDecrease).toBeNull()
  })
})

describe('fresnelKirchhoffParameter', () => {
  it('is h·√(2(d1 + d2)/(λ·d1·d2)) and symmetric in d1, d2', () => {
    expect(fresnelKirchhoffParameter(10, 3000, 7000, 0.5)).toBeCloseTo(10 * Math.sqrt((2 * 10_000) / (0.5 * 3000 * 7000)), 12)
    expect(fresnelKirchhoffParameter(10, 7000, 3000, 0.5)).toBeCloseTo(fresnelKirchhoffParameter(10, 3000, 7000, 0.5), 12)
  })

  it('is −∞ for an edge at an end of the path', () => {
    expect(fresnelKirchhoffParameter(10, 0, 1000, 0.5)).toBe(-Infinity)
  })

  it('is −√2 at one first-Fresnel radius below the line (r1 = √(λ·d1·d2/(d1+d2)))', () => {
    const r1 = Math.sqrt((0.1666 * 4000 * 6000) / 10_000)
    expect(fresnelKirchhoffParameter(-r1, 4000, 6000, 0.1666)).toBeCloseTo(-Math.SQRT2, 12)
  })
})
