import { metresPerDegree } from '../coverage/raster-grid.ts'
import type { HeightWindow } from '../dem/height-window.ts'

/**
 * The distance between neighbouring posts of a height window, metres: `dx` east–west at the
 * window's middle latitude, `dy` north–south (spherical, `metresPerDegree`). Over the few tenths
 * of a degree a candidate search spans, dx changes by well under 1 %.
 */
export function postSpacing(window: Omit<HeightWindow, 'heights'>): { dx: number; dy: number } {
  const midLat = window.north - ((window.rows - 1) * window.stepLat) / 2
  const m = metresPerDegree(midLat)
  return { dx: window.stepLon * m.lon, dy: window.stepLat * m.lat }
}

/** A radius in metres as whole posts east–west (`rx`) and north–south (`ry`), each at least 1. */
export function postRadius(window: Omit<HeightWindow, 'heights'>, radiusM: number): { rx: number; ry: number } {
  const { dx, dy } = postSpacing(window)
  return { rx: Math.max(1, Math.round(radiusM / dx)), ry: Math.max(1, Math.round(radiusM / dy)) }
}
