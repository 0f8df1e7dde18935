/**
 * npm run bench:coverage — issue 4's benchmark: one sector at 10, 20 and 35 km radius on a
 * 1″ (≈ 30 m) DEM, our fast model (`siteSweep` + the antenna pattern, as the recompute runs it) and our ITM along the radials
 * (`sectorItmRaster`), side by side in the same run, on the same DEM and site, with GDAL's
 * `gdal_viewshed` (line of sight only) and SPLAT! HD (`splat-hd -olditm -L 1.5 -R <km> -metric`).
 * Prints a markdown table (our time / theirs), the cells each side computes, where the fast
 * model's time goes, notes, and one JSON line. Targets (issue 4): fast model faster than
 * gdal_viewshed (ratio < 1.0); ITM at least as fast as SPLAT! on the same points (ratio ≤ 1.0).
 *
 * The DEM is SYNTHETIC (server/geo/dem/synthesize-terrain.ts: the REAL 0.1° mean heights plus
 * seeded detail), generated into a temporary folder before anything is measured: `.hgt` tiles
 * for us (read through the DEM store and its mosaic sampler, as the recompute does) and for
 * SPLAT! (`srtm2sdf-hd`), and the same tiles warped to a local transverse Mercator grid with our
 * cell size for gdal_viewshed (which needs projected coordinates).
 *
 * Needs gdal-bin (gdal_viewshed, gdalbuildvrt, gdalwarp) and splat (`apt-get install splat`);
 * a missing tool leaves its columns empty and its ratio null.
 * Options: --radii 10,20,35  --itm-radii 10,20,35  --runs 3 (fast model, median)
 *          --gdal-runs 5 (median)  --splat-runs 1 (median)  --splat-ano (count SPLAT!'s points
 *          with an extra, untimed run writing its -ano file)  --work DIR (keep and reuse the DEM)
 *          --no-province (skip the full Sơn La recompute)  --province-radius 10000  --province-date 2026-11-01
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'
import { metresPerDegree, windowAround, type RasterGrid } from '../server/geo/coverage/raster-grid.ts'
import { sectorItmRaster, type SectorItmParameters } from '../server/geo/coverage/sector-itm-raster.ts'
import { eirpPerResourceElement, type SectorRadio } from '../server/geo/coverage/sector-rsrp-raster.ts'
import { sectorRsrpFromSiteSweep, siteSweep } from '../server/geo/coverage/site-sweep.ts'
import { heightWindowFromTiles, postsForRaster } from '../server/geo/dem/height-window.ts'
import { encodeHgt } from '../server/geo/dem/encode-hgt.ts'
import { hgtTilesForBbox, type DemBbox } from '../server/geo/dem/hgt-tile-name.ts'
import { createSyntheticTerrain, DEFAULT_TERRAIN_SEED, synthesizeTile } from '../server/geo/dem/synthesize-terrain.ts'
import { parseAsciiGrid } from '../server/geo/parse-ascii-grid.ts'
import { openDemStore } from '../server/services/dem/dem-store.ts'
import { COARSE_DEM_FILE, ensureSyntheticDem, sampleSyntheticDemInputs } from '../server/services/dem/synthetic-dem.ts'
import { loadConfig } from '../server/config.ts'
import { arg } from './bench/args.ts'

const kmList = (s: string) => s.split(',').map(Number).filter((n) => n > 0)
const RADII_KM = kmList(arg('radii', '10,20,35'))
const ITM_RADII_KM = kmList(arg('itm-radii', '10,20,35'))
const RUNS = Number(arg('runs', '3'))
const GDAL_RUNS = Number(arg('gdal-runs', '5'))
const SPLAT_RUNS = Number(arg('splat-runs', '1'))
const SPLAT_ANO = process.argv.includes('--splat-ano')
/** The province recompute: radius around every site and the date whose sites are in service. */
const PROVINCE_RADIUS_M = Number(arg('province-radius', '10000'))
const PROVINCE_DATE = arg('province-date', '2026-11-01')

