import { isDemVoid, sampleDemBilinear, type DemTile } from './dem-tile.ts'

/**
 * Heights on a regular lattice of posts, copied once out of the DEM tiles so
 * that a hot loop reads them by index: posts at lon = west + j·stepLon,
 * lat = north − i·stepLat, row-major, NaN where no tile has a height.
 *
 * The coverage rasters use the posts at their cell corners: a raster of
 * `cols × rows` cells needs a window of `(cols + 1) × (rows + 1)` posts, and a
 * point at fractional post coordinates (x, y) lies in cell (⌊x⌋, ⌊y⌋).
 */
export interface HeightWindow {
  west: number
  north: number
  stepLon: number
  stepLat: number
  /** Posts per row and rows of posts. */
  cols: number
  rows: number
  heights: Float32Array
}

/** The post window whose posts are the corners of a raster's cells. */
export function postsForRaster(grid: { west: number; north: number; stepLon: number; stepLat: number; cols: number; rows: number }): Omit<HeightWindow, 'heights'> {
  return { west: grid.west, north: grid.north, stepLon: grid.stepLon, stepLat: grid.stepLat, cols: grid.cols + 1, rows: grid.rows + 1 }
}

const ALIGN_TOLERANCE = 1e-6

/**
 * Fills a window from tiles in priority order (the first tile with a height at
 * a post wins, as in the mosaic sampler). Where a tile's lattice coincides with
 * the window's (same step, posts aligned: SRTM tiles and a raster on their
 * grid), its heights are copied row by row; otherwise each post still empty is
 * read bilinearly from the tile. Voids become NaN.
 */
export function heightWindowFromTiles(tiles: readonly DemTile[], posts: Omit<HeightWindow, 'heights'>): HeightWindow {
  const { cols, rows } = posts
  const heights = new Float32Array(cols * rows).fill(Number.NaN)
  let empty = cols * rows
  for (const tile of tiles) {
    if (empty === 0) break
    const tileSouth = tile.north - (tile.rows - 1) * tile.step
    const tileEast = tile.west + (tile.cols - 1) * tile.step
    // Posts of the window inside the tile's extent.
    const j0 = Math.max(0, Math.ceil((tile.west - posts.west) / posts.stepLon - ALIGN_TOLERANCE))
    const j1 = Math.min(cols - 1, Math.floor((tileEast - posts.west) / posts.stepLon + ALIGN_TOLERANCE))
    const i0 = Math.max(0, Math.ceil((posts.north - tile.north) / posts.stepLat - ALIGN_TOLERANCE))
    const i1 = Math.min(rows - 1, Math.floor((posts.north - tileSouth) / posts.stepLat + ALIGN_TOLERANCE))
    if (j0 > j1 || i0 > i1) continue
    const colOffset = (posts.west - tile.west) / tile.step
    const rowOffset = (tile.north - posts.north) / tile.step
    const aligned = Math.abs(posts.stepLon - tile.step) < ALIGN_TOLERANCE * tile.step
      && Math.abs(posts.stepLat - tile.step) < ALIGN_TOLERANCE * tile.step
      && Math.abs(colOffset - Math.round(colOffset)) < ALIGN_TOLERANCE
      && Math.abs(rowOffset - Math.round(rowOffset)) < ALIGN_TOLERANCE
    const src = tile.heights
    for (let i = i0; i <= i1; i++) {
      const out = i * cols
      if (aligned) {
        const tr = Math.round(rowOffset) + i
        const base = tr * tile.cols + Math.round(colOffset)
        for (let j = j0; j <= j1; j++) {
          if (heights[out + j] === heights[out + j]) continue
          const h = src[base + j]!
          if (isDemVoid(tile, h)) continue
          heights[out + j] = h
          empty--
        }
      } else {
        const lat = posts.north - i * posts.stepLat
        for (let j = j0; j <= j1; j++) {
          if (heights[out + j] === heights[out + j]) continue
          const h = sampleDemBilinear(tile, posts.west + j * posts.stepLon, lat)
          if (h === null || !Number.isFinite(h)) continue
          heights[out + j] = h
          empty--
        }
      }
    }
  }
  return { ...posts, heights }
}

/** A window filled from a height function (tests, and DEMs that are not tiles); NaN stays unknown. */
export function heightWindowFromFunction(heightAt: (lon: number, lat: number) => number, posts: Omit<HeightWindow, 'heights'>): HeightWindow {
  const heights = new Float32Array(posts.cols * posts.rows)
  for (let i = 0; i < posts.rows; i++) {
    const lat = posts.north - i * posts.stepLat
    for (let j = 0; j < posts.cols; j++) heights[i * posts.cols + j] = heightAt(posts.west + j * posts.stepLon, lat)
  }
  return { ...posts, heights }
}

/** Bilinear height at fractional post coordinates (x east, y south); NaN outside the window or next to an unknown post. */
export function heightAtPost(window: HeightWindow, x: number, y: number): number {
  if (!(x >= 0 && y >= 0 && x <= window.cols - 1 && y <= window.rows - 1)) return Number.NaN
  const j = Math.min(window.cols - 2, Math.floor(x))
  const i = Math.min(window.rows - 2, Math.floor(y))
  const fx = x - j
  const fy = y - i
  const p = i * window.cols + j
  const h = window.heights
  const top = h[p]! + fx * (h[p + 1]! - h[p]!)
  const bottom = h[p + window.cols]! + fx * (h[p + window.cols + 1]! - h[p + window.cols]!)
  return top + fy * (bottom - top)
}
