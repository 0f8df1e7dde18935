/**
 * npm run coverage:recompute -- [--radius M] [--date YYYY-MM-DD] [--technology 4G] [--full]
 *                               [--workers N] [--load-sample] [--json]
 *
 * Recompute of predicted coverage with the fast model (the service in
 * server/services/coverage/), over the DEM tiles in <PHUSONG_DATA_DIR>/dem
 * (`npm run dem:fetch` or `npm run dem:sample`). Incremental unless --full:
 * only sectors whose inputs changed since the current run are computed, only
 * the composite tiles they touch are rebuilt. Progress bar; Ctrl-C cancels and
 * leaves the previous coverage current. --load-sample first loads the bundled
 * Sơn La sample into an empty database; --json prints the report (with the
 * process's peak RSS) as one JSON line.
 */
import path from 'node:path'
import cliProgress from 'cli-progress'
import { Command } from 'commander'
import { loadConfig } from '../server/config.ts'
import { openDatabase } from '../server/db/connect.ts'
import type { Technology } from '../server/db/database.ts'
import { migrateToLatest } from '../server/db/migrate.ts'
import { recomputeCoverage } from '../server/services/coverage/recompute-coverage.service.ts'
import { openDemStore } from '../server/services/dem/dem-store.ts'
import { loadSampleIfEmpty } from '../server/services/sample-data.service.ts'

const program = new Command()
  .name('npm run coverage:recompute --')
  .option('--radius <m>', 'computation radius around each site, metres (default: by band and EIRP, at most 35 km)')
  .option('--date <date>', 'sites in service on this date (default today)')
  .option('--technology <tech>', '2G, 3G, 4G or 5G', '4G')
  .option('--full', 'compute every sector and build every tile (default: incremental)')
  .option('--workers <n>', 'worker threads (default: one per core; 0 = this thread)')
  .option('--load-sample', 'load the bundled Sơn La sample first if the database is empty')
  .option('--json', 'print the report as one JSON line')

async function main(): Promise<number> {
  program.parse()
  const o = program.opts<{ radius?: string; date?: string; technology: string; full?: boolean; workers?: string; loadSample?: boolean; json?: boolean }>()
  const config = loadConfig(process.env)
  const handle = await openDatabase(config.database)
  const dem = await openDemStore({ dir: path.join(config.dataDir, 'dem') })
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  const bar = new cliProgress.SingleBar({ format: 'coverage {bar} {value}/{total} sites + tiles', hideCursor: true }, cliProgress.Presets.shades_classic)
  try {
    await migrateToLatest(handle.db)
    let sampleSeconds = 0
    if (o.loadSample) {
      const t = performance.now()
      await loadSampleIfEmpty(handle.db, config.sampleDir)
      sampleSeconds = (performance.now() - t) / 1000
    }
    let started = false
    const report = await recomputeCoverage(handle.db, dem, {
      actor: `cli:${process.env.USER ?? 'unknown'}`, radiusM: o.radius === undefined ? undefined : Number(o.radius), onDate: o.date, technology: o.technology as Technology,
      full: o.full === true, workers: o.workers === undefined ? undefined : Number(o.workers),
      signal: controller.signal,
      onProgress: ({ done, total }) => {
        if (!process.stderr.isTTY || o.json) return
        if (!started) { bar.start(total, 0); started = true }
        bar.update(done)
      },
    })
    bar.stop()
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
    if (o.json) console.log(JSON.stringify({ ...report, sampleSeconds, peakRssMb }))
    else {
      console.log(`run ${report.runId} ${report.status} (${report.kind}): ${report.sectors} sectors at ${report.sites} sites, `
        + `${report.computedSectors} computed, ${report.builtTiles} of ${report.tiles} composite tiles built, `
        + `${report.fallbackSectors} on the radius model (no DEM), in ${report.seconds.toFixed(1)} s; peak RSS ${peakRssMb} MB`)
    }
    return report.status === 'done' ? 0 : 1
  } finally {
    bar.stop()
    await dem.close()
    await handle.close()
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`Coverage recompute failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(2)
})
