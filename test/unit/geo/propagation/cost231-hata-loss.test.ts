import { describe, expect, it } from 'vitest'
import { cost231HataLoss } from '../../../../server/geo/propagation/cost231-hata-loss.ts'

/**
 * Reference: ns-3 okumura-hata-test-suite.cc (CTTC), which switches to COST-231 above 1500 MHz:
 * 2114 MHz, 2 km, h_b 30 m, h_m 1 m → medium city 150.64 dB, large city 148.55 dB.
 *
 * The large-city figure is NOT the textbook value: ns-3 uses a(h_m) = 3.2·[log10(11.75·h_m)]²
 * without Hata's −4.97 dB term. Computed here by hand from COST 231 eq. 4.4.3 with the full
 * large-city a(h_m):
 *   46.3 + 33.9·log10 2114 − 13.82·log10 30 + (44.9 − 6.55·log10 30)·log10 2 + 3
 *     = 46.3 + 112.721 − 20.414 + 10.604 + 3 = 152.211
 *   a(1) = 3.2·(log10 11.75)² − 4.97 = 3.664 − 4.97 = −1.306
 *   L = 152.211 + 1.306 = 153.52 dB  (ns-3: 152.211 − 3.664 = 148.55 dB)
 */
describe('cost231HataLoss', () => {
  it('matches the ns-3 reference for a medium city (2114 MHz, 30 m, 1 m, 2 km): 150.64 dB', () => {
    const r = cost231HataLoss({ frequencyMhz: 2114, baseHeightM: 30, mobileHeightM: 1, distanceKm: 2, environment: 'medium-city' })
    expect(r.lossDb).toBeCloseTo(150.64, 2)
  })

  it('gives the textbook metropolitan value 153.52 dB, 4.97 dB above ns-3 (which drops −4.97 from a(h_m))', () => {
    const r = cost231HataLoss({ frequencyMhz: 2114, baseHeightM: 30, mobileHeightM: 1, distanceKm: 2, environment: 'large-city' })
    expect(r.lossDb).toBeCloseTo(153.52, 2)
    expect(r.lossDb - 148.55).toBeCloseTo(4.97, 1)
  })

  it('flags 2114 MHz (LTE band 1) as above the 2000 MHz limit, and nothing at 1800 MHz', () => {
    expect(cost231HataLoss({ frequencyMhz: 2114, baseHeightM: 30, mobileHeightM: 1, distanceKm: 2 }).outOfRange).toEqual(['frequencyMhz'])
    expect(cost231HataLoss({ frequencyMhz: 1800, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: 1 }).outOfRange).toEqual([])
  })

  it('gives 136.20 dB at 1800 MHz, 30 m, 1.5 m, 1 km in a medium city (hand-computed)', () => {
    // 46.3 + 33.9·3.25527 − 13.82·1.47712 − a + 0 = 46.3 + 110.354 − 20.414 − 0.043 = 136.197
    // a(1.5) = (1.1·3.25527 − 0.7)·1.5 − (1.56·3.25527 − 0.8) = 4.321 − 4.278 = 0.043
    const r = cost231HataLoss({ frequencyMhz: 1800, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: 1 })
    expect(r.lossDb).toBeCloseTo(136.2, 1)
  })

  it("subtracts Hata's suburban and open-area corrections from the medium-city loss (SEAMCAT Extended Hata)", () => {
    const base = { frequencyMhz: 1800, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: 1 }
    const urban = cost231HataLoss(base).lossDb
    // suburban: 2·[log10(1800/28)]² + 5.4 = 2·1.80812² + 5.4 = 11.939 dB
    expect(urban - cost231HataLoss({ ...base, environment: 'suburban' }).lossDb).toBeCloseTo(11.939, 3)
    // open: 4.78·3.25527² − 18.33·3.25527 + 40.94 = 50.653 − 59.669 + 40.94 = 31.924 dB
    expect(urban - cost231HataLoss({ ...base, environment: 'open' }).lossDb).toBeCloseTo(31.924, 3)
  })
})
