/**
 * npm run import -- --layer villages FILE [--dry-run] [--crs EPSG:3405] [--commune 03646] [--update]
 *
 * The command-line face of the import pipeline (server/services/import.service.ts):
 * the same code the upload endpoint runs. Prints a progress bar with rows/s,
 * then the report; exits 1 when the file was refused (nothing written).
 */
import { Command, Option } from 'commander'
import cliProgress from 'cli-progress'
import { loadConfig } from '../server/config.ts'
import { openDatabase } from '../server/db/connect.ts'
import { migrateToLatest } from '../server/db/migrate.ts'
import { AppError } from '../server/errors/error-catalogue.ts'
import { LAYER_NAMES, type LayerName } from '../server/import/layer-definition.ts'
import { SourceFormatError, type SourceFormat } from '../server/import/readers/types.ts'
import { ImportRejectedError, runImport, where, type ImportReport } from '../server/services/import.service.ts'

const program = new Command()
  .name('npm run import --')
  .description('Import a file (GeoJSON, CSV, KML/KMZ, zipped Shapefile, OpenCelliD CSV) into one layer, all or nothing.')
  .addOption(new Option('--layer <layer>', 'layer to import into').choices(LAYER_NAMES).makeOptionMandatory())
  .argument('<file>', 'the file to import')
  .option('--dry-run', 'check everything, write nothing')
  .option('--crs <crs>', "coordinate system of the file: EPSG:4326 (default), EPSG:4756, EPSG:3405, EPSG:3406, VN2000:TM3:<meridian or province, e.g. 104.75 or son-la>")
  .option('--commune <code>', 'commune code for rows that name none')
  .option('--update', 'change existing rows whose values differ (otherwise they are refused)')
  .option('--encoding <encoding>', 'text encoding of a CSV that is not UTF-8, e.g. windows-1258')
  .option('--format <format>', 'force the format: geojson, csv, kml, kmz, shapefile-zip, opencellid-csv')
  .option('--source-layer <name>', 'which shapefile of a zip that holds several')
  .option('--json', 'print the report as JSON')

async function main(): Promise<number> {
  program.parse()
  const [file] = program.args
  const opts = program.opts<{ layer: LayerName; dryRun?: boolean; crs?: string; commune?: string; update?: boolean; encoding?: string; format?: string; sourceLayer?: string; json?: boolean }>()
  const config = loadConfig(process.env)
  const handle = await openDatabase(config.database)
  const bar = new cliProgress.SingleBar({ format: 'importing {bar} {value} rows | {rate} rows/s', hideCursor: true, noTTYOutput: false }, cliProgress.Presets.shades_classic)
  const started = Date.now()
  let report: ImportReport | undefined
  try {
    await migrateToLatest(handle.db)
    if (process.stderr.isTTY && !opts.json) bar.start(0, 0, { rate: 0 })
    report = await runImport(handle.db, {
      layer: opts.layer, path: file!, crs: opts.crs, commune: opts.commune, update: opts.update, dryRun: opts.dryRun,
      encoding: opts.encoding, format: opts.format as SourceFormat | undefined, sourceLayer: opts.sourceLayer, actor: `cli:${process.env.USER ?? 'unknown'}`,
      onProgress: ({ rows }) => {
        if (!bar.isActive) return
        bar.setTotal(rows)
        bar.update(rows, { rate: Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000)) })
      },
    })
    return 0
  } catch (err) {
    if (err instanceof ImportRejectedError) {
      report = err.report
      return 1
    }
    if (err instanceof SourceFormatError || err instanceof AppError) {
      console.error(`\n${file}: ${err.message}`)
      return 1
    }
    throw err
  } finally {
    bar.stop()
    await handle.close()
    if (report) printReport(report, Boolean(opts.json))
  }
}

function printReport(r: ImportReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(r, null, 2))
    return
  }
  const out = r.errorCount > 0 ? console.error : console.log
  out(`\n${r.fileName} (${r.format}, ${r.crs}) → ${r.layer}: ${r.rows} rows in ${r.seconds.toFixed(1)} s (${Math.round(r.rows / Math.max(r.seconds, 0.001))} rows/s)`)
  for (const n of r.notes) out(`  note: ${n}`)
  for (const p of r.problems) out(`  ${p.severity === 'error' ? 'ERROR  ' : 'warning'} ${where(p)}${p.field ? ` ${p.field}` : ''}${p.value !== undefined ? ` = ${JSON.stringify(p.value)}` : ''}: ${p.reason}`)
  if (r.problems.length < r.errorCount + r.warningCount) out(`  … ${r.errorCount + r.warningCount - r.problems.length} more problems not listed`)
  if (r.errorCount > 0) out(`REFUSED: ${r.errorCount} error(s), ${r.warningCount} warning(s). Nothing was written.`)
  else if (r.dryRun) out(`DRY RUN: would add ${r.added}, change ${r.changed}, leave ${r.unchanged} unchanged; ${r.warningCount} warning(s). Nothing was written.`)
  else out(`IMPORTED: ${r.added} added, ${r.changed} changed, ${r.unchanged} unchanged; ${r.warningCount} warning(s).`)
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`Import failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(2)
})
