/**
 * The value of rank `k` (0-based) among `values[0 … n−1]` sorted in descending order: k = 0 is
 * the largest. The role of ITM 1.2.2's `qtile`; here a plain quickselect (Hoare partition,
 * middle pivot). Reorders `values[0 … n−1]` in place and allocates nothing; the result does not
 * depend on the order the values come in, so repeated calls on the same array are fine.
 */
export function selectKthLargest(values: Float64Array, n: number, k: number): number {
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] as number
    let i = lo
    let j = hi
    while (i <= j) {
      while ((values[i] as number) > pivot) i++
      while ((values[j] as number) < pivot) j--
      if (i <= j) {
        const t = values[i] as number
        values[i] = values[j] as number
        values[j] = t
        i++
        j--
      }
    }
    // values[lo … j] ≥ pivot ≥ values[i … hi], values strictly between j and i equal the pivot.
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return values[k] as number
  }
  return values[k] as number
}