/** The site: a ridge-side position in Sơn La; 35 km around it needs N21E103 and N21E104. */
const SITE = { lon: 103.95, lat: 21.33 }
const RECEIVER_HEIGHT_M = 1.5
const RADIO: SectorRadio = {
  antenna: { gainDbi: 17, azimuthDeg: 120, horizontalBeamwidthDeg: 65, electricalTiltDeg: 4 },
  heightM: 30, frequencyMhz: 1800, eirpDbm: 61, bandwidthMhz: 20,
}
/** ITM parameters, the same on both sides (SPLAT!'s .lrp file is written from them; it uses mdvar 12 itself). */
const ITM: SectorItmParameters = {
  climate: 2, n0: 301, polarization: 1, epsilon: 15, sigma: 0.005, mdvar: 12, timePct: 50, locationPct: 50, situationPct: 50,
}

const log = (message: string) => process.stderr.write(`${message}\n`)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const round2 = (n: number) => Math.round(n * 100) / 100
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

function run(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}${r.stdout.slice(-2000)}`)
}

/** A whole process, timed from spawn to exit, with the time each chunk of its stdout arrived (for SPLAT!'s phases). */
function runTimed(cmd: string, args: string[], cwd: string): Promise<{ ms: number; marks: Array<{ ms: number; text: string }> }> {
  return new Promise((resolve, reject) => {
    const marks: Array<{ ms: number; text: string }> = []
    let stderr = ''
    const started = performance.now()
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (chunk: Buffer) => marks.push({ ms: performance.now() - started, text: chunk.toString('utf8') }))
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8') })
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${stderr}${marks.map((m) => m.text).join('').slice(-2000)}`))
      else resolve({ ms, marks })
    })
  })
}

/**
 * HOOK — province recompute (issue 4): fill in when the full Sơn La recompute is ready. Time the
 * recompute of every sector of the Sơn La sample (as `npm run coverage:recompute` runs it, in its
 * own process so its peak RSS is its own) and return its wall time in seconds and its peak RSS in
 * MB. Until then it returns null and the JSON line prints null for both.
 */
interface ProvinceRun { seconds: number; peakRssMb: number; sectors: number; sites: number; computedSectors: number; builtTiles: number; tiles: number; phases: Record<string, number>; processSeconds: number }

/**
 * The full recompute of the Sơn La sample as a user runs it: `npm run coverage:recompute` in its
 * own process (so its peak RSS is its own), embedded database, the SYNTHETIC 1″ sample DEM over
 * the province, PROVINCE_RADIUS_M around each site, workers = cores. Then the same command again
 * with nothing changed (incremental: nothing to compute). The DEM generation and the sample load
 * are outside the measurement (the report's own clock starts after them).
 */
async function measureProvinceRecompute(): Promise<{ full: ProvinceRun; unchanged: ProvinceRun } | null> {
  if (process.argv.includes('--no-province')) return null
  const dataDir = path.join(work, 'province')
  const config = loadConfig(process.env)
  const inputs = await sampleSyntheticDemInputs(config.sampleDir)
  const prep = performance.now()
  await ensureSyntheticDem({ demDir: path.join(dataDir, 'dem'), coarseGridPath: inputs.coarseGridPath, bbox: inputs.bbox, seed: DEFAULT_TERRAIN_SEED, arcSeconds: 1 })
  log(`province DEM ready in ${((performance.now() - prep) / 1000).toFixed(1)} s (not measured)`)
  rmSync(path.join(dataDir, 'pgdata'), { recursive: true, force: true })
  const run = (extra: string[]): ProvinceRun => {
    const started = performance.now()
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/coverage-recompute.ts', '--json', '--radius', String(PROVINCE_RADIUS_M), '--date', PROVINCE_DATE, ...extra], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PHUSONG_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    })
    if (r.status !== 0) throw new Error(`coverage:recompute failed (${r.status ?? r.signal}):\n${r.stderr}${r.stdout}`)
    const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop()!
    const report = JSON.parse(line) as Omit<ProvinceRun, 'processSeconds'>
    return { ...report, processSeconds: (performance.now() - started) / 1000 }
  }
  const full = run(['--load-sample', '--full'])
  log(`province full recompute: ${full.seconds.toFixed(1)} s, peak RSS ${full.peakRssMb} MB`)
  const unchanged = run([])
  log(`province incremental recompute (nothing changed): ${unchanged.seconds.toFixed(1)} s`)
  return { full, unchanged }
}

