import type { ItmPathState } from './itm-path-state.ts'

/**
 * Path geometry of ITM's area mode, where no profile is known (ITM 1.2.2 `qlra`; Hufford 1995,
 * section 3; NTIA Report 82-100, section 4): effective heights `s.heTx/heRx` (m) from the
 * structural heights, the terrain irregularity `s.dh` (m, already set) and the siting criteria
 * (0 random: h_e = h_g; 1 careful, 2 very careful: the antenna is assumed on a local rise,
 * h_e = h_g + (1 + q)·exp(−min(20, 2·h_g/max(1 mm, Δh))) with q = 4 or 9, reduced below 5 m),
 * then the typical horizon distances `s.dlTx/dlRx` (m) and angles `s.theTx/theRx` (rad) for
 * terrain of that irregularity.
 */
export function prepareAreaGeometry(s: ItmPathState, txSiting: number, rxSiting: number): void {
  s.heTx = effectiveHeight(s.hgTx, txSiting, s.dh)
  s.heRx = effectiveHeight(s.hgRx, rxSiting, s.dh)
  let q = Math.sqrt((2 * s.heTx) / s.gme)
  s.dlTx = q * Math.exp(-0.07 * Math.sqrt(s.dh / Math.max(s.heTx, 5)))
  s.theTx = (0.65 * s.dh * (q / s.dlTx - 1) - 2 * s.heTx) / q
  q = Math.sqrt((2 * s.heRx) / s.gme)
  s.dlRx = q * Math.exp(-0.07 * Math.sqrt(s.dh / Math.max(s.heRx, 5)))
  s.theRx = (0.65 * s.dh * (q / s.dlRx - 1) - 2 * s.heRx) / q
}

function effectiveHeight(hg: number, siting: number, dh: number): number {
  if (siting <= 0) return hg
  let q = siting === 1 ? 4 : 9
  if (hg < 5) q *= Math.sin(0.3141593 * hg)
  return hg + (1 + q) * Math.exp(-Math.min(20, (2 * hg) / Math.max(1e-3, dh)))
}
