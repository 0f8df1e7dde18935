import { metresPerDegree } from '../coverage/raster-grid.ts'
import { groundDistance } from './ground-distance.ts'

export interface SpacedPoint {
  lon: number
  lat: number
}

export interface ThinResult {
  /** Indices into the input of the points kept, in the order they were kept (best first). */
  kept: number[]
  /** Points dropped because an `occupied` point was within the spacing. */
  nearOccupied: number
  /** Points dropped because a better point was kept within the spacing. */
  nearBetter: number
}

/**
 * Greedy thinning to a minimum spacing (the usual "greedy non-maximum suppression" of peak
 * picking): the points are taken in the order given (the caller sorts them best first), and a
 * point is kept when no point already kept, and no `occupied` point (e.g. existing sites), is
 * closer than `minSpacingM` metres (`groundDistance`). Stops once `limit` points are kept.
 * Neighbours are found through a hash grid of cells one spacing wide, so the cost is about
 * linear in the number of points.
 */
export function thinBySpacing(points: readonly SpacedPoint[], minSpacingM: number, options: { occupied?: readonly SpacedPoint[]; limit?: number } = {}): ThinResult {
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const refLat = points[0]?.lat ?? 0
  const m = metresPerDegree(refLat)
  // Cells a little wider than the spacing in degrees, so neighbours are within the 3 × 3 cells around.
  const cellLon = (minSpacingM / m.lon) * 1.01 || 1
  const cellLat = (minSpacingM / m.lat) * 1.01 || 1
  const grid = new Map<string, SpacedPoint[]>()
  const keyOf = (cx: number, cy: number) => `${cx}:${cy}`
  const add = (p: SpacedPoint): void => {
    const key = keyOf(Math.floor(p.lon / cellLon), Math.floor(p.lat / cellLat))
    const list = grid.get(key)
    if (list) list.push(p)
    else grid.set(key, [p])
  }
  const occupiedGrid = new Map<string, SpacedPoint[]>()
  for (const p of options.occupied ?? []) {
    const key = keyOf(Math.floor(p.lon / cellLon), Math.floor(p.lat / cellLat))
    const list = occupiedGrid.get(key)
    if (list) list.push(p)
    else occupiedGrid.set(key, [p])
  }
  const near = (g: Map<string, SpacedPoint[]>, p: SpacedPoint): boolean => {
    const cx = Math.floor(p.lon / cellLon)
    const cy = Math.floor(p.lat / cellLat)
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const q of g.get(keyOf(cx + dx, cy + dy)) ?? []) {
          if (groundDistance(p.lon, p.lat, q.lon, q.lat) < minSpacingM) return true
        }
      }
    }
    return false
  }
  const kept: number[] = []
  let nearOccupied = 0
  let nearBetter = 0
  for (let k = 0; k < points.length && kept.length < limit; k++) {
    const p = points[k]!
    if (near(occupiedGrid, p)) {
      nearOccupied++
      continue
    }
    if (near(grid, p)) {
      nearBetter++
      continue
    }
    kept.push(k)
    add(p)
  }
  return { kept, nearOccupied, nearBetter }
}
