import { describe, expect, it } from 'vitest'
import { hataEnvironmentCorrection } from '../../../../server/geo/propagation/hata-environment-correction.ts'
import { hataMobileHeightCorrection } from '../../../../server/geo/propagation/hata-mobile-height-correction.ts'
import { okumuraHataLoss } from '../../../../server/geo/propagation/okumura-hata-loss.ts'

/**
 * References (independent of this code):
 * - rfwireless-world.com, "Hata model path loss calculator" worked example: 900 MHz, h_b 100 m,
 *   h_m 2 m, 4 km (small/medium city) → a(h_m) = 1.29 dB, L = 137.05 dB.
 * - ns-3 okumura-hata-test-suite.cc (CTTC, 2011–2012): 869 MHz, 2 km, h_b 30 m, h_m 1 m →
 *   large city 137.93, small city 137.88, suburban 128.03, open 110.21 dB. The open-area value
 *   carries ns-3's typo 4.70 for Hata's 4.78 (fixed in ns-3 MR !2352); with 4.78 it is 109.52 dB,
 *   computed by hand below.
 * - wireless-telemedicine.aydos.de, "Hata path loss in a large city": 900 MHz, h_b 50 m, h_m 1.5 m,
 *   5 km, large city → a(h_m) = −0.0009 dB, loss printed as int(…) = 146 dB (146.96 dB).
 */
describe('okumuraHataLoss', () => {
  it('matches the rfwireless-world worked example (900 MHz, 100 m, 2 m, 4 km): 137.05 dB', () => {
    expect(hataMobileHeightCorrection(900, 2, false)).toBeCloseTo(1.29, 2)
    const r = okumuraHataLoss({ frequencyMhz: 900, baseHeightM: 100, mobileHeightM: 2, distanceKm: 4 })
    expect(r.lossDb).toBeCloseTo(137.05, 2)
    expect(r.outOfRange).toEqual([])
  })

  it('matches the ns-3 reference for a large city (869 MHz, 30 m, 1 m, 2 km): 137.93 dB', () => {
    const r = okumuraHataLoss({ frequencyMhz: 869, baseHeightM: 30, mobileHeightM: 1, distanceKm: 2, environment: 'large-city' })
    expect(r.lossDb).toBeCloseTo(137.93, 2)
  })

  it('matches the ns-3 reference for a small/medium city: 137.88 dB', () => {
    const r = okumuraHataLoss({ frequencyMhz: 869, baseHeightM: 30, mobileHeightM: 1, distanceKm: 2, environment: 'medium-city' })
    expect(r.lossDb).toBeCloseTo(137.88, 2)
  })

  it('matches the ns-3 reference for a suburban area: 128.03 dB', () => {
    // 137.877 − 2·[log10(869/28)]² − 5.4 = 137.877 − 4.451 − 5.4 = 128.03
    const r = okumuraHataLoss({ frequencyMhz: 869, baseHeightM: 30, mobileHeightM: 1, distanceKm: 2, environment: 'suburban' })
    expect(r.lossDb).toBeCloseTo(128.03, 2)
  })

  it("gives Hata's open-area value 109.52 dB where ns-3's test expects 110.21 dB (its 4.70 typo)", () => {
    // 137.877 − (4.78·2.93902² − 18.33·2.93902 + 40.94) = 137.877 − 28.357 = 109.52;
    // with 4.70 instead of 4.78 the correction is 27.666 dB and the loss 110.21 dB.
    const r = okumuraHataLoss({ frequencyMhz: 869, baseHeightM: 30, mobileHeightM: 1, distanceKm: 2, environment: 'open' })
    expect(r.lossDb).toBeCloseTo(109.52, 2)
    expect(r.lossDb).not.toBeCloseTo(110.21, 1)
  })

  it('matches the large-city example at 900 MHz, 50 m, 1.5 m, 5 km: 146.96 dB (printed as 146)', () => {
    expect(hataMobileHeightCorrection(900, 1.5, true)).toBeCloseTo(-0.0009, 4)
    const r = okumuraHataLoss({ frequencyMhz: 900, baseHeightM: 50, mobileHeightM: 1.5, distanceKm: 5, environment: 'large-city' })
    expect(r.lossDb).toBeCloseTo(146.96, 2)
  })

  it('uses the low-frequency large-city correction 8.29·[log10(1.54·h_m)]² − 1.1 at or below 200 MHz', () => {
    expect(hataMobileHeightCorrection(150, 1.5, true)).toBeCloseTo(8.29 * Math.log10(2.31) ** 2 - 1.1, 12)
  })

  it('applies the suburban and open corrections of Hata (1980) at 900 MHz: 9.94 and 28.51 dB', () => {
    expect(hataEnvironmentCorrection('suburban', 900)).toBeCloseTo(9.94, 2)
    expect(hataEnvironmentCorrection('open', 900)).toBeCloseTo(28.51, 2)
    expect(hataEnvironmentCorrection('large-city', 900)).toBe(0)
  })

  it('extrapolates out of range and lists the parameters outside it, without clamping', () => {
    const near = okumuraHataLoss({ frequencyMhz: 1800, baseHeightM: 25, mobileHeightM: 1.5, distanceKm: 0.5 })
    const nearer = okumuraHataLoss({ frequencyMhz: 1800, baseHeightM: 25, mobileHeightM: 1.5, distanceKm: 0.25 })
    expect(near.outOfRange).toEqual(['frequencyMhz', 'baseHeightM', 'distanceKm'])
    expect(nearer.lossDb).toBeLessThan(near.lossDb)
  })

  it('throws RangeError for a distance of zero', () => {
    expect(() => okumuraHataLoss({ frequencyMhz: 900, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: 0 })).toThrow(RangeError)
  })
})
