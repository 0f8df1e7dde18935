/**
 * Mean terrain elevation z_s of a profile (m), the elevation at which ITM evaluates the surface
 * refractivity. As in the NTIA/ITS point-to-point driver, the first and last tenth of the
 * profile are left out: with np = pointCount − 1 intervals and p = ⌊0.1 · np⌋, the mean runs over
 * the points p … np − p.
 *
 * `elevationsM` holds at least `pointCount` equally spaced heights above sea level (m), from the
 * transmitter to the receiver; only the first `pointCount` are read.
 */
export function meanPathElevation(elevationsM: ArrayLike<number>, pointCount: number): number {
  const np = pointCount - 1
  const p10 = Math.trunc(0.1 * np)
  let sum = 0
  for (let i = p10; i <= np - p10; i++) sum += elevationsM[i] as number
  return sum / (np - 2 * p10 + 1)
}
