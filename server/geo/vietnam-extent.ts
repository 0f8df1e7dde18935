import type { Geometry, Position } from 'geojson'

/**
 * Vietnam's extent in WGS84 degrees (mainland, Hoàng Sa and Trường Sa, with a
 * small margin): the same numbers as the `phusong_in_vietnam_extent` SQL
 * function in migrations/0001. Used to reject coordinates before they reach
 * the database, with a reason a person can act on.
 */
export const VIETNAM_EXTENT = { minLon: 102.0, minLat: 6.5, maxLon: 117.5, maxLat: 23.5 } as const

export interface ExtentProblem {
  /** Index of the first offending position in the geometry's flattened coordinate list. */
  position: number
  coordinate: [number, number]
  reason: string
}

function inExtent(lon: number, lat: number): boolean {
  const e = VIETNAM_EXTENT
  return lon >= e.minLon && lon <= e.maxLon && lat >= e.minLat && lat <= e.maxLat
}

/** Why a coordinate pair outside Vietnam is probably wrong: swapped axes, projected metres, or just elsewhere. */
export function explainOutsideVietnam(lon: number, lat: number): string {
  const where = `(${lon}, ${lat}) is outside Vietnam (lon ${VIETNAM_EXTENT.minLon}–${VIETNAM_EXTENT.maxLon}, lat ${VIETNAM_EXTENT.minLat}–${VIETNAM_EXTENT.maxLat})`
  if (inExtent(lat, lon)) return `${where}: longitude and latitude look swapped (GeoJSON order is [lon, lat])`
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    return `${where}: these look like projected coordinates (metres, e.g. VN-2000 / UTM) declared as degrees; give the coordinate system`
  }
  return where
}

/** Visits every position of a geometry in order. */
export function forEachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates)
      return
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit)
      return
    case 'MultiLineString':
    case 'Polygon':
      geometry.coordinates.forEach((line) => line.forEach(visit))
      return
    case 'MultiPolygon':
      geometry.coordinates.forEach((poly) => poly.forEach((ring) => ring.forEach(visit)))
      return
    case 'GeometryCollection':
      geometry.geometries.forEach((g) => forEachPosition(g, visit))
  }
}

/**
 * Checks that every position of a geometry is finite and inside Vietnam.
 * Returns the first problem, or null when the geometry is inside.
 */
export function checkVietnamExtent(geometry: Geometry): ExtentProblem | null {
  let index = 0
  let problem: ExtentProblem | null = null
  forEachPosition(geometry, (p) => {
    if (problem) return
    const lon = p[0] ?? Number.NaN
    const lat = p[1] ?? Number.NaN
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      problem = { position: index, coordinate: [lon, lat], reason: `position ${index} is not a pair of finite numbers` }
    } else if (!inExtent(lon, lat)) {
      problem = { position: index, coordinate: [lon, lat], reason: explainOutsideVietnam(lon, lat) }
    }
    index++
  })
  return problem
}
