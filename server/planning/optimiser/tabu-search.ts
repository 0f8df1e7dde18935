import type { CoverageState } from './coverage-state.ts'
import { budgetTolerance } from './greedy.ts'
import { createSeededRandom } from '../../lib/seeded-random.ts'
import { kickSites, type EscapeOptions } from './kick.ts'
import type { RunContext } from './run-context.ts'
import { SwapScorer } from './swap-scorer.ts'

export interface TabuSearchOptions extends EscapeOptions {
  /** At most this many moves. */
  maxMoves: number
  /**
   * Iterated tabu: after `patience` moves without a new best, go back to the best selection,
   * perturb it (remove a few neighbouring chosen sites, forbid them for a while) and search
   * again; stop after this many perturbations in a row without a new best (0: plain tabu).
   */
  restarts?: number
  /** Moves without a new best after a perturbation before the next one (default `patience`). */
  restartPatience?: number
  /** Base tenures, moves: a removed site may not come back, an added site may not leave (default: scaled with K). */
  tenureIn?: number
  tenureOut?: number
}

export interface TabuSearchStats {
  moves: number
  improvements: number
  restarts: number
  evaluations: number
  stoppedBy: 'patience' | 'moves' | 'time' | 'target'
}

/**
 * Iterated tabu search over swap (and add, and with a cost budget drop) moves, after the swap
 * search has reached a local optimum: what one improving swap cannot fix is a pair of sites
 * jointly in the wrong place (two ridge sites where two others would cover three valleys better),
 * and reaching the better pair needs a swap that first loses a little. Every move is the best
 * allowed move, improving or not:
 * - swap (a in, r out) within the count and the budget; add a when the count and budget allow;
 * - drop r (cost budget only): frees budget so that a dearer, better site fits on a later move.
 * A site just removed may not come back for ~`tenureIn` moves and one just added may not leave
 * for ~`tenureOut` moves (both scaled with the selection size K by default: K/2–K and K/4, drawn
 * at random so the search does not cycle), unless the move gives a new best (aspiration).
 * After `patience` moves without a new best the search restarts from the best selection,
 * perturbed (a random chosen site and up to two chosen sites overlapping it most are removed and
 * made tabu; each round draws its own tenure, ½–2× the base), and stops after `restarts`
 * perturbations in a row without a new best, `maxMoves`, the deadline or the target.
 * Each move scores the candidates against every chosen site with the swap scorer (O(|cover(a)|)
 * per candidate), in descending coverage weight so that the bound coverWeight(a) − min loss ≤
 * best move so far ends the scan. The state ends on the best selection found.
 */
