/**
 * npm run bench:import — import 100,000 villages and 100,000 sites
 * (generated GeoJSON, `npm run generate`) with the real pipeline (validation
 * on) into the PostGIS server and into the embedded engine; side by side,
 * load the same files into the same server with GDAL's ogr2ogr (COPY, no
 * validation). Prints seconds, rows/s, peak RSS, our time / ogr2ogr time,
 * and one JSON line. Targets (issue 3): ratio ≤ 1.5, peak RSS ≤ 500 MB.
 *
 * Needs DATABASE_URL (a PostGIS server) and ogr2ogr (Debian gdal-bin).
 * Options: --villages N --sites N (default 100000 each).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { arg } from './bench/args.ts'

const villages = Number(arg('villages', '100000'))
const sites = Number(arg('sites', '100000'))
const url = process.env.DATABASE_URL
if (!url) throw new Error('bench:import needs DATABASE_URL (a PostGIS server) for the server engine and ogr2ogr')
const tsx = path.resolve('node_modules/.bin/tsx')
const work = mkdtempSync(path.join(tmpdir(), 'phusong-bench-import-'))
const files = path.join(work, 'files')

function worker(engine: 'server' | 'embedded', target: string) {
  const run = spawnSync(tsx, ['scripts/bench/import-worker.ts', engine, target, `villages=${files}/villages.geojson`, `sites=${files}/sites.geojson`], {
    env: { ...process.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  })
  if (run.status !== 0) throw new Error(`${engine} import failed:\n${run.stderr}\n${run.stdout.slice(-4000)}`)
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { results: Array<{ layer: string; rows: number; seconds: number }>; peakRssMb: number }
}

const admin = new pg.Client({ connectionString: url })
await admin.connect()
const schema = `phusong_bench_${process.pid}`
const ogrSchema = `${schema}_ogr`
try {
  console.log(`generating ${villages} villages and ${sites} sites (synthetic)…`)
  execFileSync(tsx, ['scripts/generate.ts', '--villages', String(villages), '--sites', String(sites), '--out', files], { stdio: 'inherit' })
  await admin.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public')
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.query(`CREATE SCHEMA ${ogrSchema}`)

  const server = worker('server', schema)
  const embeddedDir = path.join(work, 'embedded')
  const embedded = worker('embedded', embeddedDir)

  const pgUrl = new URL(url)
  const pgConn = `PG:host=${pgUrl.hostname} port=${pgUrl.port || 5432} dbname=${pgUrl.pathname.slice(1)} user=${decodeURIComponent(pgUrl.username || 'postgres')}${pgUrl.password ? ` password=${decodeURIComponent(pgUrl.password)}` : ''} active_schema=${ogrSchema}`
  const ogr: Array<{ layer: string; seconds: number }> = []
  for (const layer of ['villages', 'sites']) {
    if (!existsSync(path.join(files, `${layer}.geojson`))) throw new Error(`missing ${layer}.geojson`)
    const started = performance.now()
    execFileSync('ogr2ogr', ['-f', 'PostgreSQL', pgConn, path.join(files, `${layer}.geojson`), '-nln', `ogr_${layer}`, '-lco', 'GEOMETRY_NAME=geom', '-lco', 'SPATIAL_INDEX=GIST', '-overwrite'], { stdio: 'inherit' })
    ogr.push({ layer, seconds: (performance.now() - started) / 1000 })
  }

  const total = (rs: Array<{ seconds: number }>) => rs.reduce((s, r) => s + r.seconds, 0)
  const rows = villages + sites
  console.log('\n| engine | villages s | sites s | total s | rows/s | peak RSS MB |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const [name, r] of [['phusong → server', server], ['phusong → embedded', embedded]] as const) {
    console.log(`| ${name} | ${r.results[0]!.seconds.toFixed(1)} | ${r.results[1]!.seconds.toFixed(1)} | ${total(r.results).toFixed(1)} | ${Math.round(rows / total(r.results))} | ${Math.round(r.peakRssMb)} |`)
  }
  console.log(`| ogr2ogr → server | ${ogr[0]!.seconds.toFixed(1)} | ${ogr[1]!.seconds.toFixed(1)} | ${total(ogr).toFixed(1)} | ${Math.round(rows / total(ogr))} | – |`)
  const ratio = total(server.results) / total(ogr)
  const peak = Math.max(server.peakRssMb, embedded.peakRssMb)
  console.log(`\nratio phusong/ogr2ogr on the server: ${ratio.toFixed(2)} (target ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'MISSED'})`)
  console.log(`peak RSS: ${Math.round(peak)} MB (target ≤ 500 MB: ${peak <= 500 ? 'met' : 'MISSED'})`)
  console.log(JSON.stringify({
    bench: 'import', rows, seconds_server: Number(total(server.results).toFixed(2)), seconds_embedded: Number(total(embedded.results).toFixed(2)),
    seconds_ogr2ogr: Number(total(ogr).toFixed(2)), ratio_vs_ogr2ogr: Number(ratio.toFixed(2)), peak_rss_mb: Math.round(peak),
    peak_rss_mb_server: Math.round(server.peakRssMb), peak_rss_mb_embedded: Math.round(embedded.peakRssMb),
  }))
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {})
  await admin.query(`DROP SCHEMA IF EXISTS ${ogrSchema} CASCADE`).catch(() => {})
  await admin.end()
  rmSync(work, { recursive: true, force: true })
}
