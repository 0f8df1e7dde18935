import { describe, expect, it } from 'vitest'
import { cellsCoveredByRaster, demTileFromRaster, rasterWindowForCell, type RasterGrid } from '../../../../server/geo/dem/dem-tile-from-raster.ts'

/** A 1″ SRTM GeoTIFF of N21E103 as distributed with "pixel is point": 3601 samples per side, edges included. */
const POINT_GRID: RasterGrid = { width: 3601, height: 3601, firstLon: 103, firstLat: 22, resLon: 1 / 3600, resLat: 1 / 3600 }
/** A "pixel is area" raster of 2° × 1° at 0.25°: sample centres half a pixel in from the corner. */
const AREA_GRID: RasterGrid = { width: 8, height: 4, firstLon: 103.125, firstLat: 21.875, resLon: 0.25, resLat: 0.25 }

describe('rasterWindowForCell', () => {
  it('takes the whole raster of a point-convention tile, edges included', () => {
    expect(rasterWindowForCell(POINT_GRID, 21, 103)).toEqual({ left: 0, top: 0, right: 3601, bottom: 3601, west: 103, north: 22 })
  })

  it('takes the pixels whose centres lie in the cell of an area-convention raster', () => {
    const w = rasterWindowForCell(AREA_GRID, 21, 104)
    expect(w).toEqual({ left: 4, top: 0, right: 8, bottom: 4, west: 104.125, north: 21.875 })
  })

  it('refuses cells the raster does not cover completely', () => {
    expect(rasterWindowForCell(POINT_GRID, 21, 104)).toBeNull()
    expect(rasterWindowForCell({ ...AREA_GRID, width: 6 }, 21, 104)).toBeNull() // ends at 104.625
  })

  it('lists the covered cells', () => {
    expect(cellsCoveredByRaster(AREA_GRID).map((c) => c.name)).toEqual(['N21E103', 'N21E104'])
    expect(cellsCoveredByRaster(POINT_GRID).map((c) => c.name)).toEqual(['N21E103'])
  })
})

describe('demTileFromRaster', () => {
  it('keeps Int16 values and the nodata value as void', () => {
    const window = rasterWindowForCell(AREA_GRID, 21, 104)!
    const values = Int16Array.from({ length: 16 }, (_, i) => (i === 5 ? -9999 : i * 10))
    const tile = demTileFromRaster({ name: 'N21E104', values, window, resLon: 0.25, resLat: 0.25, nodata: -9999 })
    expect(tile).toMatchObject({ name: 'N21E104', west: 104.125, north: 21.875, step: 0.25, cols: 4, rows: 4, voidValue: -9999 })
    expect(tile.heights).toBeInstanceOf(Int16Array)
  })

  it('turns other types into Float32 with NaN for nodata and impossible values', () => {
    const window = rasterWindowForCell(AREA_GRID, 21, 104)!
    const values = Float64Array.from({ length: 16 }, (_, i) => (i === 0 ? -3.4028234663852886e38 : i === 1 ? 7.5 : i === 2 ? -20000 : 1))
    const tile = demTileFromRaster({ name: 'N21E104', values, window, resLon: 0.25, resLat: 0.25, nodata: -3.4028234663852886e38 })
    expect(tile.heights).toBeInstanceOf(Float32Array)
    expect(Array.from(tile.heights.subarray(0, 3))).toEqual([Number.NaN, 7.5, Number.NaN])
  })

  it('refuses pixels that are not square', () => {
    const window = rasterWindowForCell(AREA_GRID, 21, 104)!
    expect(() => demTileFromRaster({ name: 'x', values: new Float32Array(16), window, resLon: 0.25, resLat: 0.2, nodata: null })).toThrow(/square/)
  })
})
