import { describe, expect, it } from 'vitest'
import { FRESNEL_CLEARANCE_RULE, lineOfSight } from '../../../../server/geo/propagation/line-of-sight.ts'
import { wavelength } from '../../../../server/geo/propagation/wavelength.ts'

/**
 * A 10 km microwave hop over flat ground (no bulge, to keep the numbers hand-checkable), samples
 * every kilometre, with one obstacle of height `obstacleM` in the middle.
 */
function createHop(obstacleM: number): { distancesM: Float64Array; heightsM: Float64Array } {
  const distancesM = Float64Array.from({ length: 11 }, (_, i) => i * 1000)
  const heightsM = new Float64Array(11)
  heightsM[5] = obstacleM
  return { distancesM, heightsM }
}

/**
 * Reference: Rec. ITU-R P.530 gives the first Fresnel radius as F1 = 17.3·√(d1·d2 / (f·d)) m with
 * d in km and f in GHz: at 10 GHz in the middle of 10 km, 17.3·√(25/100) = 8.66 m.
 */
describe('lineOfSight', () => {
  it('computes the first Fresnel radius of P.530: 8.66 m mid-path for 10 km at 10 GHz', () => {
    const los = lineOfSight({ profile: createHop(0), txHeightM: 30, rxHeightM: 30, wavelengthM: wavelength(10_000) })
    expect(los.fresnelRadiusM[5]).toBeCloseTo(8.66, 2)
  })

  it('measures the clearance of the tip-to-tip line above each sample', () => {
    const los = lineOfSight({ profile: createHop(20), txHeightM: 30, rxHeightM: 50, wavelengthM: wavelength(10_000) })
    expect(los.clearanceM[5]).toBeCloseTo(40 - 20, 9)
    expect(los.minClearanceM).toBeCloseTo(20, 9)
    expect(los.minClearanceIndex).toBe(5)
    expect(los.clear).toBe(true)
  })

  it('reports an obstructed path with negative clearance at the obstacle', () => {
    const los = lineOfSight({ profile: createHop(45), txHeightM: 30, rxHeightM: 30, wavelengthM: wavelength(10_000) })
    expect(los.clear).toBe(false)
    expect(los.minClearanceM).toBeCloseTo(-15, 9)
    expect(los.fresnelClear).toBe(false)
  })

  it('passes the 60 % rule with 0.6·r1 of clearance and fails it just below', () => {
    const r1 = Math.sqrt((wavelength(10_000) * 5000 * 5000) / 10_000)
    const pass = lineOfSight({ profile: createHop(30 - 0.6 * r1), txHeightM: 30, rxHeightM: 30, wavelengthM: wavelength(10_000) })
    const fail = lineOfSight({ profile: createHop(30 - 0.59 * r1), txHeightM: 30, rxHeightM: 30, wavelengthM: wavelength(10_000) })
    expect(FRESNEL_CLEARANCE_RULE).toBe(0.6)
    expect(pass.minFresnelRatio).toBeCloseTo(0.6, 9)
    expect(pass.fresnelClear).toBe(true)
    expect(fail.fresnelClear).toBe(false)
    expect(fail.clear).toBe(true)
  })

  it('finds the tightest sample by Fresnel ratio, which need not be the tightest in metres', () => {
    // 6 m of clearance at 1 km (r1 = √(0.03·1000·9000/10 000) = 5.2 m, ratio 1.15) against
    // 9 m in the middle (r1 = 8.66 m, ratio 1.04).
    const profile = createHop(21)
    profile.heightsM[1] = 24
    const los = lineOfSight({ profile, txHeightM: 30, rxHeightM: 30, wavelengthM: wavelength(10_000) })
    expect(los.minClearanceIndex).toBe(1)
    expect(los.minFresnelRatioIndex).toBe(5)
    expect(los.minFresnelRatio).toBeCloseTo(9 / 8.66, 2)
  })
})
