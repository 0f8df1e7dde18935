/**
 * Issue 7's what-if benchmark: latency of `POST /api/planning/what-if` for one candidate site
 * (15 km radius on the 1″ ≈ 30 m DEM) through the API, p50 and p95 over N seeded candidates.
 * Target: p95 under 300 ms.
 *
 * `benchWhatIf` measures against a running API (`baseUrl` + admin `token`, over HTTP) or an app in
 * this process (`app`, through `inject`: routing, validation and serialisation without a socket).
 * Candidates: seeded random points 0.5–3 km from random villages of the database, operators in
 * turn (viettel, vnpt, mobifone), the operator default configuration (3 sectors). Two warm-up
 * requests (DEM tiles read from disk into the cache) are not measured.
 *
 * CLI: tsx scripts/bench/planning-whatif.ts [--candidates 50] [--radius 15000] [--seed 7]
 *      [--schema bench_planning] [--work DIR] [--fresh]
 * Data: the PostGIS server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) in its
 * own schema, kept between runs. When the schema has no current 4G run or the work folder no DEM,
 * the bench prepares them (not measured), as bench:tiles does: the SYNTHETIC sample DEM
 * (`npm run dem:sample`) into --work (default <tmp>/phusong-bench-planning) and `npm run
 * coverage:recompute -- --load-sample --full --radius 10000 --date 2026-11-01` (≈ 1 min). The app
 * then listens on an ephemeral port and the bench measures over HTTP. Prints a table on stderr
 * and one JSON line on stdout.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { createSeededRandom as mulberry32 } from '../../server/lib/seeded-random.ts'
import { arg } from './args.ts'

export interface BenchWhatIfOptions {
  /** A running API (with `token`), measured over HTTP… */
  baseUrl?: string
  token?: string
  /** …or an app in this process, measured through `inject`. */
  app?: FastifyInstance
  candidates: number
  radiusM?: number
  seed?: number
  log?: (line: string) => void
}

export interface BenchWhatIfReport {
  candidates: number
  radiusM: number
  p50_ms: number
  p95_ms: number
  max_ms: number
  /** The service's own `elapsedMs` (no HTTP, routing or serialisation). */
  service_p50_ms: number
  service_p95_ms: number
  /** Medians of the service's phases. */
  phases_median_ms: Record<string, number>
  /** Medians of the window size and villages changing class (any operator), to say what was measured. */
  window_cells_median: number
  villages_changed_median: number
  dem_synthetic: boolean
  target_p95_ms: number
}

interface WhatIfAnswer {
  elapsedMs: number
  phasesMs: Record<string, number>
  window: { cols: number; rows: number }
  villages: { any: { total: { villages: number } } }
  dem: { synthetic: boolean }
}

export const TARGET_P95_MS = 300
const OPERATORS = ['viettel', 'vnpt', 'mobifone']

export async function benchWhatIf(o: BenchWhatIfOptions): Promise<BenchWhatIfReport> {
  const log = o.log ?? (() => {})
  const radiusM = o.radiusM ?? 15_000
  const call = requester(o)
  const villages = await call('GET', '/api/villages?limit=5000')
  if (villages.status !== 200) throw new Error(`GET /api/villages answered ${villages.status}`)
  const points = (villages.body as { features: Array<{ geometry: { coordinates: [number, number] } }> }).features.map((f) => f.geometry.coordinates)
  if (points.length === 0) throw new Error('no villages in the database: load the sample first')
  const random = mulberry32(o.seed ?? 7)
  const candidate = (i: number) => {
    const [lon, lat] = points[Math.floor(random() * points.length)]!
    const d = 500 + random() * 2500
    const a = random() * 2 * Math.PI
    return {
      lon: round(lon + (d * Math.sin(a)) / (111_195 * Math.cos((lat * Math.PI) / 180)), 6),
      lat: round(lat + (d * Math.cos(a)) / 111_195, 6),
      operatorCode: OPERATORS[i % OPERATORS.length]!, radiusM,
    }
  }
  for (let i = 0; i < 2; i++) {
    const warm = await call('POST', '/api/planning/what-if', candidate(i))
    if (warm.status !== 200) throw new Error(`what-if answered ${warm.status}: ${JSON.stringify(warm.body)}`)
  }
  const latencies: number[] = []
  const answers: WhatIfAnswer[] = []
  for (let i = 0; i < o.candidates; i++) {
    const body = candidate(i)
    const t = performance.now()
    const res = await call('POST', '/api/planning/what-if', body)
    const ms = performance.now() - t
    if (res.status !== 200) throw new Error(`what-if at ${body.lon},${body.lat} answered ${res.status}: ${JSON.stringify(res.body)}`)
    latencies.push(ms)
    answers.push(res.body as WhatIfAnswer)
    if ((i + 1) % 10 === 0) log(`${i + 1}/${o.candidates}: last ${ms.toFixed(0)} ms`)
  }
  const phaseNames = Object.keys(answers[0]?.phasesMs ?? {})
  return {
    candidates: o.candidates,
    radiusM,
    p50_ms: round(percentile(latencies, 0.5), 1),
    p95_ms: round(percentile(latencies, 0.95), 1),
    max_ms: round(Math.max(...latencies), 1),
    service_p50_ms: round(percentile(answers.map((a) => a.elapsedMs), 0.5), 1),
    service_p95_ms: round(percentile(answers.map((a) => a.elapsedMs), 0.95), 1),
    phases_median_ms: Object.fromEntries(phaseNames.map((p) => [p, round(percentile(answers.map((a) => a.phasesMs[p]!), 0.5), 1)])),
    window_cells_median: percentile(answers.map((a) => a.window.cols * a.window.rows), 0.5),
    villages_changed_median: percentile(answers.map((a) => a.villages.any.total.villages), 0.5),
    dem_synthetic: answers.some((a) => a.dem.synthetic),
    target_p95_ms: TARGET_P95_MS,
  }
}

