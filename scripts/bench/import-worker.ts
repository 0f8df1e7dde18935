/**
 * One engine's side of `npm run bench:import`, run as its own process so its
 * peak RSS is its own: opens the database (embedded data dir or a server
 * schema), makes sure the Sơn La sample is loaded (the villages refer to its
 * communes), imports the given files with the real pipeline, and prints one
 * JSON line with the seconds per file and the process's peak RSS.
 */
import { loadConfig } from '../../server/config.ts'
import { openDatabase } from '../../server/db/connect.ts'
import { migrateToLatest } from '../../server/db/migrate.ts'
import type { LayerName } from '../../server/import/layer-definition.ts'
import { runImport } from '../../server/services/import.service.ts'
import { loadSampleIfEmpty } from '../../server/services/sample-data.service.ts'

const [engine, target, ...jobs] = process.argv.slice(2)
const env = engine === 'server' ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: target } : { DATABASE_URL: '', PHUSONG_DATA_DIR: target }
const config = loadConfig({ ...env, LOG_LEVEL: 'silent' })
const handle = await openDatabase(config.database)
await migrateToLatest(handle.db)
await loadSampleIfEmpty(handle.db, config.sampleDir)
const results: Array<{ layer: string; rows: number; seconds: number }> = []
for (const job of jobs) {
  const [layer, file] = job.split('=') as [LayerName, string]
  const started = performance.now()
  const report = await runImport(handle.db, { layer, path: file, actor: 'bench' })
  results.push({ layer, rows: report.rows, seconds: (performance.now() - started) / 1000 })
}
await handle.close()
console.log(JSON.stringify({ engine, results, peakRssMb: process.resourceUsage().maxRSS / 1024 }))
