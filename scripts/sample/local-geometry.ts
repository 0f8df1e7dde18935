/**
 * Small planar helpers for the sample generator. Sơn La spans under 2° of longitude and latitude,
 * so a local equirectangular projection about 21.2° N is accurate to well under 1 % for the
 * distances the generator reasons about (placement, spacing, "how far from a line"). Lengths that
 * are reported (manifest km) use turf's geodesic length instead.
 */
import { booleanPointInPolygon } from '@turf/turf'
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson'
import type { Rng } from './create-rng.ts'

export type LonLat = [number, number]

const LAT0 = 21.2
const KM_PER_DEG_LAT = 110.574
const KM_PER_DEG_LON = 111.32 * Math.cos((LAT0 * Math.PI) / 180)

export function round6(v: number): number {
  const r = Math.round(v * 1e6) / 1e6
  return r === 0 ? 0 : r // no -0 in output
}

export function roundTo(v: number, decimals: number): number {
  const f = 10 ** decimals
  const r = Math.round(v * f) / f
  return r === 0 ? 0 : r
}

export function roundLonLat(p: Position): LonLat {
  return [round6(p[0] ?? 0), round6(p[1] ?? 0)]
}

export function distanceKm(a: Position, b: Position): number {
  const dx = ((b[0] ?? 0) - (a[0] ?? 0)) * KM_PER_DEG_LON
  const dy = ((b[1] ?? 0) - (a[1] ?? 0)) * KM_PER_DEG_LAT
  return Math.hypot(dx, dy)
}

/** The point `dxKm` east and `dyKm` north of `p`. */
export function offsetKm(p: Position, dxKm: number, dyKm: number): LonLat {
  return [(p[0] ?? 0) + dxKm / KM_PER_DEG_LON, (p[1] ?? 0) + dyKm / KM_PER_DEG_LAT]
}

/** The point `km` away from `p` towards `bearingDeg` (0 = north, 90 = east). */
export function destinationKm(p: Position, bearingDeg: number, km: number): LonLat {
  const b = (bearingDeg * Math.PI) / 180
  return offsetKm(p, km * Math.sin(b), km * Math.cos(b))
}

/** Bearing from a to b in degrees, 0 = north, clockwise, in [0, 360). */
export function bearingDeg(a: Position, b: Position): number {
  const dx = ((b[0] ?? 0) - (a[0] ?? 0)) * KM_PER_DEG_LON
  const dy = ((b[1] ?? 0) - (a[1] ?? 0)) * KM_PER_DEG_LAT
  const deg = (Math.atan2(dx, dy) * 180) / Math.PI
  return (deg + 360) % 360
}

export function pointSegmentDistanceKm(p: Position, a: Position, b: Position): number {
  const px = (p[0] ?? 0) * KM_PER_DEG_LON
  const py = (p[1] ?? 0) * KM_PER_DEG_LAT
  const ax = (a[0] ?? 0) * KM_PER_DEG_LON
  const ay = (a[1] ?? 0) * KM_PER_DEG_LAT
  const bx = (b[0] ?? 0) * KM_PER_DEG_LON
  const by = (b[1] ?? 0) * KM_PER_DEG_LAT
  const vx = bx - ax
  const vy = by - ay
  const len2 = vx * vx + vy * vy
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2)) : 0
  return Math.hypot(px - (ax + t * vx), py - (ay + t * vy))
}

export function polylineLengthKm(line: readonly Position[]): number {
  let km = 0
  for (let i = 1; i < line.length; i++) km += distanceKm(line[i - 1]!, line[i]!)
  return km
}

export type BBox = [number, number, number, number]

export function bboxOf(coords: Iterable<Position>): BBox {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const p of coords) {
    const x = p[0] ?? 0
    const y = p[1] ?? 0
    if (x < minX) minX = x
    if (y < minY) minY = y
    if (x > maxX) maxX = x
    if (y > maxY) maxY = y
  }
  return [minX, minY, maxX, maxY]
}

export function* outerRingPoints(geometry: MultiPolygon | Polygon): Generator<Position> {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  for (const polygon of polygons) for (const p of polygon[0] ?? []) yield p
}

/** A point-in-polygon test with a bbox short cut (turf booleanPointInPolygon underneath). */
export function makeContains(feature: Feature<MultiPolygon | Polygon>): (p: Position) => boolean {
  const [minX, minY, maxX, maxY] = bboxOf(outerRingPoints(feature.geometry))
  return (p) => {
    const x = p[0] ?? NaN
    const y = p[1] ?? NaN
    if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) return false
    return booleanPointInPolygon([x, y], feature)
  }
}

/**
 * Distance from points to a set of polylines, with a uniform grid over the segments so a query only
 * looks at nearby segments. Used for "how far is this village from a power line / a road".
 */
