/**
 * npm run coverage:recompute -- [--radius 10000] [--date YYYY-MM-DD] [--technology 4G]
 *
 * Full recompute of predicted coverage with the fast model (the service in
 * server/services/coverage/), over the DEM tiles in <PHUSONG_DATA_DIR>/dem
 * (`npm run dem:fetch` or `npm run dem:sample`). Progress bar; Ctrl-C cancels
 * and leaves the previous coverage current.
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

const program = new Command()
  .name('npm run coverage:recompute --')
  .option('--radius <m>', 'computation radius around each site, metres', '10000')
  .option('--date <date>', 'sites in service on this date (default today)')
  .option('--technology <tech>', '2G, 3G, 4G or 5G', '4G')

async function main(): Promise<number> {
  program.parse()
  const o = program.opts<{ radius: string; date?: string; technology: string }>()
  const config = loadConfig(process.env)
  const handle = await openDatabase(config.database)
  const dem = await openDemStore({ dir: path.join(config.dataDir, 'dem') })
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  const bar = new cliProgress.SingleBar({ format: 'coverage {bar} {value}/{total} sites', hideCursor: true }, cliProgress.Presets.shades_classic)
  try {
    await migrateToLatest(handle.db)
    let started = false
    const report = await recomputeCoverage(handle.db, dem, {
      actor: `cli:${process.env.USER ?? 'unknown'}`, radiusM: Number(o.radius), onDate: o.date, technology: o.technology as Technology,
      signal: controller.signal,
      onProgress: ({ done, total }) => {
        if (!process.stderr.isTTY) return
        if (!started) { bar.start(total, 0); started = true }
        bar.update(done)
      },
    })
    bar.stop()
    console.log(`run ${report.runId} ${report.status}: ${report.sectors} sectors at ${report.sites} sites, ${report.tiles} composite tiles in ${report.seconds.toFixed(1)} s`)
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
