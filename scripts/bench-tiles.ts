/**
 * npm run bench:tiles — the vector tile benchmark: `GET /tiles/{layer}/{z}/{x}/{y}.mvt` under
 * load from autocannon (100 connections, 20 s) on a fixed set of z8–z14 tiles of the Sơn La
 * sample, cold (tile cache off) and warm (cache filled), side by side in the same run with
 * (a) the raw `ST_AsMVT` query of the same tiles timed directly (`mvtTileBytes`, one
 * connection; plus PostgreSQL's own execution time from EXPLAIN ANALYZE) and (b) a bare Fastify
 * route returning a fixed buffer of the mean tile's size (the ceiling of this machine).
 * Targets: warm p99 < 20 ms; warm throughput ≥ half the bare route's; cold tiles within 1.3× of
 * the raw SQL time. Prints the tile set, a table, targets met/missed, and one JSON line last.
 *
 * Processes: the app server (scripts/bench/tiles-server.ts: buildApp(loadConfig(env)), a real
 * listening server), the bare server (scripts/bench/tiles-bare-server.ts) and the load
 * generator (scripts/bench/tiles-load.ts, autocannon) each run in their own process; this
 * process only drives them (and times the SQL and the single-connection passes while nothing
 * else runs). PostgreSQL runs on the same machine. All of it shares the machine's cores.
 *
 * Data: the PostGIS server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), in
 * its own schema (--schema, default bench_tiles), kept between runs. When the schema has no
 * current 4G coverage run, the bench prepares it (not measured): the SYNTHETIC sample DEM
 * (`npm run dem:sample`) into --work DIR and `npm run coverage:recompute -- --load-sample --full
 * --radius 10000 --date 2026-11-01` (loads the bundled sample, ≈ 45 s). --fresh drops the schema first.
 *
 * Options: --duration 20  --connections 100  --per-zoom 12 (tiles per layer and zoom)
 *          --passes 3 (single-connection passes: per tile SQL then HTTP, the fastest of each)  --seed 20250701
 *          --schema bench_tiles  --work DIR (keep the DEM)  --fresh
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely'
import pg from 'pg'
import seedrandom from 'seedrandom'
import type { Database, Executor } from '../server/db/database.ts'
import { mvtTileBytes, type TileLayerName } from '../server/repositories/tiles.repository.ts'
import { TILE_LAYER_NAMES, TILE_LAYERS } from '../server/services/tiles/tile-layers.ts'
import { tileContaining } from '../server/services/tiles/tiles.service.ts'
import { arg } from './bench/args.ts'

/** The raw ST_AsMVT query of a tile as the route serves it (coverage: any operator, the default). */
const rawTile = (db: Executor, layer: TileLayerName, z: number, x: number, y: number) =>
  mvtTileBytes(db, layer, z, x, y, layer === 'coverage-4g' ? { operator: 'any' } : {})

const DURATION = Number(arg('duration', '20'))
const CONNECTIONS = Number(arg('connections', '100'))
const PER_ZOOM = Number(arg('per-zoom', '12'))
const PASSES = Number(arg('passes', '3'))
const SEED = arg('seed', '20250701')
const SCHEMA = arg('schema', 'bench_tiles')
const ZOOMS = [8, 9, 10, 11, 12, 13, 14]
const TARGET_WARM_P99_MS = 20
const TARGET_WARM_SHARE_OF_BARE = 0.5
const TARGET_COLD_RATIO = 1.3
const RECOMPUTE_DATE = '2026-11-01'
const RECOMPUTE_RADIUS_M = '10000'
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(SCHEMA)) throw new Error(`--schema must be a plain lower-case identifier, got '${SCHEMA}'`)
const keep = process.argv.includes('--work')
const work = keep ? path.resolve(arg('work', '')) : mkdtempSync(path.join(tmpdir(), 'phusong-bench-tiles-'))
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'

const log = (m: string) => process.stderr.write(`${m}\n`)
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const r1 = (n: number) => Math.round(n * 10) / 10
const r2 = (n: number) => Math.round(n * 100) / 100
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (n: number | null) => (n === null ? '–' : n < 10 ? n.toFixed(2) : n.toFixed(1))

