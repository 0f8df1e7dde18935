import { createHash } from 'node:crypto'
import type { Engine } from '../../db/connect.ts'
import type { Executor } from '../../db/database.ts'
import { layerBounds, mvtTileBytes, TILE_LAYER_FIELDS, tileSpaceFeatures, type TileLayerName } from '../../repositories/tiles.repository.ts'
import { encodeLayer } from './node-encoder.ts'
import { TileCache } from './tile-cache.ts'
import { MAX_TILE_ZOOM, TILE_LAYER_NAMES, TILE_LAYERS } from './tile-layers.ts'

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

/** The encoded tile, empty (zero bytes) when the zoom is outside the layer's or no feature falls in it. */
export async function renderTile(db: Executor, encoder: TileEncoder, layer: TileLayerName, z: number, x: number, y: number): Promise<Uint8Array> {
  const spec = TILE_LAYERS[layer]
  if (z < spec.minzoom || z > spec.maxzoom) return new Uint8Array(0)
  if (encoder === 'postgis') return mvtTileBytes(db, layer, z, x, y)
  return encodeLayer(layer, await tileSpaceFeatures(db, layer, z, x, y))
}

/**
 * The combined tile of every public layer (one MVT layer each, in TILE_LAYER_NAMES order):
 * a vector tile is a sequence of layer messages, so the layers' encodings are concatenated.
 * Empty (zero bytes) when no layer has a feature there.
 */
export async function renderCombinedTile(db: Executor, encoder: TileEncoder, z: number, x: number, y: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for (const layer of TILE_LAYER_NAMES) parts.push(await renderTile(db, encoder, layer, z, x, y))
  return Buffer.concat(parts)
}

export function tileEtag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`
}

/** Default bound of the in-memory tile cache. */
export const DEFAULT_TILE_CACHE_BYTES = 64 * 1024 * 1024

/**
 * Tiles through the in-memory LRU cache (bounded by bytes). The cache is
 * NOT yet invalidated when villages, sites, communes or coverage change.
 */
export class TileService {
  readonly cache: TileCache

  constructor(private readonly db: Executor, readonly encoder: TileEncoder, cacheBytes = DEFAULT_TILE_CACHE_BYTES) {
    this.cache = new TileCache(cacheBytes)
  }

  async tile(layer: TileLayerName, z: number, x: number, y: number): Promise<{ bytes: Uint8Array; etag: string; cached: boolean }> {
    const key = `${layer}/${z}/${x}/${y}`
    const hit = this.cache.get(key)
    if (hit) return { ...hit, cached: true }
    const bytes = await renderTile(this.db, this.encoder, layer, z, x, y)
    const entry = { bytes, etag: tileEtag(bytes) }
    this.cache.set(key, entry)
    return { ...entry, cached: false }
  }
}

/** TileJSON 3.0.0 of one layer; `tilesUrl` is the absolute URL template ending in {z}/{x}/{y}.mvt. */
export async function tileJson(db: Executor, layer: TileLayerName, tilesUrl: string) {
  const spec = TILE_LAYERS[layer]
  const bounds = (await layerBounds(db, layer)) ?? [102.1, 8.1, 109.5, 23.4]
  const round = (v: number) => Math.round(v * 1e6) / 1e6
  const [w, s, e, n] = bounds.map(round) as [number, number, number, number]
  return {
    tilejson: '3.0.0' as const,
    name: `phusong ${layer}`,
    description: spec.description,
    scheme: 'xyz' as const,
    tiles: [tilesUrl],
    minzoom: spec.minzoom,
    maxzoom: spec.maxzoom,
    bounds: [w, s, e, n],
    center: [round((w + e) / 2), round((s + n) / 2), spec.minzoom],
    vector_layers: [{ id: layer, description: spec.description, minzoom: spec.minzoom, maxzoom: spec.maxzoom, fields: { ...TILE_LAYER_FIELDS[layer] } }],
  }
}
