/**
 * Effective earth curvature γ_e (1/m) for a surface refractivity N_s (N-units):
 * γ_e = γ_a · (1 − 0.04665 · exp(N_s / 179.3)), with γ_a = 157e-9 /m the curvature of the actual
 * earth (ITM 1.2.2 `qlrps`; Hufford 1995, section 2). N_s = 301 gives the familiar 4/3 earth
 * (γ_e ≈ 1/8500 km). The effective earth radius is 1 / γ_e.
 */
export function effectiveEarthCurvature(surfaceRefractivityN: number): number {
  return 157e-9 * (1 - 0.04665 * Math.exp(surfaceRefractivityN / 179.3))
}
