import { metresPerDegree, type RasterGrid } from '../../server/geo/coverage/raster-grid.ts'

/** The test site of the coverage unit tests (Sơn La) and 1″ cells. */
export const SITE = { lon: 104.0, lat: 21.3 }
export const STEP = 1 / 3600

/** A square 1″ grid centred on SITE, one cell wider than `radiusM` on each side. */
export function siteGrid(radiusM: number): RasterGrid {
  const half = Math.ceil(radiusM / (STEP * metresPerDegree(SITE.lat).lat)) + 1
  return { west: SITE.lon - half * STEP, north: SITE.lat + half * STEP, stepLon: STEP, stepLat: STEP, cols: 2 * half, rows: 2 * half }
}
