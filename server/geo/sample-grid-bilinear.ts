import type { AsciiGrid } from './parse-ascii-grid.ts'

/**
 * Value of a grid at a point, interpolated bilinearly between the four surrounding cell centres.
 *
 * `lon`/`lat` are in the grid's x/y unit (degrees for the bundled DEMs); the result is in the grid's
 * value unit (metres for a DEM). Between the grid edge and the outermost cell centres the value is
 * clamped (the edge cells are extended). Returns null outside the grid extent, and when every
 * neighbour that carries weight is NODATA; NODATA neighbours are otherwise left out and the weights
 * of the others renormalised.
 *
 * Used to look up ground height from the coarse DEM (sample generator: valley bias for villages,
 * ground elevation of sites).
 */
export function sampleGridBilinear(grid: AsciiGrid, lon: number, lat: number): number | null {
  const { ncols, nrows, xllcorner, yllcorner, cellsize, values } = grid
  const east = xllcorner + ncols * cellsize
  const north = yllcorner + nrows * cellsize
  if (!(lon >= xllcorner && lon <= east && lat >= yllcorner && lat <= north)) return null

  // Fractional column and row (row counted from the north), measured between cell centres.
  const fc = clamp((lon - xllcorner) / cellsize - 0.5, 0, ncols - 1)
  const fr = clamp((north - lat) / cellsize - 0.5, 0, nrows - 1)
  const c0 = Math.floor(fc)
  const r0 = Math.floor(fr)
  const c1 = Math.min(c0 + 1, ncols - 1)
  const r1 = Math.min(r0 + 1, nrows - 1)
  const tx = fc - c0
  const ty = fr - r0

  const corners: Array<[number, number]> = [
    [r0 * ncols + c0, (1 - tx) * (1 - ty)],
    [r0 * ncols + c1, tx * (1 - ty)],
    [r1 * ncols + c0, (1 - tx) * ty],
    [r1 * ncols + c1, tx * ty],
  ]
  let sum = 0
  let weight = 0
  for (const [index, w] of corners) {
    const v = values[index]
    if (v === undefined || Number.isNaN(v) || w === 0) continue
    sum += v * w
    weight += w
  }
  return weight > 0 ? sum / weight : null
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}
