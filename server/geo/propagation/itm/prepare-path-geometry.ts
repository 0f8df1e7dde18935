import { findHorizons } from './find-horizons.ts'
import { fitLeastSquaresLine } from './fit-least-squares-line.ts'
import type { ItmPathState } from './itm-path-state.ts'
import { terrainIrregularity } from './terrain-irregularity.ts'

/**
 * Geometric parameters of a point-to-point path from its terrain profile (ITM 1.2.2 `qlrpfl`;
 * Hufford 1995, section 3): path length `s.dist` (m), horizon distances `s.dlTx/dlRx` (m) and
 * angles `s.theTx/theRx` (rad), terrain irregularity `s.dh` (m) and effective antenna heights
 * `s.heTx/heRx` (m). Reads `s.gme`, `s.hgTx`, `s.hgRx`.
 *
 * - Δh is measured between x1 = min(15·h_g,tx, 0.1·d_L,tx) and d − min(15·h_g,rx, 0.1·d_L,rx).
 * - Line-of-sight path (d_L,tx + d_L,rx > 1.5·d): the effective height of each antenna is its
 *   height above the least-squares line through that stretch (never less than its structural
 *   height); the horizon distances and angles are then replaced by the smooth-earth values
 *   d_L = √(2·h_e/γ_e) · exp(−0.07·√(Δh / max(h_e, 5 m))), the heights being scaled up when
 *   those horizons would not reach across the path.
 * - Transhorizon path: each effective height is taken over the least-squares line through the
 *   terrain between the antenna's foreground and 90 % of its horizon distance.
 */
export function preparePathGeometry(s: ItmPathState, elevationsM: ArrayLike<number>, np: number, spacingM: number): void {
  const dist = np * spacingM
  s.dist = dist
  findHorizons(s, elevationsM, np, spacingM)

  const x1 = Math.min(15 * s.hgTx, 0.1 * s.dlTx)
  const x2 = dist - Math.min(15 * s.hgRx, 0.1 * s.dlRx)
  const dh = terrainIrregularity(s, elevationsM, np, spacingM, x1, x2)
  s.dh = dh
  const zTx = elevationsM[0] as number
  const zRx = elevationsM[np] as number

  if (s.dlTx + s.dlRx > 1.5 * dist) {
    // Line of sight.
    fitLeastSquaresLine(elevationsM, np, spacingM, x1, x2, s)
    let heTx = s.hgTx + Math.max(zTx - s.fitZ0, 0)
    let heRx = s.hgRx + Math.max(zRx - s.fitZn, 0)
    const gme = s.gme
    let dlTx = Math.sqrt((2 * heTx) / gme) * Math.exp(-0.07 * Math.sqrt(dh / Math.max(heTx, 5)))
    let dlRx = Math.sqrt((2 * heRx) / gme) * Math.exp(-0.07 * Math.sqrt(dh / Math.max(heRx, 5)))
    const sum = dlTx + dlRx
    if (sum <= dist) {
      const scale = (dist / sum) ** 2
      heTx *= scale
      heRx *= scale
      dlTx = Math.sqrt((2 * heTx) / gme) * Math.exp(-0.07 * Math.sqrt(dh / Math.max(heTx, 5)))
      dlRx = Math.sqrt((2 * heRx) / gme) * Math.exp(-0.07 * Math.sqrt(dh / Math.max(heRx, 5)))
    }
    const qTx = Math.sqrt((2 * heTx) / gme)
    const qRx = Math.sqrt((2 * heRx) / gme)
    s.theTx = (0.65 * dh * (qTx / dlTx - 1) - 2 * heTx) / qTx
    s.theRx = (0.65 * dh * (qRx / dlRx - 1) - 2 * heRx) / qRx
    s.heTx = heTx
    s.heRx = heRx
    s.dlTx = dlTx
    s.dlRx = dlRx
  } else {
    // Transhorizon.
    fitLeastSquaresLine(elevationsM, np, spacingM, x1, 0.9 * s.dlTx, s)
    s.heTx = s.hgTx + Math.max(zTx - s.fitZ0, 0)
    fitLeastSquaresLine(elevationsM, np, spacingM, dist - 0.9 * s.dlRx, x2, s)
    s.heRx = s.hgRx + Math.max(zRx - s.fitZn, 0)
  }
}
