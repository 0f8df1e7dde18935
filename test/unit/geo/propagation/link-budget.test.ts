import { describe, expect, it } from 'vitest'
import { COVERAGE_THRESHOLDS_DBM, coverageClass } from '../../../../server/geo/propagation/coverage-class.ts'
import { LTE_RESOURCE_BLOCKS, linkBudget } from '../../../../server/geo/propagation/link-budget.ts'

/**
 * Hand-worked budgets. A 40 W (46 dBm) 20 MHz cell with a 17 dBi panel and 2 dB of feeder has
 * 61 dBm of EIRP on boresight; spread over 12·100 subcarriers (TS 36.101: 100 RB at 20 MHz) that is
 * 61 − 10·log10(1200) = 61 − 30.79 = 30.21 dBm per resource element. The same cell configured
 * with SIB2 referenceSignalPower = 46 − 30.79 = 15.21 dBm (the usual rule: total power minus
 * 10·log10(12·N_RB)) gives 15.21 + 17 − 2 = 30.21 dBm as well.
 */
describe('linkBudget', () => {
  it('spreads a 61 dBm EIRP over the 1200 subcarriers of 20 MHz: RSRP = 30.21 − 3 − 135 = −107.79 dBm (weak)', () => {
    const r = linkBudget({ transmit: { eirpDbm: 61, bandwidthMhz: 20 }, antennaAttenuationDb: 3, pathLossDb: 135 })
    expect(r.referenceSignalEirpDbm).toBeCloseTo(30.21, 2)
    expect(r.rsrpDbm).toBeCloseTo(-107.79, 2)
    expect(r.coverageClass).toBe('weak')
  })

  it('gives the same RSRP from the conducted reference-signal power, counting the antenna gain once', () => {
    const fromEirp = linkBudget({ transmit: { eirpDbm: 61, bandwidthMhz: 20 }, antennaAttenuationDb: 3, pathLossDb: 135 })
    const fromRs = linkBudget({
      transmit: { referenceSignalPowerDbm: 46 - 10 * Math.log10(1200), antennaGainDbi: 17, feederLossDb: 2 },
      antennaAttenuationDb: 3,
      pathLossDb: 135,
    })
    expect(fromRs.rsrpDbm).toBeCloseTo(fromEirp.rsrpDbm, 9)
  })

  it('maps 5/10/15/20 MHz to 25/50/75/100 resource blocks (10 MHz: −27.78 dB)', () => {
    expect([5, 10, 15, 20].map((b) => LTE_RESOURCE_BLOCKS[String(b)])).toEqual([25, 50, 75, 100])
    const r = linkBudget({ transmit: { eirpDbm: 43, bandwidthMhz: 10 }, antennaAttenuationDb: 0, pathLossDb: 0 })
    expect(r.referenceSignalEirpDbm).toBeCloseTo(15.22, 2)
  })

  it('adds the handset gain and subtracts other losses', () => {
    const r = linkBudget({
      transmit: { eirpDbm: 61, bandwidthMhz: 20 },
      antennaAttenuationDb: 0,
      pathLossDb: 120,
      receiverGainDbi: -1,
      otherLossesDb: 3,
    })
    expect(r.rsrpDbm).toBeCloseTo(30.21 - 120 - 1 - 3, 2)
    expect(r.coverageClass).toBe('good')
  })

  it('throws RangeError for a bandwidth that is not an LTE channel', () => {
    expect(() => linkBudget({ transmit: { eirpDbm: 61, bandwidthMhz: 7 }, antennaAttenuationDb: 0, pathLossDb: 100 })).toThrow(RangeError)
  })

  it('classifies with custom thresholds', () => {
    const r = linkBudget({
      transmit: { eirpDbm: 61, bandwidthMhz: 20 },
      antennaAttenuationDb: 0,
      pathLossDb: 135,
      thresholds: { goodDbm: -110, weakDbm: -120 },
    })
    expect(r.coverageClass).toBe('good')
  })
})

describe('coverageClass', () => {
  it('has the defaults good ≥ −100 dBm, weak ≥ −115 dBm', () => {
    expect(COVERAGE_THRESHOLDS_DBM).toEqual({ goodDbm: -100, weakDbm: -115 })
  })

  it('puts the thresholds themselves in the better class', () => {
    expect(coverageClass(-100)).toBe('good')
    expect(coverageClass(-100.01)).toBe('weak')
    expect(coverageClass(-115)).toBe('weak')
    expect(coverageClass(-115.01)).toBe('none')
  })

  it('calls NaN no coverage', () => {
    expect(coverageClass(Number.NaN)).toBe('none')
  })
})
