import { fitLeastSquaresLine } from './fit-least-squares-line.ts'
import type { ItmPathState } from './itm-path-state.ts'
import { selectKthLargest } from './select-kth-largest.ts'

/**
 * Terrain irregularity parameter Δh (m) of the stretch [x1, x2] of a profile (ITM 1.2.2
 * `dlthx`; Hufford 1995, section 3). The stretch is resampled at n = 10·k − 5 equally spaced
 * points (k = ⌊0.1·(points in the stretch + 8)⌋ clamped to 4 … 25, linear interpolation), a
 * least-squares line is removed, and the interdecile range of the residuals (k-th largest minus
 * k-th smallest) is taken. It is then scaled to its asymptotic value for long paths:
 * Δh = Δh(d) / (1 − 0.8 · exp(−(x2 − x1) / 50 km)). Stretches of fewer than two intervals give 0.
 *
 * `elevationsM[0 … np]` are terrain heights (m) at spacing `spacingM`; x1, x2 are distances
 * from the transmitter (m). The resampled points go into `s.samples`, the line fit through
 * `s.fitZ0/fitZn`: nothing is allocated.
 */
export function terrainIrregularity(
  s: ItmPathState,
  elevationsM: ArrayLike<number>,
  np: number,
  spacingM: number,
  x1: number,
  x2: number,
): number {
  let xa = x1 / spacingM
  let xb = x2 / spacingM
  if (xb - xa < 2) return 0

  const ka = Math.min(Math.max(4, Math.trunc(0.1 * (xb - xa + 8))), 25)
  const n = 10 * ka - 5
  const kb = n - ka + 1
  const sn = n - 1
  const samples = s.samples

  // Resample: sample j lies at profile index xa_start + j · step, interpolated linearly.
  const step = (xb - xa) / sn
  let k = Math.trunc(xa + 1)
  xa -= k
  for (let j = 0; j < n; j++) {
    while (xa > 0 && k < np) {
      xa -= 1
      k++
    }
    const zk = elevationsM[k] as number
    samples[j] = zk + (zk - (elevationsM[k - 1] as number)) * xa
    xa += step
  }

  // Remove the least-squares line through the samples (spacing 1, indices 0 … sn).
  fitLeastSquaresLine(samples, sn, 1, 0, sn, s)
  let line = s.fitZ0
  const slope = (s.fitZn - s.fitZ0) / sn
  for (let j = 0; j < n; j++) {
    samples[j] = (samples[j] as number) - line
    line += slope
  }
  xb = selectKthLargest(samples, n, ka - 1) - selectKthLargest(samples, n, kb - 1)
  return xb / (1 - 0.8 * Math.exp(-(x2 - x1) / 50e3))
}
