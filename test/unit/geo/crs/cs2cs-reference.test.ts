import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import proj4 from 'proj4'
import { describe, expect, it } from 'vitest'
import { VN2000_TOWGS84, crsDefinition } from '../../../../server/geo/crs/crs-definitions.ts'
import { createTransform } from '../../../../server/geo/crs/create-transform.ts'
import { parseCrs } from '../../../../server/geo/crs/parse-crs.ts'

/**
 * Independent reference: test/fixtures/crs/cs2cs-reference.json holds places across the northern
 * provinces converted WGS 84 → VN-2000 by PROJ's cs2cs (written once by
 * scripts/crs/make-cs2cs-reference.ts, which records the PROJ version and commands). Here the
 * VN-2000 values go back to WGS 84 through phusong's code and must land on the originals.
 */
interface Reference {
  proj: string
  points: Array<{
    name: string
    province: string
    wgs84: { lon: number; lat: number }
    vn2000: Array<{ crs: string; target: string; x: number; y: number }>
  }>
}
const REFERENCE: Reference = JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/crs/cs2cs-reference.json'), 'utf8'))

/** Agreement required with PROJ, metres. */
const TOLERANCE_M = 0.1

/** Distance in metres between two nearby WGS 84 positions (local ellipsoidal radii; exact to well under 1 mm at these distances). */
function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const a = 6378137
  const e2 = 0.00669437999014
  const phi = (((lat1 + lat2) / 2) * Math.PI) / 180
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2)
  const meridional = (a * (1 - e2)) / w ** 3
  const primeVertical = a / w
  const dNorth = (((lat2 - lat1) * Math.PI) / 180) * meridional
  const dEast = (((lon2 - lon1) * Math.PI) / 180) * primeVertical * Math.cos(phi)
  return Math.hypot(dNorth, dEast)
}

/** Worst distance (metres) between the originals and the fixture's VN-2000 values of `crs` sent back through `toWgs84`. */
function worstError(crsFamily: (crs: string) => boolean, toWgs84: (crs: string) => (x: number, y: number) => [number, number]): { worst: number; count: number; where: string } {
  let worst = 0
  let count = 0
  let where = ''
  for (const point of REFERENCE.points) {
    for (const v of point.vn2000.filter((c) => crsFamily(c.crs))) {
      const [lon, lat] = toWgs84(v.crs)(v.x, v.y)
      const d = distanceM(point.wgs84.lon, point.wgs84.lat, lon, lat)
      count++
      if (!(d <= worst)) {
        worst = d
        where = `${point.name} (${point.province}) in ${v.crs}`
      }
    }
  }
  return { worst, count, where }
}

const ours = (crs: string): ((x: number, y: number) => [number, number]) => createTransform(parseCrs(crs))

describe(`VN-2000 → WGS 84 against PROJ cs2cs (${REFERENCE.proj})`, () => {
  it('covers at least 12 places in the northern provinces', () => {
    expect(REFERENCE.points.length).toBeGreaterThanOrEqual(12)
    expect(new Set(REFERENCE.points.map((p) => p.province)).size).toBeGreaterThanOrEqual(12)
  })

  it.each([
    ['VN-2000 geographic (EPSG:4756)', (crs: string) => crs === 'EPSG:4756'],
    ['VN-2000 / UTM 48N (EPSG:3405)', (crs: string) => crs === 'EPSG:3405'],
    ['VN-2000 / UTM 49N (EPSG:3406)', (crs: string) => crs === 'EPSG:3406'],
    ['VN-2000 / TM-3, province meridian', (crs: string) => crs.startsWith('VN2000:TM3:')],
  ])(`%s agrees with cs2cs within ${TOLERANCE_M} m`, (_label, family) => {
    const { worst, count, where } = worstError(family, ours)
    expect(count).toBe(REFERENCE.points.length)
    expect(worst, `worst ${worst.toFixed(6)} m at ${where}`).toBeLessThan(TOLERANCE_M)
  })

  it('would fail without the datum shift: ignoring the Helmert transformation errs by more than 100 m', () => {
    const noShift = (crs: string): ((x: number, y: number) => [number, number]) => {
      const converter = proj4(crsDefinition(parseCrs(crs)).replace(VN2000_TOWGS84, '0,0,0,0,0,0,0'), '+proj=longlat +datum=WGS84 +no_defs')
      return (x, y) => converter.forward([x, y]) as [number, number]
    }
    for (const family of [(c: string) => c === 'EPSG:4756', (c: string) => c === 'EPSG:3405', (c: string) => c.startsWith('VN2000:TM3:')]) {
      const { worst } = worstError(family, noShift)
      expect(worst).toBeGreaterThan(100)
    }
  })

  it('would fail with the EPSG rotation signs pasted into +towgs84 unchanged (coordinate frame read as position vector)', () => {
    const epsgSigns = '-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278'
    const wrongRotations = (crs: string): ((x: number, y: number) => [number, number]) => {
      const converter = proj4(crsDefinition(parseCrs(crs)).replace(VN2000_TOWGS84, epsgSigns), '+proj=longlat +datum=WGS84 +no_defs')
      return (x, y) => converter.forward([x, y]) as [number, number]
    }
    const { worst } = worstError((c) => c.startsWith('VN2000:TM3:'), wrongRotations)
    expect(worst).toBeGreaterThan(TOLERANCE_M)
  })
})
