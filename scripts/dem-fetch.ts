/**
 * npm run dem:fetch -- [--bbox W,S,E,N] [--mirror URL] [--dir DIR] [--concurrency 4] [--recheck-absent]
 *
 * Downloads REAL SRTM tiles (1°, .hgt.gz) covering a bbox from a public mirror, default the AWS
 * terrain tiles in the skadi layout, into <dataDir>/dem/ (PHUSONG_DATA_DIR, default ./.phusong):
 * resumable, sha256-checked, tiles the mirror lacks (sea) recorded as absent. The default bbox is
 * the bundled Sơn La outline's. The logic is server/services/dem/dem-fetch.ts.
 */
import { join } from 'node:path'
import cliProgress from 'cli-progress'
import { Command } from 'commander'
import { loadConfig } from '../server/config.ts'
import { fetchDemTiles, SKADI_MIRROR, type FetchDemReport } from '../server/services/dem/dem-fetch.ts'
import { sampleSyntheticDemInputs } from '../server/services/dem/synthetic-dem.ts'
import { parseBboxOption } from './dem/parse-bbox-option.ts'

const program = new Command()
  .name('npm run dem:fetch --')
  .description('Download SRTM elevation tiles for a bbox (resumable, checksummed).')
  .option('--bbox <w,s,e,n>', 'area in degrees, e.g. 103,20.5,105.2,22 (default: the bundled Sơn La outline)')
  .option('--mirror <url>', `base URL in the skadi layout, or a template with {name} and {lat}`, SKADI_MIRROR)
  .option('--dir <dir>', 'DEM folder (default <PHUSONG_DATA_DIR>/dem)')
  .option('--concurrency <n>', 'tiles downloaded at the same time', '4')
  .option('--retries <n>', 'further attempts after a failed one', '4')
  .option('--recheck-absent', 'ask the mirror again for tiles recorded as absent (sea)')

async function main(): Promise<number> {
  program.parse()
  const o = program.opts<{ bbox?: string; mirror: string; dir?: string; concurrency: string; retries: string; recheckAbsent?: boolean }>()
  const config = loadConfig(process.env)
  const dir = o.dir ?? join(config.dataDir, 'dem')
  const bbox = o.bbox ? parseBboxOption(o.bbox) : (await sampleSyntheticDemInputs(config.sampleDir)).bbox

  const bar = new cliProgress.SingleBar(
    { format: 'fetching {bar} {mb}/{totalMb} MB | {tiles}/{tileCount} tiles | {speed} MB/s', hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  const started = Date.now()
  let tileCount = 0
  let tilesDone = 0
  let received = 0
  // Per tile seen so far: bytes received in this run and bytes expected (null while unknown).
  const seen = new Map<string, { received: number; total: number | null }>()
  const expected = (): number => {
    let sum = 0
    const totals: number[] = []
    for (const t of seen.values()) {
      sum += Math.max(t.received, t.total ?? t.received)
      if (t.total !== null && t.total > 0) totals.push(t.total)
    }
    const mean = totals.length > 0 ? totals.reduce((a, b) => a + b, 0) / totals.length : 12e6
    return sum + Math.max(0, tileCount - seen.size) * mean
  }
  const redraw = (): void => {
    if (!bar.isActive) return
    const total = Math.max(received, expected())
    bar.setTotal(Math.max(1, Math.round(total)))
    bar.update(received, {
      mb: (received / 1e6).toFixed(1),
      totalMb: (total / 1e6).toFixed(0),
      tiles: tilesDone,
      tileCount,
      speed: (received / 1e6 / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1),
    })
  }
  const interactive = Boolean(process.stderr.isTTY)
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort(new Error('interrupted: run the same command again to resume')))

  let report: FetchDemReport
  try {
    report = await fetchDemTiles({
      bbox,
      dir,
      mirror: o.mirror,
      concurrency: Number(o.concurrency),
      retries: Number(o.retries),
      recheckAbsent: o.recheckAbsent,
      signal: controller.signal,
      onEvent(e) {
        if (e.type === 'plan') {
          tileCount = e.tiles.length
          console.log(`${tileCount} tile(s) for bbox [${bbox.join(', ')}] from ${o.mirror} into ${dir}`)
          if (interactive) bar.start(1, 0, { mb: '0', totalMb: '?', tiles: 0, tileCount, speed: '0' })
        } else if (e.type === 'start') {
          const t = seen.get(e.name)
          seen.set(e.name, { received: t?.received ?? 0, total: e.total === null ? null : (t?.received ?? 0) + e.total - e.resumeFrom })
        } else if (e.type === 'bytes') {
          received += e.delta
          const t = seen.get(e.name)
          if (t) t.received += e.delta
        } else if (e.type === 'retry') {
          if (!bar.isActive) console.log(`${e.name}: retry ${e.attempt} (${e.reason})`)
        } else {
          tilesDone++
          const t = seen.get(e.result.name)
          seen.set(e.result.name, { received: t?.received ?? 0, total: t?.received ?? 0 })
          if (!bar.isActive && e.result.status !== 'failed') console.log(`${e.result.name}: ${e.result.status}${e.result.notes.length > 0 ? ` (${e.result.notes.join('; ')})` : ''}`)
        }
        redraw()
      },
    })
  } finally {
    bar.stop()
  }
  // Without a terminal every tile was already logged as it ended: list only the failures again.
  for (const t of report.tiles) {
    const note = t.notes.length > 0 ? ` (${t.notes.join('; ')})` : ''
    if (t.status === 'failed') console.error(`  FAILED   ${t.name}: ${t.error}${note}`)
    else if (interactive) console.log(`  ${t.status.padEnd(10)} ${t.name}${t.file ? `  ${t.file}` : ''}${note}`)
  }
  console.log(
    `${report.downloaded} downloaded, ${report.verified} verified, ${report.absent} absent (sea), ${report.failed} failed; ${(report.bytes / 1e6).toFixed(1)} MB in ${report.seconds.toFixed(1)} s`,
  )
  return report.failed > 0 ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`dem:fetch failed: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(err instanceof RangeError ? 2 : 1)
  },
)
