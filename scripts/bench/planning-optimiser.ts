/**
 * Issue 7's optimiser benchmark: on one seeded hard instance (villages clustered in valleys,
 * candidates on ridges with large overlapping footprints, existing sites fixed; see
 * server/planning/optimiser/instances.ts), for each K: our optimiser (lazy greedy + swap search +
 * iterated tabu search) and CBC's exact optimum of the same ILP, in the same run — objectives and wall
 * times side by side, with their ratios. Target: ≥ 99.5 % of the optimum in a small fraction of
 * CBC's time. When CBC hits its time limit its objective is its best solution, not a proven
 * optimum (status 'time-limit'; `cbc_bound` then bounds the optimum from above).
 *
 * CLI: tsx scripts/bench/planning-optimiser.ts [--candidates 5000] [--villages 3000]
 *      [--ks 20,50,100] [--seed 7] [--cbc-seconds 600] [--radius-km 2.5] [--starts 1]
 * Prints a table on stderr and one JSON line on stdout. Needs /usr/bin/cbc (coinor-cbc).
 */
import { pathToFileURL } from 'node:url'
import { buildInstance } from '../../server/planning/optimiser/instance.ts'
import { generateHardInstance } from '../../server/planning/optimiser/instances.ts'
import { plainGreedy } from '../../server/planning/optimiser/greedy.ts'
import { optimise } from '../../server/planning/optimiser/optimise.ts'
import { solveWithCbc } from '../../test/helpers/cbc.ts'
import { arg } from './args.ts'

export interface BenchOptimiserOptions {
  candidates: number
  villages: number
  ks: number[]
  seed: number
  /** Mean footprint radius of the candidates, km (default 2.5: K = 100 stays short of covering everything). */
  radiusKm?: number
  /** CBC time limit per K, seconds (default 600). */
  cbcSeconds?: number
  /** Independent tabu runs of the optimiser, best kept (default 1; see OptimiseOptions.escape.starts). */
  starts?: number
  log?: (line: string) => void
}

export interface BenchOptimiserRow {
  k: number
  ours_ms: number
  ours_objective: number
  greedy_objective: number
  cbc_ms: number
  cbc_objective: number
  cbc_status: string
  cbc_bound: number | null
  ratio_objective: number
  greedy_ratio_objective: number
  ratio_time: number
}

export interface BenchOptimiserReport {
  candidates: number
  villages: number
  seed: number
  feasible_candidates: number
  cover_entries: number
  build_ms: number
  rows: BenchOptimiserRow[]
}

export async function benchOptimiser(o: BenchOptimiserOptions): Promise<BenchOptimiserReport> {
  const log = o.log ?? (() => {})
  const t0 = performance.now()
  const generated = generateHardInstance({ seed: o.seed, candidates: o.candidates, villages: o.villages, radiusKm: o.radiusKm ?? 2.5 })
  const instance = buildInstance(generated.input)
  const buildMs = performance.now() - t0
  let feasible = 0
  for (let j = 0; j < instance.candidateCount; j++) feasible += instance.feasible[j]!
  log(`instance: ${o.candidates} candidates (${feasible} feasible), ${o.villages} villages, ${instance.coverVillages.length} coverage entries, seed ${o.seed}; generated and built in ${buildMs.toFixed(0)} ms`)
  const rows: BenchOptimiserRow[] = []
  for (const k of o.ks) {
    const ours = await optimise(instance, o.starts !== undefined ? { k, escape: { starts: o.starts } } : { k })
    const greedy = plainGreedy(instance, k)
    log(`K=${k}: ours ${ours.objective} in ${ours.timesMs.total.toFixed(0)} ms (greedy ${ours.greedy.objective}, ${ours.localSearch.swaps} swaps, ${ours.localSearch.escapeMoves} tabu moves); CBC running…`)
    const cbc = await solveWithCbc(instance, { k, timeLimitSec: o.cbcSeconds ?? 600 })
    rows.push({
      k,
      ours_ms: round(ours.timesMs.total),
      ours_objective: ours.objective,
      greedy_objective: greedy.objective,
      cbc_ms: round(cbc.wallMs),
      cbc_objective: cbc.objective,
      cbc_status: cbc.status,
      cbc_bound: cbc.bound,
      ratio_objective: cbc.objective > 0 ? ours.objective / cbc.objective : 1,
      greedy_ratio_objective: cbc.objective > 0 ? greedy.objective / cbc.objective : 1,
      ratio_time: cbc.wallMs > 0 ? ours.timesMs.total / cbc.wallMs : 0,
    })
    log(`K=${k}: CBC ${cbc.objective} (${cbc.status}${cbc.bound !== null && cbc.status !== 'optimal' ? `, bound ${cbc.bound}` : ''}) in ${cbc.wallMs.toFixed(0)} ms`)
  }
  return { candidates: o.candidates, villages: o.villages, seed: o.seed, feasible_candidates: feasible, cover_entries: instance.coverVillages.length, build_ms: round(buildMs), rows }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const log = (m: string): void => {
    process.stderr.write(`${m}\n`)
  }
  const report = await benchOptimiser({
    candidates: Number(arg('candidates', '5000')),
    villages: Number(arg('villages', '3000')),
    ks: arg('ks', '20,50,100').split(',').map(Number),
    seed: Number(arg('seed', '7')),
    cbcSeconds: Number(arg('cbc-seconds', '600')),
    radiusKm: Number(arg('radius-km', '2.5')),
    starts: Number(arg('starts', '1')),
    log,
  })
  log('')
  log('    K   ours ms   ours objective   greedy/opt   CBC ms   CBC objective   CBC status   ours/CBC objective   ours/CBC time')
  for (const r of report.rows) {
    log(
      `${String(r.k).padStart(5)} ${r.ours_ms.toFixed(0).padStart(9)} ${String(r.ours_objective).padStart(16)} ${r.greedy_ratio_objective.toFixed(4).padStart(12)} ${r.cbc_ms.toFixed(0).padStart(8)} ${String(r.cbc_objective).padStart(15)} ${r.cbc_status.padStart(12)} ${r.ratio_objective.toFixed(4).padStart(20)} ${r.ratio_time.toFixed(4).padStart(15)}`,
    )
  }
  process.stdout.write(`${JSON.stringify({ bench: 'planning-optimiser', ...report })}\n`)
}
