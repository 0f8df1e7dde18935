import type { CoverageState } from './coverage-state.ts'
import type { SwapSearchOptions } from './local-search.ts'

/** Options both escapes from the swap search's local optimum take (tabu-search.ts, iterated-search.ts). */
export interface EscapeOptions extends Omit<SwapSearchOptions, 'progressSpan' | 'strategy' | 'maxPasses'> {
  /** Stop after this many moves (tabu) or kicks (iterated) in a row without a new best. */
  patience: number
  /** PRNG seed of the search (the run is deterministic for a seed). */
  seed: number
  /** Progress reported as this fraction range of the local-search phase. */
  progressSpan: [number, number]
  /** Called with each new best selection (so a cancelled run can return it). */
  onImprove: (chosen: readonly number[], objective: number) => void
}

/**
 * The sites a kick removes: a random chosen site (first) and up to two of the chosen sites that
 * share most village weight with it (ties: lowest index); two draws from `rnd`. The state is not
 * changed. `overlap` is scratch of length candidateCount, all zero, and is left all zero. Used by
 * the iterated search's kicks and the tabu search's perturbations.
 */
export function kickSites(state: CoverageState, rnd: () => number, overlap: Float64Array): number[] {
  const { villageStart, villageCandidates, coverStart, coverVillages, weight } = state.instance
  const s = state.chosen[Math.floor(rnd() * state.chosen.length)]!
  const removed = [s]
  const neighbours: number[] = []
  for (let p = coverStart[s]!; p < coverStart[s + 1]!; p++) {
    const i = coverVillages[p]!
    for (let q = villageStart[i]!; q < villageStart[i + 1]!; q++) {
      const r = villageCandidates[q]!
      if (r === s || !state.isChosen[r]) continue
      if (overlap[r] === 0) neighbours.push(r)
      overlap[r] = overlap[r]! + weight[i]! + 1e-12
    }
  }
  neighbours.sort((a, b) => overlap[b]! - overlap[a]! || a - b)
  const extra = Math.floor(rnd() * 3)
  for (let t = 0; t < extra && t < neighbours.length; t++) removed.push(neighbours[t]!)
  for (const r of neighbours) overlap[r] = 0
  return removed
}
