import type { CrsSpec } from './crs-spec.ts'

/**
 * VN-2000 → WGS 84 seven-parameter Helmert transformation, as a proj4 `+towgs84` list:
 * dX, dY, dZ in metres, rX, rY, rZ in arc-seconds, scale in parts per million.
 *
 * Source: EPSG:6960 "VN-2000 to WGS 84 (2)" (Decision 05/2007/QĐ-BTNMT), exactly what PROJ 9.1.1
 * uses for EPSG:4756 (`projinfo EPSG:4756 -o PROJ`). EPSG publishes the rotations in the
 * *coordinate frame* convention: rX = −0.00928836″, rY = +0.01975479″, rZ = −0.00427372″.
 * `+towgs84` (PROJ and proj4js alike) reads rotations in the *position vector* convention, so the
 * signs of the three rotations are flipped here; translations and scale are the same in both.
 * Copying the EPSG rotations into `+towgs84` unchanged moves points by about 1 m.
 */
export const VN2000_TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278'

const WGS84_DEFINITION = '+proj=longlat +datum=WGS84 +no_defs'
const VN2000_ELLIPSOID_AND_DATUM = `+ellps=WGS84 +towgs84=${VN2000_TOWGS84}`

/**
 * proj4 definitions of the systems that have an EPSG code, identical (up to parameter order) to
 * `projinfo EPSG:<code> -o PROJ` with PROJ 9.1.1.
 */
export const CRS_DEFINITIONS = Object.freeze({
  'EPSG:4326': WGS84_DEFINITION,
  'EPSG:4756': `+proj=longlat ${VN2000_ELLIPSOID_AND_DATUM} +no_defs`,
  'EPSG:3405': `+proj=utm +zone=48 ${VN2000_ELLIPSOID_AND_DATUM} +units=m +no_defs`,
  'EPSG:3406': `+proj=utm +zone=49 ${VN2000_ELLIPSOID_AND_DATUM} +units=m +no_defs`,
  'EPSG:32648': '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs',
  'EPSG:32649': '+proj=utm +zone=49 +datum=WGS84 +units=m +no_defs',
} as const)

/**
 * proj4 definition of a VN-2000 Transverse Mercator zone: central meridian in degrees east, scale
 * factor on that meridian (0.9999 for TM-3, 0.9996 for TM-6), false easting 500 000 m, latitude of
 * origin 0, no false northing. Matches `projinfo EPSG:9208 -o PROJ` (TM-3 104°45′) and its siblings.
 */
export function vn2000TransverseMercatorDefinition(centralMeridian: number, scaleFactor: number): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=${scaleFactor} +x_0=500000 +y_0=0 ${VN2000_ELLIPSOID_AND_DATUM} +units=m +no_defs`
}

/** VN-2000 TM-3 zone (scale 0.9999) with the given central meridian, degrees east (e.g. 104.75). */
export function vn2000Tm3Definition(centralMeridian: number): string {
  return vn2000TransverseMercatorDefinition(centralMeridian, 0.9999)
}

/** VN-2000 TM-6 zone (scale 0.9996) with the given central meridian, degrees east. */
export function vn2000Tm6Definition(centralMeridian: number): string {
  return vn2000TransverseMercatorDefinition(centralMeridian, 0.9996)
}

/** The proj4 definition of any CrsSpec. */
export function crsDefinition(crs: CrsSpec): string {
  if (crs.kind === 'geographic') return CRS_DEFINITIONS[crs.id]
  if (crs.projection === 'UTM') {
    const byId: Record<string, string> = CRS_DEFINITIONS
    const definition = byId[crs.id]
    if (definition) return definition
  }
  if (crs.datum !== 'VN2000') throw new Error(`no proj4 definition for ${crs.id}`)
  return vn2000TransverseMercatorDefinition(crs.centralMeridian, crs.scaleFactor)
}
