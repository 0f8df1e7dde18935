import { cost231HataLoss } from './cost231-hata-loss.ts'
import { COVERAGE_THRESHOLDS_DBM } from './coverage-class.ts'
import { DEFAULT_RECEIVER_HEIGHT_M } from './fast-path-loss.ts'
import { LTE_RESOURCE_BLOCKS } from './link-budget.ts'
import { okumuraHataLoss, type EmpiricalLoss, type HataInput } from './okumura-hata-loss.ts'

/**
 * How far out a sector's RSRP raster is computed, when the run does not set a radius.
 *
 * The raster must hold every place the sector can plausibly serve, but computing 35 km around
 * every sector costs (the sweep is O(radius²)) and most sectors die out long before. So the
 * default radius is where a MEDIAN path-loss model for open/rural land says the signal has fallen
 * to the weak-coverage threshold MINUS an optimism margin: the median model says how far the
 * sector reaches on average terrain; the margin (default 10 dB, about one standard deviation of
 * the log-normal shadowing around Hata's median, usually taken as 6–10 dB) keeps the terrain-lucky paths — a village on the far slope of a valley, in
 * clear line of sight of the mast — inside the raster, where the terrain model then decides.
 * Places beyond it would need a path better than the open-area median by more than the margin.
 * The result is clamped to [floorM, capM] (defaults 2 km, 35 km): no sector's raster is smaller
 * than a small town, none larger than the run's budget allows.
 *
 * Model (basic transmission loss L(d), d in km, antenna height above ground as Hata's h_b,
 * receiver 1.5 m as h_m, environment `open`):
 * - f < 1500 MHz: Okumura–Hata with Hata's open-area correction (`okumuraHataLoss`);
 * - 1500–2000 MHz: COST-231 Hata with the same open-area correction (`cost231HataLoss`, as
 *   SEAMCAT's Extended Hata does);
 * - f > 2000 MHz (band 1 at 2100 MHz, band 7 at 2600 MHz): COST-231 Hata EXTRAPOLATED beyond its
 *   range — the best available in the family, flagged in the model's `outOfRange`, ignored here.
 * Masts under 30 m and distances over 20 km are extrapolations of Hata's validity as well.
 *
 * Link budget as `linkBudget`: RSRP = EIRP − 10·log10(12·N_RB) − L(d) (boresight, 0 dBi handset,
 * no other losses), N_RB from `LTE_RESOURCE_BLOCKS`. The radius solves
 *
 *   RSRP(d) = weakThresholdDbm − optimismMarginDb
 *
 * by bisection on d between floorM and capM (L grows with d whenever 44.9 − 6.55·log10 h_b > 0,
 * i.e. for any real mast; the result is within 1 cm). With the defaults the open-area model is
 * generous: a 900 MHz macro sector of 60 dBm EIRP reaches the 35 km cap (48 km unclamped), and
 * only EIRPs around 11 dBm or less fall to the 2 km floor.
 * Units: MHz, dBm, MHz of channel, metres; returns metres. Throws RangeError for a bandwidth that
 * is not an LTE channel, for non-positive heights or frequency, and when capM < floorM.
 */
export interface DefaultCoverageRadiusInput {
  /** Carrier, MHz. */
  frequencyMhz: number
  /** Total EIRP of the cell on boresight, dBm (antenna gain included). */
  eirpDbm: number
  /** LTE channel bandwidth, MHz (1.4, 3, 5, 10, 15, 20). */
  bandwidthMhz: number
  /** Antenna height above ground, m. */
  antennaHeightM: number
  /** Handset height above ground, m (default 1.5). */
  receiverHeightM?: number
  /** RSRP below which there is no coverage, dBm (default −115, `COVERAGE_THRESHOLDS_DBM.weakDbm`). */
  weakThresholdDbm?: number
  /** How much better than the median a path may be and still be inside the raster, dB (default 10). */
  optimismMarginDb?: number
  /** Largest radius, m (default 35,000). */
  capM?: number
  /** Smallest radius, m (default 2,000). */
  floorM?: number
}

export const DEFAULT_COVERAGE_RADIUS_OPTIONS = Object.freeze({
  receiverHeightM: DEFAULT_RECEIVER_HEIGHT_M,
  weakThresholdDbm: COVERAGE_THRESHOLDS_DBM.weakDbm,
  optimismMarginDb: 10,
  capM: 35_000,
  floorM: 2_000,
})

export function defaultCoverageRadiusM(input: DefaultCoverageRadiusInput): number {
  const d = DEFAULT_COVERAGE_RADIUS_OPTIONS
  const receiverHeightM = input.receiverHeightM ?? d.receiverHeightM
  const weakThresholdDbm = input.weakThresholdDbm ?? d.weakThresholdDbm
  const optimismMarginDb = input.optimismMarginDb ?? d.optimismMarginDb
  const capM = input.capM ?? d.capM
  const floorM = input.floorM ?? d.floorM
  if (!(floorM > 0 && capM >= floorM)) throw new RangeError(`need 0 < floorM ≤ capM, got floorM ${floorM}, capM ${capM}`)
  const nRb = LTE_RESOURCE_BLOCKS[String(input.bandwidthMhz)]
  if (nRb === undefined) throw new RangeError(`no LTE channel of ${input.bandwidthMhz} MHz (expected 1.4, 3, 5, 10, 15 or 20)`)

  // Largest path loss that still leaves RSRP at the threshold minus the margin.
  const maxLossDb = input.eirpDbm - 10 * Math.log10(12 * nRb) - (weakThresholdDbm - optimismMarginDb)
  const model: (x: HataInput) => EmpiricalLoss = input.frequencyMhz < 1500 ? okumuraHataLoss : cost231HataLoss
  const lossAt = (distanceM: number) =>
    model({
      frequencyMhz: input.frequencyMhz,
      baseHeightM: input.antennaHeightM,
      mobileHeightM: receiverHeightM,
      distanceKm: distanceM / 1000,
      environment: 'open',
    }).lossDb

  if (lossAt(floorM) >= maxLossDb) return floorM
  if (lossAt(capM) <= maxLossDb) return capM
  // Bisection: loss(lo) < maxLossDb < loss(hi).
  let lo = floorM
  let hi = capM
  while (hi - lo > 0.01) {
    const mid = (lo + hi) / 2
    if (lossAt(mid) <= maxLossDb) lo = mid
    else hi = mid
  }
  return lo
}
