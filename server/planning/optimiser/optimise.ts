import { CoverageState } from './coverage-state.ts'
import { budgetTolerance, lazyGreedy, type GreedyLimits, type GreedyRule } from './greedy.ts'
import { coveredWeight, type OptimiserInstance } from './instance.ts'
import { iteratedSearch } from './iterated-search.ts'
import { tabuSearch } from './tabu-search.ts'
import { swapSearch, type SwapSearchStats } from './local-search.ts'
import { OptimiserCancelled, RunContext, type OptimiserProgress } from './run-context.ts'

export interface OptimiseOptions {
  /** Choose at most k sites (count budget). With `budget` or `targetShare`, a cap. */
  k?: number
  /** Total cost at most this (cost budget, in the cost model's unit). */
  budget?: number
  /**
   * Choose the fewest sites so that (weight already served + newly served) / total weight
   * reaches this share (0–1). `k` and `budget`, when given, cap the search.
   */
  targetShare?: number
  /** Swap local search after the greedy: 'first' improvement (default), 'best', or 'none'. */
  localSearch?: 'first' | 'best' | 'none'
  /** Time cap of the local search, ms (default 60 s). */
  localSearchMaxMs?: number
  /** Pass cap of each swap search (default: none). */
  localSearchMaxPasses?: number
  /**
   * Escaping the swap search's local optimum: iterated 'tabu' search (default; tabu-search.ts)
   * or 'kicks' of an iterated local search (iterated-search.ts); stop after `patience` moves or
   * kicks without a new best (default 200) or after `maxMoves` (default 20,000); `seed` of the
   * random tenures or kicks (default 1). Tabu only: `restarts` perturbations from the best in a
   * row without a new best (default 5), `restartPatience` moves per round (default
   * max(50, patience / 2)), base tenures `tenureIn`/`tenureOut` (default max(7, K/2) and
   * max(1, K/4)), `starts` independent tabu runs from the swap search's result, the best kept
   * (default 1; more runs, more robust, proportionally slower). false: swap search only.
   */
  escape?: { method?: 'tabu' | 'kicks'; patience?: number; maxMoves?: number; seed?: number; starts?: number; restarts?: number; restartPatience?: number; tenureIn?: number; tenureOut?: number } | false
  /** Cancels the run: the result then has status 'cancelled' and the best selection so far. */
  signal?: AbortSignal
  onProgress?: (progress: OptimiserProgress) => void
  /** With a signal, give the event loop a turn this often, ms (default 20). */
  yieldEveryMs?: number
}

export type OptimiseMode = 'count' | 'cost' | 'target'

export interface OptimiseResult {
  /** 'target-unreachable': every useful feasible site within the caps still misses the share. */
  status: 'optimised' | 'cancelled' | 'target-unreachable'
  mode: OptimiseMode
  /** Chosen candidate indices, ascending. */
  chosen: number[]
  /** Newly covered weight (the objective). */
  objective: number
  /** (already served + newly served weight) / total weight. */
  coveredShare: number
  /** Total cost of the chosen sites. */
  cost: number
  /** The greedy's own result, before the local search. */
  greedy: { chosen: number[]; objective: number; cost: number; variant: GreedyRule | 'single' }
  timesMs: { greedy: number; localSearch: number; total: number }
  /** Marginal-gain evaluations (one walk over a candidate's sparse cover each). */
  evaluations: { greedy: number; localSearch: number }
  localSearch: { swaps: number; adds: number; passes: number; escapeMoves: number; escapeImprovements: number; stoppedBy: string }
}

