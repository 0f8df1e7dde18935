/**
 * SRTM tile names: a 1° × 1° cell is named by its south-west corner, latitude first, e.g. N21E103
 * for lat 21…22° N, lon 103…104° E; S01W075 for lat −1…0, lon −75…−74.
 */

/** A bounding box in degrees: [west, south, east, north] (the GeoJSON order). */
export type DemBbox = readonly [west: number, south: number, east: number, north: number]

const NAME_PATTERN = /^([NS])(\d{2})([EW])(\d{3})$/i

/** Name of the tile that holds the point: the cell whose south-west corner is (⌊lat⌋, ⌊lon⌋). */
export function hgtTileName(lat: number, lon: number): string {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat >= 90 || lon < -180 || lon >= 180) {
    throw new RangeError(`no SRTM tile holds lat ${lat}, lon ${lon}`)
  }
  return tileNameOfCorner(Math.floor(lat), Math.floor(lon))
}

/** Name of the tile whose south-west corner is at the integer degrees (south, west). */
export function tileNameOfCorner(south: number, west: number): string {
  const ns = south < 0 ? 'S' : 'N'
  const ew = west < 0 ? 'W' : 'E'
  return `${ns}${String(Math.abs(south)).padStart(2, '0')}${ew}${String(Math.abs(west)).padStart(3, '0')}`
}

/** The south-west corner of a named tile, or null when the name is not an SRTM tile name. Case-insensitive. */
export function parseHgtTileName(name: string): { south: number; west: number } | null {
  const m = NAME_PATTERN.exec(name)
  if (!m) return null
  const south = Number(m[2]) * (m[1]!.toUpperCase() === 'S' ? -1 : 1)
  const west = Number(m[4]) * (m[3]!.toUpperCase() === 'W' ? -1 : 1)
  if (south < -90 || south >= 90 || west < -180 || west >= 180) return null
  return { south, west }
}

/** The canonical (upper-case) form of a tile name, or null when it is not one. */
export function normaliseHgtTileName(name: string): string | null {
  const corner = parseHgtTileName(name)
  return corner ? tileNameOfCorner(corner.south, corner.west) : null
}

/**
 * The tiles needed to cover a bbox, north-west first (row by row from the north, west to east
 * within a row). A bbox edge lying exactly on a whole degree needs no tile beyond it (tiles
 * include their edges), so [103, 20.6, 105, 22.1] needs E103 and E104 only.
 */
export function hgtTilesForBbox(bbox: DemBbox): string[] {
  const [west, south, east, north] = bbox
  if (![west, south, east, north].every(Number.isFinite) || west > east || south > north) {
    throw new RangeError(`bad bbox [${bbox.join(', ')}]: expected [west, south, east, north] with west ≤ east and south ≤ north`)
  }
  if (west < -180 || east > 180 || south < -90 || north > 90) throw new RangeError(`bbox [${bbox.join(', ')}] is outside lon −180…180, lat −90…90`)
  const w0 = Math.min(179, Math.floor(west))
  const w1 = Math.min(179, Math.max(w0, Math.ceil(east) - 1))
  const s0 = Math.min(89, Math.floor(south))
  const s1 = Math.min(89, Math.max(s0, Math.ceil(north) - 1))
  const names: string[] = []
  for (let s = s1; s >= s0; s--) {
    for (let w = w0; w <= w1; w++) names.push(tileNameOfCorner(s, w))
  }
  return names
}

/** Path of a tile in the "skadi" layout of the AWS terrain tiles: `N21/N21E103.hgt.gz`. */
export function skadiTilePath(name: string): string {
  const canonical = normaliseHgtTileName(name)
  if (!canonical) throw new RangeError(`'${name}' is not an SRTM tile name like N21E103`)
  return `${canonical.slice(0, 3)}/${canonical}.hgt.gz`
}
