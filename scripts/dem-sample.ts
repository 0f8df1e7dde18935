/**
 * npm run dem:sample -- [--dir DIR] [--seed 20250701] [--bbox W,S,E,N] [--arc-seconds 1|3] [--force]
 *
 * Makes the SYNTHETIC sample DEM: 1″ .hgt.gz tiles over Sơn La (the bbox of
 * data/son-la/province.geojson: N20E103 … N22E105) from the REAL 0.1° mean-height grid
 * (data/dem/) plus seeded fractal detail, into <dataDir>/dem/synthetic/ (PHUSONG_DATA_DIR,
 * default ./.phusong). Tiles already there for the same seed are kept; cells with a real tile
 * are skipped. The logic is server/services/dem/synthetic-dem.ts (the app runs the same at start-up).
 */
import { join } from 'node:path'
import cliProgress from 'cli-progress'
import { Command, Option } from 'commander'
import { loadConfig } from '../server/config.ts'
import { ensureSyntheticDem, sampleSyntheticDemInputs } from '../server/services/dem/synthetic-dem.ts'
import { DEFAULT_TERRAIN_SEED } from '../server/geo/dem/synthesize-terrain.ts'
import { parseBboxOption } from './dem/parse-bbox-option.ts'

const program = new Command()
  .name('npm run dem:sample --')
  .description('Generate the SYNTHETIC sample DEM tiles (REAL 0.1° mean heights + seeded fractal detail).')
  .option('--dir <dir>', 'DEM folder (default <PHUSONG_DATA_DIR>/dem); tiles go to its synthetic/ sub-folder')
  .option('--seed <seed>', 'random seed', String(DEFAULT_TERRAIN_SEED))
  .option('--bbox <w,s,e,n>', 'area to cover in degrees (default: the bbox of the bundled Sơn La outline)')
  .addOption(new Option('--arc-seconds <n>', 'sample spacing').choices(['1', '3']).default('1'))
  .option('--force', 'make every tile again')

async function main(): Promise<number> {
  program.parse()
  const o = program.opts<{ dir?: string; seed: string; bbox?: string; arcSeconds: '1' | '3'; force?: boolean }>()
  const seed = Number(o.seed)
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    console.error(`--seed must be an integer 0…4294967295, got '${o.seed}'`)
    return 2
  }
  const config = loadConfig(process.env)
  const demDir = o.dir ?? join(config.dataDir, 'dem')
  const inputs = await sampleSyntheticDemInputs(config.sampleDir)
  const bbox = o.bbox ? parseBboxOption(o.bbox) : inputs.bbox

  const bar = new cliProgress.SingleBar({ format: 'synthesizing {bar} {value}/{total} tiles | {tile} {rows}', hideCursor: true }, cliProgress.Presets.shades_classic)
  let done = 0
  const report = await ensureSyntheticDem({
    demDir,
    coarseGridPath: inputs.coarseGridPath,
    bbox,
    seed,
    arcSeconds: o.arcSeconds === '3' ? 3 : 1,
    force: o.force,
    onProgress(e) {
      if (e.type === 'plan') {
        if (e.skipReal.length > 0) console.log(`real tiles present, not synthesized: ${e.skipReal.join(' ')}`)
        if (e.keep.length > 0) console.log(`already there (same seed): ${e.keep.join(' ')}`)
        if (e.generate.length > 0 && process.stderr.isTTY) bar.start(e.generate.length, 0, { tile: '', rows: '' })
      } else if (e.type === 'rows') {
        if (bar.isActive) bar.update(done, { tile: e.name, rows: `${Math.round((100 * e.rowsDone) / e.rows)} %` })
      } else {
        done++
        if (bar.isActive) bar.update(done, { tile: e.name, rows: '' })
        else console.log(`${e.file}  ${(e.bytes / 1e6).toFixed(1)} MB  ${e.seconds.toFixed(1)} s`)
      }
    },
  })
  bar.stop()
  console.log(
    `${report.generated.length} SYNTHETIC tile(s) written to ${report.dir} (${(report.bytes / 1e6).toFixed(0)} MB), ${report.kept.length} kept, ${report.skippedReal.length} skipped (real) in ${report.seconds.toFixed(1)} s; seed ${seed}`,
  )
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`dem:sample failed: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  },
)
