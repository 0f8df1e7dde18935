/** Below this ν the single knife-edge loss is taken as 0 dB (ITU-R P.526, §4.1). */
export const KNIFE_EDGE_MIN_NU = -0.78

/**
 * Diffraction loss J(ν) of a single knife edge, dB (≥ 0), relative to free space — the
 * approximation of ITU-R P.526, §4.1:
 *
 *   J(ν) = 6.9 + 20·log10( √((ν − 0.1)² + 1) + ν − 0.1 )   for ν > −0.78, else 0
 *
 * `nu` is the Fresnel–Kirchhoff parameter (`fresnelKirchhoffParameter`). J(0) = 6.03 dB (grazing),
 * J(1) = 13.93 dB, J(2.4) = 20.54 dB; for large ν, J ≈ 12.95 + 20·log10 ν. Over −0.78 ≤ ν ≤ 10 the
 * approximation stays within 0.13 dB of the exact Fresnel-integral loss (P.526 Fig. 9); below −0.78
 * the exact curve oscillates around 0 dB (up to ~1 dB of gain), which the approximation ignores.
 * Just above −0.78 it returns ≈ 0.005 dB, so the function is continuous in practice.
 *
 * Used by the multi-edge methods for each edge, and by the coverage engine for the dominant edge.
 */
export function knifeEdgeLoss(nu: number): number {
  if (!(nu > KNIFE_EDGE_MIN_NU)) return 0
  const v = nu - 0.1
  return 6.9 + 20 * Math.log10(Math.sqrt(v * v + 1) + v)
}
