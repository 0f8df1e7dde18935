/**
 * An elevation tile in memory: a regular grid of height samples on WGS 84 longitude/latitude.
 *
 * Samples are points (SRTM's "pixel is point" convention): sample (row r, column c) is the height
 * at lon = west + c·step, lat = north − r·step, row 0 is the north row. An SRTM `.hgt` tile
 * N21E103 at 1″ has 3601 × 3601 samples from lon 103 to 104 and lat 22 down to 21, both edges
 * included, so neighbouring tiles share their edge rows and columns.
 */
export type DemHeights = Int16Array | Float32Array

/** The SRTM void marker in `.hgt` files. */
export const SRTM_VOID = -32768

export interface DemTile {
  /** Tile name, e.g. 'N21E103' for the 1° cell whose south-west corner is 21° N 103° E. */
  name: string
  /** Longitude of column 0, degrees. */
  west: number
  /** Latitude of row 0 (the north row), degrees. */
  north: number
  /** Spacing between samples, degrees, the same along longitude and latitude (1/3600 for 1″). */
  step: number
  cols: number
  rows: number
  /** cols × rows heights in metres above the geoid (EGM96 for SRTM), row-major, row 0 = north. */
  heights: DemHeights
  /**
   * Heights equal to this are voids (no data): −32768 for SRTM. In a Float32Array tile NaN is
   * always a void as well.
   */
  voidValue: number
}

/** The extent of a tile's samples, degrees. */
export interface DemTileBounds {
  west: number
  south: number
  east: number
  north: number
}

/**
 * Checks that a tile's fields agree (size, at least 2 × 2 samples, positive step) and returns it.
 * Throws a RangeError naming the tile otherwise. Used by everything that builds a tile.
 */
export function createDemTile(tile: DemTile): DemTile {
  const { name, cols, rows, step, heights, west, north } = tile
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 2 || rows < 2) {
    throw new RangeError(`DEM tile ${name}: needs at least 2 × 2 samples, got ${cols} × ${rows}`)
  }
  if (heights.length !== cols * rows) {
    throw new RangeError(`DEM tile ${name}: ${heights.length} heights for ${cols} × ${rows} samples`)
  }
  if (!(step > 0) || !Number.isFinite(west) || !Number.isFinite(north)) {
    throw new RangeError(`DEM tile ${name}: bad origin (${west}, ${north}) or step ${step}`)
  }
  return tile
}

/** The extent of a tile's samples in degrees. */
export function demTileBounds(tile: DemTile): DemTileBounds {
  return {
    west: tile.west,
    south: tile.north - (tile.rows - 1) * tile.step,
    east: tile.west + (tile.cols - 1) * tile.step,
    north: tile.north,
  }
}

/** Bytes of a tile's height array: what a tile costs in memory (the rest is a few numbers). */
export function demTileBytes(tile: DemTile): number {
  return tile.heights.byteLength
}

/**
 * A flat tile at one height over a 1° cell given by its south-west corner: 2 × 2 samples, step 1°.
 * Used for sea tiles (SRTM mirrors have no tile where a cell is all water: the sea is at 0 m).
 */
export function createFlatDemTile(name: string, south: number, west: number, height: number): DemTile {
  return createDemTile({ name, west, north: south + 1, step: 1, cols: 2, rows: 2, heights: new Float32Array(4).fill(height), voidValue: SRTM_VOID })
}

/** How far outside a tile (in samples) a point may fall and still be read from its edge: float noise. */
export const EDGE_TOLERANCE = 1e-6

/**
 * Height at a point, interpolated bilinearly between the four surrounding samples.
 *
 * `lon`/`lat` in degrees, result in metres. Returns null outside the tile's extent (a hair of
 * float noise beyond the edge is accepted) and when every neighbour that carries weight is a void;
 * void neighbours are otherwise left out and the other weights renormalised (as
 * `sampleGridBilinear` does for the coarse grid). Used for every terrain lookup: profiles, site
 * ground heights, raster cells.
 */
export function sampleDemBilinear(tile: DemTile, lon: number, lat: number): number | null {
  const { cols, rows, step, heights, voidValue } = tile
  let fc = (lon - tile.west) / step
  let fr = (tile.north - lat) / step
  const maxC = cols - 1
  const maxR = rows - 1
  // Also false for NaN.
  if (!(fc >= -EDGE_TOLERANCE && fc <= maxC + EDGE_TOLERANCE && fr >= -EDGE_TOLERANCE && fr <= maxR + EDGE_TOLERANCE)) return null
  if (fc < 0) fc = 0
  else if (fc > maxC) fc = maxC
  if (fr < 0) fr = 0
  else if (fr > maxR) fr = maxR
  let c0 = Math.floor(fc)
  let r0 = Math.floor(fr)
  if (c0 === maxC) c0 = maxC - 1
  if (r0 === maxR) r0 = maxR - 1
  const tx = fc - c0
  const ty = fr - r0
  const i00 = r0 * cols + c0
  const i10 = i00 + cols
  const h00 = heights[i00] as number
  const h01 = heights[i00 + 1] as number
  const h10 = heights[i10] as number
  const h11 = heights[i10 + 1] as number
  const w00 = (1 - tx) * (1 - ty)
  const w01 = tx * (1 - ty)
  const w10 = (1 - tx) * ty
  const w11 = tx * ty
  // The usual case first: four valid samples (NaN ≠ NaN, so a NaN fails the === test below).
  if (h00 !== voidValue && h01 !== voidValue && h10 !== voidValue && h11 !== voidValue && h00 === h00 && h01 === h01 && h10 === h10 && h11 === h11) {
    return h00 * w00 + h01 * w01 + h10 * w10 + h11 * w11
  }
  let sum = 0
  let weight = 0
  if (w00 > 0 && h00 !== voidValue && h00 === h00) { sum += h00 * w00; weight += w00 }
  if (w01 > 0 && h01 !== voidValue && h01 === h01) { sum += h01 * w01; weight += w01 }
  if (w10 > 0 && h10 !== voidValue && h10 === h10) { sum += h10 * w10; weight += w10 }
  if (w11 > 0 && h11 !== voidValue && h11 === h11) { sum += h11 * w11; weight += w11 }
  return weight > 0 ? sum / weight : null
}

/** True when a height is a void of this tile (the void value, or NaN). */
export function isDemVoid(tile: DemTile, height: number): boolean {
  return height === tile.voidValue || Number.isNaN(height)
}
