import { zxyToTileId } from 'pmtiles'
import type { Executor } from '../../db/database.ts'
import { exportArea, tilesTouchingArea } from '../../repositories/tiles.repository.ts'
import { PmtilesWriter } from './pmtiles-writer.ts'
import { MAX_TILE_ZOOM, TILE_LAYER_NAMES, TILE_LAYERS, vectorLayer } from './tile-layers.ts'
import { boundsAndCenter, renderCombinedTile, tileContaining, type TileEncoder } from './tiles.service.ts'

/**
 * The public map (every public vector tile layer, as `renderCombinedTile` serves them) of a
 * province, or of every commune, as one PMTiles v3 archive for offline use (MapLibre with the
 * `pmtiles` protocol). For each zoom, the tiles covering the area's bounding box that touch
 * the area (the province polygon or one of its communes: the province outline is simplified
 * more than the communes) are rendered in tile id order; empty tiles are left out.
 */

export const DEFAULT_PMTILES_MIN_ZOOM = 6
export const DEFAULT_PMTILES_MAX_ZOOM = 14

/** Default archive attribution (see data/README.md for the sources and what is synthetic). */
export const PMTILES_ATTRIBUTION = 'phusong; commune and province boundaries: vietnam-3d-map (MIT), from gis.vn; '
  + 'villages, sites and coverage of the bundled sample are SYNTHETIC; see data/README.md'

export interface PmtilesExportOptions {
  /** Two-digit province code; all communes when absent. */
  provinceCode?: string
  minZoom: number
  maxZoom: number
  /** Output file (written through a temporary file beside it, then renamed). */
  out: string
  attribution?: string
  /** Tiles rendered at once (the server engine's pool serves them in parallel; PGlite queues them). */
  concurrency?: number
  onProgress?: (progress: { done: number; total: number; z: number }) => void
}

export interface PmtilesExportReport {
  out: string
  provinceCode: string | null
  name: string
  minZoom: number
  maxZoom: number
  /** WGS84 [west, south, east, north] of the area. */
  bounds: [number, number, number, number]
  /** Tiles looked at (touching the area). */
  candidates: number
  /** Tiles written (non-empty). */
  tiles: number
  uniqueContents: number
  tileEntries: number
  leafDirectories: number
  bytes: number
  tileDataBytes: number
  /** Tiles written per zoom. */
  perZoom: Record<number, number>
  seconds: number
}

export class PmtilesExportError extends Error {}

/** The x and y ranges of the web mercator tiles covering a WGS84 box at zoom z. */
export function tileRange(bounds: [number, number, number, number], z: number): { x0: number; x1: number; y0: number; y1: number } {
  const [w, s, e, n] = bounds
  const northWest = tileContaining(w, n, z)
  const southEast = tileContaining(e, s, z)
  return { x0: northWest.x, x1: southEast.x, y0: northWest.y, y1: southEast.y }
}

/** Exports the public map of a province (or of all communes) as a PMTiles archive; see the module comment. */
export async function exportPublicPmtiles(db: Executor, encoder: TileEncoder, options: PmtilesExportOptions): Promise<PmtilesExportReport> {
  const started = performance.now()
  const { provinceCode, minZoom, maxZoom, out } = options
  if (!Number.isInteger(minZoom) || !Number.isInteger(maxZoom) || minZoom < 0 || maxZoom > MAX_TILE_ZOOM || minZoom > maxZoom) {
    throw new PmtilesExportError(`zooms must be integers with 0 ≤ min ≤ max ≤ ${MAX_TILE_ZOOM} (got ${minZoom}–${maxZoom})`)
  }
  const area = await exportArea(db, provinceCode)
  if (!area) throw new PmtilesExportError(provinceCode !== undefined ? `no province with code ${provinceCode}` : 'no communes: nothing to export')
  const plan: { z: number; tiles: [number, number][] }[] = []
  for (let z = minZoom; z <= maxZoom; z++) {
    const tiles = await tilesTouchingArea(db, provinceCode, z, tileRange(area.bounds, z))
    // Clustered archive: tile data in tile id (Hilbert) order; every id of zoom z is below those of z + 1.
    tiles.sort((a, b) => zxyToTileId(z, a[0], a[1]) - zxyToTileId(z, b[0], b[1]))
    plan.push({ z, tiles })
  }
  const total = plan.reduce((n, p) => n + p.tiles.length, 0)
  const concurrency = Math.max(1, options.concurrency ?? 4)
  const perZoom: Record<number, number> = {}
  const writer = await PmtilesWriter.create(out)
  try {
    let done = 0
    for (const { z, tiles } of plan) {
      perZoom[z] = 0
      for (let i = 0; i < tiles.length; i += concurrency) {
        const batch = tiles.slice(i, i + concurrency)
        const rendered = await Promise.all(batch.map(([x, y]) => renderCombinedTile(db, encoder, z, x, y)))
        for (let k = 0; k < batch.length; k++) {
          const bytes = rendered[k]!
          if (bytes.byteLength === 0) continue
          await writer.addTile(z, batch[k]![0], batch[k]![1], bytes)
          perZoom[z]++
        }
        done += batch.length
        options.onProgress?.({ done, total, z })
      }
    }
    const { bounds, center } = boundsAndCenter(area.bounds, Math.min(maxZoom, minZoom + 2))
    const name = provinceCode === undefined ? 'phusong' : `phusong ${area.name}`
    const summary = await writer.finish({
      minZoom, maxZoom, bounds, center,
      metadata: {
        name,
        description: `Public map of ${area.name} (layers ${TILE_LAYER_NAMES.join(', ')}), zooms ${minZoom}–${maxZoom}`,
        attribution: options.attribution ?? PMTILES_ATTRIBUTION,
        type: 'overlay',
        vector_layers: TILE_LAYER_NAMES
          .filter((l) => TILE_LAYERS[l].minzoom <= maxZoom && TILE_LAYERS[l].maxzoom >= minZoom)
          .map((l) => vectorLayer(l, { minzoom: minZoom, maxzoom: maxZoom })),
      },
    })
    return {
      out, provinceCode: provinceCode ?? null, name, minZoom, maxZoom, bounds, candidates: total,
      tiles: summary.addressedTiles, uniqueContents: summary.tileContents, tileEntries: summary.tileEntries,
      leafDirectories: summary.leafDirectories, bytes: summary.bytes, tileDataBytes: summary.tileDataBytes,
      perZoom, seconds: (performance.now() - started) / 1000,
    }
  } catch (err) {
    await writer.abort()
    throw err
  }
}
