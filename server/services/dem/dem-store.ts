/**
 * The DEM on disk: which 1° tiles exist under `<dataDir>/dem/`, real or synthetic, and a bounded
 * in-memory cache of the tiles read from them.
 *
 * Layout of the folder (all optional):
 *
 *     <dataDir>/dem/
 *       N21E103.hgt.gz, N21E104.hgt, N20E103.SRTMGL1.hgt.zip, …   REAL tiles (dem:fetch writes .hgt.gz)
 *       N21/N21E103.hgt.gz                                        REAL, the mirror's "skadi" layout copied as is
 *       *.tif                                                     REAL GeoTIFF DEMs in WGS 84 degrees
 *       fetch-manifest.json                                       what dem:fetch got (and which tiles are sea)
 *       synthetic/N21E103.hgt.gz, SYNTHETIC.md, manifest.json     SYNTHETIC tiles (npm run dem:sample)
 *
 * A real tile always wins: a synthetic tile is used only for a cell that has no real file. A cell
 * the mirror reported as absent (sea) reads as 0 m. Real tiles have their voids filled on load.
 */
import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createDemSampler, type DemSampler } from '../../geo/dem/dem-mosaic.ts'
import { createFlatDemTile, demTileBytes, type DemTile } from '../../geo/dem/dem-tile.ts'
import { fillVoids } from '../../geo/dem/fill-voids.ts'
import { hgtTilesForBbox, normaliseHgtTileName, parseHgtTileName, type DemBbox } from '../../geo/dem/hgt-tile-name.ts'
import { HGT_BYTES } from '../../geo/dem/parse-hgt.ts'
import { createTileCache, type TileCacheStats } from '../../geo/dem/tile-cache.ts'
import { readFetchManifest } from './fetch-manifest.ts'
import { demFileKind, inspectGeoTiff, readGeoTiffTile, readHgtFile, type DemFileFormat, type GeoTiffDem } from './read-dem-file.ts'

/** The sub-folder of the DEM folder that holds generated tiles. */
export const SYNTHETIC_DEM_DIR = 'synthetic'

/** Default memory bound of the tile cache: 512 MiB, about 20 tiles at 1″. */
export const DEFAULT_DEM_CACHE_BYTES = 512 * 1024 * 1024

export interface DemStoreOptions {
  /** The DEM folder, `<dataDir>/dem`. It need not exist (then there is no tile). */
  dir: string
  /** Most bytes of tiles the cache keeps (default 512 MiB). A 1″ tile is 25.9 MB, a 3″ tile 2.9 MB. */
  cacheBytes?: number
  /** Fill the voids of real tiles when loading them (default true). Synthetic tiles have none. */
  fillVoids?: boolean
}

export type DemTileKind = 'real' | 'synthetic' | 'sea'

/** Where a tile comes from. */
export interface DemTileSource {
  name: string
  kind: DemTileKind
  /** The file (absent for sea tiles). */
  path?: string
  format?: DemFileFormat
}

export interface DemCoverage {
  /** Every tile the bbox needs, north-west first, with where it comes from ('missing': nowhere). */
  tiles: Array<{ name: string; status: DemTileKind | 'missing'; path?: string; format?: DemFileFormat }>
  real: number
  synthetic: number
  sea: number
  missing: number
  /** True when every tile the bbox needs has a source. */
  complete: boolean
}

export interface DemArea {
  /** Heights over the bbox's tiles (null outside them and over missing tiles). */
  sampler: DemSampler
  coverage: DemCoverage
}

export interface DemStoreStats extends TileCacheStats {
  /** Void samples filled in the real tiles loaded so far. */
  voidsFilled: number
}

