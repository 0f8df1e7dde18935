import proj4 from 'proj4'
import { crsDefinition } from './crs-definitions.ts'
import type { CrsSpec } from './crs-spec.ts'

/** Converts one input position (x = easting or longitude, y = northing or latitude) to WGS 84 [lon, lat] in degrees. */
export type ToWgs84 = (x: number, y: number) => [lon: number, lat: number]

const WGS84_DEFINITION = crsDefinition({ kind: 'geographic', id: 'EPSG:4326', datum: 'WGS84', epsg: 4326, label: 'WGS 84' })
const identity: ToWgs84 = (x, y) => [x, y]
const cache = new Map<string, ToWgs84>()

/**
 * A function converting coordinates in `crs` to WGS 84 longitude/latitude in degrees, with proj4
 * (Transverse Mercator by the Poder/Engsager series, as PROJ does; VN-2000 → WGS 84 by the EPSG:6960
 * Helmert shift, see VN2000_TOWGS84). Input x/y are easting/northing in metres for projected systems,
 * longitude/latitude in degrees for geographic ones. Heights are taken as 0 on the ellipsoid: the
 * shift then moves positions by under a millimetre per kilometre of real height.
 *
 * Converters are cached by `crs.id`, so calling this per feature is cheap. WGS 84 input is returned
 * unchanged. Positions proj4 cannot convert come out as [NaN, NaN]; check them with
 * checkVietnamExtent or diagnoseCoordinates.
 */
export function createTransform(crs: CrsSpec): ToWgs84 {
  if (crs.id === 'EPSG:4326') return identity
  const cached = cache.get(crs.id)
  if (cached) return cached
  const converter = proj4(crsDefinition(crs), WGS84_DEFINITION)
  const transform: ToWgs84 = (x, y) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return [Number.NaN, Number.NaN]
    const [lon, lat] = converter.forward([x, y])
    return Number.isFinite(lon) && Number.isFinite(lat) ? [lon ?? Number.NaN, lat ?? Number.NaN] : [Number.NaN, Number.NaN]
  }
  cache.set(crs.id, transform)
  return transform
}

// transformGeometry lives in its own file (one operation per file); re-exported for callers that
// think of the pair together.
export { transformGeometry } from './transform-geometry.ts'
