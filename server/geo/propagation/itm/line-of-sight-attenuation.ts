import type { ItmPathState } from './itm-path-state.ts'

/**
 * Sets up the line-of-sight weight of a path (ITM 1.2.2 `alos` called with d = 0; Hufford 1995,
 * section 5 "Line-of-sight attenuation"): w = 0.021 / (0.021 + k·Δh / max(10 km, d_Ls)), which
 * gives the two-ray (direct + ground-reflected) term full weight over smooth ground and lets the
 * extrapolated diffraction line take over over rough ground.
 */
export function initLineOfSight(s: ItmPathState): void {
  s.wls = 0.021 / (0.021 + (s.wn * s.dh) / Math.max(10e3, s.dlsa))
}

/**
 * Line-of-sight attenuation (dB) at distance `d` (m) (ITM 1.2.2 `alos`; Hufford 1995, section 5):
 * between the extrapolated diffraction line A_ed + m_d·d and the two-ray interference of the
 * direct ray and a ground reflection whose coefficient is damped by the terrain roughness σ_h
 * (ratio of reflected to direct fields, with Z_g the ground impedance), weighted by
 * initLineOfSight's w. Needs initLineOfSight and the diffraction line (`s.aed`, `s.emd`).
 */
export function lineOfSightAttenuation(s: ItmPathState, d: number): number {
  let q = (1 - 0.8 * Math.exp(-d / 50e3)) * s.dh
  const sigmaH = 0.78 * q * Math.exp(-((q / 16) ** 0.25))
  q = s.heTx + s.heRx
  const sinPsi = q / Math.sqrt(d * d + q * q)

  // r = (sin ψ − Z_g) / (sin ψ + Z_g) · exp(−min(10, k·σ_h·sin ψ))
  const nRe = sinPsi - s.zgndRe
  const nIm = -s.zgndIm
  const dRe = sinPsi + s.zgndRe
  const dIm = s.zgndIm
  const den = dRe * dRe + dIm * dIm
  const damp = Math.exp(-Math.min(10, s.wn * sigmaH * sinPsi))
  let rRe = ((nRe * dRe + nIm * dIm) / den) * damp
  let rIm = ((nIm * dRe - nRe * dIm) / den) * damp
  const r2 = rRe * rRe + rIm * rIm
  if (r2 < 0.25 || r2 < sinPsi) {
    const f = Math.sqrt(sinPsi / r2)
    rRe *= f
    rIm *= f
  }

  const aDiff = s.emd * d + s.aed
  // Phase difference of the two rays, bent towards π for large values.
  q = (s.wn * s.heTx * s.heRx * 2) / d
  if (q > 1.57) q = 3.14 - 2.4649 / q
  const sumRe = Math.cos(q) + rRe
  const sumIm = -Math.sin(q) + rIm
  return (-4.343 * Math.log(sumRe * sumRe + sumIm * sumIm) - aDiff) * s.wls + aDiff
}
