import { describe, expect, it } from 'vitest'
import { FREE_SPACE_LOSS_CONSTANT_DB, freeSpaceLoss } from '../../../../server/geo/propagation/free-space-loss.ts'
import { wavelength } from '../../../../server/geo/propagation/wavelength.ts'

describe('freeSpaceLoss', () => {
  it('has the constant 20·log10(4π·10⁹/c) = 32.45 dB that ITU-R P.525 rounds to 32.4', () => {
    expect(FREE_SPACE_LOSS_CONSTANT_DB).toBeCloseTo(32.4478, 4)
    expect(freeSpaceLoss(1, 1)).toBeCloseTo(32.4478, 4)
  })

  it('gives 97.55 dB for 1 km at 1800 MHz (LTE band 3)', () => {
    // 32.45 + 20·log10(1800) + 20·log10(1) = 32.45 + 65.11 = 97.55 dB.
    expect(freeSpaceLoss(1, 1800)).toBeCloseTo(97.55, 2)
  })

  it('gives 100.05 dB for 1 km at 2400 MHz, the figure quoted in Wi-Fi link budgets', () => {
    expect(freeSpaceLoss(1, 2400)).toBeCloseTo(100.05, 2)
  })

  it('agrees with 20·log10(4π·d/λ) (ITU-R P.525 §2.2) at 15 km and 700 MHz', () => {
    const d = 15_000
    expect(freeSpaceLoss(15, 700)).toBeCloseTo(20 * Math.log10((4 * Math.PI * d) / wavelength(700)), 9)
  })

  it('grows by 6.02 dB per doubling of distance or frequency', () => {
    expect(freeSpaceLoss(10, 900) - freeSpaceLoss(5, 900)).toBeCloseTo(6.0206, 4)
    expect(freeSpaceLoss(5, 1800) - freeSpaceLoss(5, 900)).toBeCloseTo(6.0206, 4)
  })
})

describe('wavelength', () => {
  it('is c/f: 0.1666 m at 1800 MHz, exactly 1 m at 299.792458 MHz', () => {
    expect(wavelength(1800)).toBeCloseTo(0.16655, 5)
    expect(wavelength(299.792458)).toBeCloseTo(1, 12)
  })
})
