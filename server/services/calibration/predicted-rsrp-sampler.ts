import type { Db, Technology } from '../../db/database.ts'
import { findCoverageTileRasters, listCoverageTileHeadersInBbox, type CoverageTileHeaderRow } from '../../repositories/calibration.repository.ts'
import { decodeCompositeTile, NO_RSRP } from '../coverage/raster-codec.ts'

export interface SamplePoint {
  lon: number
  lat: number
}

/**
 * The predicted best-server RSRP (dBm) of a run at many points, for one operator (null = any
 * operator) and technology; NaN where nothing is predicted. The same cell as `predictedRsrpAt`
 * (server/services/coverage/coverage-at.service.ts) takes, but each composite tile is read and
 * decoded once: the tiles' headers are listed for the points' bounding box, each point is given
 * to the one tile that contains it (cells are half-open: a point on a shared edge belongs to the
 * tile east or south of it), then the tiles are read one at a time, so memory holds one decoded
 * tile whatever the number of points.
 */
export async function samplePredictedRsrp(
  db: Db, runId: number, operatorId: number | null, technology: Technology, points: readonly SamplePoint[],
): Promise<Float64Array> {
  const out = new Float64Array(points.length).fill(Number.NaN)
  if (points.length === 0) return out
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const p of points) {
    if (p.lon < minLon) minLon = p.lon
    if (p.lon > maxLon) maxLon = p.lon
    if (p.lat < minLat) minLat = p.lat
    if (p.lat > maxLat) maxLat = p.lat
  }
  const headers = await listCoverageTileHeadersInBbox(db, runId, operatorId, technology, [minLon, minLat, maxLon, maxLat])
  if (headers.length === 0) return out

  const pointsByTile = assignPointsToTiles(headers, points)
  for (const [tileIndex, indices] of pointsByTile) {
    const t = headers[tileIndex]!
    const rasters = await findCoverageTileRasters(db, runId, operatorId, technology, t.tile)
    if (!rasters) continue
    const cells = t.cols * t.rows
    const decoded = decodeCompositeTile(rasters.codec, rasters.best, rasters.server, cells)
    for (const i of indices) {
      const cell = cellIndex(t, points[i]!)
      if (cell === -1) continue
      const best = decoded.best[cell]!
      if (best !== NO_RSRP) out[i] = best / 10
    }
  }
  return out
}

/** The cell of a tile containing a point (as predictedRsrpAt computes it), or −1 outside the tile. */
function cellIndex(t: CoverageTileHeaderRow, p: SamplePoint): number {
  const c = Math.floor((p.lon - t.west) / t.step_lon)
  const r = Math.floor((t.north - p.lat) / t.step_lat)
  if (c < 0 || r < 0 || c >= t.cols || r >= t.rows) return -1
  return r * t.cols + c
}

/**
 * Point indices by the index of the tile containing them. Tiles are bucketed on a grid as coarse
 * as the largest tile, so each point is checked against the few tiles of its bucket only.
 */
function assignPointsToTiles(headers: readonly CoverageTileHeaderRow[], points: readonly SamplePoint[]): Map<number, number[]> {
  let spanLon = 0
  let spanLat = 0
  for (const t of headers) {
    spanLon = Math.max(spanLon, t.cols * t.step_lon)
    spanLat = Math.max(spanLat, t.rows * t.step_lat)
  }
  const key = (i: number, j: number) => `${i}|${j}`
  const buckets = new Map<string, number[]>()
  headers.forEach((t, index) => {
    const south = t.north - t.rows * t.step_lat
    const east = t.west + t.cols * t.step_lon
    for (let i = Math.floor(t.west / spanLon); i <= Math.floor(east / spanLon); i++) {
      for (let j = Math.floor(south / spanLat); j <= Math.floor(t.north / spanLat); j++) {
        const k = key(i, j)
        const list = buckets.get(k)
        if (list) list.push(index)
        else buckets.set(k, [index])
      }
    }
  })
  const byTile = new Map<number, number[]>()
  points.forEach((p, pointIndex) => {
    const candidates = buckets.get(key(Math.floor(p.lon / spanLon), Math.floor(p.lat / spanLat)))
    const tileIndex = candidates?.find((index) => cellIndex(headers[index]!, p) !== -1)
    if (tileIndex === undefined) return
    const list = byTile.get(tileIndex)
    if (list) list.push(pointIndex)
    else byTile.set(tileIndex, [pointIndex])
  })
  return byTile
}
