import type { Position } from 'geojson'

/**
 * Area of lon/lat polygons on the WGS84 ellipsoid, km², computed in Lambert's
 * cylindrical equal-area projection of the ellipsoid (x = a·λ, y = a·q(φ)/2,
 * q the authalic function; Snyder, "Map Projections: A Working Manual", USGS
 * PP 1395, eqs. 3-12 and 10-15): that projection preserves area exactly, so
 * the planar shoelace area of the projected ring is the ellipsoidal area of
 * the ring whose edges are straight in that projection. For the short edges of
 * coverage polygons (≤ a few km) this differs from PostGIS's geodesic-edged
 * ST_Area(geography) by far less than 0.01 % (integration test). Holes count
 * negative whatever their winding.
 */
const A = 6_378_137
const F = 1 / 298.257223563
const E2 = F * (2 - F)
const E = Math.sqrt(E2)
const RAD = Math.PI / 180

/** Snyder eq. 3-12: q(φ). */
function authalicQ(latDeg: number): number {
  const s = Math.sin(latDeg * RAD)
  const es = E * s
  return (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)))
}

function ringAreaM2(ring: readonly Position[]): number {
  let sum = 0
  const n = ring.length
  if (n < 4) return 0
  let x0 = A * ring[0]![0]! * RAD
  let y0 = (A * authalicQ(ring[0]![1]!)) / 2
  for (let i = 1; i < n; i++) {
    const x1 = A * ring[i]![0]! * RAD
    const y1 = (A * authalicQ(ring[i]![1]!)) / 2
    sum += x0 * y1 - x1 * y0
    x0 = x1
    y0 = y1
  }
  return Math.abs(sum) / 2
}

export function polygonAreaKm2(rings: readonly (readonly Position[])[]): number {
  let m2 = 0
  rings.forEach((ring, i) => { m2 += i === 0 ? ringAreaM2(ring) : -ringAreaM2(ring) })
  return m2 / 1e6
}

export function multiPolygonAreaKm2(polygons: readonly (readonly (readonly Position[])[])[]): number {
  let km2 = 0
  for (const p of polygons) km2 += polygonAreaKm2(p)
  return km2
}
