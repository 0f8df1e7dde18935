import { CrsError, VN2000_GEOGRAPHIC, WGS84, vn2000Tm3, vn2000Tm6, vn2000Utm, wgs84Utm } from './crs-spec.ts'
import type { CrsSpec, Datum } from './crs-spec.ts'
import { findWktNode, parseWkt, wktChildren, wktName, wktNumbers } from './parse-wkt.ts'
import type { WktNode } from './parse-wkt.ts'
import { parseCrs } from './parse-crs.ts'

const WGS84_A = 6378137
const WGS84_INVF = 298.257223563
/** VN-2000 → WGS 84 translations (metres); TOWGS84 values within TOWGS84_TOLERANCE_M of these mean VN-2000. */
const VN2000_SHIFT = [-191.90441429, -39.30318279, -111.45032835] as const
/**
 * Files carry several published variants of the VN-2000 shift: the EPSG:6960 one (above), the
 * Mekong-delta EPSG:5194 one (-192.873, -39.382, -111.202) and 3-parameter roundings. All lie
 * within 2 m of each other; anything within 5 m is read as VN-2000 and transformed with EPSG:6960.
 */
const TOWGS84_TOLERANCE_M = 5
/**
 * GDAL names a datum it only knows from a proj string "Unknown based on WGS84 ellipsoid using
 * towgs84=-191.90441,-39.30318,…", and its ESRI writer keeps only that name (with "_" for "." and ",").
 */
const VN2000_SHIFT_IN_NAME = /towgs84[=_]\s*-19[12][._]\d*[,_]-39[._]\d*[,_]-111[._]/i
const RECOGNISED =
  'phusong reads WGS 84 and VN-2000 geographic, VN-2000 / UTM 48N and 49N, VN-2000 / TM-3 (any central meridian, scale 0.9999) ' +
  'and WGS 84 / UTM 48N and 49N'

/**
 * The coordinate system described by a shapefile's .prj (WKT1 as written by ArcGIS, QGIS and GDAL;
 * the common WKT2 keywords are read too).
 *
 * Recognises WGS 84 geographic, VN-2000 geographic, VN-2000 / UTM 48N and 49N, VN-2000 TM-3 and
 * TM-6 zones with the central meridian read from the parameters, and WGS 84 / UTM 48N and 49N.
 * VN-2000 is recognised by its datum or CRS name ("VN_2000", "D_Vietnam_2000", "VN-2000") or by
 * TOWGS84 translations close to the VN-2000 shift (some tools write VN-2000 as "WGS 84 + TOWGS84";
 * GDAL's ESRI writer keeps that shift only in the datum name, which is read too).
 * An EPSG authority code on the root is trusted when phusong knows it. Throws CrsError saying
 * what was found for anything else.
 */
export function crsFromPrj(wkt: string): CrsSpec {
  let root: WktNode
  try {
    root = parseWkt(wkt)
  } catch (error) {
    throw new CrsError(`the .prj is not readable WKT: ${(error as Error).message}`)
  }
  if (root.keyword === 'COMPD_CS' || root.keyword === 'COMPOUNDCRS') {
    const horizontal = root.args.find((a): a is WktNode => typeof a === 'object' && /^(PROJ|GEOG|GEOD)/.test(a.keyword))
    if (!horizontal) throw new CrsError(`the .prj describes a compound system without a horizontal part: ${describe(root)}`)
    root = horizontal
  }

  const code = authorityCode(root)
  if (code !== null) {
    try {
      return parseCrs(`EPSG:${code}`)
    } catch {
      // An EPSG code phusong does not know: read the definition itself, which may still be one we read.
    }
  }

  if (/^(GEOGCS|GEOGCRS|GEODCRS|GEOGRAPHICCRS|GEODETICCRS)$/.test(root.keyword)) {
    const datum = datumOf(root, root)
    checkAngleUnit(root)
    return datum === 'VN2000' ? VN2000_GEOGRAPHIC : WGS84
  }
  if (root.keyword === 'PROJCS' || root.keyword === 'PROJCRS' || root.keyword === 'PROJECTEDCRS') {
    return projected(root)
  }
  throw new CrsError(`the .prj describes a ${root.keyword} "${wktName(root)}", not a geographic or projected system. ${RECOGNISED}`)
}

