import type { MultiPolygon } from 'geojson'

/**
 * A MultiPolygon as OGC Well-Known Binary (ISO 19125-1 §8.2; little-endian,
 * 2D), for ST_GeomFromWKB. Written by hand because it is a hot path: the
 * coverage polygons of a province run to millions of vertices, and PostGIS
 * parses WKB several times faster than GeoJSON text (measured in PGlite:
 * GeoJSON parsing was the largest cost of storing them).
 */
export function multiPolygonToWkb(geometry: MultiPolygon): Uint8Array {
  let size = 1 + 4 + 4
  for (const polygon of geometry.coordinates) {
    size += 1 + 4 + 4
    for (const ring of polygon) size += 4 + ring.length * 16
  }
  const buffer = new ArrayBuffer(size)
  const view = new DataView(buffer)
  let o = 0
  const header = (type: number, count: number) => {
    view.setUint8(o, 1) // little-endian
    view.setUint32(o + 1, type, true)
    view.setUint32(o + 5, count, true)
    o += 9
  }
  header(6, geometry.coordinates.length) // MultiPolygon
  for (const polygon of geometry.coordinates) {
    header(3, polygon.length) // Polygon
    for (const ring of polygon) {
      view.setUint32(o, ring.length, true)
      o += 4
      for (const p of ring) {
        view.setFloat64(o, p[0]!, true)
        view.setFloat64(o + 8, p[1]!, true)
        o += 16
      }
    }
  }
  return new Uint8Array(buffer)
}