const m = metresPerDegree(SITE.lat)
const ARC = 1 / 3600
/** Our cell (1″ × 1″) in metres at the site, as the sweep measures it. */
const CELL_X = ARC * m.lon
const CELL_Y = ARC * m.lat
const maxKm = Math.max(...RADII_KM, ...ITM_RADII_KM)
const bboxFor = (radiusM: number): DemBbox => [SITE.lon - radiusM / m.lon, SITE.lat - radiusM / m.lat, SITE.lon + radiusM / m.lon, SITE.lat + radiusM / m.lat]

const keep = process.argv.includes('--work')
const work = keep ? path.resolve(arg('work', '')) : mkdtempSync(path.join(tmpdir(), 'phusong-bench-coverage-'))
const demDir = path.join(work, 'dem')
const sdfDir = path.join(work, 'sdf')
const splatDir = path.join(work, 'splat')
const gdalDir = path.join(work, 'gdal')
for (const d of [demDir, sdfDir, splatDir, gdalDir]) mkdirSync(d, { recursive: true })
const hasGdal = ['gdal_viewshed', 'gdalbuildvrt', 'gdalwarp', 'gdalinfo'].every(has)
const hasSplat = ['splat-hd', 'srtm2sdf-hd'].every(has)

try {
  // ---- The DEM (not measured) ------------------------------------------------------------------
  const prepStarted = performance.now()
  const tileNames = hgtTilesForBbox(bboxFor(maxKm * 1000 + 100))
  const missing = tileNames.filter((n) => !existsSync(path.join(demDir, `${n}.hgt`)))
  if (missing.length > 0) {
    log(`synthesizing ${missing.join(', ')} (SYNTHETIC 1″ terrain, seed ${DEFAULT_TERRAIN_SEED})…`)
    const terrain = createSyntheticTerrain(parseAsciiGrid(readFileSync(path.join('data', COARSE_DEM_FILE), 'utf8')), DEFAULT_TERRAIN_SEED)
    for (const name of missing) writeFileSync(path.join(demDir, `${name}.hgt`), encodeHgt(synthesizeTile(terrain, name)))
  }
  const hgtFiles = tileNames.map((n) => path.join(demDir, `${n}.hgt`))
  if (hasSplat) {
    for (const file of hgtFiles) {
      const lat = Number(path.basename(file).slice(1, 3))
      const lonW = 360 - Number(path.basename(file).slice(4, 7))
      if (!existsSync(path.join(sdfDir, `${lat}:${lat + 1}:${lonW - 1}:${lonW}-hd.sdf`))) run('srtm2sdf-hd', [file], sdfDir)
    }
    // Site and ITM parameters; SPLAT! longitudes are degrees WEST (0…360).
    writeFileSync(path.join(splatDir, 'site.qth'), `site\n${SITE.lat}\n${360 - SITE.lon}\n${RADIO.heightM}m\n`)
    writeFileSync(path.join(splatDir, 'site.lrp'), [
      `${ITM.epsilon} ; Earth Dielectric Constant (Relative permittivity)`,
      `${ITM.sigma} ; Earth Conductivity (Siemens per meter)`,
      `${ITM.n0} ; Atmospheric Bending Constant (N-units)`,
      `${RADIO.frequencyMhz} ; Frequency in MHz`,
      `${ITM.climate} ; Radio Climate`,
      `${ITM.polarization} ; Polarization (0 = Horizontal, 1 = Vertical)`,
      `${ITM.situationPct / 100} ; Fraction of situations`,
      `${ITM.timePct / 100} ; Fraction of time`,
      '0 ; ERP in watts (0: path loss only)',
      '',
    ].join('\n'))
  }
  // gdal_viewshed needs a projected grid: the tiles warped (bilinear) to a transverse Mercator
  // centred on the site, with our cell size, the site at a cell centre.
  const gdalDem = path.join(gdalDir, 'dem-tm.tif')
  if (hasGdal && !existsSync(gdalDem)) {
    run('gdalbuildvrt', ['-q', path.join(gdalDir, 'mosaic.vrt'), ...hgtFiles])
    const nx = Math.ceil((maxKm * 1000) / CELL_X) + 2
    const ny = Math.ceil((maxKm * 1000) / CELL_Y) + 2
    run('gdalwarp', [
      '-q', '-overwrite', '-t_srs', `+proj=tmerc +lat_0=${SITE.lat} +lon_0=${SITE.lon} +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs`,
      '-tr', String(CELL_X), String(CELL_Y), '-te', String(-(nx + 0.5) * CELL_X), String(-(ny + 0.5) * CELL_Y), String((nx + 0.5) * CELL_X), String((ny + 0.5) * CELL_Y),
      '-r', 'bilinear', '-ot', 'Int16', path.join(gdalDir, 'mosaic.vrt'), gdalDem,
    ])
  }
  // Our side reads the tiles as the recompute does: DEM store → mosaic sampler → heightAt closure,
  // on a grid aligned to the DEM cells (recompute-coverage.service.ts builds it the same way).
  const store = await openDemStore({ dir: demDir })
  const area = await store.sampler(bboxFor(maxKm * 1000 + 100))
  const step = Math.min(...area.sampler.tiles.map((t) => t.step))
  const bbox = bboxFor(maxKm * 1000 + 100)
  const gridWest = Math.floor(bbox[0] / step) * step
  const gridNorth = Math.ceil(bbox[3] / step) * step
  const parent: RasterGrid = { west: gridWest, north: gridNorth, stepLon: step, stepLat: step, cols: Math.ceil((bbox[2] - gridWest) / step), rows: Math.ceil((gridNorth - bbox[1]) / step) }
  const heightAt = (lon: number, lat: number) => area.sampler.sample(lon, lat) ?? Number.NaN
  log(`DEM ready in ${((performance.now() - prepStarted) / 1000).toFixed(1)} s (not measured): ${tileNames.join(', ')} in ${work}`)

  // ---- Ours: the fast model ------------------------------------------------------------------------
  // What the recompute does for a sector: copy the heights under the window out of the tiles,
  // sweep the site onto the raster, apply the sector's antenna pattern.
  const eirpPerRe = eirpPerResourceElement(RADIO)
  const fastSector = (radiusM: number) => {
    const grid = windowAround(parent, SITE.lon, SITE.lat, radiusM)
    const t0 = performance.now()
    const heights = heightWindowFromTiles(area.sampler.tiles, postsForRaster(grid))
    const t1 = performance.now()
    const sweep = siteSweep({ grid, heights, siteLon: SITE.lon, siteLat: SITE.lat, antennaHeightM: RADIO.heightM, receiverHeightM: RECEIVER_HEIGHT_M, radiusM, frequencyMhz: RADIO.frequencyMhz })
    const t2 = performance.now()
    const rsrp = sectorRsrpFromSiteSweep(sweep, RADIO.antenna, eirpPerRe)
    const t3 = performance.now()
    return { rsrp, sweep, grid, ms: t3 - t0, windowMs: t1 - t0, sweepMs: t2 - t1, antennaMs: t3 - t2 }
  }
  const coldStarted = performance.now()
  fastSector(RADII_KM[0]! * 1000)
  const coldMs = performance.now() - coldStarted
  interface FastRow { km: number; ms: number; cells: number; samples: number; radials: number; gridCells: number; windowMs: number; sweepMs: number; antennaMs: number }
  const fast: FastRow[] = []
  for (const km of RADII_KM) {
    const runs = Array.from({ length: RUNS }, () => fastSector(km * 1000))
    const last = runs[runs.length - 1]!
    const cells = last.rsrp.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0)
    const mid = (key: 'ms' | 'windowMs' | 'sweepMs' | 'antennaMs') => median(runs.map((r) => r[key]))
    fast.push({
      km, ms: mid('ms'), cells, samples: last.sweep.radials * last.sweep.samplesPerRadial, radials: last.sweep.radials,
      gridCells: last.grid.cols * last.grid.rows, windowMs: mid('windowMs'), sweepMs: mid('sweepMs'), antennaMs: mid('antennaMs'),
    })
    log(`fast model ${km} km: ${mid('ms').toFixed(0)} ms (${fmt(cells)} cells)`)
  }

  // ---- gdal_viewshed (whole processes) -----------------------------------------------------------
  interface GdalRow { km: number; ms: number; outCells: number; discCells: number }
  const gdal: GdalRow[] = []
  let gdalStartupMs: number | null = null
  let gdalVersion = ''
  if (hasGdal) {
    gdalVersion = spawnSync('gdalinfo', ['--version'], { encoding: 'utf8' }).stdout.trim()
    const viewshed = (md: number, out: string) => {
      const started = performance.now()
      run('gdal_viewshed', ['-q', '-ox', '0', '-oy', '0', '-oz', String(RADIO.heightM), '-tz', String(RECEIVER_HEIGHT_M), '-md', String(md), '-cc', '0.75', gdalDem, out])
      return performance.now() - started
    }
    // Start-up: the same command with a radius of one cell (process start, GDAL init, open, tiny output).
    gdalStartupMs = median(Array.from({ length: GDAL_RUNS }, () => viewshed(CELL_Y, path.join(gdalDir, 'vs-startup.tif'))))
    for (const km of RADII_KM) {
      const out = path.join(gdalDir, `vs-${km}.tif`)
      const ms = median(Array.from({ length: GDAL_RUNS }, () => viewshed(km * 1000, out)))
      const info = JSON.parse(spawnSync('gdalinfo', ['-json', out], { encoding: 'utf8' }).stdout) as { size: [number, number] }
      const r = km * 1000
      let disc = 0
      for (let j = -Math.ceil(r / CELL_Y); j <= Math.ceil(r / CELL_Y); j++) {
        for (let i = -Math.ceil(r / CELL_X); i <= Math.ceil(r / CELL_X); i++) if ((i * CELL_X) ** 2 + (j * CELL_Y) ** 2 <= r * r) disc++
      }
      gdal.push({ km, ms, outCells: info.size[0] * info.size[1], discCells: disc })
      rmSync(out, { force: true })
      log(`gdal_viewshed ${km} km: ${ms.toFixed(0)} ms`)
    }
  }

  // ---- ITM: ours along the radials, SPLAT! HD (whole processes) ---------------------------------------
  interface ItmRow { km: number; ms: number; evaluations: number; cells: number }
  const itm: ItmRow[] = []
  for (const km of ITM_RADII_KM) {
    const radiusM = km * 1000
    const input = { grid: windowAround(parent, SITE.lon, SITE.lat, radiusM), heightAt, siteLon: SITE.lon, siteLat: SITE.lat, radio: RADIO, radiusM, receiverHeightM: RECEIVER_HEIGHT_M }
    const started = performance.now()
    const out = sectorItmRaster({ ...input, itm: ITM })
    const ms = performance.now() - started
    itm.push({ km, ms, evaluations: out.evaluations, cells: out.rsrpDbm.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0) })
    log(`ITM (ours) ${km} km: ${(ms / 1000).toFixed(1)} s (${fmt(out.evaluations)} evaluations)`)
  }
  interface SplatRow { km: number; ms: number; loadMs: number; computeMs: number; writeMs: number; ppmBytes: number; pointsEstimate: number; pointsCounted: number | null; pages: string }
  const splat: SplatRow[] = []
  let splatVersion = ''
  if (hasSplat) {
    const args = (km: number) => ['-t', 'site.qth', '-d', sdfDir, '-olditm', '-L', String(RECEIVER_HEIGHT_M), '-R', String(km), '-metric', '-ngs', '-N']
    for (const km of ITM_RADII_KM) {
      const runs: Array<Awaited<ReturnType<typeof runTimed>>> = []
      for (let r = 0; r < SPLAT_RUNS; r++) runs.push(await runTimed('splat-hd', args(km), splatDir))
      const best = runs.find((x) => x.ms === median(runs.map((y) => y.ms)))!
      const at = (text: string) => best.marks.find((mk) => mk.text.includes(text))?.ms ?? Number.NaN
      const stdout = best.marks.map((mk) => mk.text).join('')
      splatVersion ||= /SPLAT! HD v[\d.]+/.exec(stdout)?.[0] ?? 'SPLAT! HD'
      const ppm = path.join(splatDir, 'site.ppm')
      const ppmBytes = existsSync(ppm) ? statSync(ppm).size : 0
      rmSync(ppm, { force: true })
      // SPLAT! evaluates ITM once per DEM sample (1″ lattice point) within the radius it meets on its paths.
      const r = km * 1000
      let pointsEstimate = 0
      const [w, s, e, n] = bboxFor(r)
      for (let row = Math.floor(s * 3600); row <= Math.ceil(n * 3600); row++) {
        for (let col = Math.floor(w * 3600); col <= Math.ceil(e * 3600); col++) {
          if (((col / 3600 - SITE.lon) * m.lon) ** 2 + ((row / 3600 - SITE.lat) * m.lat) ** 2 <= r * r) pointsEstimate++
        }
      }
      let pointsCounted: number | null = null
      if (SPLAT_ANO) {
        run('splat-hd', [...args(km), '-ano', 'points.ano'], splatDir)
        pointsCounted = readFileSync(path.join(splatDir, 'points.ano'), 'utf8').split('\n').filter((line) => /^\s*-?\d/.test(line) && line.split(',').length >= 5).length
        rmSync(path.join(splatDir, 'points.ano'), { force: true })
        rmSync(ppm, { force: true })
      }
      const pages = [...stdout.matchAll(/(Loading "[^"]*\/([^"/]+)\.sdf"|Region\s+"([^"]+)" assumed as sea-level)/g)].map((x) => (x[2] ? x[2] : `${x[3]} (sea level)`)).join(', ')
      splat.push({ km, ms: best.ms, loadMs: at('Computing'), computeMs: at('Writing') - at('Computing'), writeMs: best.ms - at('Writing'), ppmBytes, pointsEstimate, pointsCounted, pages })
      log(`SPLAT! ${km} km: ${(best.ms / 1000).toFixed(1)} s`)
    }
  }

  // ---- Report ----------------------------------------------------------------------------------------
  const gdalAt = (km: number) => gdal.find((g) => g.km === km)
  const splatAt = (km: number) => splat.find((s) => s.km === km)
  const itmAt = (km: number) => itm.find((s) => s.km === km)
  const allKm = [...new Set([...RADII_KM, ...ITM_RADII_KM])].sort((a, b) => a - b)
  console.log(`\n## bench:coverage — one sector at ${SITE.lon}° E ${SITE.lat}° N (Sơn La), SYNTHETIC 1″ terrain, antenna ${RADIO.heightM} m, receiver ${RECEIVER_HEIGHT_M} m, ${RADIO.frequencyMhz} MHz\n`)
  console.log('| radius km | ours fast ms | cells/s | gdal_viewshed ms | ratio | ours ITM ms | SPLAT! ms | ratio |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const km of allKm) {
    const f = fast.find((x) => x.km === km)
    const g = gdalAt(km)
    const i = itmAt(km)
    const s = splatAt(km)
    console.log(`| ${km} | ${f ? fmt(f.ms) : '–'} | ${f ? fmt(f.cells / (f.ms / 1000)) : '–'} | ${g ? fmt(g.ms) : '–'} | ${f && g ? (f.ms / g.ms).toFixed(2) : '–'} | ${i ? fmt(i.ms) : '–'} | ${s ? fmt(s.ms) : '–'} | ${i && s ? (i.ms / s.ms).toFixed(2) : '–'} |`)
  }

  console.log('\nCells each side computes (1″ cells: ours 28.8 m × 30.9 m here; gdal_viewshed the same size on its projected grid):\n')
  console.log('| radius km | ours: cells within radius | ours: sweep samples (rays × steps) | gdal_viewshed: output cells (square) / within radius | ours ITM: evaluations | SPLAT!: ITM points (DEM samples within radius) |')
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const km of allKm) {
    const f = fast.find((x) => x.km === km)
    const g = gdalAt(km)
    const i = itmAt(km)
    const s = splatAt(km)
    const splatPoints = s ? (s.pointsCounted !== null ? `${fmt(s.pointsCounted)} (counted, -ano)` : `≈ ${fmt(s.pointsEstimate)}`) : '–'
    console.log(`| ${km} | ${f ? fmt(f.cells) : i ? fmt(i.cells) : '–'} | ${f ? `${fmt(f.radials)} × ${fmt(f.samples / f.radials)} = ${fmt(f.samples)}` : '–'} | ${g ? `${fmt(g.outCells)} / ${fmt(g.discCells)}` : '–'} | ${i ? fmt(i.evaluations) : '–'} | ${splatPoints} |`)
  }

  console.log('\nWhere the fast model\'s time goes (medians, ms):\n')
  console.log('| radius km | total | heights copied out of the tiles | site sweep (terrain, ν, loss per cell) | antenna pattern → RSRP |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const f of fast) console.log(`| ${f.km} | ${fmt(f.ms)} | ${fmt(f.windowMs)} | ${fmt(f.sweepMs)} | ${fmt(f.antennaMs)} |`)

  if (splat.length > 0) {
    console.log('\nSPLAT! phases (from the time its progress lines reached us, ms): start-up + reading the .sdf pages | ITM sweep | writing the map (.ppm):\n')
    console.log('| radius km | whole | start + load | compute | write .ppm | .ppm MB | pages |')
    console.log('| --- | --- | --- | --- | --- | --- | --- |')
    for (const s of splat) console.log(`| ${s.km} | ${fmt(s.ms)} | ${fmt(s.loadMs)} | ${fmt(s.computeMs)} | ${fmt(s.writeMs)} | ${(s.ppmBytes / 1e6).toFixed(0)} | ${s.pages} |`)
  }

  // Ratios: our time / theirs for the same work, summed over the radii both sides ran.
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  const fastWithGdal = fast.filter((f) => gdalAt(f.km))
  const ratioGdal = fastWithGdal.length > 0 ? sum(fastWithGdal.map((f) => f.ms)) / sum(fastWithGdal.map((f) => gdalAt(f.km)!.ms)) : null
  const ratioGdalCompute = fastWithGdal.length > 0 && gdalStartupMs !== null ? sum(fastWithGdal.map((f) => f.ms)) / sum(fastWithGdal.map((f) => Math.max(1, gdalAt(f.km)!.ms - gdalStartupMs!))) : null
  const itmWithSplat = itm.filter((i) => splatAt(i.km))
  const ratioSplat = itmWithSplat.length > 0 ? sum(itmWithSplat.map((i) => i.ms)) / sum(itmWithSplat.map((i) => splatAt(i.km)!.ms)) : null
  const ratioSplatCompute = itmWithSplat.length > 0 ? sum(itmWithSplat.map((i) => i.ms)) / sum(itmWithSplat.map((i) => splatAt(i.km)!.computeMs)) : null
  const cellsPerS = sum(fast.map((f) => f.cells)) / (sum(fast.map((f) => f.ms)) / 1000)
  const province = await measureProvinceRecompute()
  const peakRssMb = process.resourceUsage().maxRSS / 1024

  const notes: string[] = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}${gdalVersion ? `, ${gdalVersion}` : ''}${splatVersion ? `, ${splatVersion}` : ''}; everything single-threaded. DEM generation, .sdf conversion, warping and tile loading are outside every measurement.`,
    `Ours: in-process time, fast model = what the recompute does per sector (heights copied out of the loaded tiles into the window, siteSweep, antenna pattern; one thread), median of ${RUNS} runs after one warm-up call (${coldMs.toFixed(0)} ms cold at ${RADII_KM[0]} km); ITM = one sectorItmRaster call (reference radial sweep, heights through the DEM store's mosaic sampler), one run per radius. The sector is 65° wide but, like the other tools, every cell of the disc is computed (the pattern only attenuates).`,
    hasGdal
      ? `gdal_viewshed: whole process (spawnSync), median of ${GDAL_RUNS}, line of sight only (-oz ${RADIO.heightM} -tz ${RECEIVER_HEIGHT_M} -cc 0.75 = k 4/3 like ours), on the tiles warped to a transverse Mercator centred on the site with our cell size (it needs projected coordinates). Start-up (same command, radius of one cell): ${gdalStartupMs!.toFixed(0)} ms; compute-only ratio (our time / (theirs − start-up)): ${ratioGdalCompute === null ? '–' : ratioGdalCompute.toFixed(1)}. It computes the whole square window and no diffraction, loss or antenna pattern.`
      : 'gdal_viewshed: not installed (Debian gdal-bin): no comparison.',
    hasSplat
      ? `SPLAT! HD: whole process (spawn → exit), ${SPLAT_RUNS === 1 ? 'one run' : `median of ${SPLAT_RUNS}`} per radius, \`splat-hd -t site.qth -d <sdf> -olditm -L ${RECEIVER_HEIGHT_M} -R <km> -metric -ngs -N\` with an .lrp of the same ITM parameters (ε ${ITM.epsilon}, σ ${ITM.sigma}, N0 ${ITM.n0}, climate ${ITM.climate}, vertical, 50 % / 50 %, ERP 0 = path loss). It cannot skip the map: it still writes site.ppm of the whole loaded region (sizes above; deleted after each run), site.lcf and a site report. Its paths run to the edge of the loaded 1° pages (sea-level pages where no tile was needed within the radius), so part of its time does not grow with the radius. Compute-only ratio (ours / its ITM phase): ${ratioSplatCompute === null ? '–' : ratioSplatCompute.toFixed(2)}.`
      : 'SPLAT! HD: not installed (apt-get install -y splat): no comparison.',
    'Same points: both sides use 1″ cells of the same tiles; ours evaluates ITM once per sweep sample that a raster cell takes (at most one per cell, nearest sample to the cell centre, bilinear heights), SPLAT! once per DEM sample its paths meet within the radius (nearest-sample heights)' + (SPLAT_ANO ? '.' : '; its count is estimated as the DEM samples within the radius (--splat-ano counts them from its -ano output).'),
    `Ratios in the JSON are our time / theirs summed over the radii both ran: fast model vs gdal_viewshed ${ratioGdal === null ? 'not measured' : `${ratioGdal.toFixed(2)} (target < 1.0: ${ratioGdal < 1 ? 'met' : 'MISSED'})`}; ITM vs SPLAT! ${ratioSplat === null ? 'not measured' : `${ratioSplat.toFixed(2)} (target ≤ 1.0: ${ratioSplat <= 1 ? 'met' : 'MISSED'})`}. cells_per_s_fast = all fast-model cells / all fast-model time. Per radius: fast ${fast.filter((f) => gdalAt(f.km)).map((f) => `${f.km} km ${f.ms / gdalAt(f.km)!.ms < 1 ? 'met' : 'MISSED'}`).join(', ') || '–'}; ITM ${itmWithSplat.map((i) => `${i.km} km ${i.ms / splatAt(i.km)!.ms <= 1 ? 'met' : 'MISSED'}`).join(', ') || '–'}.`,
    `Peak RSS of this benchmark process: ${Math.round(peakRssMb)} MB (two 1″ tiles in memory, the synthetic generator, the rasters).`,
    province === null
      ? 'province_recompute_s and peak_rss_mb: not measured (--no-province).'
      : `Full Sơn La recompute (\`npm run coverage:recompute -- --full --radius ${PROVINCE_RADIUS_M} --date ${PROVINCE_DATE}\`, embedded database, SYNTHETIC 1″ DEM, ${cpus().length} worker threads): ${province.full.sectors} sectors at ${province.full.sites} sites, ${province.full.tiles} composite tiles, ${province.full.seconds.toFixed(1)} s (target < 60 s: ${province.full.seconds < 60 ? 'met' : 'MISSED'}; phases: ${Object.entries(province.full.phases).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; whole process with database open and sample load ${province.full.processSeconds.toFixed(1)} s), peak RSS of that process ${province.full.peakRssMb} MB. Again with nothing changed (incremental): ${province.unchanged.computedSectors} sectors computed, ${province.unchanged.builtTiles} tiles built, ${province.unchanged.seconds.toFixed(1)} s.`,
  ]
  console.log('\nNotes:\n')
  for (const n of notes) console.log(`- ${n}`)
  console.log('')
  console.log(JSON.stringify({
    bench: 'coverage',
    cells_per_s_fast: Math.round(cellsPerS),
    ratio_vs_gdal_viewshed: ratioGdal === null ? null : round2(ratioGdal),
    ratio_vs_splat: ratioSplat === null ? null : round2(ratioSplat),
    province_recompute_s: province === null ? null : round2(province.full.seconds),
    peak_rss_mb: province === null ? null : Math.round(province.full.peakRssMb),
  }))
  await store.close()
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true })
}