export async function tabuSearch(state: CoverageState, opts: TabuSearchOptions, ctx: RunContext): Promise<TabuSearchStats> {
  const inst = state.instance
  const n = inst.candidateCount
  const { cost, feasible, coverWeight } = inst
  const { loss, isChosen, chosen } = state
  const rnd = createSeededRandom(opts.seed)
  const tol = budgetTolerance(opts.budget)
  const eps = 1e-9 * Math.max(1, inst.totalWeight)
  const budgeted = Number.isFinite(opts.budget)
  const scorer = new SwapScorer(state)
  scorer.sortByLoss()
  /** Feasible candidates by descending coverage weight (ties: index), so the bound can stop a scan. */
  const order: number[] = []
  for (let a = 0; a < n; a++) if (feasible[a]) order.push(a)
  order.sort((a, b) => coverWeight[b]! - coverWeight[a]! || a - b)
  const addableFrom = new Int32Array(n) // move index from which a may be added again
  const removableFrom = new Int32Array(n) // move index from which r may be removed again
  const stats: TabuSearchStats = { moves: 0, improvements: 0, restarts: 0, evaluations: 0, stoppedBy: 'patience' }
  let best = [...chosen]
  let bestObjective = state.objective
  let since = 0
  let steps = 0
  const size = Math.max(1, chosen.length)
  const baseIn = opts.tenureIn ?? Math.max(7, Math.round(size / 2))
  let tenureIn = baseIn
  const tenureOut = opts.tenureOut ?? Math.max(1, Math.floor(size / 4))
  const maxRestarts = opts.restarts ?? 0
  let patience = opts.patience
  let failedRestarts = 0
  const overlap = new Float64Array(n)
  /** Back to the best; remove a random chosen site and the chosen sites overlapping it most. */
  const perturb = (): void => {
    state.select(best)
    for (const r of kickSites(state, rnd, overlap)) {
      state.remove(r)
      addableFrom[r] = stats.moves + tenureIn + Math.floor(rnd() * tenureIn)
    }
    scorer.sortByLoss()
  }

  for (;;) {
    if (since >= patience) {
      if (failedRestarts >= maxRestarts || chosen.length === 0) break
      failedRestarts++
      stats.restarts++
      perturb()
      // Each round draws its own tenure (½–2× the base): no single tenure suits every basin.
      tenureIn = Math.max(7, Math.round(baseIn * (0.5 + 1.5 * rnd())))
      since = 0
      patience = opts.restartPatience ?? opts.patience
    }
    if (stats.moves >= opts.maxMoves) {
      stats.stoppedBy = 'moves'
      break
    }
    if (performance.now() > opts.deadline) {
      stats.stoppedBy = 'time'
      break
    }
    if (chosen.length === 0) break
    const move = stats.moves
    const slack = opts.budget - state.cost + tol
    const canGrow = chosen.length < opts.maxCount
    // The smallest loss bounds every swap of a from above.
    const minLoss = scorer.byLoss.length > 0 ? loss[scorer.byLoss[0]!]! : Infinity
    let moveDelta = -Infinity
    let moveIn = -1
    let moveOut = -2
    const byLoss = scorer.byLoss
    const over = scorer.over
    const touched = scorer.touched
    // A move is allowed when neither end is tabu, or when it gives a new best (aspiration).
    const aspiration = bestObjective + eps - state.objective
    for (let o = 0; o < order.length; o++) {
      const a = order[o]!
      if ((++steps & 63) === 0 && ctx.due()) await ctx.pause()
      if (isChosen[a]) continue
      const ca = cost[a]!
      const canAdd = canGrow && ca <= slack
      if (!canAdd && coverWeight[a]! - minLoss <= moveDelta) {
        // By descending coverage weight: no later candidate can beat the best move either.
        if (!canGrow) break
        continue
      }
      stats.evaluations++
      ctx.evaluations++
      const allowedIn = addableFrom[a]! <= move
      const g = scorer.walk(a)
      if (canAdd && g > moveDelta && (allowedIn || g > aspiration)) {
        moveDelta = g
        moveIn = a
        moveOut = -1
      }
      if (budgeted) {
        for (let q = 0; q < chosen.length; q++) {
          const r = chosen[q]!
          if (ca - cost[r]! > slack) continue
          const d = g + over[r]! - loss[r]!
          if (d > moveDelta && ((allowedIn && removableFrom[r]! <= move) || d > aspiration)) {
            moveDelta = d
            moveIn = a
            moveOut = r
          }
        }
        continue
      }
      for (let t = 0; t < scorer.touchedCount; t++) {
        const r = touched[t]!
        const d = g + over[r]! - loss[r]!
        if (d > moveDelta && ((allowedIn && removableFrom[r]! <= move) || d > aspiration)) {
          moveDelta = d
          moveIn = a
          moveOut = r
        }
      }
      // Untouched sites by ascending loss: the first allowed one is the best of them.
      for (let q = 0; q < byLoss.length; q++) {
        const r = byLoss[q]!
        if (scorer.touchedLast(r)) continue
        const d = g - loss[r]!
        if (d <= moveDelta) break
        if ((allowedIn && removableFrom[r]! <= move) || d > aspiration) {
          moveDelta = d
          moveIn = a
          moveOut = r
          break
        }
      }
    }
    if (budgeted && chosen.length > 1) {
      // Drop moves (cost budget): freeing budget lets a dearer, better site in on a later move.
      for (const r of chosen) {
        const d = -loss[r]!
        if (d > moveDelta && removableFrom[r]! <= move) {
          moveDelta = d
          moveIn = r
          moveOut = -3
        }
      }
    }
    if (moveIn < 0) break
    if (moveOut === -3) {
      state.remove(moveIn)
      addableFrom[moveIn] = move + 1 + tenureIn + Math.floor(rnd() * tenureIn)
      scorer.sortByLoss()
      stats.moves++
      since++
      continue
    }
    if (moveOut === -1) state.add(moveIn)
    else {
      state.swap(moveOut, moveIn)
      addableFrom[moveOut] = move + 1 + tenureIn + Math.floor(rnd() * tenureIn)
    }
    scorer.sortByLoss()
    removableFrom[moveIn] = move + 1 + Math.min(Math.max(1, chosen.length - 1), tenureOut + Math.floor(rnd() * 3))
    stats.moves++
    if (state.objective > bestObjective + eps) {
      best = [...chosen]
      bestObjective = state.objective
      stats.improvements++
      since = 0
      failedRestarts = 0
      opts.onImprove(best, bestObjective)
      if (bestObjective >= opts.stopAtObjective) {
        stats.stoppedBy = 'target'
        break
      }
    } else since++
    const f = Math.max((failedRestarts + Math.min(1, since / patience)) / (maxRestarts + 1), stats.moves / opts.maxMoves)
    const [from, to] = opts.progressSpan
    ctx.progress({ phase: 'local-search', fraction: from + (to - from) * Math.min(1, f), objective: bestObjective, chosen: chosen.length })
  }
  if (state.objective !== bestObjective) state.select(best)
  return stats
}
