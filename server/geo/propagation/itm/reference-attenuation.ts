import { diffractionAttenuation, initDiffraction } from './diffraction-attenuation.ts'
import type { ItmPathState } from './itm-path-state.ts'
import { ITM_WARNINGS } from './itm-warnings.ts'
import { initLineOfSight, lineOfSightAttenuation } from './line-of-sight-attenuation.ts'
import { initTroposcatter, troposcatterAttenuation } from './troposcatter-attenuation.ts'

/** Propagation modes as `s.mode`. */
export const MODE_LINE_OF_SIGHT = 1
export const MODE_DIFFRACTION = 2
export const MODE_TROPOSCATTER = 3

/**
 * Reference attenuation A_ref (dB, relative to free space) of a prepared path, at the path's own
 * length `s.dist` (ITM 1.2.2 `lrprop` in point-to-point mode; Hufford 1995, section 4 ff.).
 * Writes `s.aref`, `s.mode` and adds warning flags to `s.warnings`.
 *
 * The attenuation is a continuous curve of distance in three regions:
 * - diffraction (d_Ls ≤ d ≤ d_x): the straight line A_ed + m_d·d through the diffraction
 *   attenuation at two distances d3, d4 beyond the horizons (d3 = max(d_Ls, d_L + 1.3787·X_ae));
 * - line of sight (d < d_Ls): A_el + k_1·d + k_2·ln d fitted through the line-of-sight
 *   attenuation at d0, d1 and the diffraction line at d2 = d_Ls (k_1, k_2 ≥ 0);
 * - troposcatter (d > d_x): the line A_es + m_s·d through the scatter attenuation at
 *   d_L + 200 km and d_L + 400 km, joining the diffraction line at d_x.
 * A_ref is never negative. d_Ls is the sum of the smooth-earth horizon distances √(2·h_e/γ_e).
 */
export function referenceAttenuation(s: ItmPathState): void {
  const dist = s.dist
  s.dlsTx = Math.sqrt((2 * s.heTx) / s.gme)
  s.dlsRx = Math.sqrt((2 * s.heRx) / s.gme)
  s.dlsa = s.dlsTx + s.dlsRx
  s.dla = s.dlTx + s.dlRx
  s.tha = Math.max(s.theTx + s.theRx, -s.dla * s.gme)

  addGeometryWarnings(s)

  // Diffraction line through (d3, a3) and (d4, a4).
  s.dmin = Math.abs(s.heTx - s.heRx) / 200e-3
  initDiffraction(s)
  s.xae = Math.cbrt(1 / (s.wn * s.gme * s.gme))
  const d3 = Math.max(s.dlsa, 1.3787 * s.xae + s.dla)
  const d4 = d3 + 2.7574 * s.xae
  const a3 = diffractionAttenuation(s, d3)
  const a4 = diffractionAttenuation(s, d4)
  s.emd = (a4 - a3) / (d4 - d3)
  s.aed = a3 - s.emd * d3

  if (dist > 1000e3) s.warnings |= ITM_WARNINGS.PATH_DISTANCE_TOO_BIG_1
  if (dist > 2000e3) s.warnings |= ITM_WARNINGS.PATH_DISTANCE_TOO_BIG_2
  if (dist < s.dmin) s.warnings |= ITM_WARNINGS.PATH_DISTANCE_TOO_SMALL_1
  if (dist < 1e3) s.warnings |= ITM_WARNINGS.PATH_DISTANCE_TOO_SMALL_2

  let aref: number
  if (dist < s.dlsa) {
    fitLineOfSight(s)
    aref = s.ael + s.ak1 * dist + s.ak2 * Math.log(dist)
    s.mode = MODE_LINE_OF_SIGHT
  } else {
    fitTroposcatter(s)
    if (dist > s.dx) {
      aref = s.aes + s.ems * dist
      s.mode = MODE_TROPOSCATTER
    } else {
      aref = s.aed + s.emd * dist
      s.mode = MODE_DIFFRACTION
    }
  }
  s.aref = Math.max(aref, 0)
}

