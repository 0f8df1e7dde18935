/** Where fitLeastSquaresLine writes its result. */
export interface LineFitOut {
  /** Height of the fitted line at the start of the profile, x = 0 (m). */
  fitZ0: number
  /** Height of the fitted line at the end of the profile, x = np · spacing (m). */
  fitZn: number
}

/**
 * Least-squares straight line through part of a profile (ITM 1.2.2 `zlsq1`; Hufford 1995,
 * section 3). Fits the points whose abscissa lies in [x1, x2] (m from the start; the interval
 * is snapped to whole points and widened by one point each way when it holds fewer than two),
 * and writes the line's heights at both ends of the whole profile into `out`.
 *
 * `z[0 … np]` are heights (m) at spacing `spacing` (m). Allocation-free: the result goes into
 * `out` (the path state) instead of a new object.
 */
export function fitLeastSquaresLine(
  z: ArrayLike<number>,
  np: number,
  spacing: number,
  x1: number,
  x2: number,
  out: LineFitOut,
): void {
  const xn = np
  let xa = Math.trunc(Math.max(x1 / spacing, 0))
  let xb = xn - Math.trunc(Math.max(xn - x2 / spacing, 0))
  if (xb <= xa) {
    xa = Math.max(xa - 1, 0)
    xb = xn - Math.max(xn - (xb + 1), 0)
  }
  let ja = xa
  const jb = xb
  const n = jb - ja
  const len = xb - xa
  let x = -0.5 * len
  const mid = xb + x
  let a = 0.5 * ((z[ja] as number) + (z[jb] as number))
  let b = 0.5 * ((z[ja] as number) - (z[jb] as number)) * x
  for (let i = 2; i <= n; i++) {
    ja++
    x += 1
    const zi = z[ja] as number
    a += zi
    b += zi * x
  }
  a /= len
  b = (b * 12) / ((len * len + 2) * len)
  out.fitZ0 = a - b * mid
  out.fitZn = a + b * (xn - mid)
}
