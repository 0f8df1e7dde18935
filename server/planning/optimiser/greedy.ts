import { CoverageState } from './coverage-state.ts'
import type { OptimiserInstance } from './instance.ts'
import { MaxHeap } from './max-heap.ts'
import type { RunContext } from './run-context.ts'

/** Limits a greedy run stops at (Infinity: no limit). */
export interface GreedyLimits {
  /** At most this many chosen candidates in total (those already in the state count). */
  maxCount: number
  /** Total cost of the chosen candidates at most this. */
  budget: number
  /** Stop as soon as the newly covered weight reaches this. */
  targetObjective: number
  /** Candidates (1) this run may not take. */
  exclude?: Uint8Array
}

/**
 * 'gain': the candidate of largest marginal gain (ties: lowest index), the classic greedy for
 * maximum coverage under a count budget, within 1 − 1/e of the optimum.
 * 'ratio': the largest marginal gain per unit cost, the cost-benefit greedy of budgeted maximum
 * coverage (Khuller, Moss & Naor 1999).
 */
export type GreedyRule = 'gain' | 'ratio'

/** Relative tolerance when comparing a cost with the budget. */
export function budgetTolerance(budget: number): number {
  return Number.isFinite(budget) ? 1e-9 * Math.max(1, Math.abs(budget)) : 0
}

function keyOf(rule: GreedyRule, gain: number, cost: number): number {
  if (rule === 'gain') return gain
  return cost > 0 ? gain / cost : gain > 0 ? Infinity : 0
}

/**
 * Lazy greedy (CELF: Leskovec et al., "Cost-effective outbreak detection in networks", KDD 2007;
 * the idea is Minoux's accelerated greedy, 1978). Coverage is submodular, so a candidate's
 * marginal gain only shrinks as sites are added: the heap holds each candidate's last computed
 * gain (or gain/cost) as an upper bound. Pop the top; if its bound was computed at this step it
 * is exact and beats every other bound, so take it; otherwise recompute it, push it back and
 * look again. Ties break on the lowest index as in the plain greedy, so the choices are the
 * plain greedy's, one for one, with far fewer gain evaluations. Candidates that no longer fit
 * the remaining budget leave the heap for good (the remaining budget only shrinks).
 *
 * Adds to `state` in place (it may start non-empty: a refill); counts evaluations in
 * `ctx.evaluations`. `progressSpan` maps this run's own progress into a sub-range of the greedy
 * phase (null: no progress reports).
 */
export async function lazyGreedy(
  state: CoverageState,
  rule: GreedyRule,
  limits: GreedyLimits,
  ctx: RunContext,
  progressSpan: [number, number] | null = [0, 1],
): Promise<void> {
  const inst = state.instance
  const n = inst.candidateCount
  const tol = budgetTolerance(limits.budget)
  const heap = new MaxHeap(n)
  const stamp = new Int32Array(n).fill(-1)
  const fresh = state.chosen.length === 0
  for (let j = 0; j < n; j++) {
    if (!inst.feasible[j] || state.isChosen[j] || limits.exclude?.[j]) continue
    if (inst.cost[j]! > limits.budget - state.cost + tol) continue
    const g = fresh ? inst.coverWeight[j]! : state.gain(j)
    ctx.evaluations++
    stamp[j] = 0
    if (g > 0) heap.push(keyOf(rule, g, inst.cost[j]!), j)
  }
  const startCount = state.chosen.length
  const startObjective = state.objective
  const fraction = (): number => {
    let f = 0
    if (Number.isFinite(limits.maxCount)) f = Math.max(f, (state.chosen.length - startCount) / Math.max(1, limits.maxCount - startCount))
    if (Number.isFinite(limits.budget)) f = Math.max(f, state.cost / Math.max(1e-12, limits.budget))
    if (Number.isFinite(limits.targetObjective)) f = Math.max(f, (state.objective - startObjective) / Math.max(1e-12, limits.targetObjective - startObjective))
    const [from, to] = progressSpan ?? [0, 1]
    return from + (to - from) * Math.min(1, f)
  }
  let step = 0
  let iterations = 0
  while (heap.size > 0 && state.chosen.length < limits.maxCount && state.objective < limits.targetObjective) {
    if ((++iterations & 63) === 0 && ctx.due()) await ctx.pause()
    const j = heap.topId()
    if (inst.cost[j]! > limits.budget - state.cost + tol) {
      heap.pop()
      continue
    }
    if (stamp[j] === step) {
      heap.pop()
      state.add(j)
      step++
      if (progressSpan) ctx.progress({ phase: 'greedy', fraction: fraction(), objective: state.objective, chosen: state.chosen.length })
      continue
    }
    heap.pop()
    const g = state.gain(j)
    ctx.evaluations++
    stamp[j] = step
    if (g > 0) heap.push(keyOf(rule, g, inst.cost[j]!), j)
  }
}

/**
 * The plain greedy under a count budget: at every step evaluate every feasible candidate and
 * take the largest marginal gain (ties: lowest index); stop at k sites or when nothing gains.
 * O(k · Σ|cover|). The reference the lazy greedy must match, and the "greedy alone" figure of
 * the quality tests.
 */
export function plainGreedy(inst: OptimiserInstance, k: number): { chosen: number[]; objective: number; evaluations: number } {
  const state = new CoverageState(inst)
  let evaluations = 0
  while (state.chosen.length < k) {
    let best = -1
    let bestGain = 0
    for (let j = 0; j < inst.candidateCount; j++) {
      if (!inst.feasible[j] || state.isChosen[j]) continue
      const g = state.gain(j)
      evaluations++
      if (g > bestGain) {
        bestGain = g
        best = j
      }
    }
    if (best < 0) break
    state.add(best)
  }
  return { chosen: [...state.chosen], objective: state.objective, evaluations }
}
