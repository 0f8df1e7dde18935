import type { Curve } from './climate-coefficients.ts'

/**
 * One of ITM's empirical variability curves at effective distance `de` (m) (ITM 1.2.2 `curve`;
 * Hufford 1995, section 7): (c1 + c2 / (1 + ((d_e − x2)/x3)²)) · (d_e/x1)² / (1 + (d_e/x1)²),
 * in dB.
 */
export function variabilityCurve(c: Curve, de: number): number {
  const t = (de - c[3]) / c[4]
  const u = (de / c[2]) ** 2
  return ((c[0] + c[1] / (1 + t * t)) * u) / (1 + u)
}