type Requester = (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<{ status: number; body: unknown }>

function requester(o: BenchWhatIfOptions): Requester {
  const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {}
  if (o.app) {
    const app = o.app
    return async (method, url, body) => {
      const res = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) })
      return { status: res.statusCode, body: res.json() }
    }
  }
  if (!o.baseUrl) throw new Error('benchWhatIf: give baseUrl or app')
  const base = o.baseUrl.replace(/\/$/, '')
  return async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }
}

/** The value at a share of the sorted values (nearest rank). */
function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
}


function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

// ---------------------------------------------------------------- CLI

async function main(): Promise<void> {
  const candidates = Number(arg('candidates', '50'))
  const radiusM = Number(arg('radius', '15000'))
  const seed = Number(arg('seed', '7'))
  const schema = arg('schema', 'bench_planning')
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`--schema must be a plain lower-case identifier, got '${schema}'`)
  const work = path.resolve(arg('work', path.join(tmpdir(), 'phusong-bench-planning')))
  const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
  const log = (m: string) => process.stderr.write(`${m}\n`)
  mkdirSync(work, { recursive: true })

  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  let current = false
  try {
    await admin.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public')
    if (process.argv.includes('--fresh')) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    const hasRuns = (await admin.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`${schema}.coverage_runs`])).rows[0]!.t !== null
    current = hasRuns && (await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${schema}.coverage_runs WHERE is_current AND status = 'done' AND technology = '4G'`)).rows[0]!.n > 0
  } finally {
    await admin.end()
  }
  const env = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, PHUSONG_DATA_DIR: work, LOG_LEVEL: 'warn' }
  const step = (what: string, args: string[]) => {
    log(`preparing (not measured): ${what}…`)
    const t = performance.now()
    const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { env, stdio: ['ignore', 2, 2] })
    if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal})`)
    log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  if (!existsSync(path.join(work, 'dem', 'synthetic'))) step('SYNTHETIC sample DEM (npm run dem:sample)', ['scripts/dem-sample.ts'])
  if (!current) {
    step('sample + coverage recompute (npm run coverage:recompute -- --load-sample --full --radius 10000 --date 2026-11-01)',
      ['scripts/coverage-recompute.ts', '--load-sample', '--full', '--radius', '10000', '--date', '2026-11-01'])
  }

  const { buildApp } = await import('../../server/app.ts')
  const { loadConfig } = await import('../../server/config.ts')
  const token = randomBytes(16).toString('hex')
  const app = await buildApp(loadConfig({ ...env, LOAD_SAMPLE: 'false', ADMIN_TOKEN: token, PORT: '0', RATE_LIMIT_MAX: '0' }))
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    log(`what-if: ${candidates} candidates, ${radiusM / 1000} km radius, over HTTP at ${address} (PostGIS server, schema ${schema})`)
    const report = await benchWhatIf({ baseUrl: address, token, candidates, radiusM, seed, log })
    log('')
    log('| what | p50 ms | p95 ms | max ms |')
    log('| --- | --- | --- | --- |')
    log(`| POST /api/planning/what-if over HTTP | ${report.p50_ms} | ${report.p95_ms} | ${report.max_ms} |`)
    log(`| the service alone (elapsedMs) | ${report.service_p50_ms} | ${report.service_p95_ms} | |`)
    log(`phases (median ms): ${JSON.stringify(report.phases_median_ms)}; window ${report.window_cells_median} cells; `
      + `villages changing class (median) ${report.villages_changed_median}; DEM synthetic: ${report.dem_synthetic}`)
    log(`target p95 < ${TARGET_P95_MS} ms: ${report.p95_ms < TARGET_P95_MS ? 'met' : 'MISSED'}`)
    console.log(JSON.stringify({ bench: 'planning-whatif', engine: 'server', ...report }))
  } finally {
    await app.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(() => process.exit(0), (err: unknown) => {
    console.error(`bench planning-whatif failed: ${err instanceof Error ? err.stack : String(err)}`)
    process.exit(1)
  })
}
