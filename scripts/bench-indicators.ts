/**
 * npm run bench:indicators — issue 5's benchmark: the indicators of a whole province (every
 * commune, the province total, and the change since an earlier date), on the PostGIS server and
 * on the embedded engine, for the Sơn La sample and for a generated province of 5,000 villages
 * and 2,000 sites (three sectors each) over the same communes, once coverage exists (a full
 * recompute at 10 km on the SYNTHETIC sample DEM, not measured). Target: under 500 ms on the
 * server. Each engine × dataset runs in its own process (scripts/bench/indicators-worker.ts).
 *
 * Needs DATABASE_URL for the server side (skipped, with a note, without it).
 * Options: --work DIR (keep the DEM and the generated files)  --runs 5  --date 2026-11-01
 *          --since 2025-01-01  --villages 5000  --sites 2000  --datasets sample,generated
 *          --engines server,embedded
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { loadConfig } from '../server/config.ts'
import { DEFAULT_TERRAIN_SEED } from '../server/geo/dem/synthesize-terrain.ts'
import { ensureSyntheticDem, sampleSyntheticDemInputs } from '../server/services/dem/synthetic-dem.ts'
import { arg } from './bench/args.ts'

const RUNS = arg('runs', '5')
const DATE = arg('date', '2026-11-01')
const SINCE = arg('since', '2025-01-01')
const VILLAGES = arg('villages', '5000')
const DATASETS = arg('datasets', 'sample,generated').split(',')
const ENGINES = arg('engines', 'server,embedded').split(',')
const SITES = arg('sites', '2000')
const TARGET_MS = 500
const keep = process.argv.includes('--work')
const work = keep ? path.resolve(arg('work', '')) : mkdtempSync(path.join(tmpdir(), 'phusong-bench-indicators-'))
const tsx = path.resolve('node_modules/.bin/tsx')
const url = process.env.DATABASE_URL
const log = (m: string) => process.stderr.write(`${m}\n`)

interface WorkerResult { engine: string; counts: Record<string, number>; recomputeSeconds: number; medianMs: number; minMs: number; maxMs: number; covered: number; withChangeMs: number }

function worker(engine: 'server' | 'embedded', target: string, demDir: string, generated: string): WorkerResult {
  const r = spawnSync(tsx, ['scripts/bench/indicators-worker.ts', engine, target, demDir, generated, RUNS, DATE, SINCE], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env } })
  if (r.status !== 0) throw new Error(`${engine} failed:\n${r.stderr}\n${r.stdout.slice(-4000)}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as WorkerResult
}

mkdirSync(work, { recursive: true })
const admin = url ? new pg.Client({ connectionString: url }) : null
const schemas: string[] = []
try {
  const demDir = path.join(work, 'dem')
  const config = loadConfig({ ...process.env, RATE_LIMIT_MAX: '0' })
  const inputs = await sampleSyntheticDemInputs(config.sampleDir)
  log('SYNTHETIC sample DEM (not measured)…')
  await ensureSyntheticDem({ demDir, coarseGridPath: inputs.coarseGridPath, bbox: inputs.bbox, seed: DEFAULT_TERRAIN_SEED, arcSeconds: 1 })
  const generated = path.join(work, 'generated')
  log(`generating ${VILLAGES} villages and ${SITES} sites (synthetic, not measured)…`)
  execFileSync(tsx, ['scripts/generate.ts', '--villages', VILLAGES, '--sites', SITES, '--out', generated], { stdio: 'ignore' })
  if (admin) {
    await admin.connect()
    await admin.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public')
  }
  const rows: Array<{ dataset: string; engine: string; r: WorkerResult }> = []
  for (const [key, dataset, files] of [['sample', 'Sơn La sample', '-'], ['generated', `generated (${VILLAGES} villages, ${SITES} sites)`, generated]] as const) {
    if (!DATASETS.includes(key)) continue
    for (const engine of ['server', 'embedded'] as const) {
      if (!ENGINES.includes(engine)) continue
      if (engine === 'server' && !admin) continue
      let target: string
      if (engine === 'server') {
        target = `phusong_bench_ind_${process.pid}_${rows.length}`
        await admin!.query(`CREATE SCHEMA ${target}`)
        schemas.push(target)
      } else {
        target = path.join(work, `embedded-${rows.length}`)
        rmSync(target, { recursive: true, force: true })
      }
      log(`${dataset} on the ${engine} engine: load, recompute, indicators…`)
      const r = worker(engine, target, demDir, files)
      log(`  recompute ${r.recomputeSeconds.toFixed(1)} s (not measured); indicators median ${r.medianMs.toFixed(0)} ms, with the change ${r.withChangeMs.toFixed(0)} ms`)
      rows.push({ dataset, engine, r })
    }
  }
  console.log(`\n## bench:indicators — the province's indicators on ${DATE} (any operator, 4G), and with the change since ${SINCE}; medians of ${RUNS} after one warm-up\n`)
  console.log('| dataset | engine | communes | villages | sites | sectors | indicators ms (median) | min–max ms | with change since ms | villages covered |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const { dataset, engine, r } of rows) {
    console.log(`| ${dataset} | ${engine} | ${r.counts.communes} | ${r.counts.villages} | ${r.counts.sites} | ${r.counts.sectors} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)} | ${r.withChangeMs.toFixed(0)} | ${r.covered} |`)
  }
  const server = rows.filter((x) => x.engine === 'server').map((x) => x.r.medianMs)
  const embedded = rows.filter((x) => x.engine === 'embedded').map((x) => x.r.medianMs)
  const msServer = server.length > 0 ? Math.max(...server) : null
  const msEmbedded = embedded.length > 0 ? Math.max(...embedded) : null
  console.log(`\nWorst case on the server: ${msServer === null ? 'not measured (no DATABASE_URL)' : `${msServer.toFixed(0)} ms (target < ${TARGET_MS} ms: ${msServer < TARGET_MS ? 'met' : 'MISSED'})`}; embedded: ${msEmbedded?.toFixed(0) ?? '–'} ms.`)
  const changeServer = rows.filter((x) => x.engine === 'server').map((x) => x.r.withChangeMs)
  if (changeServer.length > 0) console.log(`With the change since ${SINCE} (two dates computed): worst on the server ${Math.max(...changeServer).toFixed(0)} ms.`)
  console.log(JSON.stringify({
    bench: 'indicators', ms_server: msServer === null ? null : Math.round(msServer), ms_embedded: msEmbedded === null ? null : Math.round(msEmbedded),
    ms_server_with_change: changeServer.length > 0 ? Math.round(Math.max(...changeServer)) : null,
  }))
} finally {
  if (admin) {
    for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => {})
    await admin.end().catch(() => {})
  }
  if (!keep) rmSync(work, { recursive: true, force: true })
}
