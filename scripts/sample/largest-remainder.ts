/**
 * Splits an integer total into integers proportional to the weights that sum to the total exactly
 * (Hamilton / largest-remainder method): every share gets the floor of its quota, then the units
 * left go to the largest fractional remainders (ties to the lower index, so the result is stable).
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`total must be a non-negative integer, got ${total}`)
  if (weights.length === 0) {
    if (total === 0) return []
    throw new Error('cannot split a positive total over no weights')
  }
  let sum = 0
  for (const w of weights) {
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weights must be finite and >= 0, got ${w}`)
    sum += w
  }
  if (!(sum > 0)) throw new Error('weights sum to 0')

  const quotas = weights.map((w) => (total * w) / sum)
  const shares = quotas.map((q) => Math.floor(q))
  let left = total - shares.reduce((a, b) => a + b, 0)
  const order = quotas
    .map((q, i) => ({ i, r: q - Math.floor(q) }))
    .sort((a, b) => b.r - a.r || a.i - b.i)
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const i = order[k]!.i
    shares[i] = (shares[i] ?? 0) + 1
  }
  return shares
}
