import { metresPerDegree } from '../coverage/raster-grid.ts'
import type { HeightWindow } from '../dem/height-window.ts'

/**
 * Slope at a post of a height window, degrees (0 flat … 90 vertical), by Horn's method: the
 * third-order finite difference over the 3 × 3 neighbourhood, the centre row and column weighted
 * twice (Horn, B. K. P. 1981, "Hill shading and the reflectance map", Proc. IEEE 69(1):14–47,
 * eq. on p. 18; the rule GDAL `gdaldem slope` and ArcGIS "Slope" use by default):
 *
 *     a b c        ∂z/∂x = ((c + 2f + i) − (a + 2d + g)) / (8·dx)
 *     d e f        ∂z/∂y = ((g + 2h + i) − (a + 2b + c)) / (8·dy)
 *     g h i        slope = atan(√(∂z/∂x² + ∂z/∂y²))
 *
 * dx and dy are the post spacings in metres at the post's latitude (`metresPerDegree`). NaN on the
 * window's edge or next to an unknown height. Used to describe candidate sites (a steep site is
 * harder to build on).
 */
export function hornSlope(window: HeightWindow, col: number, row: number): number {
  const { cols, rows, heights: h } = window
  if (col < 1 || row < 1 || col > cols - 2 || row > rows - 2) return Number.NaN
  const m = metresPerDegree(window.north - row * window.stepLat)
  const dx = window.stepLon * m.lon
  const dy = window.stepLat * m.lat
  const p = row * cols + col
  const a = h[p - cols - 1]!
  const b = h[p - cols]!
  const c = h[p - cols + 1]!
  const d = h[p - 1]!
  const f = h[p + 1]!
  const g = h[p + cols - 1]!
  const hh = h[p + cols]!
  const i = h[p + cols + 1]!
  const dzdx = (c + 2 * f + i - (a + 2 * d + g)) / (8 * dx)
  const dzdy = (g + 2 * hh + i - (a + 2 * b + c)) / (8 * dy)
  const slope = (Math.atan(Math.sqrt(dzdx * dzdx + dzdy * dzdy)) * 180) / Math.PI
  return Number.isFinite(slope) ? slope : Number.NaN
}