interface Tile { layer: TileLayerName | 'public'; z: number; x: number; y: number; bytes: number; path: string }

/** Busy and total jiffies of the whole machine (/proc/stat), for the share of the cores in use during a load run. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const total = sum(f)
  return { busy: total - f[3]! - (f[4] ?? 0), total }
}

// ---------------------------------------------------------------- child processes

interface ServerStats { entries: number; bytes: number; cpuMs: number }
interface Server { port: number; child: ChildProcess; stats(): Promise<ServerStats>; clear(): Promise<void>; close(): Promise<void> }

function nodeTs(file: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { env, stdio: ['ignore', 2, 2, 'ipc'] })
}

function nextMessage<T>(child: ChildProcess, pick: (m: Record<string, unknown>) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      const v = typeof m === 'object' && m !== null ? pick(m as Record<string, unknown>) : undefined
      if (v === undefined) return
      cleanup()
      resolve(v)
    }
    const onExit = (code: number | null) => { cleanup(); reject(new Error(`child process exited (${code}) before answering`)) }
    const cleanup = () => { child.off('message', onMessage); child.off('exit', onExit) }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

const children = new Set<ChildProcess>()

async function startServer(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const child = nodeTs(file, args, env)
  children.add(child)
  const port = await nextMessage(child, (m) => (typeof m.ready === 'number' ? m.ready : undefined))
  return {
    port,
    child,
    stats: async () => {
      const p = nextMessage(child, (m) => m.stats as ServerStats | undefined)
      child.send('stats')
      return p
    },
    clear: async () => {
      const p = nextMessage(child, (m) => (m.cleared ? true : undefined))
      child.send('clear')
      await p
    },
    close: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send('close')
      await exited
      children.delete(child)
    },
  }
}

function appServer(cacheBytes: number): Promise<Server> {
  return startServer('scripts/bench/tiles-server.ts', [], {
    ...process.env, DATABASE_URL, DATABASE_SCHEMA: SCHEMA, PHUSONG_DATA_DIR: work, LOAD_SAMPLE: 'false',
    LOG_LEVEL: 'fatal', TILE_CACHE_BYTES: String(cacheBytes),
  })
}

interface LoadResult {
  durationS: number; ok: number; rps: number; p50: number | null; p90: number | null; p99: number | null; max: number | null; mean: number | null
  autocannon: { rpsAverage: number; p50: number; p99: number }
  non2xx: number; errors: number; timeouts: number; statusCodes: Record<string, number>; bytesPerS: number; cpuMs: number
  serverCpuPct: number; loadCpuPct: number; machineBusyPct: number
}

/** autocannon in its own process against `server`, cycling through `paths`; with the CPU each side used. */
async function load(label: string, server: Server, paths: string[]): Promise<LoadResult> {
  log(`  ${label}: autocannon, ${CONNECTIONS} connections, ${DURATION} s, ${paths.length} paths…`)
  const before = await server.stats()
  const m0 = machineCpu()
  const child = nodeTs('scripts/bench/tiles-load.ts', [], process.env)
  children.add(child)
  const result = nextMessage(child, (m) => m as unknown as LoadResult & { error?: string })
  child.send({ url: `http://127.0.0.1:${server.port}`, paths, connections: CONNECTIONS, duration: DURATION })
  const r = await result
  children.delete(child)
  if (r.error) throw new Error(`${label}: load generator failed: ${r.error}`)
  const m1 = machineCpu()
  const after = await server.stats()
  const wallMs = r.durationS * 1000
  r.serverCpuPct = (100 * (after.cpuMs - before.cpuMs)) / wallMs
  r.loadCpuPct = (100 * r.cpuMs) / wallMs
  r.machineBusyPct = (100 * (m1.busy - m0.busy)) / (m1.total - m0.total) * cpus().length
  log(`    ${fmt(r.rps)} req/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, non-2xx ${r.non2xx}, errors ${r.errors}; CPU: server ${r.serverCpuPct.toFixed(0)} %, load generator ${r.loadCpuPct.toFixed(0)} %, machine ${r.machineBusyPct.toFixed(0)} % of one core`)
  return r
}

// ---------------------------------------------------------------- single-connection HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

