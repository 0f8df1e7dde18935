import type { Geometry, Position } from 'geojson'

/**
 * Fixes what can be fixed in JavaScript before PostGIS sees a geometry:
 * closes unclosed polygon rings (reported as a warning) and drops repeated
 * closing checks. Returns the geometry and the warnings.
 */
export function closeRings(geometry: Geometry): { geometry: Geometry; warnings: string[] } {
  const warnings: string[] = []
  const close = (ring: Position[], where: string): Position[] => {
    const first = ring[0]
    const last = ring[ring.length - 1]
    if (!first || !last || ring.length < 3) return ring
    if (first[0] === last[0] && first[1] === last[1]) return ring
    warnings.push(`${where} was not closed: its first point was appended`)
    return [...ring, first]
  }
  if (geometry.type === 'Polygon') {
    return { geometry: { ...geometry, coordinates: geometry.coordinates.map((r, i) => close(r, `ring ${i + 1}`)) }, warnings }
  }
  if (geometry.type === 'MultiPolygon') {
    return {
      geometry: { ...geometry, coordinates: geometry.coordinates.map((p, j) => p.map((r, i) => close(r, `part ${j + 1} ring ${i + 1}`))) },
      warnings,
    }
  }
  return { geometry, warnings }
}

/** The positions of a geometry, flattened (for diagnosing coordinates). */
export function positionsOf(geometry: Geometry, limit = 50): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const walk = (c: unknown): void => {
    if (out.length >= limit || !Array.isArray(c)) return
    if (typeof c[0] === 'number') out.push([c[0], Number(c[1])])
    else c.forEach(walk)
  }
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => out.push(...positionsOf(g, limit - out.length)))
  else walk(geometry.coordinates)
  return out
}
