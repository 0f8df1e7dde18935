import { createHash } from 'node:crypto'
import type { Engine } from '../../db/connect.ts'
import type { Executor } from '../../db/database.ts'
import { invalidationsSince, latestInvalidationSeq, oldestInvalidationSeq, pruneTileInvalidations, type TileInvalidation } from '../../repositories/tile-invalidations.repository.ts'
import { layerBounds, mvtTileBytes, TILE_BUFFER, TILE_EXTENT, tileExtent, tileSpaceFeatures, type TileFilter, type TileLayerName } from '../../repositories/tiles.repository.ts'
import { encodeLayer } from './node-encoder.ts'
import { TileCache } from './tile-cache.ts'
import { MAX_TILE_ZOOM, TILE_LAYER_NAMES, TILE_LAYERS, vectorLayer } from './tile-layers.ts'
import { tileBbox } from '../../geo/dem/terrarium.ts'

/** Which encoder makes the bytes: PostGIS `ST_AsMVT` (server engine) or @maplibre/vt-pbf in Node (any engine). */
export type TileEncoder = 'postgis' | 'node'

export function defaultEncoder(engine: Engine): TileEncoder {
  return engine === 'server' ? 'postgis' : 'node'
}

/** True when z/x/y names a tile of the web mercator pyramid (z ≤ MAX_TILE_ZOOM). */
export function isValidTile(z: number, x: number, y: number): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false
  if (z < 0 || z > MAX_TILE_ZOOM) return false
  const n = 2 ** z
  return x >= 0 && x < n && y >= 0 && y < n
}

/**
 * The encoded tile, empty (zero bytes) when the zoom is outside the layer's or no feature falls
 * in it. Coverage is one operator's: 'any' (the best of all operators) unless the filter names one.
 */
export async function renderTile(db: Executor, encoder: TileEncoder, layer: TileLayerName, z: number, x: number, y: number, filter: TileFilter = {}): Promise<Uint8Array> {
  const spec = TILE_LAYERS[layer]
  if (z < spec.minzoom || z > spec.maxzoom) return new Uint8Array(0)
  const f = layer === 'coverage-4g' ? { operator: filter.operator ?? 'any' } : {}
  if (encoder === 'postgis') return mvtTileBytes(db, layer, z, x, y, f)
  return encodeLayer(layer, await tileSpaceFeatures(db, layer, z, x, y, f), tileExtent(layer, z))
}

/**
 * The combined tile of every public layer (one MVT layer each, in TILE_LAYER_NAMES order;
 * coverage for any operator):
 * a vector tile is a sequence of layer messages, so the layers' encodings are concatenated.
 * Empty (zero bytes) when no layer has a feature there.
 */
export async function renderCombinedTile(db: Executor, encoder: TileEncoder, z: number, x: number, y: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for (const layer of TILE_LAYER_NAMES) parts.push(await renderTile(db, encoder, layer, z, x, y))
  return Buffer.concat(parts)
}

