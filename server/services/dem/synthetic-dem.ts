/**
 * The SYNTHETIC sample DEM: 1″ `.hgt.gz` tiles made by server/geo/dem/synthesize-terrain.ts from
 * the REAL 0.1° grid of mean heights and a seed, written to `<dataDir>/dem/synthetic/` with a
 * SYNTHETIC.md and a manifest.json. The app calls `ensureSyntheticDem` at start-up so a fresh
 * install has terrain; `npm run dem:sample` calls it too. Tiles that are already there for the same
 * seed, resolution, generator version and coarse grid are kept; cells that have a real tile are
 * skipped (a real tile wins anyway).
 *
 * The tiles are generated, ~26 MB raw / ~10 MB gzipped each: never commit them.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { gzip as gzipCallback } from 'node:zlib'
import { encodeHgt } from '../../geo/dem/encode-hgt.ts'
import { hgtTilesForBbox, parseHgtTileName, type DemBbox } from '../../geo/dem/hgt-tile-name.ts'
import { createSyntheticTerrain, DEFAULT_TERRAIN_SEED, synthesizeTileSteps, SYNTHETIC_TERRAIN_VERSION } from '../../geo/dem/synthesize-terrain.ts'
import { parseAsciiGrid } from '../../geo/parse-ascii-grid.ts'
import { openDemStore, SYNTHETIC_DEM_DIR } from './dem-store.ts'

const gzip = promisify(gzipCallback)

/** The bundled coarse grid, relative to the repository's data/ folder. */
export const COARSE_DEM_FILE = 'dem/srtm_mean_0p1deg_nw_vietnam.asc'
export const SYNTHETIC_MANIFEST_FILE = 'manifest.json'
export const SYNTHETIC_README_FILE = 'SYNTHETIC.md'

export interface EnsureSyntheticDemOptions {
  /** The DEM folder, `<dataDir>/dem`; tiles go to its `synthetic/` sub-folder. */
  demDir: string
  /** The REAL coarse grid of mean heights (ESRI ASCII grid, degrees, metres). */
  coarseGridPath: string
  /** The area to cover, [west, south, east, north] degrees: every 1° tile it touches is made. */
  bbox: DemBbox
  seed?: number
  /** 1″ (default) or 3″ tiles. */
  arcSeconds?: 1 | 3
  /** Make every tile again, even those already there. */
  force?: boolean
  /** Also make tiles for cells that have a real tile (default false: they would never be read). */
  includeCellsWithRealTiles?: boolean
  /** gzip level 1–9 (default 6). */
  gzipLevel?: number
  onProgress?: (event: SyntheticDemEvent) => void
}

export type SyntheticDemEvent =
  | { type: 'plan'; generate: string[]; keep: string[]; skipReal: string[] }
  | { type: 'rows'; name: string; rowsDone: number; rows: number }
  | { type: 'tile'; name: string; file: string; bytes: number; seconds: number }

export interface SyntheticDemReport {
  dir: string
  generated: string[]
  kept: string[]
  /** Cells with a real tile, for which no synthetic tile was made. */
  skippedReal: string[]
  /** Bytes written (gzipped). */
  bytes: number
  seconds: number
}

interface SyntheticManifest {
  synthetic: true
  description: string
  generator: string
  version: number
  seed: number
  arcSeconds: 1 | 3
  coarseGrid: { file: string; sha256: string }
  tiles: Record<string, { file: string; bytes: number }>
}

/**
 * Makes the synthetic tiles of a bbox that are missing (or all of them with `force`). The heavy
 * loop runs on the main thread in bands of 200 rows with a turn of the event loop in between
 * (so a server stays responsive); gzip runs on libuv's thread pool while the next tile is made.
 */
