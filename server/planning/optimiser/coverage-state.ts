import { coverOf, type OptimiserInstance } from './instance.ts'

/**
 * A selection of candidates and what it covers, kept incrementally so that every question the
 * greedy and the local search ask is answered from the sparse sets alone:
 * - `count[i]`: how many chosen candidates serve village i;
 * - `xor[i]`: XOR of the indices of those candidates, so when count[i] = 1 it *is* the sole
 *   server of i (no per-village lists to maintain);
 * - `loss[j]` for a chosen j: Σ weight of the villages only j serves (what removing j loses).
 * Adding or removing a candidate costs O(|cover|); the marginal gain of a candidate too.
 */
export class CoverageState {
  readonly count: Int32Array
  readonly xor: Int32Array
  readonly loss: Float64Array
  readonly isChosen: Uint8Array
  /** The chosen candidates, in the order they were added (swaps replace in place). */
  readonly chosen: number[] = []
  objective = 0
  cost = 0

  constructor(readonly instance: OptimiserInstance) {
    this.count = new Int32Array(instance.villageCount)
    this.xor = new Int32Array(instance.villageCount)
    this.loss = new Float64Array(instance.candidateCount)
    this.isChosen = new Uint8Array(instance.candidateCount)
  }

  /** Σ weight of the villages j would newly serve given the current selection. */
  gain(j: number): number {
    const { coverStart, coverVillages, weight } = this.instance
    const count = this.count
    let g = 0
    for (let p = coverStart[j]!, end = coverStart[j + 1]!; p < end; p++) {
      const i = coverVillages[p]!
      if (count[i] === 0) g += weight[i]!
    }
    return g
  }

  add(j: number): void {
    if (this.isChosen[j]) throw new Error(`candidate ${j} is already chosen`)
    const { weight } = this.instance
    const { count, xor, loss } = this
    let gained = 0
    let own = 0
    for (const i of coverOf(this.instance, j)) {
      const c = count[i]!
      const w = weight[i]!
      if (c === 0) {
        gained += w
        own += w
      } else if (c === 1) {
        loss[xor[i]!] = loss[xor[i]!]! - w
      }
      count[i] = c + 1
      xor[i] = xor[i]! ^ j
    }
    loss[j] = own
    this.isChosen[j] = 1
    this.chosen.push(j)
    this.objective += gained
    this.cost += this.instance.cost[j]!
  }

  remove(j: number): void {
    const at = this.chosen.indexOf(j)
    if (at < 0) throw new Error(`candidate ${j} is not chosen`)
    this.detach(j)
    this.chosen.splice(at, 1)
  }

  /** Replaces chosen `out` by `into` at the same position of `chosen`. */
  swap(out: number, into: number): void {
    const at = this.chosen.indexOf(out)
    if (at < 0) throw new Error(`candidate ${out} is not chosen`)
    this.detach(out)
    this.chosen.splice(at, 1)
    this.add(into)
    this.chosen.pop()
    this.chosen.splice(at, 0, into)
  }

  private detach(j: number): void {
    const { weight } = this.instance
    const { count, xor, loss } = this
    let lost = 0
    for (const i of coverOf(this.instance, j)) {
      const c = count[i]! - 1
      const x = xor[i]! ^ j
      count[i] = c
      xor[i] = x
      const w = weight[i]!
      if (c === 0) lost += w
      else if (c === 1) loss[x] = loss[x]! + w
    }
    loss[j] = 0
    this.isChosen[j] = 0
    this.objective -= lost
    this.cost -= this.instance.cost[j]!
  }

  /** Recomputes objective, cost and losses from scratch (removes floating-point drift). */
  refresh(): void {
    this.select([...this.chosen])
  }

  /** Replaces the selection by `chosen`, from scratch. */
  select(chosen: readonly number[]): void {
    this.count.fill(0)
    this.xor.fill(0)
    this.loss.fill(0)
    this.isChosen.fill(0)
    this.chosen.length = 0
    this.objective = 0
    this.cost = 0
    for (const j of chosen) this.add(j)
  }
}
