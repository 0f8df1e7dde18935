/** `x` rounded to `digits` decimals (for figures in answers: metres to the centimetre, km² to the m²…). */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