export async function ensureSyntheticDem(options: EnsureSyntheticDemOptions): Promise<SyntheticDemReport> {
  const started = performance.now()
  const seed = options.seed ?? DEFAULT_TERRAIN_SEED
  const arcSeconds = options.arcSeconds ?? 1
  const dir = join(options.demDir, SYNTHETIC_DEM_DIR)
  const coarseText = await readFile(options.coarseGridPath, 'utf8')
  const coarseSha = createHash('sha256').update(coarseText).digest('hex')
  const names = hgtTilesForBbox(options.bbox)

  const store = await openDemStore({ dir: options.demDir, cacheBytes: 0 })
  const hasReal = new Set(names.filter((n) => store.source(n)?.kind === 'real' || store.source(n)?.kind === 'sea'))
  await store.close()

  const old = await readManifest(dir)
  const sameRecipe =
    old !== null && old.version === SYNTHETIC_TERRAIN_VERSION && old.seed === seed && old.arcSeconds === arcSeconds && old.coarseGrid.sha256 === coarseSha
  const tiles: SyntheticManifest['tiles'] = sameRecipe ? { ...old.tiles } : {}
  const generate: string[] = []
  const keep: string[] = []
  const skipReal: string[] = []
  for (const name of names) {
    if (hasReal.has(name) && !options.includeCellsWithRealTiles) {
      skipReal.push(name)
      continue
    }
    const known = tiles[name]
    const size = known ? await stat(join(dir, known.file)).then((s) => s.size, () => -1) : -1
    if (!options.force && known && size === known.bytes) keep.push(name)
    else generate.push(name)
  }
  options.onProgress?.({ type: 'plan', generate, keep, skipReal })

  const report: SyntheticDemReport = { dir, generated: [], kept: keep, skippedReal: skipReal, bytes: 0, seconds: 0 }
  if (generate.length > 0) {
    const terrain = createSyntheticTerrain(parseAsciiGrid(coarseText), seed)
    const { extent } = terrain
    const beyond = generate.filter((name) => {
      const c = parseHgtTileName(name)!
      return c.west < extent.west || c.west + 1 > extent.east || c.south < extent.south || c.south + 1 > extent.north
    })
    if (beyond.length > 0) {
      throw new RangeError(
        `no synthetic tile can be made for ${beyond.join(', ')}: the coarse grid reaches lon ${extent.west.toFixed(1)}…${extent.east.toFixed(1)}, lat ${extent.south.toFixed(1)}…${extent.north.toFixed(1)}`,
      )
    }
    await mkdir(dir, { recursive: true })
    const manifest: SyntheticManifest = {
      synthetic: true,
      description: 'SYNTHETIC terrain: REAL 0.1° mean heights plus seeded fractal detail. Not a survey of the ground.',
      generator: 'phusong server/geo/dem/synthesize-terrain.ts',
      version: SYNTHETIC_TERRAIN_VERSION,
      seed,
      arcSeconds,
      coarseGrid: { file: basename(options.coarseGridPath), sha256: coarseSha },
      tiles,
    }
    // A half-written set must not pass for a complete one: drop the entries being remade first.
    for (const name of generate) delete tiles[name]
    await writeJsonAtomic(join(dir, SYNTHETIC_MANIFEST_FILE), manifest)
    await writeFile(join(dir, SYNTHETIC_README_FILE), syntheticReadme(manifest))

    let pending: Promise<void> = Promise.resolve()
    for (const name of generate) {
      const tileStarted = performance.now()
      const steps = synthesizeTileSteps(terrain, name, { arcSeconds })
      const rows = arcSeconds === 1 ? 3601 : 1201
      let step = steps.next()
      while (!step.done) {
        options.onProgress?.({ type: 'rows', name, rowsDone: step.value, rows })
        await nextTurn()
        step = steps.next()
      }
      const raw = encodeHgt(step.value)
      // At most one tile waits for gzip while the next one is made.
      await pending
      pending = (async () => {
        const file = `${name}.hgt.gz`
        const packed = await gzip(raw, { level: options.gzipLevel ?? 6 })
        await writeFileAtomic(join(dir, file), packed)
        tiles[name] = { file, bytes: packed.byteLength }
        report.bytes += packed.byteLength
        report.generated.push(name)
        await writeJsonAtomic(join(dir, SYNTHETIC_MANIFEST_FILE), manifest)
        options.onProgress?.({ type: 'tile', name, file: join(dir, file), bytes: packed.byteLength, seconds: (performance.now() - tileStarted) / 1000 })
      })()
    }
    await pending
  }
  report.seconds = (performance.now() - started) / 1000
  return report
}

