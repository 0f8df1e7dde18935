import { COVERAGE_THRESHOLDS_DBM, type CoverageThresholds } from '../propagation/coverage-class.ts'

/** Cell values of a class raster: no data, and the three coverage classes in increasing order. */
export const CLASS_NO_DATA = 0
export const CLASS_NONE = 1
export const CLASS_WEAK = 2
export const CLASS_GOOD = 3

/**
 * The coverage class of every cell of an RSRP raster (dBm per cell, NaN where
 * nothing was predicted), as one byte per cell in the same order:
 * 0 = no data (NaN), 1 = none (RSRP < `weakDbm`, *trắng sóng*),
 * 2 = weak (`weakDbm` ≤ RSRP < `goodDbm`), 3 = good (RSRP ≥ `goodDbm`).
 *
 * Unlike `coverageClass`, which calls NaN `none`, a NaN cell here is *unknown*
 * (outside every sector's radius, or no terrain): "no signal predicted" and
 * "nothing predicted" stay apart, so the `none` polygons never cover cells the
 * engine did not compute. −Infinity (no path at all) is a prediction: none.
 * Used between the best-server composite and `rasterToClassPolygons`.
 */
export function classRaster(rsrpDbm: ArrayLike<number>, thresholds: Readonly<CoverageThresholds> = COVERAGE_THRESHOLDS_DBM): Uint8Array {
  const { goodDbm, weakDbm } = thresholds
  if (!(goodDbm >= weakDbm)) throw new RangeError(`thresholds: goodDbm (${goodDbm}) must be ≥ weakDbm (${weakDbm})`)
  const out = new Uint8Array(rsrpDbm.length)
  for (let i = 0; i < rsrpDbm.length; i++) {
    const v = rsrpDbm[i]!
    // NaN fails every comparison, so it falls through to no data.
    out[i] = v >= goodDbm ? CLASS_GOOD : v >= weakDbm ? CLASS_WEAK : v < weakDbm ? CLASS_NONE : CLASS_NO_DATA
  }
  return out
}
