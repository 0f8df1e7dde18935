/** Coverage classes shown on the maps and counted in the indicators. */
export type CoverageClass = 'good' | 'weak' | 'none'

export interface CoverageThresholds {
  /** RSRP at or above which coverage is good, dBm. */
  goodDbm: number
  /** RSRP at or above which (and below `goodDbm`) coverage is weak, dBm; below it: none. */
  weakDbm: number
}

/**
 * Default RSRP thresholds, dBm: good ≥ −100, weak −115 ≤ RSRP < −100 (*lõm sóng*, *chập chờn*),
 * none below −115 (*trắng sóng*). These are phusong's planning defaults for outdoor handsets at
 * 1.5 m, not values from a standard (3GPP reports RSRP from −140 to −44 dBm); a deployment may
 * change them, e.g. to the thresholds of the provincial coverage reports it must match.
 */
export const COVERAGE_THRESHOLDS_DBM: Readonly<CoverageThresholds> = Object.freeze({ goodDbm: -100, weakDbm: -115 })

/**
 * The coverage class of a received power `rsrpDbm` (dBm): `good` at or above `thresholds.goodDbm`,
 * `weak` at or above `thresholds.weakDbm`, `none` below (and for NaN). Used on every raster cell
 * and village once its best-server RSRP is known.
 */
export function coverageClass(rsrpDbm: number, thresholds: Readonly<CoverageThresholds> = COVERAGE_THRESHOLDS_DBM): CoverageClass {
  if (rsrpDbm >= thresholds.goodDbm) return 'good'
  if (rsrpDbm >= thresholds.weakDbm) return 'weak'
  return 'none'
}
