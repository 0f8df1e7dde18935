import { metresPerDegree } from '../coverage/raster-grid.ts'

/**
 * Distance between two lon/lat points, metres, on the local equirectangular plane at their mean
 * latitude (spherical earth, `metresPerDegree`): within 0.5 % of the geodesic below 100 km, which
 * is what choosing sites a few kilometres apart needs. Used by the candidate-site search, where it
 * runs for every candidate against every village.
 */
export function groundDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const m = metresPerDegree((lat1 + lat2) / 2)
  return Math.hypot((lon2 - lon1) * m.lon, (lat2 - lat1) * m.lat)
}
