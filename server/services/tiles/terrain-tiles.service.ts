import { PNG } from 'pngjs'
import { encodeTerrarium, tileBbox, tilePixelLonLat } from '../../geo/dem/terrarium.ts'
import type { DemStore } from '../dem/dem-store.ts'
import { tileEtag } from './tiles.service.ts'

/**
 * Terrain tiles from the DEM store: 256 × 256 PNG, Terrarium encoding, so MapLibre can draw
 * hillshade and 3D terrain with no outside service. Each pixel is the DEM's bilinear height at
 * its centre (0 m where no tile has data). Zooms 5–14 (1″ DEM ≈ 30 m ≈ a z12 pixel at 21° N;
 * beyond z14 MapLibre overzooms). No tile covers the area → null (the route answers 204).
 * Whether any tile used is SYNTHETIC is returned so the route can say so.
 */
export const TERRAIN_MIN_ZOOM = 5
export const TERRAIN_MAX_ZOOM = 14
const SIZE = 256

export interface TerrainTile {
  png: Buffer
  etag: string
  synthetic: boolean
}

export async function terrainTile(dem: DemStore, z: number, x: number, y: number): Promise<TerrainTile | null> {
  const bbox = tileBbox(z, x, y)
  const coverage = dem.coverage(bbox)
  if (coverage.real + coverage.synthetic === 0) return null
  const area = await dem.sampler(bbox)
  const heights = new Float64Array(SIZE * SIZE)
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      const [lon, lat] = tilePixelLonLat(z, x, y, px, py, SIZE)
      heights[py * SIZE + px] = area.sampler.sample(lon, lat) ?? 0
    }
  }
  const png = new PNG({ width: SIZE, height: SIZE })
  encodeTerrarium(heights, png.data)
  const bytes = PNG.sync.write(png)
  return { png: bytes, etag: tileEtag(bytes), synthetic: coverage.synthetic > 0 }
}
