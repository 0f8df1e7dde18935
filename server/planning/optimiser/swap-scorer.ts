import type { CoverageState } from './coverage-state.ts'

/**
 * Scores one unchosen candidate a against every chosen r at once, for the swap and tabu
 * searches:
 *   delta(a, r) = gain(a) + over(a, r) − loss(r)
 * where gain(a) is the weight a newly serves now, loss(r) the weight only r serves, and
 * over(a, r) the weight of the villages a serves whose sole server is r (they stay covered after
 * the swap). The sole server of a village is the XOR of its servers' indices when its count is
 * 1, so one walk over cover(a) fills over(a, ·) for the few r it touches. For every untouched r
 * delta = gain(a) − loss(r), so the best of them is the first untouched r in the chosen sites
 * sorted by loss: a whole candidate costs O(|cover(a)| + touched), independent of K.
 */
export class SwapScorer {
  /** over(a, r) of the last walk, for r in `touched[0..touchedCount)`. */
  readonly over: Float64Array
  readonly touched: Int32Array
  touchedCount = 0
  /** The chosen sites by ascending loss (call `sortByLoss` after every move). */
  byLoss: number[] = []
  private readonly mark: Int32Array
  private walkId = 0

  constructor(private readonly state: CoverageState) {
    this.over = new Float64Array(state.instance.candidateCount)
    this.touched = new Int32Array(state.instance.candidateCount)
    this.mark = new Int32Array(state.instance.candidateCount)
  }

  sortByLoss(): void {
    const loss = this.state.loss
    this.byLoss = [...this.state.chosen].sort((a, b) => loss[a]! - loss[b]! || a - b)
  }

  /** Walks cover(a): returns gain(a), fills over/touched (cleared by the next walk). */
  walk(a: number): number {
    const { coverStart, coverVillages, weight } = this.state.instance
    const { count, xor } = this.state
    const { over, touched, mark } = this
    for (let t = 0; t < this.touchedCount; t++) over[touched[t]!] = 0
    const id = ++this.walkId
    let g = 0
    let nt = 0
    for (let p = coverStart[a]!, end = coverStart[a + 1]!; p < end; p++) {
      const i = coverVillages[p]!
      const c = count[i]!
      if (c === 0) g += weight[i]!
      else if (c === 1) {
        const r = xor[i]!
        if (mark[r] !== id) {
          mark[r] = id
          touched[nt++] = r
        }
        over[r] = over[r]! + weight[i]!
      }
    }
    this.touchedCount = nt
    return g
  }

  /** Whether r was touched by the last walk. */
  touchedLast(r: number): boolean {
    return this.mark[r] === this.walkId
  }
}
