/**
 * The Fresnel–Kirchhoff diffraction parameter ν (dimensionless) of a knife edge, ITU-R P.526,
 * §4.1, eq. (26):
 *
 *   ν = h·√( (2/λ)·(1/d1 + 1/d2) )
 *
 * `heightM`: height of the edge above the straight line joining the two ends (negative below it);
 * `d1M`, `d2M`: distances from the edge to either end; `wavelengthM`: λ; all in metres. ν = 0 is
 * a grazing edge, ν ≈ −0.78 an edge about 0.55 of the first Fresnel radius below the line (where
 * the knife-edge loss reaches 0 dB). Returns −∞ when d1 or d2 is 0 (an edge at an end point
 * never obstructs).
 *
 * Used for every edge of the multi-edge diffraction methods.
 */
export function fresnelKirchhoffParameter(heightM: number, d1M: number, d2M: number, wavelengthM: number): number {
  if (!(d1M > 0 && d2M > 0)) return -Infinity
  return heightM * Math.sqrt((2 / wavelengthM) * (1 / d1M + 1 / d2M))
}
