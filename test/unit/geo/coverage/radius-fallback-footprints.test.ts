import { area } from '@turf/turf'
import { describe, expect, it } from 'vitest'
import { radiusFallbackFootprints } from '../../../../server/geo/coverage/radius-fallback-footprints.ts'

describe('radiusFallbackFootprints', () => {
  it('puts the class edges where the free-space link budget crosses the thresholds (hand-computed)', () => {
    // 1800 MHz, EIRP 60 dBm over 20 MHz → 29.21 dBm per RE; margin 20 dB; good ≥ −100 dBm:
    // FSPL = 29.21 − 20 + 100 = 109.21 dB → d = 10^((109.21 − 97.55)/20) km = 3.83 km.
    const f = radiusFallbackFootprints({ lon: 104, lat: 21.3, azimuthDeg: null, beamwidthDeg: 360, frequencyMhz: 1800, eirpDbm: 60, bandwidthMhz: 20, maxRadiusM: 35_000 })
    expect(f.goodRadiusM / 1000).toBeCloseTo(3.83, 1)
    // weak ≥ −115 dBm: 15 dB more → ×10^(15/20) = 5.62 → 21.5 km.
    expect(f.weakRadiusM / f.goodRadiusM).toBeCloseTo(5.62, 1)
    const disc = Math.PI * (f.goodRadiusM / 1000) ** 2
    expect(area({ type: 'Feature', geometry: f.good!, properties: {} }) / 1e6).toBeCloseTo(disc, -0)
  })

  it('draws the 3 dB beam of a directional sector and a ring for the weak class, capped at the radius', () => {
    const f = radiusFallbackFootprints({ lon: 104, lat: 21.3, azimuthDeg: 90, beamwidthDeg: 65, frequencyMhz: 1800, eirpDbm: 60, bandwidthMhz: 20, maxRadiusM: 10_000 })
    expect(f.weakRadiusM).toBe(10_000)
    const goodKm2 = area({ type: 'Feature', geometry: f.good!, properties: {} }) / 1e6
    expect(goodKm2).toBeCloseTo((Math.PI * (f.goodRadiusM / 1000) ** 2 * 65) / 360, 0)
    const weakKm2 = area({ type: 'Feature', geometry: f.weak!, properties: {} }) / 1e6
    expect(weakKm2).toBeCloseTo((Math.PI * (10 ** 2 - (f.goodRadiusM / 1000) ** 2) * 65) / 360, 0)
  })
})