function checkLimit(value: number | undefined, what: string, integer: boolean): void {
  if (value === undefined) return
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${what} must be a finite ${integer ? 'integer' : 'number'} ≥ 0, got ${value}`)
  }
}

function restore(inst: OptimiserInstance, chosen: readonly number[]): CoverageState {
  const s = new CoverageState(inst)
  for (const j of chosen) s.add(j)
  return s
}

/**
 * Chooses sites among the feasible candidates of `instance`, maximising the newly covered
 * weight with existing sites fixed:
 * - count mode (`k`): lazy greedy (CELF) on marginal gain, then swap local search;
 * - cost mode (`budget`): the budgeted maximum coverage approach of Khuller, Moss & Naor ("The
 *   budgeted maximum coverage problem", Information Processing Letters 70(1), 1999): the
 *   cost-benefit greedy (gain/cost, skipping sites that no longer fit), compared with the
 *   unit-cost greedy (largest gain that fits) and with the best single site, keeping the best;
 *   then swap local search within the budget (swaps may also add a site when budget frees up);
 * - target mode (`targetShare`): greedy until the share is reached, then try to do with one
 *   site fewer (drop the smallest-loss site; if the share is lost, swap search towards it) while
 *   that succeeds, and finally a swap search at the final size to cover as much as possible.
 * Pure computation; with a signal, yields to the event loop every `yieldEveryMs`.
 */
export async function optimise(instance: OptimiserInstance, options: OptimiseOptions): Promise<OptimiseResult> {
  const t0 = performance.now()
  const { k, budget, targetShare } = options
  checkLimit(k, 'k', true)
  checkLimit(budget, 'budget', false)
  if (targetShare !== undefined && !(targetShare >= 0 && targetShare <= 1)) throw new RangeError(`targetShare must be within 0–1, got ${targetShare}`)
  if (k === undefined && budget === undefined && targetShare === undefined) throw new RangeError('give k, budget or targetShare')
  const mode: OptimiseMode = targetShare !== undefined ? 'target' : budget !== undefined ? 'cost' : 'count'
  const maxCount = k ?? Infinity
  const maxBudget = budget ?? Infinity
  const targetObjective = targetShare !== undefined ? targetShare * instance.totalWeight - instance.baseWeight - 1e-9 * Math.max(1, instance.totalWeight) : Infinity
  const strategy = options.localSearch ?? 'first'
  const ctx = new RunContext(options.signal, options.onProgress, options.yieldEveryMs ?? 20)
  const deadlineMs = options.localSearchMaxMs ?? 60_000
  const maxPasses = options.localSearchMaxPasses ?? Infinity

  let state = new CoverageState(instance)
  let greedyResult: OptimiseResult['greedy'] = { chosen: [], objective: 0, cost: 0, variant: mode === 'cost' ? 'ratio' : 'gain' }
  /** The best selection that satisfies the mode's constraints so far (target mode: reaches it). */
  let settled: number[] | null = null
  let greedyMs = 0
  let greedyEvaluations = 0
  let lsStats: OptimiseResult['localSearch'] = { swaps: 0, adds: 0, passes: 0, escapeMoves: 0, escapeImprovements: 0, stoppedBy: 'skipped' }
  let status: OptimiseResult['status'] = 'optimised'
  const addStats = (s: SwapSearchStats): void => {
    lsStats = { ...lsStats, swaps: lsStats.swaps + s.swaps, adds: lsStats.adds + s.adds, passes: lsStats.passes + s.passes, stoppedBy: s.stoppedBy }
  }
  const escape = options.escape === false ? null : { ...options.escape, method: options.escape?.method ?? 'tabu', patience: options.escape?.patience ?? 200, maxMoves: options.escape?.maxMoves ?? 20_000, seed: options.escape?.seed ?? 1 }

  try {
    ctx.check()
    ctx.progress({ phase: 'greedy', fraction: 0, objective: 0, chosen: 0 }, true)
    const limits: GreedyLimits = { maxCount, budget: maxBudget, targetObjective }
    if (mode === 'cost') {
      // Three candidates solutions, keep the best (KMN 1999).
      const ratio = new CoverageState(instance)
      state = ratio
      await lazyGreedy(ratio, 'ratio', limits, ctx, [0, 0.45])
      settled = [...ratio.chosen]
      let best = ratio
      let variant: GreedyRule | 'single' = 'ratio'
      const gain = new CoverageState(instance)
      state = gain
      await lazyGreedy(gain, 'gain', limits, ctx, [0.45, 0.9])
      if (gain.objective > best.objective) {
        best = gain
        variant = 'gain'
      }
      let single = -1
      const tol = budgetTolerance(maxBudget)
      if (maxCount >= 1) {
        for (let j = 0; j < instance.candidateCount; j++) {
          if (instance.feasible[j] && instance.cost[j]! <= maxBudget + tol && (single < 0 || instance.coverWeight[j]! > instance.coverWeight[single]!)) single = j
        }
      }
      if (single >= 0 && instance.coverWeight[single]! > best.objective) {
        best = restore(instance, [single])
        variant = 'single'
      }
      state = best
      greedyResult = { chosen: [...best.chosen], objective: best.objective, cost: best.cost, variant }
    } else {
      await lazyGreedy(state, 'gain', limits, ctx)
      greedyResult = { chosen: [...state.chosen], objective: state.objective, cost: state.cost, variant: 'gain' }
    }
    greedyEvaluations = ctx.evaluations
    greedyMs = performance.now() - t0
    ctx.progress({ phase: 'greedy', fraction: 1, objective: state.objective, chosen: state.chosen.length }, true)
    if (mode !== 'target' || state.objective >= targetObjective) settled = [...state.chosen]

    const deadline = performance.now() + deadlineMs
    /** Swap search, then kicks; `onImprove` sees every better selection (for a cancel). */
    const search = async (maxSize: number, stopAt: number, span: [number, number], onImprove: (chosen: readonly number[]) => void): Promise<void> => {
      if (strategy === 'none') return
      const mid = escape ? span[0] + 0.3 * (span[1] - span[0]) : span[1]
      const common = { strategy, maxCount: maxSize, budget: maxBudget, deadline, maxPasses, stopAtObjective: stopAt }
      addStats(await swapSearch(state, { ...common, progressSpan: [span[0], mid] }, ctx))
      onImprove(state.chosen)
      if (!escape || state.objective >= stopAt) return
      if (escape.method === 'tabu') {
        // `starts` independent runs (seeds seed, seed + 1, …) from the same local optimum; keep the best.
        const start = [...state.chosen]
        let bestChosen = start
        let bestObjective = state.objective
        const starts = Math.max(1, escape.starts ?? 1)
        for (let run = 0; run < starts; run++) {
          if (run > 0) state.select(start)
          const from = mid + ((span[1] - mid) * run) / starts
          const to = mid + ((span[1] - mid) * (run + 1)) / starts
          const s = await tabuSearch(state, {
            ...common,
            patience: escape.patience,
            maxMoves: escape.maxMoves,
            seed: escape.seed + run,
            restarts: escape.restarts ?? 5,
            restartPatience: escape.restartPatience ?? Math.max(50, Math.ceil(escape.patience / 2)),
            tenureIn: escape.tenureIn,
            tenureOut: escape.tenureOut,
            progressSpan: [from, to],
            onImprove: (chosen, objective) => {
              if (objective > bestObjective) onImprove(chosen)
            },
          }, ctx)
          lsStats = { ...lsStats, escapeMoves: lsStats.escapeMoves + s.moves, escapeImprovements: lsStats.escapeImprovements + s.improvements, stoppedBy: s.stoppedBy }
          if (state.objective > bestObjective) {
            bestObjective = state.objective
            bestChosen = [...state.chosen]
          }
          if (bestObjective >= stopAt || s.stoppedBy === 'time') break
        }
        if (state.objective < bestObjective) state.select(bestChosen)
      } else {
        const rule: GreedyRule = mode === 'cost' ? 'ratio' : 'gain'
        const s = await iteratedSearch(state, { ...common, patience: escape.patience, maxKicks: escape.maxMoves, seed: escape.seed, rule, progressSpan: [mid, span[1]], onImprove }, ctx)
        lsStats = { ...lsStats, swaps: lsStats.swaps + s.swaps, adds: lsStats.adds + s.adds, passes: lsStats.passes + s.passes, escapeMoves: lsStats.escapeMoves + s.kicks, escapeImprovements: lsStats.escapeImprovements + s.improvements, stoppedBy: s.stoppedBy }
      }
    }
    const keep = (chosen: readonly number[]): void => {
      settled = [...chosen]
    }
    if (mode !== 'target') {
      await search(maxCount, Infinity, [0, 1], keep)
      settled = [...state.chosen]
    } else if (state.objective < targetObjective) {
      // Unreachable within the caps: still cover as much as the caps allow.
      status = 'target-unreachable'
      await search(maxCount, Infinity, [0, 1], keep)
      settled = [...state.chosen]
    } else if (strategy !== 'none') {
      // Fewer sites: drop the site whose removal loses least; if the share is lost, search swaps
      // at that size until it is regained; stop at the first size that fails.
      while (state.chosen.length > 0 && performance.now() < deadline) {
        let out = state.chosen[0]!
        for (const r of state.chosen) if (state.loss[r]! < state.loss[out]!) out = r
        state.remove(out)
        if (state.objective < targetObjective) {
          await search(state.chosen.length, targetObjective, [0, 0.8], (chosen) => {
            if (coveredWeight(instance, chosen) >= targetObjective) settled = [...chosen]
          })
        }
        if (state.objective >= targetObjective) settled = [...state.chosen]
        else break
      }
      state = restore(instance, settled!)
      await search(state.chosen.length, Infinity, [0.8, 1], keep)
      settled = [...state.chosen]
    }
  } catch (error) {
    if (!(error instanceof OptimiserCancelled)) throw error
    status = 'cancelled'
    // `settled` is the best complete selection (target mode: the smallest reaching the share).
    if (settled === null || (mode !== 'target' && state.objective > coveredWeight(instance, settled))) settled = [...state.chosen]
  }
  if (greedyMs === 0) {
    greedyMs = performance.now() - t0
    greedyEvaluations = ctx.evaluations
  }

  const final = restore(instance, settled ?? state.chosen)
  const t1 = performance.now()
  return {
    status,
    mode,
    chosen: [...final.chosen].sort((a, b) => a - b),
    objective: final.objective,
    coveredShare: instance.totalWeight > 0 ? (instance.baseWeight + final.objective) / instance.totalWeight : 1,
    cost: final.cost,
    greedy: greedyResult,
    timesMs: { greedy: greedyMs, localSearch: t1 - t0 - greedyMs, total: t1 - t0 },
    evaluations: { greedy: greedyEvaluations, localSearch: ctx.evaluations - greedyEvaluations },
    localSearch: lsStats,
  }
}
