import { describe, expect, it } from 'vitest'
import { cost231HataLoss } from '../../../../server/geo/propagation/cost231-hata-loss.ts'
import { defaultCoverageRadiusM } from '../../../../server/geo/propagation/default-coverage-radius.ts'
import { okumuraHataLoss } from '../../../../server/geo/propagation/okumura-hata-loss.ts'

/** A rural macro sector: 900 MHz, 10 MHz channel, 30 m mast (no input reaches the cap or the floor). */
const BASE = { frequencyMhz: 900, eirpDbm: 50, bandwidthMhz: 10, antennaHeightM: 30 }

describe('defaultCoverageRadiusM', () => {
  it('worked value, Okumura–Hata open area: 900 MHz, EIRP 50 dBm, 10 MHz, 30 m mast → 25.13 km', () => {
    // N_RB = 50: EIRP per resource element = 50 − 10·log10(600) = 50 − 27.782 = 22.218 dBm.
    // Target RSRP = −115 − 10 = −125 dBm, so the largest loss is 22.218 + 125 = 147.218 dB.
    // log10 900 = 2.95424, log10 30 = 1.47712.
    // a(1.5) = (1.1·2.95424 − 0.7)·1.5 − (1.56·2.95424 − 0.8) = 3.82450 − 3.80862 = 0.01588 dB.
    // Open-area correction = 4.78·2.95424² − 18.33·2.95424 + 40.94 = 41.7177 − 54.1513 + 40.94 = 28.5064 dB.
    // L(1 km) = 69.55 + 26.16·2.95424 − 13.82·1.47712 − 0.01588 − 28.5064
    //         = 69.55 + 77.2830 − 20.4138 − 0.0159 − 28.5064 = 97.8969 dB.
    // Slope B = 44.9 − 6.55·1.47712 = 44.9 − 9.6751 = 35.2249 dB per decade.
    // log10 d = (147.218 − 97.897) / 35.2249 = 49.3216 / 35.2249 = 1.40019 → d = 25.130 km.
    expect(defaultCoverageRadiusM(BASE)).toBeCloseTo(25_130.07, 0)
  })

  it('worked value, COST-231 Hata open area: 1800 MHz, EIRP 60 dBm, 20 MHz, 30 m mast → 26.16 km', () => {
    // N_RB = 100: EIRP per RE = 60 − 10·log10(1200) = 60 − 30.792 = 29.208 dBm; largest loss 154.208 dB.
    // log10 1800 = 3.25527. a(1.5) = (1.1·3.25527 − 0.7)·1.5 − (1.56·3.25527 − 0.8) = 4.32120 − 4.27823 = 0.04297 dB.
    // Open-area correction = 4.78·3.25527² − 18.33·3.25527 + 40.94 = 50.6527 − 59.6691 + 40.94 = 31.9236 dB.
    // L(1 km) = 46.3 + 33.9·3.25527 − 20.4138 − 0.04297 − 31.9236 = 46.3 + 110.3537 − 52.3804 = 104.2734 dB.
    // log10 d = (154.208 − 104.273) / 35.2249 = 49.9348 / 35.2249 = 1.41760 → d = 26.158 km.
    expect(defaultCoverageRadiusM({ frequencyMhz: 1800, eirpDbm: 60, bandwidthMhz: 20, antennaHeightM: 30 })).toBeCloseTo(26_157.79, 0)
  })

  it('puts the median RSRP at the weak threshold minus the margin at the returned radius', () => {
    for (const [frequencyMhz, model] of [[800, okumuraHataLoss], [1800, cost231HataLoss], [2100, cost231HataLoss]] as const) {
      for (const optimismMarginDb of [0, 10, 15]) {
        const r = defaultCoverageRadiusM({ ...BASE, eirpDbm: 45, frequencyMhz, optimismMarginDb })
        expect(r).toBeGreaterThan(2000)
        expect(r).toBeLessThan(35_000)
        const loss = model({ frequencyMhz, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: r / 1000, environment: 'open' }).lossDb
        const rsrp = 45 - 10 * Math.log10(12 * 50) - loss
        expect(rsrp, `${frequencyMhz} MHz, margin ${optimismMarginDb} dB`).toBeCloseTo(-115 - optimismMarginDb, 3)
      }
    }
  })

  it('grows with EIRP (strictly between floor and cap)', () => {
    let previous = 0
    for (let eirpDbm = 0; eirpDbm <= 75; eirpDbm += 0.5) {
      const r = defaultCoverageRadiusM({ ...BASE, eirpDbm })
      if (r > 2000 && previous > 2000 && r < 35_000) expect(r).toBeGreaterThan(previous)
      else expect(r).toBeGreaterThanOrEqual(previous)
      previous = r
    }
    expect(defaultCoverageRadiusM({ ...BASE, eirpDbm: 0 })).toBe(2000)
    expect(defaultCoverageRadiusM({ ...BASE, eirpDbm: 75 })).toBe(35_000)
  })

  it('grows with the antenna height', () => {
    const radii = [5, 10, 15, 20, 30, 45, 60, 100, 150].map((antennaHeightM) => defaultCoverageRadiusM({ ...BASE, eirpDbm: 40, antennaHeightM }))
    for (let i = 1; i < radii.length; i++) expect(radii[i]!).toBeGreaterThan(radii[i - 1]!)
  })

  it('reaches farther in lower bands at the same EIRP', () => {
    const bands = [700, 800, 900, 1800, 2100, 2600]
    const radii = bands.map((frequencyMhz) => defaultCoverageRadiusM({ ...BASE, eirpDbm: 45, frequencyMhz }))
    for (let i = 1; i < radii.length; i++) expect(radii[i]!, `${bands[i]} vs ${bands[i - 1]} MHz`).toBeLessThan(radii[i - 1]!)
  })

  it('grows with the optimism margin and shrinks with a stricter threshold', () => {
    const at = (optimismMarginDb: number, weakThresholdDbm = -115) => defaultCoverageRadiusM({ ...BASE, eirpDbm: 40, optimismMarginDb, weakThresholdDbm })
    expect(at(0)).toBeLessThan(at(10))
    expect(at(10)).toBeLessThan(at(20))
    expect(at(10, -110)).toBeLessThan(at(10))
  })

  it('holds the cap and the floor, defaults and given', () => {
    expect(defaultCoverageRadiusM({ ...BASE, eirpDbm: 90 })).toBe(35_000)
    expect(defaultCoverageRadiusM({ ...BASE, eirpDbm: 0 })).toBe(2000)
    expect(defaultCoverageRadiusM({ ...BASE, eirpDbm: 90, capM: 20_000 })).toBe(20_000)
    expect(defaultCoverageRadiusM({ ...BASE, eirpDbm: -20, floorM: 500 })).toBe(500)
    expect(defaultCoverageRadiusM({ ...BASE, floorM: 30_000 })).toBe(30_000)
    expect(defaultCoverageRadiusM({ ...BASE, capM: 10_000 })).toBe(10_000)
    expect(defaultCoverageRadiusM({ ...BASE, floorM: 7000, capM: 7000 })).toBe(7000)
  })

  it('rejects a bandwidth that is not an LTE channel, a bad mast height and a cap below the floor', () => {
    expect(() => defaultCoverageRadiusM({ ...BASE, bandwidthMhz: 7 })).toThrow(RangeError)
    expect(() => defaultCoverageRadiusM({ ...BASE, antennaHeightM: 0 })).toThrow(RangeError)
    expect(() => defaultCoverageRadiusM({ ...BASE, capM: 1000, floorM: 2000 })).toThrow(RangeError)
  })
})
