import { VIETNAM_EXTENT } from '../vietnam-extent.ts'
import { createTransform } from './create-transform.ts'
import { vn2000Tm3, vn2000Utm } from './crs-spec.ts'
import type { CrsSpec, ProjectedCrs } from './crs-spec.ts'
import { VN2000_TM3_MERIDIANS, formatMeridian, provincesUsingMeridian } from './vn2000-province-meridians.ts'

/** A longitude/latitude box in WGS 84 degrees. */
export interface LonLatExtent {
  minLon: number
  minLat: number
  maxLon: number
  maxLat: number
}

/** Where the coordinates are expected to be; Vietnam unless the caller knows better (a province). */
export interface ExpectedArea {
  extent: LonLatExtent
  /** Used in messages: "outside <name>". */
  name: string
}

const VIETNAM: ExpectedArea = { extent: VIETNAM_EXTENT, name: 'Vietnam' }
/** At most this many positions (evenly spread over the input) are tried per hypothesis. */
const MAX_SAMPLE = 500
/** Plausible VN-2000 / UTM eastings and northings in Vietnam, metres. */
const EASTING_RANGE = [100_000, 900_000] as const
const NORTHING_RANGE = [700_000, 2_700_000] as const

/**
 * The likely reason why raw input coordinates, read in their declared `crs`, land outside Vietnam
 * (or outside `area`, e.g. a province's extent, which makes the wrong-zone check much sharper),
 * as a sentence a person can act on; null when every position lands inside or nothing obvious
 * explains it. `positions` are the file's pairs as given: [x, y], x first.
 *
 * Causes checked, each only when it puts *every* sampled position inside:
 *  - declared geographic: latitude and longitude swapped; projected metres declared as degrees
 *    (with which VN-2000 system, and whether the columns are northing first);
 *  - declared projected: degrees given for a projected system; northing/easting swapped (Vietnamese
 *    surveys label X = northing, Y = easting); wrong UTM zone or TM-3 central meridian (names the
 *    nearest zones that fit, with the provinces using them).
 *
 * Used by imports before writing anything, to turn "N features outside Vietnam" into a fix.
 */
export function diagnoseCoordinates(positions: Array<[number, number]>, crs: CrsSpec, area: ExpectedArea = VIETNAM): string | null {
  const sample = evenSample(positions.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)))
  if (sample.length === 0) return null

  const isInside = (lon: number, lat: number): boolean => {
    const e = area.extent
    return lon >= e.minLon && lon <= e.maxLon && lat >= e.minLat && lat <= e.maxLat
  }
  const allInside = (as: CrsSpec, swap: boolean): boolean => {
    const toWgs84 = createTransform(as)
    return sample.every(([x, y]) => isInside(...(swap ? toWgs84(y, x) : toWgs84(x, y))))
  }

  const declared = createTransform(crs)
  const outside = sample.filter(([x, y]) => !isInside(...declared(x, y)))
  if (outside.length === 0) return null

  const [ex, ey] = outside[0] ?? [0, 0]
  const [elon, elat] = declared(ex, ey)
  const lead =
    `${outside.length} of ${sample.length} ${sample.length < positions.length ? 'sampled ' : ''}position${sample.length === 1 ? '' : 's'} ` +
    `${outside.length === 1 ? 'falls' : 'fall'} outside ${area.name} ` +
    `read as ${crs.label} (e.g. (${ex}, ${ey}) → lon ${round(elon, 4)}, lat ${round(elat, 4)})`

  if (crs.kind === 'geographic') {
    if (allInside(crs, true)) {
      return `${lead}; read as (latitude, longitude) every one falls inside: latitude and longitude are swapped — phusong and GeoJSON expect longitude first.`
    }
    if (looksProjected(sample)) {
      const straight = projectedCandidates().filter((c) => allInside(c, false))
      const swapped = projectedCandidates().filter((c) => allInside(c, true))
      const fix =
        straight.length > 0
          ? `as ${listSystems(straight)} they fall inside ${area.name}`
          : swapped.length > 0
            ? `read as (northing, easting) — X = northing first, the Vietnamese survey convention — and as ${listSystems(swapped)} they fall inside ${area.name}`
            : `no VN-2000 zone puts them inside ${area.name} either`
      return `${lead}; these are projected coordinates in metres (eastings and northings) declared as degrees: ${fix}. Give the file's coordinate system (a .prj, or crs=…).`
    }
    return null
  }

  // Metres of a real VN-2000 position are never this small: these are degrees, in one order or the other.
  if (sample.every(([x, y]) => Math.abs(x) <= 180 && Math.abs(y) <= 180)) {
    if (sample.every(([x, y]) => isInside(x, y))) {
      return `${lead}; the values are degrees (longitude, latitude), not metres: declare crs=EPSG:4326 (WGS 84), or EPSG:4756 if they are VN-2000 degrees.`
    }
    if (sample.every(([x, y]) => isInside(y, x))) {
      return `${lead}; the values are degrees (latitude first), not metres: declare crs=EPSG:4326 and put longitude first.`
    }
  }
  if (allInside(crs, true)) {
    return (
      `${lead}; read as (northing, easting) every one falls inside: the columns are swapped — Vietnamese surveys label ` +
      'X = northing and Y = easting, phusong expects easting first.'
    )
  }
  const others = projectedCandidates().filter((c) => Math.abs(c.centralMeridian - crs.centralMeridian) > 1e-9)
  const zones = others
    .filter((c) => allInside(c, false))
    .sort((a, b) => Math.abs(a.centralMeridian - crs.centralMeridian) - Math.abs(b.centralMeridian - crs.centralMeridian))
    .slice(0, 3)
  if (zones.length > 0) {
    return (
      `${lead}; with another central meridian every one falls inside: probably the wrong zone (declared ${formatMeridian(crs.centralMeridian)}). ` +
      `Nearest that fit: ${zones.map(describeZone).join('; ')}.`
    )
  }
  return null
}

