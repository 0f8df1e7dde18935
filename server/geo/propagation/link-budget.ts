import { COVERAGE_THRESHOLDS_DBM, coverageClass, type CoverageClass, type CoverageThresholds } from './coverage-class.ts'

export { COVERAGE_THRESHOLDS_DBM } from './coverage-class.ts'
export { DEFAULT_RECEIVER_HEIGHT_M } from './fast-path-loss.ts'

/** LTE channel bandwidth (MHz) → downlink resource blocks N_RB (3GPP TS 36.101, Table 5.6-1). */
export const LTE_RESOURCE_BLOCKS: Readonly<Record<string, number>> = Object.freeze({
  '1.4': 6,
  '3': 15,
  '5': 25,
  '10': 50,
  '15': 75,
  '20': 100,
})

/**
 * How the transmit power is known:
 * - `eirpDbm` + `bandwidthMhz`: total EIRP of the cell on boresight, dBm, over the whole channel —
 *   conducted power + boresight antenna gain − feeder losses. It ALREADY CONTAINS the antenna gain:
 *   only the pattern attenuation relative to boresight may be subtracted from it.
 * - `referenceSignalPowerDbm` + `antennaGainDbi`: the reference-signal power per resource element at
 *   the antenna connector (SIB2 `referenceSignalPower`, conducted, dBm), with the boresight gain and
 *   the feeder loss between them.
 */
export type TransmitPower =
  | { eirpDbm: number; bandwidthMhz: number }
  | { referenceSignalPowerDbm: number; antennaGainDbi: number; feederLossDb?: number }

export interface LinkBudgetInput {
  transmit: TransmitPower
  /** Pattern attenuation towards the receiver relative to boresight, dB ≥ 0 (`antennaAttenuation`). */
  antennaAttenuationDb: number
  /** Basic transmission loss, dB (`fastPathLoss`, ITM, Hata…). */
  pathLossDb: number
  /** Handset antenna gain, dBi (default 0). */
  receiverGainDbi?: number
  /** Further losses, dB (body, vehicle, building penetration; default 0). */
  otherLossesDb?: number
  /** Coverage thresholds (default `COVERAGE_THRESHOLDS_DBM`). */
  thresholds?: Readonly<CoverageThresholds>
}

export interface LinkBudget {
  /** Reference-signal EIRP per resource element on boresight, dBm. */
  referenceSignalEirpDbm: number
  /** Reference Signal Received Power, dBm per resource element (15 kHz). */
  rsrpDbm: number
  coverageClass: CoverageClass
}

/**
 * LTE downlink link budget for one receiver: RSRP, dBm, and its coverage class.
 *
 * RSRP is the power of ONE reference-signal resource element (3GPP TS 36.214 §5.1.1), so the
 * cell's total EIRP is first spread evenly over the 12·N_RB subcarriers of the channel:
 *
 *   EIRP_RE = EIRP_total − 10·log10(12·N_RB)         (20 MHz: N_RB = 100, −30.8 dB)
 *   RSRP    = EIRP_RE − A_pattern − L_path + G_rx − L_other
 *
 * or, from the conducted reference-signal power, EIRP_RE = P_RS + G_antenna − L_feeder. The
 * antenna's boresight gain enters exactly once: in the EIRP, or as `antennaGainDbi` — never both;
 * the pattern enters as an attenuation relative to boresight. Equal power per resource element is
 * assumed (no reference-signal boost). The receiver height (1.5 m, `DEFAULT_RECEIVER_HEIGHT_M`)
 * belongs to the path loss, computed before.
 *
 * Throws RangeError for a bandwidth that is not an LTE channel (1.4, 3, 5, 10, 15, 20 MHz).
 * Used for every raster cell and village of a sector.
 */
export function linkBudget(input: LinkBudgetInput): LinkBudget {
  const referenceSignalEirpDbm = referenceSignalEirp(input.transmit)
  const rsrpDbm =
    referenceSignalEirpDbm -
    input.antennaAttenuationDb -
    input.pathLossDb +
    (input.receiverGainDbi ?? 0) -
    (input.otherLossesDb ?? 0)
  return { referenceSignalEirpDbm, rsrpDbm, coverageClass: coverageClass(rsrpDbm, input.thresholds ?? COVERAGE_THRESHOLDS_DBM) }
}

function referenceSignalEirp(transmit: TransmitPower): number {
  if ('eirpDbm' in transmit) {
    const nRb = LTE_RESOURCE_BLOCKS[String(transmit.bandwidthMhz)]
    if (nRb === undefined) {
      throw new RangeError(`no LTE channel of ${transmit.bandwidthMhz} MHz (expected 1.4, 3, 5, 10, 15 or 20)`)
    }
    return transmit.eirpDbm - 10 * Math.log10(12 * nRb)
  }
  return transmit.referenceSignalPowerDbm + transmit.antennaGainDbi - (transmit.feederLossDb ?? 0)
}
