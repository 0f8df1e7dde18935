import type { CoverageState } from './coverage-state.ts'
import { budgetTolerance } from './greedy.ts'
import { SwapScorer } from './swap-scorer.ts'
import type { RunContext } from './run-context.ts'

export interface SwapSearchOptions {
  /**
   * 'first': walk the candidates cyclically and apply the first improving move found (for that
   * candidate, its best partner); 'best': scan every candidate, apply the best move of the pass.
   */
  strategy: 'first' | 'best'
  /** Selection size limit (adds are tried while below it). */
  maxCount: number
  /** Cost limit (Infinity: none). */
  budget: number
  /** performance.now() after which the search stops. */
  deadline: number
  /** At most this many passes over the candidates. */
  maxPasses: number
  /** Stop as soon as the objective reaches this (target mode); Infinity otherwise. */
  stopAtObjective: number
  /** Progress reported as this fraction range of the local-search phase (null: none). */
  progressSpan?: [number, number] | null
}

export interface SwapSearchStats {
  swaps: number
  adds: number
  passes: number
  evaluations: number
  stoppedBy: 'converged' | 'time' | 'passes' | 'target'
}

/**
 * Local search by swaps: replace one chosen site r by one unchosen a (or just add a when the
 * count and budget allow) whenever that strictly raises the covered weight, until no move does
 * or a time/pass cap is hit.
 *
 * One candidate a is scored against every chosen r at once, in O(|cover(a)| + |chosen|), from
 * the coverage state's counts:
 *   delta(a, r) = gain(a) + over(a, r) − loss(r)
 * where gain(a) is the weight a newly serves now, loss(r) the weight only r serves (kept
 * incrementally), and over(a, r) the weight of the villages a serves whose *sole* server is r
 * (these stay covered after the swap); see swap-scorer.ts, which makes one candidate cost
 * O(|cover(a)|) whatever the number of chosen sites (with a cost budget, O(|cover(a)| + chosen)).
 * Candidates whose whole coverage weight cannot beat the smallest loss are skipped unwalked.
 */
export async function swapSearch(state: CoverageState, opts: SwapSearchOptions, ctx: RunContext): Promise<SwapSearchStats> {
  const inst = state.instance
  const n = inst.candidateCount
  const { cost, feasible, coverWeight } = inst
  const { loss, isChosen, chosen } = state
  const tol = budgetTolerance(opts.budget)
  const eps = 1e-9 * Math.max(1, inst.totalWeight)
  const scorer = new SwapScorer(state)
  const stats: SwapSearchStats = { swaps: 0, adds: 0, passes: 0, evaluations: 0, stoppedBy: 'converged' }
  const span: [number, number] | null = opts.progressSpan === undefined ? [0, 1] : opts.progressSpan
  const started = performance.now()
  const budgeted = Number.isFinite(opts.budget)
  scorer.sortByLoss()

  let bestDelta = 0
  let bestOut = -2
  /** Scores candidate a; leaves its best move in bestDelta/bestOut (bestOut −1: add, −2: none). */
  const score = (a: number): void => {
    bestDelta = -Infinity
    bestOut = -2
    if (isChosen[a] || !feasible[a]) return
    const slack = opts.budget - state.cost + tol
    const canAdd = chosen.length < opts.maxCount && cost[a]! <= slack
    const byLoss = scorer.byLoss
    const minLoss = byLoss.length > 0 ? loss[byLoss[0]!]! : Infinity
    if (!canAdd && coverWeight[a]! - minLoss <= eps) return
    stats.evaluations++
    ctx.evaluations++
    const g = scorer.walk(a)
    if (canAdd) {
      bestDelta = g
      bestOut = -1
    }
    const over = scorer.over
    if (budgeted) {
      const ca = cost[a]!
      for (let q = 0; q < chosen.length; q++) {
        const r = chosen[q]!
        if (ca - cost[r]! > slack) continue
        const d = g + over[r]! - loss[r]!
        if (d > bestDelta) {
          bestDelta = d
          bestOut = r
        }
      }
      return
    }
    const touched = scorer.touched
    for (let t = 0; t < scorer.touchedCount; t++) {
      const r = touched[t]!
      const d = g + over[r]! - loss[r]!
      if (d > bestDelta) {
        bestDelta = d
        bestOut = r
      }
    }
    for (let q = 0; q < byLoss.length; q++) {
      const r = byLoss[q]!
      if (scorer.touchedLast(r)) continue
      const d = g - loss[r]!
      if (d > bestDelta) {
        bestDelta = d
        bestOut = r
      }
      break
    }
  }
  const apply = (a: number, out: number): void => {
    if (out === -1) {
      state.add(a)
      stats.adds++
    } else {
      state.swap(out, a)
      stats.swaps++
    }
    scorer.sortByLoss()
  }
  const report = (force = false): void => {
    if (!span) return
    const f = Math.max(stats.passes / Math.max(1, Math.min(opts.maxPasses, 50)), (performance.now() - started) / Math.max(1, opts.deadline - started))
    ctx.progress({ phase: 'local-search', fraction: span[0] + (span[1] - span[0]) * Math.min(1, f), objective: state.objective, chosen: chosen.length }, force)
  }

  if (state.objective >= opts.stopAtObjective) {
    stats.stoppedBy = 'target'
    return stats
  }
  let steps = 0
  if (opts.strategy === 'first') {
    // Cyclic walk; converged after n consecutive candidates without an improving move.
    let a = 0
    let sinceImprovement = 0
    let inPass = 0
    while (sinceImprovement < n) {
      if ((++steps & 63) === 0) {
        if (performance.now() > opts.deadline) {
          stats.stoppedBy = 'time'
          break
        }
        if (ctx.due()) await ctx.pause()
        report()
      }
      score(a)
      if (bestOut !== -2 && bestDelta > eps) {
        apply(a, bestOut)
        sinceImprovement = 0
        if (state.objective >= opts.stopAtObjective) {
          stats.stoppedBy = 'target'
          break
        }
      } else sinceImprovement++
      a = a + 1 === n ? 0 : a + 1
      if (++inPass === n) {
        inPass = 0
        stats.passes++
        if (stats.passes >= opts.maxPasses && sinceImprovement < n) {
          stats.stoppedBy = 'passes'
          break
        }
      }
    }
  } else {
    for (;;) {
      if (stats.passes >= opts.maxPasses) {
        stats.stoppedBy = 'passes'
        break
      }
      let passDelta = eps
      let passIn = -1
      let passOut = -2
      let timedOut = false
      for (let a = 0; a < n; a++) {
        if ((++steps & 63) === 0) {
          if (performance.now() > opts.deadline) {
            timedOut = true
            break
          }
          if (ctx.due()) await ctx.pause()
          report()
        }
        score(a)
        if (bestOut !== -2 && bestDelta > passDelta) {
          passDelta = bestDelta
          passIn = a
          passOut = bestOut
        }
      }
      stats.passes++
      if (passIn >= 0) apply(passIn, passOut)
      if (timedOut) {
        stats.stoppedBy = 'time'
        break
      }
      if (passIn < 0) break
      if (state.objective >= opts.stopAtObjective) {
        stats.stoppedBy = 'target'
        break
      }
    }
  }
  report(true)
  return stats
}