export interface DemStore {
  readonly dir: string
  /** Things found while scanning that a person should know (unreadable or partial GeoTIFFs, duplicate files). */
  readonly warnings: readonly string[]
  /** Where a tile comes from, or null when nothing covers it. */
  source(name: string): DemTileSource | null
  /** Which tiles a bbox needs and where each comes from: real, synthetic, sea or missing. */
  coverage(bbox: DemBbox): DemCoverage
  /** One tile (through the cache), or null when no file covers it. */
  getTile(name: string): Promise<DemTile | null>
  /** Loads every tile of a bbox and returns a sampler over them. Refuses a bbox whose 1″ tiles would not fit in the cache. */
  sampler(bbox: DemBbox): Promise<DemArea>
  /** Scans the folder again (after dem:fetch or dem:sample wrote tiles); changed tiles leave the cache. */
  refresh(): Promise<void>
  stats(): DemStoreStats
  /** Empties the cache; the store cannot be used afterwards. */
  close(): Promise<void>
}

interface DemIndex {
  sources: Map<string, DemTileSource>
  geotiffs: Map<string, GeoTiffDem>
  warnings: string[]
}

/** Real formats in order of preference when one cell has several files. */
const FORMAT_RANK: Record<DemFileFormat, number> = { hgt: 0, 'hgt.gz': 1, 'hgt.zip': 2, geotiff: 3 }

/**
 * Opens the DEM folder: scans it (GeoTIFF headers are read once here) and returns the store.
 * Tiles are read on demand by `getTile`/`sampler` and kept in an LRU cache bounded by `cacheBytes`.
 */
export async function openDemStore(options: DemStoreOptions): Promise<DemStore> {
  const { dir } = options
  const cacheBytes = options.cacheBytes ?? DEFAULT_DEM_CACHE_BYTES
  const fill = options.fillVoids ?? true
  let index = await scanDemDir(dir)
  let closed = false
  let voidsFilled = 0

  const cache = createTileCache<DemTile>({
    maxBytes: cacheBytes,
    sizeOf: demTileBytes,
    async load(name) {
      const src = index.sources.get(name)
      if (!src || src.kind === 'sea' || !src.path || !src.format) throw new Error(`no DEM file for tile ${name}`)
      const tile =
        src.format === 'geotiff' ? await readGeoTiffTile(index.geotiffs.get(src.path)!, name) : await readHgtFile(src.path, name, src.format)
      if (!fill || src.kind !== 'real') return tile
      const filled = fillVoids(tile)
      voidsFilled += filled.filled
      return filled.tile
    },
  })

  function assertOpen(): void {
    if (closed) throw new Error('the DEM store is closed')
  }

  function source(name: string): DemTileSource | null {
    const canonical = normaliseHgtTileName(name)
    return canonical ? (index.sources.get(canonical) ?? null) : null
  }

  function coverage(bbox: DemBbox): DemCoverage {
    const tiles = hgtTilesForBbox(bbox).map((name) => {
      const src = index.sources.get(name)
      return src ? { name, status: src.kind, path: src.path, format: src.format } : { name, status: 'missing' as const }
    })
    const count = (status: DemTileKind | 'missing'): number => tiles.filter((t) => t.status === status).length
    const missing = count('missing')
    return { tiles, real: count('real'), synthetic: count('synthetic'), sea: count('sea'), missing, complete: missing === 0 }
  }

  async function getTile(name: string): Promise<DemTile | null> {
    assertOpen()
    const src = source(name)
    if (!src) return null
    if (src.kind === 'sea') {
      const corner = parseHgtTileName(src.name)!
      return createFlatDemTile(src.name, corner.south, corner.west, 0)
    }
    return cache.get(src.name)
  }

  return {
    dir,
    get warnings() {
      return index.warnings
    },
    source,
    coverage,
    getTile,
    async sampler(bbox) {
      assertOpen()
      const cov = coverage(bbox)
      const needed = cov.tiles.filter((t) => t.status === 'real' || t.status === 'synthetic').length
      const fits = Math.max(1, Math.floor(cacheBytes / HGT_BYTES[1]))
      if (needed > fits) {
        throw new RangeError(
          `the bbox [${bbox.join(', ')}] needs ${needed} DEM tiles (up to ${Math.round((needed * HGT_BYTES[1]) / 1e6)} MB at 1″), more than the tile cache holds (${Math.round(cacheBytes / 1e6)} MB): ask for a smaller area`,
        )
      }
      // Two loads at a time: each briefly holds the file, the parsed tile and a void-filling copy.
      const tiles: Array<DemTile | null> = new Array(cov.tiles.length).fill(null)
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < cov.tiles.length) {
          const i = next++
          tiles[i] = await getTile(cov.tiles[i]!.name)
        }
      }
      await Promise.all([worker(), worker()])
      return { sampler: createDemSampler(tiles.filter((t): t is DemTile => t !== null)), coverage: cov }
    },
    async refresh() {
      assertOpen()
      const next = await scanDemDir(dir)
      for (const [name, old] of index.sources) {
        const now = next.sources.get(name)
        if (!now || now.path !== old.path || now.kind !== old.kind) cache.delete(name)
      }
      index = next
    },
    stats() {
      return { ...cache.stats(), voidsFilled }
    },
    async close() {
      closed = true
      cache.clear()
    },
  }
}