function projected(root: WktNode): CrsSpec {
  const geog = findWktNode(root, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS')
  if (!geog) throw new CrsError(`the .prj projected system "${wktName(root)}" has no geographic base (GEOGCS). ${RECOGNISED}`)
  const datum = datumOf(geog, root)

  const conversion = wktChildren(root, 'CONVERSION')[0] ?? root
  const method = wktName(findWktNode(conversion, 'PROJECTION', 'METHOD'))
  const p = projectionParameters(conversion)
  const found = `${describe(root)}, projection "${method}" (central meridian ${p.centralMeridian}, scale ${p.scaleFactor}, false easting ${p.falseEasting}, false northing ${p.falseNorthing}, latitude of origin ${p.latitudeOfOrigin})`

  if (!['transversemercator', 'gausskruger', 'transversemercatorgausskruger'].includes(fold(method))) {
    throw new CrsError(`unrecognised .prj: found ${found}. ${RECOGNISED}`)
  }
  checkLengthUnit(root, found)
  if (p.falseEasting !== 500_000 || p.falseNorthing !== 0 || p.latitudeOfOrigin !== 0 || p.centralMeridian === undefined) {
    throw new CrsError(`unrecognised .prj: found ${found}; phusong reads Transverse Mercator zones with false easting 500000, no false northing and latitude of origin 0. ${RECOGNISED}`)
  }
  const cm = p.centralMeridian
  const k = p.scaleFactor

  if (datum === 'WGS84') {
    if (k === 0.9996 && (cm === 105 || cm === 111)) return wgs84Utm(cm === 105 ? 48 : 49)
    if (k === 0.9999) {
      throw new CrsError(
        `the .prj declares datum WGS 84 with a VN-2000-style TM-3 zone (central meridian ${cm}, scale 0.9999): ` +
          `such files are nearly always VN-2000 with a mislabelled datum, which moves points by about 200 m. ` +
          `Name the system explicitly: crs=VN2000:TM3:${cm} if the data is VN-2000. ${RECOGNISED}`,
      )
    }
    throw new CrsError(`unrecognised .prj: found ${found}. ${RECOGNISED}`)
  }
  if (k === 0.9999) return vn2000Tm3(cm)
  if (k === 0.9996) return cm === 105 ? vn2000Utm(48) : cm === 111 ? vn2000Utm(49) : vn2000Tm6(cm)
  throw new CrsError(`unrecognised .prj: found ${found}; VN-2000 zones have scale 0.9999 (TM-3) or 0.9996 (UTM, TM-6). ${RECOGNISED}`)
}

interface ProjectionParameters {
  centralMeridian: number | undefined
  scaleFactor: number
  falseEasting: number
  falseNorthing: number
  latitudeOfOrigin: number
}

/** WKT1 PARAMETER["central_meridian",…] and WKT2 PARAMETER["Longitude of natural origin",…]; WKT1 defaults for the rest. */
function projectionParameters(node: WktNode): ProjectionParameters {
  const values = new Map<string, number>()
  for (const param of wktChildren(node, 'PARAMETER')) {
    const value = wktNumbers(param)[0]
    if (value !== undefined) values.set(fold(wktName(param)), value)
  }
  const pick = (...names: string[]): number | undefined => names.map((n) => values.get(n)).find((v) => v !== undefined)
  return {
    centralMeridian: pick('centralmeridian', 'longitudeofnaturalorigin', 'longitudeoforigin', 'longitudeofcenter'),
    scaleFactor: pick('scalefactor', 'scalefactoratnaturalorigin') ?? 1,
    falseEasting: pick('falseeasting') ?? 0,
    falseNorthing: pick('falsenorthing') ?? 0,
    latitudeOfOrigin: pick('latitudeoforigin', 'latitudeofnaturalorigin', 'latitudeofcenter') ?? 0,
  }
}

/** 'WGS84' or 'VN2000' from the datum, its ellipsoid and TOWGS84, or CrsError saying what was found. */
function datumOf(geog: WktNode, root: WktNode): Datum {
  const datum = findWktNode(geog, 'DATUM', 'ENSEMBLE', 'GEODETICDATUM')
  const ellipsoid = findWktNode(geog, 'SPHEROID', 'ELLIPSOID')
  const [a, invf] = wktNumbers(ellipsoid)
  const towgs84 = wktNumbers(findWktNode(geog, 'TOWGS84'))
  const names = fold(`${wktName(datum)} ${wktName(geog)} ${wktName(root)}`)
  const found =
    `${describe(root)}, datum "${wktName(datum)}", ellipsoid "${wktName(ellipsoid)}" (a = ${a}, 1/f = ${invf})` +
    (towgs84.length > 0 ? `, TOWGS84[${towgs84.join(', ')}]` : '')

  if (a === undefined || invf === undefined || Math.abs(a - WGS84_A) > 1e-3 || Math.abs(invf - WGS84_INVF) > 1e-6) {
    const hint = a !== undefined && Math.abs(a - 6378245) < 1e-3 ? ' (the Krassowsky ellipsoid: Hanoi 1972, not supported; convert to VN-2000 or WGS 84 first)' : ''
    throw new CrsError(`unrecognised .prj: found ${found}${hint}. Both WGS 84 and VN-2000 use the WGS 84 ellipsoid. ${RECOGNISED}`)
  }
  const shiftIsVn2000 =
    towgs84.length >= 3 && VN2000_SHIFT.every((v, i) => Math.abs((towgs84[i] ?? Number.NaN) - v) <= TOWGS84_TOLERANCE_M)
  const shiftIsZero = towgs84.every((v) => v === 0)
  if (shiftIsVn2000 || VN2000_SHIFT_IN_NAME.test(wktName(datum))) return 'VN2000'
  if (/vn2000|vietnam2000|vn2k/.test(names)) {
    if (!shiftIsZero) {
      throw new CrsError(`the .prj names VN-2000 but its TOWGS84 is not a VN-2000 shift: found ${found}. ${RECOGNISED}`)
    }
    return 'VN2000'
  }
  if (/wgs1984|wgs84|worldgeodeticsystem1984/.test(names) && shiftIsZero) return 'WGS84'
  throw new CrsError(`unrecognised .prj datum: found ${found}. ${RECOGNISED}`)
}

/** Geographic systems must be in degrees. */
function checkAngleUnit(root: WktNode): void {
  for (const unit of [...wktChildren(root, 'UNIT'), ...wktChildren(root, 'ANGLEUNIT')]) {
    const factor = wktNumbers(unit)[0]
    if (factor !== undefined && Math.abs(factor - Math.PI / 180) > 1e-12) {
      throw new CrsError(`the .prj geographic system "${wktName(root)}" is in ${wktName(unit)} (${factor} rad), not degrees. ${RECOGNISED}`)
    }
  }
}

/** Projected systems must be in metres (WKT1: UNIT on the root; WKT2: LENGTHUNIT on the root or its axes). */
function checkLengthUnit(root: WktNode, found: string): void {
  const axes = [...wktChildren(root, 'CS'), ...wktChildren(root, 'AXIS')]
  const units = [
    ...wktChildren(root, 'UNIT'),
    ...wktChildren(root, 'LENGTHUNIT'),
    ...axes.flatMap((axis) => [...wktChildren(axis, 'LENGTHUNIT'), ...wktChildren(axis, 'UNIT')]),
  ]
  for (const unit of units) {
    const factor = wktNumbers(unit)[0]
    if (factor !== undefined && factor !== 1) {
      throw new CrsError(`unrecognised .prj: found ${found} in ${wktName(unit)} (${factor} m); phusong reads metres. ${RECOGNISED}`)
    }
  }
}

/** EPSG code from the root's AUTHORITY["EPSG","3405"] (WKT1) or ID["EPSG",3405] (WKT2). */
function authorityCode(root: WktNode): number | null {
  for (const node of [...wktChildren(root, 'AUTHORITY'), ...wktChildren(root, 'ID')]) {
    const [authority, code] = node.args
    if (typeof authority === 'string' && authority.toUpperCase() === 'EPSG' && code !== undefined && /^\d+$/.test(String(code))) {
      return Number(code)
    }
  }
  return null
}

function describe(root: WktNode): string {
  return `${root.keyword} "${wktName(root)}"`
}

function fold(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '')
}
