import type { Geometry, Position } from 'geojson'
import type { ToWgs84 } from './create-transform.ts'

/**
 * A copy of a GeoJSON geometry with every position converted by `transform` (usually from
 * createTransform). Handles all seven geometry types, GeometryCollection recursively. A third
 * coordinate (height, metres) and any further ones are kept unchanged. The copy holds only `type`
 * and `coordinates`/`geometries`: a `bbox` (in the source system) and foreign members are dropped.
 * The input is not modified. Used by imports after reading a file in VN-2000 or another projected
 * system.
 */
export function transformGeometry<G extends Geometry>(geometry: G, transform: ToWgs84): G {
  // convert() returns the geometry type it was given; the cast only restores the generic G.
  return convert(geometry, transform) as G
}

function convert(geometry: Geometry, transform: ToWgs84): Geometry {
  const position = (p: Position): Position => {
    const [lon, lat] = transform(p[0] ?? Number.NaN, p[1] ?? Number.NaN)
    return p.length > 2 ? [lon, lat, ...p.slice(2)] : [lon, lat]
  }
  const line = (ps: Position[]): Position[] => ps.map(position)
  const lines = (ls: Position[][]): Position[][] => ls.map(line)

  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: position(geometry.coordinates) }
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: line(geometry.coordinates) }
    case 'LineString':
      return { type: 'LineString', coordinates: line(geometry.coordinates) }
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: lines(geometry.coordinates) }
    case 'Polygon':
      return { type: 'Polygon', coordinates: lines(geometry.coordinates) }
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map(lines) }
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => convert(g, transform)) }
  }
}
