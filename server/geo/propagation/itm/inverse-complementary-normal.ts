/**
 * Inverse of the complementary standard normal distribution: the x for which
 * Q(x) = P(X > x) = q, X ~ N(0, 1). Rational approximation of Abramowitz & Stegun 26.2.23
 * (|error| < 4.5e-4), the one ITM 1.2.2 uses (`qerfi`), so quantiles match the reference.
 *
 * `q` is a fraction in (0, 1): 0.5 → 0, 0.9 → −1.28, 0.1 → +1.28. Values closer than 1e-6 to
 * 0 or 1 are clamped. Used to turn time, location and situation percentages into the standard
 * normal deviates the variability step takes.
 */
export function inverseComplementaryNormal(q: number): number {
  const x = 0.5 - q
  let t = Math.max(0.5 - Math.abs(x), 0.000001)
  t = Math.sqrt(-2 * Math.log(t))
  const v = t - ((0.010328 * t + 0.802853) * t + 2.515516698) / (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1)
  return x < 0 ? -v : v
}
