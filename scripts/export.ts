/**
 * npm run export -- --layer villages --format csv [--commune 03646] [--bbox minLon,minLat,maxLon,maxLat] [--status existing] [--out FILE]
 *
 * The command-line face of the export service (the same code as GET /api/export/{layer}).
 * Writes to --out, or to standard output.
 */
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { Command, Option } from 'commander'
import { loadConfig } from '../server/config.ts'
import { openDatabase } from '../server/db/connect.ts'
import { migrateToLatest } from '../server/db/migrate.ts'
import { LAYER_NAMES, type LayerName } from '../server/import/layer-definition.ts'
import { parseBbox } from '../server/routes/common/query-parsing.ts'
import { EXPORT_FORMATS, exportStream, type ExportFormat } from '../server/services/export.service.ts'

const program = new Command()
  .name('npm run export --')
  .description('Export a layer as GeoJSON, CSV (UTF-8 with BOM) or KML.')
  .addOption(new Option('--layer <layer>', 'layer to export').choices(LAYER_NAMES).makeOptionMandatory())
  .addOption(new Option('--format <format>', 'file format').choices(EXPORT_FORMATS).default('geojson'))
  .option('--commune <code>', 'only this commune')
  .option('--bbox <bbox>', 'only inside minLon,minLat,maxLon,maxLat')
  .option('--status <list>', 'only these statuses (comma-separated)')
  .option('--out <file>', 'write here instead of standard output')

async function main(): Promise<void> {
  program.parse()
  const o = program.opts<{ layer: LayerName; format: ExportFormat; commune?: string; bbox?: string; status?: string; out?: string }>()
  const handle = await openDatabase(loadConfig(process.env).database)
  try {
    await migrateToLatest(handle.db)
    const stream = exportStream(handle.db, o.layer, o.format, {
      commune: o.commune, bbox: parseBbox(o.bbox), status: o.status?.split(',').map((s) => s.trim()).filter(Boolean),
    })
    await pipeline(stream, o.out ? createWriteStream(o.out) : process.stdout)
  } finally {
    await handle.close()
  }
}

main().catch((err: unknown) => {
  console.error(`Export failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
