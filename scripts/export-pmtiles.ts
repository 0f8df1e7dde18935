/**
 * npm run export:pmtiles -- [--province 14] [--min-zoom 6] [--max-zoom 14] [--out FILE]
 *                           [--encoder postgis|node] [--concurrency N] [--json]
 *
 * The public map (communes, villages, existing and decommissioned sites, predicted 4G
 * coverage: the layers of /tiles) of a province, or of all communes, as one PMTiles v3
 * archive for offline use; MapLibre reads it with the `pmtiles` protocol (see README.md).
 * The service is server/services/tiles/pmtiles-export.service.ts. On an empty embedded
 * database the bundled Sơn La sample is loaded first (as at server start; LOAD_SAMPLE=false
 * turns it off). Progress bar on a terminal; --json prints the report as one JSON line.
 */
import path from 'node:path'
import cliProgress from 'cli-progress'
import { Command, InvalidArgumentError, Option } from 'commander'
import { loadConfig } from '../server/config.ts'
import { openDatabase } from '../server/db/connect.ts'
import { migrateToLatest } from '../server/db/migrate.ts'
import { loadSampleIfEmpty } from '../server/services/sample-data.service.ts'
import {
  DEFAULT_PMTILES_MAX_ZOOM, DEFAULT_PMTILES_MIN_ZOOM, exportPublicPmtiles, PmtilesExportError,
} from '../server/services/tiles/pmtiles-export.service.ts'
import { MAX_TILE_ZOOM } from '../server/services/tiles/tile-layers.ts'
import { defaultEncoder, type TileEncoder } from '../server/services/tiles/tiles.service.ts'

function zoom(value: string): number {
  const z = Number(value)
  if (!Number.isInteger(z) || z < 0 || z > MAX_TILE_ZOOM) throw new InvalidArgumentError(`a zoom from 0 to ${MAX_TILE_ZOOM}`)
  return z
}

function positive(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer')
  return n
}

const program = new Command()
  .name('npm run export:pmtiles --')
  .description('Export the public map of a province (or of all communes) as a PMTiles v3 archive.')
  .option('--province <code>', 'two-digit province code (default: all communes)')
  .option('--min-zoom <z>', 'lowest zoom', zoom, DEFAULT_PMTILES_MIN_ZOOM)
  .option('--max-zoom <z>', 'highest zoom', zoom, DEFAULT_PMTILES_MAX_ZOOM)
  .option('--out <file>', 'archive to write (default: phusong-<province|all>.pmtiles)')
  .addOption(new Option('--encoder <encoder>', 'tile encoder (default: postgis on a server, node embedded)').choices(['postgis', 'node']))
  .option('--concurrency <n>', 'tiles rendered at once', positive, 4)
  .option('--json', 'print the report as one JSON line')

async function main(): Promise<number> {
  program.parse()
  const o = program.opts<{ province?: string; minZoom: number; maxZoom: number; out?: string; encoder?: TileEncoder; concurrency: number; json?: boolean }>()
  if (o.minZoom > o.maxZoom) throw new PmtilesExportError(`--min-zoom ${o.minZoom} is above --max-zoom ${o.maxZoom}`)
  const out = path.resolve(o.out ?? `phusong-${o.province ?? 'all'}.pmtiles`)
  const config = loadConfig(process.env)
  const handle = await openDatabase(config.database)
  const bar = new cliProgress.SingleBar({ format: 'pmtiles {bar} {value}/{total} tiles (z{z})', hideCursor: true }, cliProgress.Presets.shades_classic)
  const showBar = process.stderr.isTTY && !o.json
  let started = false
  try {
    await migrateToLatest(handle.db)
    if (config.loadSample) await loadSampleIfEmpty(handle.db, config.sampleDir)
    const report = await exportPublicPmtiles(handle.db, o.encoder ?? defaultEncoder(handle.engine), {
      provinceCode: o.province, minZoom: o.minZoom, maxZoom: o.maxZoom, out, concurrency: o.concurrency,
      onProgress: ({ done, total, z }) => {
        if (!showBar) return
        if (!started) { bar.start(total, 0, { z }); started = true }
        bar.update(done, { z })
      },
    })
    bar.stop()
    if (o.json) console.log(JSON.stringify(report))
    else {
      const zooms = Object.entries(report.perZoom).map(([z, n]) => `z${z} ${n}`).join(', ')
      console.log(`${report.out}: ${report.name}, ${report.tiles} tiles (${report.uniqueContents} distinct) of ${report.candidates} looked at, `
        + `${(report.bytes / 1024 / 1024).toFixed(1)} MiB, in ${report.seconds.toFixed(1)} s\n  ${zooms}`)
    }
    return 0
  } finally {
    bar.stop()
    await handle.close()
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`PMTiles export failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(err instanceof PmtilesExportError ? 1 : 2)
})
