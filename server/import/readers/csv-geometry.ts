/**
 * Geometry from CSV cells: which columns hold coordinates (recognised by name,
 * in Vietnamese or English, with or without diacritics), numbers written with a
 * decimal comma, and WKT / EWKT / GeoJSON geometry text in one cell.
 */
import type { Geometry } from 'geojson'
import { wktToGeoJSON } from '@terraformer/wkt'

/**
 * A header reduced for matching: diacritics removed (đ → d), lower case, bracketed
 * units dropped, only letters and digits kept. 'Kinh độ (°)' → 'kinhdo', 'Tọa độ X' → 'toadox'.
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/[^a-z0-9]+/g, '')
}

/** Recognised names, most specific first (normalised as by normalizeHeader). */
export const X_NAMES = ['lon', 'lng', 'long', 'longitude', 'kinhdo', 'x', 'easting', 'toadox']
export const Y_NAMES = ['lat', 'latitude', 'vido', 'y', 'northing', 'toadoy']
export const WKT_NAMES = ['wkt', 'wktgeom', 'geometry', 'geom', 'thegeom']
/** X/Y names that say "projected": in Vietnamese survey practice X may be the northing. */
const PLANE_X = new Set(['x', 'toadox'])
const PLANE_Y = new Set(['y', 'toadoy'])

export interface ColumnIndexes {
  x?: number
  y?: number
  wkt?: number
}

/** The geometry columns found by name (indexes into the header). */
export function findGeometryColumns(header: readonly string[]): ColumnIndexes {
  const normalised = header.map(normalizeHeader)
  const find = (names: readonly string[]): number | undefined => {
    for (const name of names) {
      const i = normalised.indexOf(name)
      if (i !== -1) return i
    }
    return undefined
  }
  const found: ColumnIndexes = {}
  const wkt = find(WKT_NAMES)
  const x = find(X_NAMES)
  const y = find(Y_NAMES)
  if (wkt !== undefined) found.wkt = wkt
  if (x !== undefined) found.x = x
  if (y !== undefined) found.y = y
  return found
}

/** Whether both columns have plane names (X/Y, Tọa độ X/Y) rather than lon/lat ones. */
export function arePlaneNames(xHeader: string, yHeader: string): boolean {
  return PLANE_X.has(normalizeHeader(xHeader)) && PLANE_Y.has(normalizeHeader(yHeader))
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const COMMA_DECIMAL = /^[+-]?\d*,\d+$/
const DOT_THOUSANDS = /^[+-]?\d{1,3}(\.\d{3}){2,}(,\d+)?$|^[+-]?\d{1,3}(\.\d{3})+,\d+$/

/**
 * A coordinate cell → number; NaN when it is not a number. Spaces (thousands
 * separators) are ignored; with `commaDecimal` (the delimiter is not a comma)
 * '21,3456' and '2.345.678,9' are read as 21.3456 and 2345678.9.
 */
export function parseCoordinate(text: string, commaDecimal: boolean): number {
  let s = text.replace(/[\s\u00a0\u202f]/g, '')
  if (commaDecimal) {
    if (DOT_THOUSANDS.test(s)) s = s.replace(/\./g, '').replace(',', '.')
    else if (COMMA_DECIMAL.test(s)) s = s.replace(',', '.')
  }
  return PLAIN_NUMBER.test(s) ? Number(s) : Number.NaN
}

/** Why a coordinate cell is not a number, in words. */
export function describeBadCoordinate(column: string, value: string, commaDelimited: boolean): string {
  let why = 'which is not a number'
  if (/[°º'′"″]/.test(value)) why = 'which looks like degrees-minutes-seconds: give decimal degrees (e.g. 21.3376) instead'
  else if (commaDelimited && /^\s*[+-]?\d+,\d+\s*$/.test(value)) why = 'a decimal comma in a comma-separated file: use a decimal point, or separate the columns with semicolons'
  return `column '${column}' has '${value}', ${why}`
}

export type CellGeometry = { geometry: Geometry | null; srid?: number } | { error: string }

/** A geometry cell: WKT (any case), EWKT ('SRID=3405;POINT(…)'), 'EMPTY', or a GeoJSON geometry object. */
export function parseGeometryCell(column: string, text: string): CellGeometry {
  let s = text.trim()
  if (!s) return { geometry: null }
  if (s.startsWith('{')) {
    try {
      const value = JSON.parse(s) as unknown
      if (typeof value === 'object' && value !== null && 'type' in value) return { geometry: value as Geometry }
      return { error: `column '${column}' holds JSON that is not a GeoJSON geometry` }
    } catch {
      return { error: `column '${column}' starts like GeoJSON but is not valid JSON: '${shorten(s)}'` }
    }
  }
  let srid: number | undefined
  const ewkt = /^SRID=(\d+);/i.exec(s)
  if (ewkt) {
    srid = Number(ewkt[1])
    s = s.slice(ewkt[0].length)
  }
  if (/\bEMPTY\s*$/i.test(s)) return srid === undefined ? { geometry: null } : { geometry: null, srid }
  try {
    const geometry = stripMembers(wktToGeoJSON(s.toUpperCase()))
    return srid === undefined ? { geometry } : { geometry, srid }
  } catch (err) {
    const last = ((err as Error).message ?? '').trim().split('\n').pop() ?? ''
    const why = /got 'EOF'/.test(last) ? 'the text ends too early (a bracket or coordinate is missing)' : last.replace(/^Expecting /, 'expected ')
    return { error: `column '${column}' is not valid WKT: '${shorten(s)}': ${why}` }
  }
}

/** Terraformer adds non-GeoJSON members (e.g. properties.z); keep type and coordinates only. */
function stripMembers(g: Geometry): Geometry {
  if (g.type === 'GeometryCollection') return { type: 'GeometryCollection', geometries: g.geometries.map(stripMembers) }
  return { type: g.type, coordinates: g.coordinates } as Geometry
}

function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}