function get(port: number, p: string): Promise<{ status: number; bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = http.get({ host: '127.0.0.1', port, path: p, agent }, (res) => {
      let bytes = 0
      res.on('data', (c: Buffer) => { bytes += c.length })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

/** One sequential pass over `tiles` on one keep-alive connection; checks each answer is 200 with the expected size. */
async function httpPass(server: Server, tiles: Tile[]): Promise<number[]> {
  const times: number[] = []
  for (const t of tiles) {
    const r = await get(server.port, t.path)
    if (r.status !== 200 || r.bytes !== t.bytes) throw new Error(`${t.path}: HTTP ${r.status}, ${r.bytes} bytes; SQL gave ${t.bytes} bytes`)
    times.push(r.ms)
  }
  return times
}

// ---------------------------------------------------------------- main

mkdirSync(work, { recursive: true })
const admin = new pg.Client({ connectionString: DATABASE_URL })
let pool: pg.Pool | null = null
let db: Kysely<Database> | null = null
try {
  await admin.connect()
  await admin.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public')
  if (process.argv.includes('--fresh')) await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`)
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`)
  const hasRuns = (await admin.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`${SCHEMA}.coverage_runs`])).rows[0]!.t !== null
  const current = hasRuns
    ? (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.coverage_runs r WHERE r.is_current AND r.status = 'done' AND r.technology = '4G'
        AND EXISTS (SELECT 1 FROM ${SCHEMA}.coverage_polygons p WHERE p.run_id = r.id)`)).rows[0]!.n > 0
    : false
  if (current) {
    log(`schema ${SCHEMA} has the sample and a current 4G coverage run: nothing to prepare`)
  } else {
    // Not measured: the SYNTHETIC sample DEM and a full recompute at 10 km (loads the sample into the empty schema first).
    const env = { ...process.env, DATABASE_URL, DATABASE_SCHEMA: SCHEMA, PHUSONG_DATA_DIR: work, LOG_LEVEL: 'warn' }
    const step = (what: string, args: string[]) => {
      log(`preparing (not measured): ${what}…`)
      const t = performance.now()
      const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { env, stdio: ['ignore', 2, 2] })
      if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal})`)
      log(`  ${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`)
    }
    step('SYNTHETIC sample DEM (npm run dem:sample)', ['scripts/dem-sample.ts'])
    step(`sample + coverage recompute (npm run coverage:recompute -- --load-sample --full --radius ${RECOMPUTE_RADIUS_M} --date ${RECOMPUTE_DATE})`,
      ['scripts/coverage-recompute.ts', '--load-sample', '--full', '--radius', RECOMPUTE_RADIUS_M, '--date', RECOMPUTE_DATE])
  }

  // The bench's own connection: Kysely's log hands us each compiled query (for EXPLAIN ANALYZE of the same statement).
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1, options: `-c search_path=${SCHEMA},public` })
  let lastQuery: CompiledQuery | undefined
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => { if (e.level === 'query') lastQuery = e.query } })
  const counts = (await sql<{ communes: number; villages: number; sites: number; polygons: number }>`
    SELECT (SELECT count(*)::int FROM communes) AS communes, (SELECT count(*)::int FROM villages) AS villages,
           (SELECT count(*)::int FROM sites) AS sites,
           (SELECT count(*)::int FROM coverage_polygons p JOIN coverage_runs r ON r.id = p.run_id AND r.is_current AND r.technology = '4G') AS polygons`.execute(db)).rows[0]!

  // ---- 1. The tile set: for each zoom and layer, the tiles holding seeded-random villages and sites, kept when non-empty.
  const points = (await sql<{ lon: number; lat: number }>`
    SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM (SELECT id, geom FROM villages UNION ALL SELECT -id, geom FROM sites) p ORDER BY id`.execute(db)).rows
  const rng = seedrandom(SEED)
  const shuffle = <T>(xs: T[]): T[] => {
    const a = [...xs]
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!]
    }
    return a
  }
  const candidates = shuffle(points)
  log(`choosing tiles (seed ${SEED}, up to ${PER_ZOOM} non-empty tiles per layer and zoom)…`)
  let tiles: Tile[] = []
  let emptySkipped = 0
  for (const z of ZOOMS) {
    for (const layer of TILE_LAYER_NAMES) {
      const spec = TILE_LAYERS[layer]
      if (z < spec.minzoom || z > spec.maxzoom) continue
      const seen = new Set<string>()
      let found = 0
      for (const p of candidates) {
        if (found >= PER_ZOOM || seen.size >= 400) break
        const { x, y } = tileContaining(p.lon, p.lat, z)
        const key = `${x}/${y}`
        if (seen.has(key)) continue
        seen.add(key)
        const bytes = (await rawTile(db, layer, z, x, y)).byteLength // also the first pass that warms PostgreSQL's cache
        if (bytes === 0) { emptySkipped++; continue }
        tiles.push({ layer, z, x, y, bytes, path: `/tiles/${layer}/${z}/${x}/${y}.mvt` })
        found++
      }
    }
  }
  tiles = shuffle(tiles) // requests in a mixed order of layers and zooms
  const sizes = tiles.map((t) => t.bytes)
  const meanBytes = Math.round(sum(sizes) / sizes.length)
  const byLayer = TILE_LAYER_NAMES.map((l) => {
    const s = tiles.filter((t) => t.layer === l).map((t) => t.bytes)
    return s.length === 0 ? `${l} none (no non-empty tile found)` : `${l} ${s.length} (median ${fmt(median(s))} B, mean ${fmt(sum(s) / s.length)} B)`
  }).join(', ')
  log(`  ${tiles.length} tiles: ${byLayer}; ${emptySkipped} empty candidates skipped`)

  // ---- 2 + 3a. Raw SQL and cold HTTP, one connection, interleaved passes (median per tile); the app with its cache off.
  const timeSql = async (t: Tile) => {
    const started = performance.now()
    await rawTile(db!, t.layer as TileLayerName, t.z, t.x, t.y)
    return performance.now() - started
  }
  log('app server, tile cache off (TILE_CACHE_BYTES=0)…')
  const cold = await appServer(0)
  const combinedProbe = await get(cold.port, `/tiles/public/${tiles[0]!.z}/${tiles[0]!.x}/${tiles[0]!.y}.mvt`)
  const hasCombined = combinedProbe.status === 200 || combinedProbe.status === 204
  log(`  combined route /tiles/public/{z}/{x}/{y}.mvt: ${hasCombined ? 'present, benched too' : `absent (HTTP ${combinedProbe.status}), not benched`}`)
  await httpPass(cold, tiles.filter((t) => t.layer !== 'coverage-4g')) // warm-up (JIT, the app's pool connections), without the slow coverage tiles
  const sqlRuns: number[][] = tiles.map(() => [])
  const coldRuns: number[][] = tiles.map(() => [])
  // Per tile, the raw SQL and the cold HTTP request back to back, PASSES times; the fastest of each
  // (the least disturbed by whatever else the machine does) is compared.
  for (let pass = 0; pass < PASSES; pass++) {
    log(`  pass ${pass + 1}/${PASSES}: per tile, raw SQL then HTTP cold…`)
    for (let i = 0; i < tiles.length; i++) {
      sqlRuns[i]!.push(await timeSql(tiles[i]!))
      coldRuns[i]!.push((await httpPass(cold, [tiles[i]!]))[0]!)
    }
  }
  const sqlMs = sqlRuns.map((r) => Math.min(...r))
  const coldMs = coldRuns.map((r) => Math.min(...r))
  // PostgreSQL's own time for the same statements (planning + execution, no transfer, no decoding in Node).
  const pgMs: number[] = []
  for (const t of tiles) {
    lastQuery = undefined
    await timeSql(t)
    const q = lastQuery as CompiledQuery | undefined
    if (!q) throw new Error('no compiled query logged')
    const plan = (await pool.query<{ 'QUERY PLAN': Array<{ 'Planning Time': number; 'Execution Time': number }> }>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${q.sql}`, [...q.parameters])).rows[0]!['QUERY PLAN'][0]!
    pgMs.push(plan['Planning Time'] + plan['Execution Time'])
  }
  const coldRatio = sum(coldMs) / sum(sqlMs)
  const coldRatioMedian = median(coldMs.map((c, i) => c / sqlMs[i]!))
  log(`  raw SQL: sum ${r1(sum(sqlMs))} ms, median ${ms(median(sqlMs))} ms; HTTP cold: sum ${r1(sum(coldMs))} ms, median ${ms(median(coldMs))} ms; ratio ${coldRatio.toFixed(2)}`)

  // Combined tiles: the distinct z/x/y of the set; raw SQL = each layer's ST_AsMVT in turn (what the route concatenates).
  let combined: { tiles: Tile[]; sqlMs: number[]; coldMs: number[]; coldLoad: LoadResult | null; warmLoad: LoadResult | null } | null = null
  if (hasCombined) {
    const seenXyz = new Set<string>()
    const ctiles: Tile[] = []
    for (const t of tiles) {
      const key = `${t.z}/${t.x}/${t.y}`
      if (seenXyz.has(key)) continue
      seenXyz.add(key)
      const r = await get(cold.port, `/tiles/public/${key}.mvt`)
      if (r.status === 200) ctiles.push({ layer: 'public', z: t.z, x: t.x, y: t.y, bytes: r.bytes, path: `/tiles/public/${key}.mvt` })
    }
    const layersAt = (z: number) => TILE_LAYER_NAMES.filter((l) => z >= TILE_LAYERS[l].minzoom && z <= TILE_LAYERS[l].maxzoom)
    // One pass each (the combined tiles repeat every layer's query, the heavy coverage one included).
    const cSql: number[][] = ctiles.map(() => [])
    const cCold: number[][] = ctiles.map(() => [])
    for (let pass = 0; pass < 1; pass++) {
      for (let i = 0; i < ctiles.length; i++) {
        const t = ctiles[i]!
        const started = performance.now()
        for (const l of layersAt(t.z)) await rawTile(db, l, t.z, t.x, t.y)
        cSql[i]!.push(performance.now() - started)
      }
      const h = await httpPass(cold, ctiles)
      h.forEach((v, i) => cCold[i]!.push(v))
    }
    combined = { tiles: ctiles, sqlMs: cSql.map(median), coldMs: cCold.map(median), coldLoad: null, warmLoad: null }
    log(`  combined: ${ctiles.length} tiles, raw SQL sum ${r1(sum(combined.sqlMs))} ms, HTTP cold sum ${r1(sum(combined.coldMs))} ms`)
  }

  // ---- 3b. Cold under load (cache off: every request renders).
  const coldLoad = await load('cold (cache off)', cold, tiles.map((t) => t.path))
  if (combined) combined.coldLoad = await load('combined, cold (cache off)', cold, combined.tiles.map((t) => t.path))
  await cold.close()

  // ---- 4. Warm: the app with its cache on (default size), filled by one pass, then under load.
  log('app server, tile cache on (TILE_CACHE_BYTES default, 64 MiB)…')
  const warm = await appServer(64 * 1024 * 1024)
  const fillMs = await httpPass(warm, tiles) // cold with the cache on: first request of each tile
  const warmSeqMs = await httpPass(warm, tiles)
  const cacheStats = await warm.stats()
  log(`  cache after one pass: ${cacheStats.entries} entries, ${fmt(cacheStats.bytes)} bytes; first request (cache empty) sum ${r1(sum(fillMs))} ms, second (cached) median ${ms(median(warmSeqMs))} ms`)
  const warmLoad = await load('warm (cache filled)', warm, tiles.map((t) => t.path))
  if (combined) {
    await httpPass(warm, combined.tiles)
    combined.warmLoad = await load('combined, warm (cache filled)', warm, combined.tiles.map((t) => t.path))
  }
  await warm.close()

  // ---- 5. The ceiling: a bare Fastify route, fixed buffer of the mean tile's size.
  log(`bare Fastify server, fixed ${fmt(meanBytes)}-byte buffer…`)
  const bare = await startServer('scripts/bench/tiles-bare-server.ts', [String(meanBytes)], process.env)
  await httpPass(bare, tiles.map((t) => ({ ...t, bytes: meanBytes })))
  const bareLoad = await load('bare route', bare, tiles.map((t) => t.path))
  await bare.close()

  // ---- 6. Report.
  const warmShare = warmLoad.rps / bareLoad.rps
  const metWarmP99 = warmLoad.p99 !== null && warmLoad.p99 < TARGET_WARM_P99_MS
  const metShare = warmShare >= TARGET_WARM_SHARE_OF_BARE
  const metCold = coldRatio <= TARGET_COLD_RATIO
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')

  console.log(`\n## bench:tiles — ${tiles.length} tiles z${ZOOMS[0]}–z${ZOOMS.at(-1)} of the Sơn La sample (PostGIS server, schema ${SCHEMA})\n`)
  console.log(`Data: ${counts.communes} communes, ${counts.villages} villages, ${counts.sites} sites, ${fmt(counts.polygons)} 4G coverage polygons (current run).`)
  console.log(`Tile set (seed ${SEED}, up to ${PER_ZOOM} per layer and zoom, non-empty only): ${byLayer}.`)
  console.log(`Tile bytes: mean ${fmt(meanBytes)}, median ${fmt(median(sizes))}, max ${fmt(Math.max(...sizes))}.`)
  console.log(`Per zoom: ${ZOOMS.map((z) => `z${z} ${tiles.filter((t) => t.z === z).length}`).join(', ')}.`)
  console.log(`How it ran: ${cpus().length} cores shared by PostgreSQL, the app server (its own Node process, pool of 10 connections), and autocannon (its own Node process, ${CONNECTIONS} connections, ${DURATION} s, each connection cycling through the set from its own offset); latency percentiles from every 2xx response time.\n`)
  console.log('| what | requests | req/s | p50 ms | p99 ms | mean ms | server CPU % | load gen CPU % | machine CPU % (of one core) |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  const row = (what: string, r: LoadResult) => console.log(`| ${what} | ${fmt(r.ok)}${r.non2xx + r.errors > 0 ? ` (+${r.non2xx} non-2xx, ${r.errors} errors)` : ''} | ${fmt(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.mean)} | ${r.serverCpuPct.toFixed(0)} | ${r.loadCpuPct.toFixed(0)} | ${r.machineBusyPct.toFixed(0)} |`)
  row('cold under load (cache off)', coldLoad)
  row('warm under load (cache filled)', warmLoad)
  row(`bare Fastify route (${fmt(meanBytes)} B buffer)`, bareLoad)
  if (combined?.coldLoad) row('combined /tiles/public, cold', combined.coldLoad)
  if (combined?.warmLoad) row('combined /tiles/public, warm', combined.warmLoad)
  const seqSql = sum(sqlMs)
  console.log(`\nOne connection, sequential (per tile the fastest of ${PASSES} passes, then summed over the ${tiles.length} tiles):\n`)
  console.log('| what | sum ms | median per tile ms | p90 per tile ms | × raw SQL (sum) |')
  console.log('| --- | --- | --- | --- | --- |')
  const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.9 * xs.length)]!
  const seq = (what: string, xs: number[]) => console.log(`| ${what} | ${r1(sum(xs))} | ${ms(median(xs))} | ${ms(p90(xs))} | ${(sum(xs) / seqSql).toFixed(2)} |`)
  seq('PostgreSQL alone (EXPLAIN ANALYZE: planning + execution)', pgMs)
  seq('raw SQL: `mvtTileBytes` from Node (round trip, bytea decoded)', sqlMs)
  seq('HTTP cold, cache off (`GET /tiles/…`)', coldMs)
  seq('HTTP, cache on, first request (cache empty)', fillMs)
  seq('HTTP warm, cache on, second request', warmSeqMs)
  if (combined) {
    console.log(`| combined /tiles/public: raw SQL (each layer in turn), ${combined.tiles.length} tiles | ${r1(sum(combined.sqlMs))} | ${ms(median(combined.sqlMs))} | ${ms(p90(combined.sqlMs))} | – |`)
    console.log(`| combined /tiles/public: HTTP cold | ${r1(sum(combined.coldMs))} | ${ms(median(combined.coldMs))} | ${ms(p90(combined.coldMs))} | ${(sum(combined.coldMs) / sum(combined.sqlMs)).toFixed(2)} (of its own SQL) |`)
  }
  const perLayer = TILE_LAYER_NAMES.flatMap((l) => {
    const idx = tiles.map((t, i) => (t.layer === l ? i : -1)).filter((i) => i >= 0)
    if (idx.length === 0) return []
    return [`${l} ${(sum(idx.map((i) => coldMs[i]!)) / sum(idx.map((i) => sqlMs[i]!))).toFixed(2)}`]
  }).join(', ')
  console.log(`\nCold ÷ raw SQL per layer (sums): ${perLayer}; median of the per-tile ratios ${coldRatioMedian.toFixed(2)}.`)
  console.log(`Cold path, per tile on average: PostgreSQL ${ms(sum(pgMs) / tiles.length)} ms, + transfer and bytea decoding ${ms((seqSql - sum(pgMs)) / tiles.length)} ms, + HTTP and the app (routing, ETag hash, pool checkout, reply) ${ms((sum(coldMs) - seqSql) / tiles.length)} ms.`)
  console.log('\nRaw SQL per layer and zoom, median ms (median KB) over the set\'s tiles:\n')
  console.log(`| layer | ${ZOOMS.map((z) => `z${z}`).join(' | ')} |`)
  console.log(`| --- | ${ZOOMS.map(() => '---').join(' | ')} |`)
  for (const l of TILE_LAYER_NAMES) {
    const cells = ZOOMS.map((z) => {
      const idx = tiles.map((t, i) => (t.layer === l && t.z === z ? i : -1)).filter((i) => i >= 0)
      return idx.length === 0 ? '–' : `${ms(median(idx.map((i) => sqlMs[i]!)))} (${r1(median(idx.map((i) => tiles[i]!.bytes)) / 1024)})`
    })
    if (cells.some((c) => c !== '–')) console.log(`| ${l} | ${cells.join(' | ')} |`)
  }
  console.log(`\nWarm cache: ${cacheStats.entries} entries, ${fmt(cacheStats.bytes)} bytes after one pass.`)
  console.log('\nTargets:')
  console.log(`- warm p99 ${ms(warmLoad.p99)} ms (target < ${TARGET_WARM_P99_MS} ms): ${mark(metWarmP99)}`)
  console.log(`- warm throughput ${fmt(warmLoad.rps)} req/s = ${warmShare.toFixed(2)} × the bare route's ${fmt(bareLoad.rps)} req/s (target ≥ ${TARGET_WARM_SHARE_OF_BARE}): ${mark(metShare)}`)
  console.log(`- cold tiles ${coldRatio.toFixed(2)} × the raw SQL time (sum over the set; target ≤ ${TARGET_COLD_RATIO}): ${mark(metCold)}`)
  console.log(JSON.stringify({
    bench: 'tiles',
    warm_rps: Math.round(warmLoad.rps),
    warm_p99_ms: r2(warmLoad.p99 ?? NaN),
    bare_rps: Math.round(bareLoad.rps),
    cold_ratio_vs_sql: r2(coldRatio),
    warm_p50_ms: r2(warmLoad.p50 ?? NaN),
    bare_p99_ms: r2(bareLoad.p99 ?? NaN),
    cold_rps: Math.round(coldLoad.rps),
    cold_p50_ms: r2(coldLoad.p50 ?? NaN),
    cold_p99_ms: r2(coldLoad.p99 ?? NaN),
    cold_ratio_median: r2(coldRatioMedian),
    sql_ms_sum: r1(seqSql),
    sql_ms_median: r2(median(sqlMs)),
    pg_ms_sum: r1(sum(pgMs)),
    cold_http_ms_sum: r1(sum(coldMs)),
    tiles: tiles.length,
    tile_bytes_mean: meanBytes,
    duration_s: DURATION,
    connections: CONNECTIONS,
    ...(combined ? {
      combined_tiles: combined.tiles.length,
      combined_cold_ratio_vs_sql: r2(sum(combined.coldMs) / sum(combined.sqlMs)),
      combined_cold_rps: combined.coldLoad ? Math.round(combined.coldLoad.rps) : null,
      combined_warm_rps: combined.warmLoad ? Math.round(combined.warmLoad.rps) : null,
      combined_warm_p99_ms: combined.warmLoad ? r2(combined.warmLoad.p99 ?? NaN) : null,
    } : {}),
  }))
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  agent.destroy()
  await db?.destroy().catch(() => {})
  await admin.end().catch(() => {})
  if (!keep) rmSync(work, { recursive: true, force: true })
}
