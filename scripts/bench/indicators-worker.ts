/**
 * One engine × dataset of `npm run bench:indicators`, in its own process: opens the database
 * (embedded data dir or server schema), loads the Sơn La sample, optionally replaces its villages
 * and sites by generated ones (with three sectors per site), recomputes coverage (not measured:
 * "once coverage exists"), then times the province's indicators. Prints one JSON line.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { loadConfig } from '../../server/config.ts'
import { openDatabase } from '../../server/db/connect.ts'
import { migrateToLatest } from '../../server/db/migrate.ts'
import { recomputeCoverage } from '../../server/services/coverage/recompute-coverage.service.ts'
import { openDemStore } from '../../server/services/dem/dem-store.ts'
import { runImport } from '../../server/services/import.service.ts'
import { computeIndicators } from '../../server/services/indicators/indicators.service.ts'
import { loadSampleIfEmpty } from '../../server/services/sample-data.service.ts'

const [engine, target, demDir, generatedDir, runsArg, onDate, since] = process.argv.slice(2) as [string, string, string, string, string, string, string]
const env = engine === 'server' ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: target } : { DATABASE_URL: '', PHUSONG_DATA_DIR: target }
const config = loadConfig({ ...env, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '0' })
const handle = await openDatabase(config.database)
const dem = await openDemStore({ dir: demDir })
try {
  await migrateToLatest(handle.db)
  await loadSampleIfEmpty(handle.db, config.sampleDir)
  if (generatedDir !== '-') {
    // The generated province: villages and sites spread over the sample's communes, three sectors a site.
    await sql`TRUNCATE villages, sites, sectors, village_status_reports, measurements RESTART IDENTITY CASCADE`.execute(handle.db)
    await runImport(handle.db, { layer: 'villages', path: path.join(generatedDir, 'villages.geojson'), actor: 'bench' })
    await runImport(handle.db, { layer: 'sites', path: path.join(generatedDir, 'sites.geojson'), actor: 'bench' })
    const sites = await handle.db.selectFrom('sites as s').innerJoin('operators as o', 'o.id', 's.operator_id').select(['s.code', 'o.code as operator']).execute()
    const lines = ['site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain']
    for (const s of sites) for (const az of [0, 120, 240]) lines.push(`${s.code},${s.operator},4G,1800,${az},65,30,60,17`)
    const file = path.join(generatedDir, `sectors-${engine}.csv`)
    writeFileSync(file, `${lines.join('\n')}\n`)
    await runImport(handle.db, { layer: 'sectors', path: file, actor: 'bench' })
  }
  const counts = await sql<{ villages: number; sites: number; sectors: number; communes: number }>`
    SELECT (SELECT count(*) FROM villages) AS villages, (SELECT count(*) FROM sites) AS sites,
           (SELECT count(*) FROM sectors) AS sectors, (SELECT count(*) FROM communes) AS communes`.execute(handle.db)
  const recomputeStarted = performance.now()
  const run = await recomputeCoverage(handle.db, dem, { actor: 'bench', radiusM: 10_000, onDate, full: true })
  const recomputeSeconds = (performance.now() - recomputeStarted) / 1000
  const province = (await sql<{ id: number }>`SELECT id FROM provinces ORDER BY id LIMIT 1`.execute(handle.db)).rows[0]!.id
  // The indicators on one date (what a province reports), then with the change since an earlier date.
  const measure = async (withSince: boolean) => {
    const times: number[] = []
    let covered = 0
    for (let i = 0; i <= Number(runsArg); i++) {
      const started = performance.now()
      const report = await computeIndicators(handle.db, { provinceId: province, onDate, since: withSince ? since : undefined })
      const ms = performance.now() - started
      if (i > 0) times.push(ms) // the first call warms caches and JIT
      covered = report.total.find((f) => f.key === 'villages_covered')!.value
    }
    times.sort((a, b) => a - b)
    return { medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, maxMs: times[times.length - 1]!, covered }
  }
  const onDay = await measure(false)
  const withChange = await measure(true)
  console.log(JSON.stringify({
    engine, counts: Object.fromEntries(Object.entries(counts.rows[0]!).map(([k, v]) => [k, Number(v)])), recomputeSeconds, runStatus: run.status,
    medianMs: onDay.medianMs, minMs: onDay.minMs, maxMs: onDay.maxMs, covered: onDay.covered, withChangeMs: withChange.medianMs,
  }))
} finally {
  await dem.close()
  await handle.close()
}
