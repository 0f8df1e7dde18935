import { formatMeridian } from './vn2000-province-meridians.ts'

/**
 * A coordinate reference system phusong can read, as plain data (JSON-safe, comparable by `id`).
 *
 * Axis order everywhere in phusong is x first: longitude then latitude (degrees) for geographic
 * systems, easting then northing (metres) for projected ones. Vietnamese surveys often write the
 * opposite (X = northing, Y = easting): callers swap such columns before they reach this module.
 */
export type CrsSpec = GeographicCrs | ProjectedCrs

export type Datum = 'WGS84' | 'VN2000'

export interface GeographicCrs {
  kind: 'geographic'
  id: 'EPSG:4326' | 'EPSG:4756'
  datum: Datum
  epsg: 4326 | 4756
  label: string
}

export interface ProjectedCrs {
  kind: 'projected'
  /** Canonical id: 'EPSG:3405', 'EPSG:3406', 'EPSG:32648', 'EPSG:32649', 'VN2000:TM3:104.75', 'VN2000:TM6:102'. */
  id: string
  datum: Datum
  /** Every one is a Transverse Mercator with latitude of origin 0 and no false northing. */
  projection: 'UTM' | 'TM3' | 'TM6'
  /** Degrees east of Greenwich. */
  centralMeridian: number
  /** Scale factor on the central meridian: 0.9996 for UTM and TM-6, 0.9999 for TM-3. */
  scaleFactor: number
  /** Metres added to eastings (500 000 for all of them). */
  falseEasting: number
  /** EPSG code when the registry has this exact system (VN-2000 TM-3 zones have codes for most province meridians). */
  epsg: number | null
  /** Province the TM-3 zone was chosen by, when it was chosen by name. */
  province: string | null
  label: string
}

/** A CRS given in a form phusong does not understand; the message says what is accepted. */
export class CrsError extends Error {
  override name = 'CrsError'
}

export const WGS84: GeographicCrs = Object.freeze({
  kind: 'geographic',
  id: 'EPSG:4326',
  datum: 'WGS84',
  epsg: 4326,
  label: 'WGS 84 (EPSG:4326)',
})

export const VN2000_GEOGRAPHIC: GeographicCrs = Object.freeze({
  kind: 'geographic',
  id: 'EPSG:4756',
  datum: 'VN2000',
  epsg: 4756,
  label: 'VN-2000 geographic (EPSG:4756)',
})

/** VN-2000 / UTM zone 48N (EPSG:3405, central meridian 105°E) or 49N (EPSG:3406, 111°E). */
export function vn2000Utm(zone: 48 | 49): ProjectedCrs {
  return utm('VN2000', zone, zone === 48 ? 3405 : 3406, 'VN-2000')
}

/** WGS 84 / UTM zone 48N (EPSG:32648) or 49N (EPSG:32649): what GPS receivers and many GIS exports use. */
export function wgs84Utm(zone: 48 | 49): ProjectedCrs {
  return utm('WGS84', zone, zone === 48 ? 32648 : 32649, 'WGS 84')
}

function utm(datum: ProjectedCrs['datum'], zone: 48 | 49, epsg: number, datumLabel: string): ProjectedCrs {
  return {
    kind: 'projected',
    id: `EPSG:${epsg}`,
    datum,
    projection: 'UTM',
    centralMeridian: zone === 48 ? 105 : 111,
    scaleFactor: 0.9996,
    falseEasting: 500_000,
    epsg,
    province: null,
    label: `${datumLabel} / UTM zone ${zone}N (EPSG:${epsg})`,
  }
}

/**
 * EPSG codes of the VN-2000 TM-3 systems, by central meridian (degrees east), as in the EPSG
 * dataset of PROJ 9.1.1 (`projinfo --list-crs | grep "VN-2000 / TM-3"`).
 */
export const VN2000_TM3_EPSG: ReadonlyMap<number, number> = new Map([
  [102, 5896], // "TM-3 zone 481"
  [103, 9205],
  [104, 9206],
  [104.5, 9207],
  [104.75, 9208],
  [105, 5897], // "TM-3 zone 482"
  [105.5, 9209],
  [105.75, 9210],
  [106, 9211],
  [106.25, 9212],
  [106.5, 9213],
  [107, 9214],
  [107.25, 9215],
  [107.5, 9216],
  [107.75, 5899],
  [108, 5898], // "TM-3 zone 491"
  [108.25, 9217],
  [108.5, 9218],
])

/** Central meridians accepted for TM-3 and TM-6 zones, degrees east (Vietnam spans 102°–117.5°E). */
export const CENTRAL_MERIDIAN_RANGE = { min: 99, max: 120 } as const

/**
 * VN-2000 TM-3 zone (scale 0.9999, false easting 500 km) with the given central meridian in
 * degrees east (104.75 for 104°45′), optionally named after the province it was chosen by.
 */
export function vn2000Tm3(centralMeridian: number, province: string | null = null): ProjectedCrs {
  const cm = checkedMeridian(centralMeridian)
  const epsg = VN2000_TM3_EPSG.get(cm) ?? null
  const notes = [province, epsg ? `EPSG:${epsg}` : null].filter((n) => n !== null)
  return {
    kind: 'projected',
    id: `VN2000:TM3:${formatDecimal(cm)}`,
    datum: 'VN2000',
    projection: 'TM3',
    centralMeridian: cm,
    scaleFactor: 0.9999,
    falseEasting: 500_000,
    epsg,
    province,
    label: `VN-2000 / TM-3 ${formatMeridian(cm)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`,
  }
}

/**
 * VN-2000 6° Transverse Mercator (scale 0.9996, false easting 500 km) with the given central
 * meridian in degrees east. At 105° and 111° this is exactly UTM 48N / 49N and returns those.
 */
export function vn2000Tm6(centralMeridian: number): ProjectedCrs {
  const cm = checkedMeridian(centralMeridian)
  if (cm === 105) return vn2000Utm(48)
  if (cm === 111) return vn2000Utm(49)
  return {
    kind: 'projected',
    id: `VN2000:TM6:${formatDecimal(cm)}`,
    datum: 'VN2000',
    projection: 'TM6',
    centralMeridian: cm,
    scaleFactor: 0.9996,
    falseEasting: 500_000,
    epsg: null,
    province: null,
    label: `VN-2000 / TM-6 ${formatMeridian(cm)}`,
  }
}

function checkedMeridian(centralMeridian: number): number {
  const { min, max } = CENTRAL_MERIDIAN_RANGE
  if (!Number.isFinite(centralMeridian) || centralMeridian < min || centralMeridian > max) {
    throw new CrsError(`central meridian ${centralMeridian} is not between ${min}° and ${max}° east (Vietnam spans 102°–117.5°E)`)
  }
  // 104°20′ = 104.3333…: keep 1e-9° (0.1 mm) so ids stay short and equal values compare equal.
  return Math.round(centralMeridian * 1e9) / 1e9
}

function formatDecimal(value: number): string {
  return String(Number(value.toFixed(9)))
}
