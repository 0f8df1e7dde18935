/** A complex number, re + i·im. */
export interface Complex {
  re: number
  im: number
}

/**
 * Surface transfer impedance Z_g of the ground, normalised (ITM 1.2.2 `qlrps`; Hufford 1995,
 * section 2): with the complex relative permittivity ε_r' = ε + i · 376.62 · σ / k, where
 * k = f / 47.7 is the wave number (1/m, f in MHz) and σ the conductivity (S/m),
 * Z_g = √(ε_r' − 1) for horizontal polarisation and √(ε_r' − 1) / ε_r' for vertical.
 *
 * `polarization` 0 = horizontal, 1 = vertical. Depends on the radio parameters only, so it is
 * computed once per set of parameters, not per profile.
 */
export function groundImpedance(frequencyMhz: number, epsilon: number, sigma: number, polarization: 0 | 1): Complex {
  const wn = frequencyMhz / 47.7
  const qRe = epsilon
  const qIm = (376.62 * sigma) / wn
  // Principal square root of (qRe − 1) + i·qIm.
  const m = Math.hypot(qRe - 1, qIm)
  const re = Math.sqrt((m + (qRe - 1)) / 2)
  const im = Math.sqrt((m - (qRe - 1)) / 2) * (qIm < 0 ? -1 : 1)
  if (polarization === 0) return { re, im }
  const den = qRe * qRe + qIm * qIm
  return { re: (re * qRe + im * qIm) / den, im: (im * qRe - re * qIm) / den }
}