/** A strong ETag from a tile's bytes (sha256, 27 base64url characters): vector and terrain tiles. */
export function tileEtag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`
}

/** How often a process looks for changes made elsewhere (another process, psql), ms. */
const DEFAULT_INVALIDATION_POLL_MS = 1000
/** Invalidation rows kept in the database; a process further behind drops its whole cache. */
const INVALIDATIONS_KEPT = 10_000
const INVALIDATION_BATCH = 1_000

/** The cache key's layer of the combined tile (every public layer). */
export const COMBINED = 'public'

const MAX_MERCATOR_LAT = 85.0511287798066

/** The web mercator tile containing a WGS84 point at zoom z (beyond the pyramid: its edge tile). */
export function tileContaining(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z
  const clampTile = (v: number) => Math.min(n - 1, Math.max(0, Math.floor(v)))
  const r = (Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)) * Math.PI) / 180
  return { x: clampTile(((lon + 180) / 360) * n), y: clampTile(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) }
}

/** A tile's WGS84 bounds [west, south, east, north], widened by the vector tile buffer. */
export function tileBoundsWithBuffer(z: number, x: number, y: number): [number, number, number, number] {
  return tileBbox(z, x, y, TILE_BUFFER / TILE_EXTENT)
}

function intersects(a: readonly number[], b: readonly number[]): boolean {
  return a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!
}

export interface ServedTile {
  bytes: Uint8Array
  etag: string
  cached: boolean
}

/**
 * Tiles through the in-memory LRU cache (bounded by bytes), kept exact by the
 * database's record of changes (migrations/0008_tile_invalidations): every
 * change to communes, villages, sites or fibre — by this process, another one
 * or psql — and every promoted coverage run adds the extent it touched. Before
 * serving, the service applies the records it has not seen: cached tiles of
 * that layer (and combined tiles) whose bounds, with their buffer, intersect
 * the extent are dropped; the rest keep their bytes and ETag. The records are
 * read at most every `pollMs`, and at once after a write in this process
 * (`markDirty`, called when a write request ends). A tile whose rendering
 * overlapped an invalidation is served but not cached (it may hold the old data).
 */
export class TileService {
  readonly cache: TileCache
  #lastSeq: number | undefined
  #lastSyncAt = 0
  #dirty = true
  #generation = 0
  #appliedSyncs = 0
  #syncing: Promise<void> | undefined
  #blocking: Promise<void> | undefined
  #timer: ReturnType<typeof setInterval> | undefined

  /** `cacheBytes`: the cache's bound (config TILE_CACHE_BYTES; 0 turns it off). */
  constructor(private readonly db: Executor, readonly encoder: TileEncoder, cacheBytes: number, readonly pollMs = DEFAULT_INVALIDATION_POLL_MS) {
    this.cache = new TileCache(cacheBytes)
  }

  /** Some data may have changed: look at the invalidation records before the next tile. */
  markDirty(): void {
    this.#dirty = true
  }

  /** Applies the invalidation records not seen yet (at most every pollMs unless marked dirty). */
  async sync(): Promise<void> {
    // After a write in this process: wait for any look under way (it may have started before the
    // write committed), then look again; requests meanwhile wait for that look too.
    if (!this.#timer && performance.now() - this.#lastSyncAt >= this.pollMs) this.#dirty = true
    while (this.#dirty || this.#blocking) {
      if (this.#blocking) {
        await this.#blocking
        continue
      }
      if (this.#syncing) {
        await this.#syncing
        continue
      }
      this.#blocking = this.#start()
      try {
        await this.#blocking
      } catch (err) {
        this.#dirty = true // not applied: the next request tries again
        throw err
      } finally {
        this.#blocking = undefined
      }
    }
  }

  /**
   * Looks for changes made elsewhere every `pollMs`, beside the requests (they are not held up):
   * such a change reaches the cache within about `pollMs`. Until started (tests, scripts), a
   * tile request looks when the interval has passed, and waits for it.
   */
  startPolling(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => {
      if (!this.#syncing && !this.#dirty) this.#start().catch(() => { this.#dirty = true })
    }, this.pollMs)
    this.#timer.unref()
  }

  async stopPolling(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#syncing?.catch(() => undefined)
  }

  #start(): Promise<void> {
    const look = this.#applyInvalidations().finally(() => { this.#syncing = undefined })
    this.#syncing = look
    return look
  }

  async #applyInvalidations(): Promise<void> {
    this.#dirty = false
    this.#lastSyncAt = performance.now()
    if (this.#lastSeq === undefined) {
      // First look: nothing cached yet, start from the newest record.
      this.#lastSeq = await latestInvalidationSeq(this.db)
      this.cache.clear()
      return
    }
    for (;;) {
      const rows = await invalidationsSince(this.db, this.#lastSeq, INVALIDATION_BATCH)
      if (rows.length === 0) return
      if (rows[0]!.seq > this.#lastSeq + 1 && (await oldestInvalidationSeq(this.db)) > this.#lastSeq + 1) {
        // Records were pruned before this process saw them: nothing cached can be trusted.
        this.cache.clear()
      } else {
        this.#evict(rows)
      }
      this.#generation++
      this.#lastSeq = rows[rows.length - 1]!.seq
      if (rows.length < INVALIDATION_BATCH) break
    }
    if (++this.#appliedSyncs % 100 === 0) await pruneTileInvalidations(this.db, INVALIDATIONS_KEPT)
  }

  #evict(rows: readonly TileInvalidation[]): void {
    const byLayer = new Map<string, Array<readonly number[] | null>>()
    for (const r of rows) {
      const list = byLayer.get(r.layer) ?? []
      list.push(r.bbox)
      byLayer.set(r.layer, list)
    }
    const all = [...byLayer.values()].flat()
    for (const key of this.cache.keys()) {
      const [layerKey, z, x, y] = key.split('/') as [string, string, string, string]
      const layer = layerKey.split('@')[0]!
      const boxes = layer === COMBINED ? all : byLayer.get(layer)
      if (!boxes) continue
      const bounds = tileBoundsWithBuffer(Number(z), Number(x), Number(y))
      if (boxes.some((b) => b === null || intersects(b, bounds))) this.cache.delete(key)
    }
  }

  /** A tile through the cache; `filter.operator` picks one operator's coverage (key `coverage-4g@viettel/z/x/y`). */
  async tile(layer: TileLayerName | typeof COMBINED, z: number, x: number, y: number, filter: TileFilter = {}): Promise<ServedTile> {
    await this.sync()
    const variant = layer === 'coverage-4g' && filter.operator !== undefined && filter.operator !== 'any' ? `@${filter.operator}` : ''
    const key = `${layer}${variant}/${z}/${x}/${y}`
    const hit = this.cache.get(key)
    if (hit) return { ...hit, cached: true }
    const generation = this.#generation
    const bytes = layer === COMBINED
      ? await renderCombinedTile(this.db, this.encoder, z, x, y)
      : await renderTile(this.db, this.encoder, layer, z, x, y, filter)
    const entry = { bytes, etag: tileEtag(bytes) }
    if (generation === this.#generation) this.cache.set(key, entry)
    return { ...entry, cached: false }
  }
}

/** What a TileJSON points at when its layers hold nothing yet: mainland Vietnam. */
const EMPTY_LAYERS_BOUNDS: [number, number, number, number] = [102.1, 8.1, 109.5, 23.4]

const round6 = (v: number) => Math.round(v * 1e6) / 1e6

/** Bounds rounded to 1e-6° and their centre at `zoom`, as a TileJSON or a PMTiles archive gives them. */
export function boundsAndCenter(bounds: readonly [number, number, number, number], zoom: number): { bounds: [number, number, number, number]; center: [number, number, number] } {
  const [w, s, e, n] = bounds.map(round6) as [number, number, number, number]
  return { bounds: [w, s, e, n], center: [round6((w + e) / 2), round6((s + n) / 2), zoom] }
}

/** TileJSON 3.0.0 of layers served together at `tilesUrl`; the bounds of their data in one query. */
async function tileJsonOf(db: Executor, layers: readonly TileLayerName[], doc: { name: string; description: string; tilesUrl: string; centerZoom: number }) {
  const specs = layers.map((l) => TILE_LAYERS[l])
  return {
    tilejson: '3.0.0' as const,
    name: doc.name,
    description: doc.description,
    scheme: 'xyz' as const,
    tiles: [doc.tilesUrl],
    minzoom: Math.min(...specs.map((sp) => sp.minzoom)),
    maxzoom: Math.max(...specs.map((sp) => sp.maxzoom)),
    ...boundsAndCenter((await layerBounds(db, layers)) ?? EMPTY_LAYERS_BOUNDS, doc.centerZoom),
    vector_layers: layers.map((l) => vectorLayer(l)),
  }
}

/** TileJSON 3.0.0 of the combined tiles: every public layer in one source (what a style wants). */
export async function combinedTileJson(db: Executor, tilesUrl: string) {
  return tileJsonOf(db, TILE_LAYER_NAMES, {
    name: 'phusong public layers',
    description: 'Every public layer in one vector tile: communes, villages, existing sites, fibre not owned by an operator, predicted 4G coverage classes',
    tilesUrl,
    centerZoom: Math.min(...TILE_LAYER_NAMES.map((l) => TILE_LAYERS[l].minzoom)) + 2,
  })
}

/** TileJSON 3.0.0 of one layer; `tilesUrl` is the absolute URL template ending in {z}/{x}/{y}.mvt. */
export async function tileJson(db: Executor, layer: TileLayerName, tilesUrl: string) {
  const spec = TILE_LAYERS[layer]
  return tileJsonOf(db, [layer], { name: `phusong ${layer}`, description: spec.description, tilesUrl, centerZoom: spec.minzoom })
}
