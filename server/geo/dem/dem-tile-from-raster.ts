import { createDemTile, SRTM_VOID, type DemTile } from './dem-tile.ts'
import { tileNameOfCorner } from './hgt-tile-name.ts'

/**
 * Where a north-up raster in WGS 84 degrees (a GeoTIFF DEM) puts its samples: the centre of
 * pixel (column 0, row 0) and the pixel size. For a "pixel is area" GeoTIFF the centre is half a
 * pixel in from the origin corner; for "pixel is point" it is the tie point itself.
 */
export interface RasterGrid {
  width: number
  height: number
  /** Longitude of the centre of column 0, degrees. */
  firstLon: number
  /** Latitude of the centre of row 0 (the north row), degrees. */
  firstLat: number
  /** Pixel width and height in degrees (both positive; the raster runs east and south). */
  resLon: number
  resLat: number
}

/** A window of a raster in pixels, [left, top) to [right, bottom) exclusive, and its first sample's position. */
export interface RasterWindow {
  left: number
  top: number
  right: number
  bottom: number
  /** Longitude of the window's column 0 and latitude of its row 0 (sample centres), degrees. */
  west: number
  north: number
}

/** How much of a pixel float noise may shift a sample centre before it counts as outside a cell. */
const TOLERANCE = 1e-6

/**
 * The pixels of a raster whose centres lie in a 1° cell (edges included), given by its south-west
 * corner, or null when the raster does not cover the whole cell (a sample within one pixel of each
 * of the cell's edges). Used to read a GeoTIFF DEM one tile at a time.
 */
export function rasterWindowForCell(grid: RasterGrid, south: number, west: number): RasterWindow | null {
  const { width, height, firstLon, firstLat, resLon, resLat } = grid
  const left = Math.max(0, Math.ceil((west - firstLon) / resLon - TOLERANCE))
  const right = Math.min(width - 1, Math.floor((west + 1 - firstLon) / resLon + TOLERANCE)) + 1
  const top = Math.max(0, Math.ceil((firstLat - (south + 1)) / resLat - TOLERANCE))
  const bottom = Math.min(height - 1, Math.floor((firstLat - south) / resLat + TOLERANCE)) + 1
  if (right - left < 2 || bottom - top < 2) return null
  const windowWest = firstLon + left * resLon
  const windowEast = firstLon + (right - 1) * resLon
  const windowNorth = firstLat - top * resLat
  const windowSouth = firstLat - (bottom - 1) * resLat
  const reachLon = resLon * (1 + TOLERANCE)
  const reachLat = resLat * (1 + TOLERANCE)
  if (windowWest - west > reachLon || west + 1 - windowEast > reachLon) return null
  if (south + 1 - windowNorth > reachLat || windowSouth - south > reachLat) return null
  return { left, top, right, bottom, west: windowWest, north: windowNorth }
}

/** The 1° cells (south-west corners) a raster covers completely, in the sense of rasterWindowForCell. */
export function cellsCoveredByRaster(grid: RasterGrid): Array<{ south: number; west: number; name: string }> {
  const lonMin = grid.firstLon
  const lonMax = grid.firstLon + (grid.width - 1) * grid.resLon
  const latMax = grid.firstLat
  const latMin = grid.firstLat - (grid.height - 1) * grid.resLat
  const cells: Array<{ south: number; west: number; name: string }> = []
  for (let south = Math.floor(latMax); south >= Math.floor(latMin) - 1; south--) {
    for (let west = Math.floor(lonMin) - 1; west <= Math.floor(lonMax); west++) {
      if (south < -90 || south >= 90 || west < -180 || west >= 180) continue
      if (rasterWindowForCell(grid, south, west)) cells.push({ south, west, name: tileNameOfCorner(south, west) })
    }
  }
  return cells
}

/**
 * A DEM tile from the values of a raster window (row-major, row 0 north). Int16 values stay
 * Int16 (the nodata value, if any, becomes the void value; SRTM's −32768 otherwise); anything else
 * becomes Float32 with NaN for nodata. Pixels must be square: resolutions that differ by more
 * than 0.1 % are refused (reproject the file first).
 */
export function demTileFromRaster(input: {
  name: string
  values: ArrayLike<number>
  window: RasterWindow
  resLon: number
  resLat: number
  nodata: number | null
}): DemTile {
  const { name, values, window, resLon, resLat, nodata } = input
  const cols = window.right - window.left
  const rows = window.bottom - window.top
  if (Math.abs(resLon - resLat) > 0.001 * Math.max(resLon, resLat)) {
    throw new RangeError(`${name}: pixels are ${resLon}° × ${resLat}°; only square pixels are read (reproject to a square grid, e.g. gdalwarp -tr)`)
  }
  if (values.length !== cols * rows) throw new RangeError(`${name}: ${values.length} values for a ${cols} × ${rows} window`)
  let heights: Int16Array | Float32Array
  let voidValue = SRTM_VOID
  if (values instanceof Int16Array) {
    heights = Int16Array.from(values)
    if (nodata !== null && Number.isInteger(nodata) && nodata >= -32768 && nodata <= 32767) voidValue = nodata
  } else {
    heights = new Float32Array(values.length)
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!
      // Below −12 km is no height on Earth: fill values that were not declared as nodata.
      heights[i] = v === nodata || !Number.isFinite(v) || v < -12000 ? Number.NaN : v
    }
  }
  return createDemTile({ name, west: window.west, north: window.north, step: (resLon + resLat) / 2, cols, rows, heights, voidValue })
}