/** Up to MAX_SAMPLE positions spread evenly over the input, first and last included. */
function evenSample(positions: Array<[number, number]>): Array<[number, number]> {
  if (positions.length <= MAX_SAMPLE) return positions
  const step = (positions.length - 1) / (MAX_SAMPLE - 1)
  return Array.from({ length: MAX_SAMPLE }, (_, i) => positions[Math.round(i * step)] ?? [Number.NaN, Number.NaN])
}

/** Values no geographic system has (|lon| > 180, |lat| > 90), or pairs in the ranges of VN-2000 eastings and northings (either order). */
function looksProjected(sample: Array<[number, number]>): boolean {
  const inRange = (v: number, [lo, hi]: readonly [number, number]): boolean => v >= lo && v <= hi
  return sample.every(
    ([x, y]) =>
      Math.abs(x) > 180 ||
      Math.abs(y) > 90 ||
      (inRange(x, EASTING_RANGE) && inRange(y, NORTHING_RANGE)) ||
      (inRange(y, EASTING_RANGE) && inRange(x, NORTHING_RANGE)),
  )
}

/** VN-2000 / UTM 48N and 49N, then the TM-3 zone of every province meridian, west to east. */
function projectedCandidates(): ProjectedCrs[] {
  return [vn2000Utm(48), vn2000Utm(49), ...VN2000_TM3_MERIDIANS.map((cm) => vn2000Tm3(cm))]
}

/** "VN2000:UTM48 (EPSG:3405)", or for several "VN2000:UTM48 (EPSG:3405) or TM-3 104°45′ … 105°30′". */
function listSystems(systems: ProjectedCrs[]): string {
  const utm = systems.filter((s) => s.projection === 'UTM').map((s) => s.label)
  const tm3 = systems.filter((s) => s.projection === 'TM3')
  const parts = [...utm]
  const first = tm3[0]
  const last = tm3[tm3.length - 1]
  if (first && last) {
    parts.push(
      first === last
        ? describeZone(first)
        : `a VN-2000 TM-3 zone with central meridian ${formatMeridian(first.centralMeridian)} to ${formatMeridian(last.centralMeridian)} (crs=VN2000:TM3:<province>)`,
    )
  }
  return parts.join(' or ')
}

/** "crs=VN2000:TM3:105.5 (105°30′: Hà Giang, Bắc Ninh, …)" or "crs=EPSG:3406 (VN-2000 / UTM 111°00′)". */
function describeZone(zone: ProjectedCrs): string {
  if (zone.projection !== 'TM3') return `crs=${zone.id} (${zone.datum === 'VN2000' ? 'VN-2000' : 'WGS 84'} / ${zone.projection} ${formatMeridian(zone.centralMeridian)})`
  const provinces = provincesUsingMeridian(zone.centralMeridian)
  const shown = provinces.slice(0, 4).join(', ') + (provinces.length > 4 ? ', …' : '')
  return `crs=${zone.id} (${formatMeridian(zone.centralMeridian)}${shown ? `: ${shown}` : ''})`
}

function round(value: number, digits: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : value
}
