import { describe, expect, it } from 'vitest'
import { metresPerDegree } from '../../../../server/geo/coverage/raster-grid.ts'
import { earthBulge } from '../../../../server/geo/propagation/earth-bulge.ts'
import { terrainProfile, type HeightSampler } from '../../../../server/geo/propagation/terrain-profile.ts'

/** A sea-level plain. */
const flat: HeightSampler = () => 0

/** A plane rising 10 m per 0.01° of longitude eastwards from 100 m at 104° E. */
const eastwardRamp: HeightSampler = (lon) => 100 + (lon - 104) * 1000

/**
 * Reference for the bulge: the microwave-link rule b[m] = d1[km]·d2[km] / (12.74·k) (e.g. Rec.
 * ITU-R P.530's path-profile construction with a_e = k·6371 km): for k = 4/3 in the middle of a
 * 50 km path, 25·25 / 16.99 = 36.8 m; of a 20 km path, 10·10 / 16.99 = 5.9 m; k = 2/3 doubles it.
 */
describe('earthBulge', () => {
  it('is 36.8 m in the middle of a 50 km path for k = 4/3', () => {
    expect(earthBulge(25_000, 25_000)).toBeCloseTo(625 / (12.742 * (4 / 3)), 1)
    expect(earthBulge(25_000, 25_000)).toBeCloseTo(36.8, 1)
  })

  it('is 5.9 m in the middle of a 20 km path, and twice that for k = 2/3', () => {
    expect(earthBulge(10_000, 10_000)).toBeCloseTo(5.89, 2)
    expect(earthBulge(10_000, 10_000, 2 / 3)).toBeCloseTo(2 * earthBulge(10_000, 10_000), 9)
  })

  it('is 0 at either end', () => {
    expect(earthBulge(0, 30_000)).toBe(0)
  })
})

describe('terrainProfile', () => {
  it('samples a 20 km east–west path every 30 m or a little less, both ends included', () => {
    const m = metresPerDegree(21)
    const to: [number, number] = [104 + 20_000 / m.lon, 21]
    const profile = terrainProfile([104, 21], to, flat, { spacingM: 30 })
    expect(profile).not.toBeNull()
    if (!profile) return
    expect(profile.lengthM).toBeCloseTo(20_000, 6)
    expect(profile.distancesM.length).toBe(Math.ceil(20_000 / 30) + 1)
    expect(profile.spacingM).toBeLessThanOrEqual(30)
    expect(profile.distancesM[0]).toBe(0)
    expect(profile.distancesM[profile.distancesM.length - 1]).toBe(profile.lengthM)
  })

  it('raises a sea-level plain by the bulge d1·d2/(2kR): 5.9 m in the middle of 20 km', () => {
    const m = metresPerDegree(21)
    const profile = terrainProfile([104, 21 - 10_000 / m.lat], [104, 21 + 10_000 / m.lat], flat, { spacingM: 100 })
    if (!profile) throw new Error('expected a profile')
    const middle = (profile.heightsM.length - 1) / 2
    expect(profile.distancesM[middle]).toBeCloseTo(10_000, 3)
    expect(profile.heightsM[middle]).toBeCloseTo(5.89, 2)
    expect(profile.groundM[middle]).toBe(0)
    expect(profile.heightsM[0]).toBe(0)
  })

  it('reads heights along the path (a ramp sampled at its ends and middle)', () => {
    const profile = terrainProfile([104, 21], [104.01, 21], eastwardRamp, { spacingM: 50, kFactor: Infinity })
    if (!profile) throw new Error('expected a profile')
    const n = profile.groundM.length
    expect(profile.groundM[0]).toBeCloseTo(100, 9)
    expect(profile.groundM[n - 1]).toBeCloseTo(110, 9)
    expect(profile.heightsM[Math.floor(n / 2)]).toBeCloseTo(100 + (10 * Math.floor(n / 2)) / (n - 1), 9)
  })

  it("defaults the spacing to the sampler's DEM step", () => {
    const sampler = Object.assign((() => 0) as HeightSampler, { stepM: 90 })
    const profile = terrainProfile([104, 21], [104, 21.01], sampler)
    if (!profile) throw new Error('expected a profile')
    expect(profile.spacingM).toBeLessThanOrEqual(90)
    expect(profile.spacingM).toBeGreaterThan(80)
  })

  it('returns null when the sampler has no height somewhere on the path', () => {
    const holey: HeightSampler = (lon) => (lon > 104.005 ? null : 0)
    expect(terrainProfile([104, 21], [104.01, 21], holey)).toBeNull()
  })

  it('has two samples at distance 0 when both ends coincide', () => {
    const profile = terrainProfile([104, 21], [104, 21], flat)
    expect(Array.from(profile?.distancesM ?? [])).toEqual([0, 0])
  })
})
