import type { CoverageState } from './coverage-state.ts'
import { budgetTolerance, lazyGreedy, type GreedyRule } from './greedy.ts'
import { createSeededRandom } from '../../lib/seeded-random.ts'
import { kickSites, type EscapeOptions } from './kick.ts'
import { swapSearch, type SwapSearchOptions } from './local-search.ts'
import type { RunContext } from './run-context.ts'

export interface IteratedSearchOptions extends EscapeOptions, Pick<SwapSearchOptions, 'strategy' | 'maxPasses'> {
  /** Greedy rule of the refill ('gain' for a count budget, 'ratio' for a cost budget). */
  rule: GreedyRule
  /** At most this many kicks. */
  maxKicks: number
}

export interface IteratedSearchStats {
  kicks: number
  improvements: number
  swaps: number
  adds: number
  passes: number
  stoppedBy: 'patience' | 'kicks' | 'time' | 'target'
}

/**
 * Iterated local search around the swap search, for what one swap cannot fix: a set of chosen
 * sites that are jointly in the wrong place (two ridge sites covering three valleys where three
 * other sites would cover them better). Each kick removes a random chosen site together with up
 * to two chosen sites overlapping it most, refills greedily without taking the removed ones back
 * at once, and runs the swap search again; a strictly better result becomes the new best, an
 * equal one is kept (moves along plateaus), a worse one is undone. Stops after `patience` kicks
 * without improvement, `maxKicks`, the deadline, or once the objective reaches `stopAtObjective`. The state ends on the best
 * selection.
 */
export async function iteratedSearch(state: CoverageState, opts: IteratedSearchOptions, ctx: RunContext): Promise<IteratedSearchStats> {
  const inst = state.instance
  const n = inst.candidateCount
  const { villageStart, villageCandidates, coverStart, coverVillages } = inst
  const rnd = createSeededRandom(opts.seed)
  const eps = 1e-9 * Math.max(1, inst.totalWeight)
  const stats: IteratedSearchStats = { kicks: 0, improvements: 0, swaps: 0, adds: 0, passes: 0, stoppedBy: 'patience' }
  const overlap = new Float64Array(n)
  const exclude = new Uint8Array(n)
  let best = [...state.chosen]
  let bestObjective = state.objective
  let since = 0
  while (since < opts.patience) {
    if (stats.kicks >= opts.maxKicks) {
      stats.stoppedBy = 'kicks'
      break
    }
    if (performance.now() > opts.deadline) {
      stats.stoppedBy = 'time'
      break
    }
    if (state.chosen.length === 0) break
    stats.kicks++
    // Kick: a random chosen site and the chosen sites sharing most weight with it.
    const removed = kickSites(state, rnd, overlap)
    const s = removed[0]!
    for (const r of removed) {
      state.remove(r)
      exclude[r] = 1
    }
    // Diversify: one random candidate serving a random village of the kicked site, then greedy.
    const lo = coverStart[s]!
    const hi = coverStart[s + 1]!
    if (hi > lo) {
      const i = coverVillages[lo + Math.floor(rnd() * (hi - lo))]!
      const from = villageStart[i]!
      const count = villageStart[i + 1]! - from
      const a = count > 0 ? villageCandidates[from + Math.floor(rnd() * count)]! : -1
      if (a >= 0 && !exclude[a] && !state.isChosen[a] && state.cost + inst.cost[a]! <= opts.budget + budgetTolerance(opts.budget)) state.add(a)
    }
    await lazyGreedy(state, opts.rule, { maxCount: opts.maxCount, budget: opts.budget, targetObjective: Infinity, exclude }, ctx, null)
    for (const r of removed) exclude[r] = 0
    const ls = await swapSearch(state, { ...opts, progressSpan: null }, ctx)
    stats.swaps += ls.swaps
    stats.adds += ls.adds
    stats.passes += ls.passes
    const f = Math.max(since / opts.patience, stats.kicks / opts.maxKicks)
    ctx.progress({ phase: 'local-search', fraction: opts.progressSpan[0] + (opts.progressSpan[1] - opts.progressSpan[0]) * Math.min(1, f), objective: Math.max(state.objective, bestObjective), chosen: state.chosen.length })
    if (state.objective > bestObjective + eps) {
      best = [...state.chosen]
      bestObjective = state.objective
      stats.improvements++
      since = 0
      opts.onImprove(best, bestObjective)
      if (bestObjective >= opts.stopAtObjective) {
        stats.stoppedBy = 'target'
        break
      }
    } else {
      since++
      if (state.objective < bestObjective - eps) state.select(best)
    }
  }
  if (state.objective < bestObjective - eps) state.select(best)
  return stats
}
