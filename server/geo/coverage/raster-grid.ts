/**
 * A north-up raster in WGS84 degrees: `cols × rows` cells of `stepLon × stepLat`
 * degrees, cell (0, 0) in the north-west corner; `west`/`north` are the outer
 * edges of that cell. Cell centres are at west + (c + 0.5)·stepLon,
 * north − (r + 0.5)·stepLat. Used for DEM windows and coverage rasters alike,
 * so a coverage raster is aligned cell for cell with the DEM it came from.
 */
export interface RasterGrid {
  west: number
  north: number
  stepLon: number
  stepLat: number
  cols: number
  rows: number
}

/** Mean earth radius, metres (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8

/** Metres per degree of latitude and of longitude at a latitude (spherical approximation, < 0.5 % error). */
export function metresPerDegree(latDeg: number): { lat: number; lon: number } {
  const lat = (Math.PI / 180) * EARTH_RADIUS_M
  return { lat, lon: lat * Math.cos((latDeg * Math.PI) / 180) }
}

/** The centre of cell (col, row), degrees. */
export function cellCentre(grid: RasterGrid, col: number, row: number): [number, number] {
  return [grid.west + (col + 0.5) * grid.stepLon, grid.north - (row + 0.5) * grid.stepLat]
}

/**
 * The window of `parent`'s cells within `radiusM` of a point: a grid with the
 * same steps, aligned to the parent's cell edges, clipped to the parent.
 */
export function windowAround(parent: RasterGrid, lon: number, lat: number, radiusM: number): RasterGrid & { col0: number; row0: number } {
  const m = metresPerDegree(lat)
  const dLon = radiusM / m.lon
  const dLat = radiusM / m.lat
  const col0 = Math.max(0, Math.floor((lon - dLon - parent.west) / parent.stepLon))
  const col1 = Math.min(parent.cols, Math.ceil((lon + dLon - parent.west) / parent.stepLon))
  const row0 = Math.max(0, Math.floor((parent.north - (lat + dLat)) / parent.stepLat))
  const row1 = Math.min(parent.rows, Math.ceil((parent.north - (lat - dLat)) / parent.stepLat))
  return {
    west: parent.west + col0 * parent.stepLon,
    north: parent.north - row0 * parent.stepLat,
    stepLon: parent.stepLon,
    stepLat: parent.stepLat,
    cols: Math.max(0, col1 - col0),
    rows: Math.max(0, row1 - row0),
    col0,
    row0,
  }
}