/** Coefficients A_el, k_1, k_2 of the line-of-sight region. */
function fitLineOfSight(s: ItmPathState): void {
  initLineOfSight(s)
  const d2 = s.dlsa
  const a2 = s.aed + d2 * s.emd
  let d0 = 1.908 * s.wn * s.heTx * s.heRx
  let d1: number
  if (s.aed >= 0) {
    d0 = Math.min(d0, 0.5 * s.dla)
    d1 = d0 + 0.25 * (s.dla - d0)
  } else {
    d1 = Math.max(-s.aed / s.emd, 0.25 * s.dla)
  }
  const a1 = lineOfSightAttenuation(s, d1)
  let ak1 = 0
  let ak2 = 0
  let fitted = false
  if (d0 < d1) {
    const a0 = lineOfSightAttenuation(s, d0)
    const q = Math.log(d2 / d0)
    ak2 = Math.max(0, ((d2 - d0) * (a1 - a0) - (d1 - d0) * (a2 - a0)) / ((d2 - d0) * Math.log(d1 / d0) - (d1 - d0) * q))
    fitted = s.aed >= 0 || ak2 > 0
    if (fitted) {
      ak1 = (a2 - a0 - ak2 * q) / (d2 - d0)
      if (ak1 < 0) {
        ak1 = 0
        ak2 = Math.max(a2 - a0, 0) / q
        if (ak2 === 0) ak1 = s.emd
      }
    }
  }
  if (!fitted) {
    ak1 = Math.max(a2 - a1, 0) / (d2 - d1)
    ak2 = 0
    if (ak1 === 0) ak1 = s.emd
  }
  s.ak1 = ak1
  s.ak2 = ak2
  s.ael = a2 - ak1 * d2 - ak2 * Math.log(d2)
}

/** Coefficients A_es, m_s of the troposcatter region and the boundary d_x. */
function fitTroposcatter(s: ItmPathState): void {
  initTroposcatter(s)
  const d5 = s.dla + 200e3
  const d6 = d5 + 200e3
  // Order as in 1.2.2: the far point first (the scatter step carries H_0 between calls).
  const a6 = troposcatterAttenuation(s, d6)
  const a5 = troposcatterAttenuation(s, d5)
  if (a5 < 1000) {
    s.ems = (a6 - a5) / 200e3
    s.dx = Math.max(s.dlsa, s.dla + 0.3 * s.xae * Math.log(47.7 * s.wn), (a5 - s.aed - s.ems * d5) / (s.emd - s.ems))
    s.aes = (s.emd - s.ems) * s.dx + s.aed
  } else {
    s.ems = s.emd
    s.aes = s.aed
    s.dx = 10e6
  }
}

/** Warnings about the antennas' horizons (the `kwx` checks of 1.2.2 `lrprop`). */
function addGeometryWarnings(s: ItmPathState): void {
  if (Math.abs(s.theTx) > 200e-3) s.warnings |= ITM_WARNINGS.TX_HORIZON_ANGLE
  if (Math.abs(s.theRx) > 200e-3) s.warnings |= ITM_WARNINGS.RX_HORIZON_ANGLE
  if (s.dlTx < 0.1 * s.dlsTx) s.warnings |= ITM_WARNINGS.TX_HORIZON_DISTANCE_1
  if (s.dlRx < 0.1 * s.dlsRx) s.warnings |= ITM_WARNINGS.RX_HORIZON_DISTANCE_1
  if (s.dlTx > 3 * s.dlsTx) s.warnings |= ITM_WARNINGS.TX_HORIZON_DISTANCE_2
  if (s.dlRx > 3 * s.dlsRx) s.warnings |= ITM_WARNINGS.RX_HORIZON_DISTANCE_2
}
