/**
 * `npm run bench:planning` — issue 7's figures in one run:
 *  1. what-if latency through the API (scripts/bench/planning-whatif.ts: 50 seeded candidates,
 *     15 km radius on the 1″ DEM of the Sơn La sample, PostGIS server; target p95 < 300 ms);
 *  2. the optimiser against CBC's exact optimum on hard seeded instances of 5,000 candidates and
 *     3,000 villages, K = 20, 50, 100 (scripts/bench/planning-optimiser.ts; target ≥ 99.5 % of the
 *     optimum in a small fraction of CBC's time), on two instance seeds.
 * Each part runs in its own process, one after the other (2 cores: nothing else in parallel).
 * Options: --seeds 7,11  --candidates 50 (what-if)  --cbc-seconds 600
 * Last line: {"bench":"planning","whatif_p95_ms":…,"worst_ratio_vs_optimum":…,"time_ratio_vs_cbc":…}
 * time_ratio_vs_cbc is the largest ours/CBC wall-time ratio over every K and seed (the least
 * favourable case); worst_ratio_vs_optimum the smallest ours/optimum.
 */
import { spawnSync } from 'node:child_process'
import { arg } from './bench/args.ts'

const log = (m: string): void => { process.stderr.write(`${m}\n`) }

/** Runs a bench script in its own process (its table to our stderr) and returns its last JSON line. */
function runPart<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 2], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`${script} failed (${r.status ?? r.signal})`)
  const last = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop()
  if (!last) throw new Error(`${script} printed no JSON line`)
  return JSON.parse(last) as T
}

interface WhatIfReport { p50_ms: number; p95_ms: number; max_ms: number; service_p95_ms: number; phases_median_ms: Record<string, number> }
interface OptimiserRow { k: number; ours_ms: number; cbc_ms: number; cbc_status: string; ratio_objective: number; greedy_ratio_objective: number; ratio_time: number }

log('== what-if through the API')
const whatif = runPart<WhatIfReport>('scripts/bench/planning-whatif.ts', ['--candidates', arg('candidates', '50'), '--radius', '15000'])

const seeds = arg('seeds', '7,11').split(',').map(Number)
const rows: Array<OptimiserRow & { seed: number }> = []
for (const seed of seeds) {
  log(`\n== optimiser vs CBC, seed ${seed}`)
  const report = runPart<{ rows: OptimiserRow[] }>('scripts/bench/planning-optimiser.ts', ['--candidates', '5000', '--villages', '3000', '--ks', '20,50,100', '--seed', String(seed), '--cbc-seconds', arg('cbc-seconds', '600')])
  rows.push(...report.rows.map((r) => ({ ...r, seed })))
}

log('\n| part | figure | target | |')
log('| --- | --- | --- | --- |')
log(`| what-if p50 / p95 / max, ms | ${whatif.p50_ms} / ${whatif.p95_ms} / ${whatif.max_ms} | p95 < 300 | ${whatif.p95_ms < 300 ? 'met' : 'MISSED'} |`)
log('\n| seed | K | ours ms | CBC ms | CBC status | greedy / optimum | ours / optimum | ours / CBC time |')
log('| --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of rows) {
  log(`| ${r.seed} | ${r.k} | ${r.ours_ms} | ${r.cbc_ms} | ${r.cbc_status} | ${r.greedy_ratio_objective.toFixed(4)} | ${r.ratio_objective.toFixed(4)} | ${r.ratio_time.toFixed(3)} |`)
}
const worst = Math.min(...rows.map((r) => r.ratio_objective))
const timeRatio = Math.max(...rows.map((r) => r.ratio_time))
log(`\nworst ours / optimum ${worst.toFixed(4)} (target ≥ 0.995: ${worst >= 0.995 ? 'met' : 'MISSED'}); largest ours / CBC time ${timeRatio.toFixed(3)}`
  + ` (sum ${(rows.reduce((s, r) => s + r.ours_ms, 0) / rows.reduce((s, r) => s + r.cbc_ms, 0)).toFixed(3)})`)
console.log(JSON.stringify({
  bench: 'planning',
  whatif_p95_ms: whatif.p95_ms,
  worst_ratio_vs_optimum: Math.round(worst * 10000) / 10000,
  time_ratio_vs_cbc: Math.round(timeRatio * 1000) / 1000,
  whatif_p50_ms: whatif.p50_ms,
  time_ratio_vs_cbc_sum: Math.round((rows.reduce((s, r) => s + r.ours_ms, 0) / rows.reduce((s, r) => s + r.cbc_ms, 0)) * 1000) / 1000,
  cases: rows.map((r) => ({ seed: r.seed, k: r.k, ratio: Math.round(r.ratio_objective * 10000) / 10000, ours_ms: r.ours_ms, cbc_ms: r.cbc_ms })),
}))