export interface SegmentIndex {
  /** Distance in km to the nearest segment, or Infinity when none lies within `maxKm`. */
  distanceKm(p: Position, maxKm?: number): number
}

export function createSegmentIndex(lines: readonly (readonly Position[])[], cellKm = 2): SegmentIndex {
  const cellLon = cellKm / KM_PER_DEG_LON
  const cellLat = cellKm / KM_PER_DEG_LAT
  const cells = new Map<string, Array<[Position, Position]>>()
  const key = (cx: number, cy: number): string => `${cx},${cy}`
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1]!
      const b = line[i]!
      const x0 = Math.floor(Math.min(a[0]!, b[0]!) / cellLon)
      const x1 = Math.floor(Math.max(a[0]!, b[0]!) / cellLon)
      const y0 = Math.floor(Math.min(a[1]!, b[1]!) / cellLat)
      const y1 = Math.floor(Math.max(a[1]!, b[1]!) / cellLat)
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const k = key(cx, cy)
          let list = cells.get(k)
          if (!list) cells.set(k, (list = []))
          list.push([a, b])
        }
      }
    }
  }
  return {
    distanceKm(p, maxKm = 60) {
      const cx = Math.floor((p[0] ?? 0) / cellLon)
      const cy = Math.floor((p[1] ?? 0) / cellLat)
      let best = Infinity
      const maxRing = Math.ceil(maxKm / cellKm) + 1
      for (let ring = 0; ring <= maxRing; ring++) {
        // Every segment in ring r is at least (r - 1) cells away.
        if ((ring - 1) * cellKm > best) break
        for (let x = cx - ring; x <= cx + ring; x++) {
          for (let y = cy - ring; y <= cy + ring; y++) {
            if (Math.max(Math.abs(x - cx), Math.abs(y - cy)) !== ring) continue
            for (const [a, b] of cells.get(key(x, y)) ?? []) {
              const d = pointSegmentDistanceKm(p, a, b)
              if (d < best) best = d
            }
          }
        }
      }
      return best <= maxKm ? best : Infinity
    },
  }
}

export interface MeanderOptions {
  /** spacing of the output vertices, km */
  stepKm: number
  /** largest sideways swing as a share of a leg's length */
  swing: number
  /** cap on the sideways swing, km */
  maxSwingKm: number
  rng: Rng
  /** vertices for which this is false are pulled back onto the chord, or dropped */
  keep: (p: Position) => boolean
}

/**
 * A road-like polyline through the given waypoints: each leg is cut into `stepKm` pieces and bent
 * sideways by a smooth random meander that is zero at both ends, so the line passes exactly through
 * every waypoint (commune seats, junctions). Coordinates are rounded to 6 decimals.
 */
export function meanderPolyline(waypoints: readonly Position[], options: MeanderOptions): LonLat[] {
  const { stepKm, swing, maxSwingKm, rng, keep } = options
  const out: LonLat[] = []
  const push = (p: Position): void => {
    const r = roundLonLat(p)
    const last = out[out.length - 1]
    if (last && last[0] === r[0] && last[1] === r[1]) return
    out.push(r)
  }
  for (let leg = 1; leg < waypoints.length; leg++) {
    const a = waypoints[leg - 1]!
    const b = waypoints[leg]!
    const len = distanceKm(a, b)
    if (leg === 1) push(a)
    const n = Math.max(1, Math.ceil(len / stepKm))
    const amplitude = Math.min(maxSwingKm, swing * len)
    // Two sine waves with random phases: smooth, not periodic-looking.
    const f1 = rng.int(1, 2)
    const f2 = rng.int(3, 5)
    const p1 = rng.uniform(0, 2 * Math.PI)
    const p2 = rng.uniform(0, 2 * Math.PI)
    const w2 = rng.uniform(0.15, 0.4)
    const dirX = ((b[0] ?? 0) - (a[0] ?? 0)) * KM_PER_DEG_LON
    const dirY = ((b[1] ?? 0) - (a[1] ?? 0)) * KM_PER_DEG_LAT
    const norm = Math.hypot(dirX, dirY) || 1
    const nx = -dirY / norm // left-hand normal, km units
    const ny = dirX / norm
    for (let k = 1; k < n; k++) {
      const t = k / n
      const chord: LonLat = [(a[0] ?? 0) + t * ((b[0] ?? 0) - (a[0] ?? 0)), (a[1] ?? 0) + t * ((b[1] ?? 0) - (a[1] ?? 0))]
      const envelope = Math.sin(Math.PI * t)
      const s = amplitude * envelope * (Math.sin(2 * Math.PI * f1 * t + p1) + w2 * Math.sin(2 * Math.PI * f2 * t + p2))
      const bent = offsetKm(chord, s * nx, s * ny)
      if (keep(bent)) push(bent)
      else if (keep(chord)) push(chord)
    }
    push(b)
  }
  return out
}