/** Finds the tiles in a DEM folder (see the module comment for the layout). */
async function scanDemDir(dir: string): Promise<DemIndex> {
  const sources = new Map<string, DemTileSource>()
  const geotiffs = new Map<string, GeoTiffDem>()
  const warnings: string[] = []
  const real: Array<{ name: string; path: string; format: DemFileFormat }> = []

  const top = await listDir(dir)
  for (const entry of top) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      // Latitude folders of the skadi layout (N21/, S05/).
      if (/^[NS]\d{2}$/i.test(entry.name)) {
        for (const inner of await listDir(path)) {
          const kind = inner.isFile() ? demFileKind(inner.name) : null
          if (kind?.name) real.push({ name: kind.name, path: join(path, inner.name), format: kind.format })
        }
      }
      continue
    }
    if (!entry.isFile()) continue
    const kind = demFileKind(entry.name)
    if (!kind) continue
    if (kind.format === 'geotiff') {
      try {
        const dem = await inspectGeoTiff(path)
        if (dem.tiles.length === 0) warnings.push(`${path}: covers no whole 1° cell, not used (only whole cells are read from GeoTIFF DEMs)`)
        geotiffs.set(path, dem)
        for (const name of dem.tiles) real.push({ name, path, format: 'geotiff' })
      } catch (err) {
        warnings.push((err as Error).message)
      }
      continue
    }
    real.push({ name: kind.name!, path, format: kind.format })
  }

  real.sort((a, b) => FORMAT_RANK[a.format] - FORMAT_RANK[b.format] || a.path.localeCompare(b.path))
  for (const r of real) {
    const existing = sources.get(r.name)
    if (existing) {
      warnings.push(`tile ${r.name}: ${r.path} is not used, ${existing.path} is`)
      continue
    }
    sources.set(r.name, { name: r.name, kind: 'real', path: r.path, format: r.format })
  }

  // The mirror's word that a cell is sea is real data: it wins over a synthetic tile.
  const manifest = await readFetchManifest(dir).catch(() => ({ version: 1 as const, tiles: {} }))
  for (const [name, entry] of Object.entries(manifest.tiles)) {
    const canonical = normaliseHgtTileName(name)
    if (canonical && entry.status === 'absent' && !sources.has(canonical)) sources.set(canonical, { name: canonical, kind: 'sea' })
  }

  for (const entry of await listDir(join(dir, SYNTHETIC_DEM_DIR))) {
    const kind = entry.isFile() ? demFileKind(entry.name) : null
    if (!kind?.name || kind.format === 'geotiff' || sources.has(kind.name)) continue
    sources.set(kind.name, { name: kind.name, kind: 'synthetic', path: join(dir, SYNTHETIC_DEM_DIR, entry.name), format: kind.format })
  }

  return { sources, geotiffs, warnings }
}

async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return []
    throw err
  }
}