/** The bbox [west, south, east, north] of a GeoJSON file's coordinates (e.g. the bundled province outline). */
export async function readGeoJsonBbox(path: string): Promise<DemBbox> {
  const geojson = JSON.parse(await readFile(path, 'utf8')) as unknown
  let west = Infinity
  let south = Infinity
  let east = -Infinity
  let north = -Infinity
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) {
      if (value && typeof value === 'object') for (const v of Object.values(value)) visit(v)
      return
    }
    if (value.length >= 2 && typeof value[0] === 'number' && typeof value[1] === 'number') {
      west = Math.min(west, value[0])
      east = Math.max(east, value[0])
      south = Math.min(south, value[1])
      north = Math.max(north, value[1])
      return
    }
    for (const v of value) visit(v)
  }
  visit((geojson as { geometry?: unknown; features?: unknown }).geometry ?? (geojson as { features?: unknown }).features ?? geojson)
  if (!Number.isFinite(west)) throw new Error(`${path}: no coordinates found`)
  return [west, south, east, north]
}

/**
 * The inputs of the bundled sample DEM, from the sample folder the app is configured with
 * (`config.sampleDir`, `data/son-la`): the REAL coarse grid in `data/dem/` and Sơn La's outline.
 */
export async function sampleSyntheticDemInputs(sampleDir: string): Promise<{ coarseGridPath: string; bbox: DemBbox }> {
  return { coarseGridPath: join(sampleDir, '..', COARSE_DEM_FILE), bbox: await readGeoJsonBbox(join(sampleDir, 'province.geojson')) }
}

function syntheticReadme(m: SyntheticManifest): string {
  return `# SYNTHETIC elevation tiles

**These tiles are generated, not measured.** No 30 m DEM of the area could be bundled, so phusong
makes stand-ins until real SRTM tiles are fetched (\`npm run dem:fetch\`; a real tile in the parent
folder always wins over a synthetic one).

- What is REAL: the mean height of every 0.1° cell (≈ 11 km), from \`${m.coarseGrid.file}\`
  (NASA SRTM v2.1 3″, public domain; "Elevation data: NASA SRTM.").
- What is made up: everything finer — ridges, valleys, slopes, peaks. Seeded fractal noise
  (ridged multifractal + fBm, wavelengths 10 km down to ~75 m) scaled by the local relief of the
  coarse grid, adjusted so that each 0.1° cell keeps its real mean height.
- Generator: \`${m.generator}\` version ${m.version}, seed ${m.seed}, ${m.arcSeconds}″ samples
  (${m.arcSeconds === 1 ? '3601 × 3601' : '1201 × 1201'} per tile), SRTM \`.hgt\` layout, gzipped.

Do not use coverage predicted on these tiles as a statement about real villages. Do not commit
these files: \`npm run dem:sample\` (or the app at start-up) makes them again, byte for byte the
same for the same seed.
`
}

async function readManifest(dir: string): Promise<SyntheticManifest | null> {
  try {
    const m = JSON.parse(await readFile(join(dir, SYNTHETIC_MANIFEST_FILE), 'utf8')) as SyntheticManifest
    return m.synthetic === true && typeof m.tiles === 'object' && m.tiles !== null && typeof m.coarseGrid?.sha256 === 'string' ? m : null
  } catch {
    return null
  }
}

async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`
  try {
    await writeFile(tmp, data)
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`)
}
