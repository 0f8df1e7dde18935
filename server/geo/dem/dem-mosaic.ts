import { demTileBounds, EDGE_TOLERANCE, isDemVoid, sampleDemBilinear, type DemTile, type DemTileBounds } from './dem-tile.ts'

/** Heights over several tiles, looked up as if they were one raster. */
export interface DemSampler {
  /** Height in metres at lon/lat (degrees), bilinear; null where no tile covers the point or only voids surround it. */
  sample(lon: number, lat: number): number | null
  /** The tiles, in priority order (the first one that covers a point is read). */
  readonly tiles: readonly DemTile[]
  /** The union bbox of the tiles' extents, degrees; null when there is no tile. */
  readonly bounds: DemTileBounds | null
}

/**
 * Builds a sampler over a set of tiles (a mosaic), e.g. the 1° tiles around a site.
 *
 * Tiles are indexed by the 1° cells they touch. A point is read from the first tile (in the given
 * order) whose sample extent contains it, so `.hgt` tiles, which share their edge rows and
 * columns, join without a seam: a point on lon 104 reads the same heights from N21E103 and
 * N21E104. Tiles that do not share their edges (GeoTIFF windows of 3600 samples per degree, where
 * the last column of a degree is the next tile's first) leave a gap one sample wide between
 * their extents; a point in that gap is interpolated from the nearest samples of the tiles on
 * either side, found through the lattice of the tile of the point's cell, so the surface is still
 * continuous. Tiles of different resolutions may be mixed; each point is read at the resolution of
 * its tile.
 *
 * Pure and synchronous: the caller loads the tiles first (see the DEM store). Unless tiles overlap
 * by more than a shared edge, the last tile hit is remembered, so runs of nearby points (profiles,
 * raster rows) cost one bounds check each.
 */
export function createDemSampler(tiles: readonly DemTile[]): DemSampler {
  const byCell = new Map<number, DemTile[]>()
  let bounds: DemTileBounds | null = null
  const extents = new Map<DemTile, DemTileBounds>()
  for (const tile of tiles) {
    const b = demTileBounds(tile)
    extents.set(tile, b)
    bounds = bounds === null ? { ...b } : { west: Math.min(bounds.west, b.west), south: Math.min(bounds.south, b.south), east: Math.max(bounds.east, b.east), north: Math.max(bounds.north, b.north) }
    for (let lat = Math.floor(b.south); lat <= Math.floor(b.north) && lat < 90; lat++) {
      for (let lon = Math.floor(b.west); lon <= Math.floor(b.east) && lon < 180; lon++) {
        const key = cellKey(lat, lon)
        const list = byCell.get(key)
        if (list) list.push(tile)
        else byCell.set(key, [tile])
      }
    }
  }

  // Tiles that overlap by more than a shared edge make the answer depend on priority: then every
  // point is looked up afresh instead of reusing the last tile hit.
  let overlapping = false
  for (const list of byCell.values()) {
    for (let i = 0; i < list.length && !overlapping; i++) {
      for (let j = i + 1; j < list.length && !overlapping; j++) {
        const a = extents.get(list[i]!)!
        const b = extents.get(list[j]!)!
        const tol = Math.max(list[i]!.step, list[j]!.step) * 0.5
        overlapping = Math.min(a.east, b.east) - Math.max(a.west, b.west) > tol && Math.min(a.north, b.north) - Math.max(a.south, b.south) > tol
      }
    }
  }

  let last: DemTile | null = null
  let lastBounds: DemTileBounds | null = null

  function contains(b: DemTileBounds, tile: DemTile, lon: number, lat: number): boolean {
    const tol = EDGE_TOLERANCE * tile.step
    return lon >= b.west - tol && lon <= b.east + tol && lat >= b.south - tol && lat <= b.north + tol
  }

  function tileAt(lon: number, lat: number): DemTile | null {
    const list = byCell.get(cellKey(Math.floor(lat), Math.floor(lon)))
    if (!list) return null
    for (const tile of list) {
      if (contains(extents.get(tile)!, tile, lon, lat)) return tile
    }
    return null
  }

  /** The height of the sample nearest to a point on some tile's lattice: NaN for a void, undefined off every tile. */
  function nodeHeight(lon: number, lat: number): number | undefined {
    const tile = tileAt(lon, lat)
    if (!tile) return undefined
    const c = Math.round((lon - tile.west) / tile.step)
    const r = Math.round((tile.north - lat) / tile.step)
    const h = tile.heights[r * tile.cols + c]
    return h === undefined || isDemVoid(tile, h) ? Number.NaN : h
  }

  /** A point between tiles: bilinear over the lattice of a tile of the point's cell or a neighbouring one. */
  function sampleBetween(lon: number, lat: number): number | null {
    const lattice = byCell.get(cellKey(Math.floor(lat), Math.floor(lon)))?.[0] ?? nearestTile(lon, lat)
    if (!lattice) return null
    const { step, west, north } = lattice
    const fc = (lon - west) / step
    const fr = (north - lat) / step
    const c0 = Math.floor(fc)
    const r0 = Math.floor(fr)
    const tx = fc - c0
    const ty = fr - r0
    let sum = 0
    let weight = 0
    for (let dr = 0; dr <= 1; dr++) {
      for (let dc = 0; dc <= 1; dc++) {
        const w = (dc === 0 ? 1 - tx : tx) * (dr === 0 ? 1 - ty : ty)
        if (w === 0) continue
        const h = nodeHeight(west + (c0 + dc) * step, north - (r0 + dr) * step)
        // A neighbour on no tile: the point is beyond the mosaic's outer edge or next to a hole.
        if (h === undefined) return null
        if (h !== h) continue
        sum += h * w
        weight += w
      }
    }
    return weight > 0 ? sum / weight : null
  }

  function nearestTile(lon: number, lat: number): DemTile | null {
    for (let dLat = -1; dLat <= 1; dLat++) {
      for (let dLon = -1; dLon <= 1; dLon++) {
        const list = byCell.get(cellKey(Math.floor(lat) + dLat, Math.floor(lon) + dLon))
        if (list?.[0]) return list[0]
      }
    }
    return null
  }

  return {
    tiles,
    bounds,
    sample(lon: number, lat: number): number | null {
      if (last !== null && !overlapping && contains(lastBounds!, last, lon, lat)) return sampleDemBilinear(last, lon, lat)
      const tile = tileAt(lon, lat)
      if (tile) {
        last = tile
        lastBounds = extents.get(tile)!
        return sampleDemBilinear(tile, lon, lat)
      }
      if (!(Number.isFinite(lon) && Number.isFinite(lat))) return null
      return sampleBetween(lon, lat)
    },
  }
}

function cellKey(lat: number, lon: number): number {
  return (lat + 90) * 360 + (lon + 180)
}
