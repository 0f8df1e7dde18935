import { describe, expect, it } from 'vitest'
import { diagnoseCoordinates } from '../../../../server/geo/crs/diagnose-coordinates.ts'
import { parseCrs } from '../../../../server/geo/crs/parse-crs.ts'

/**
 * Real places and their VN-2000 coordinates from test/fixtures/crs/cs2cs-reference.json (PROJ cs2cs):
 * each as [x, y] = [longitude or easting, latitude or northing].
 */
const WGS84_LON_LAT: Array<[number, number]> = [
  [103.4581, 22.3962], // Lai Châu
  [103.8438, 22.3364], // Sa Pa
  [105.8542, 21.0285], // Hà Nội
  [105.3629, 23.2783], // Đồng Văn
]
const UTM48_NORTH_WEST: Array<[number, number]> = [
  [341080.93, 2477603.03], // Lai Châu
  [206573.74, 2479766.98], // near A Pa Chải, the westernmost point
  [294207.55, 2366229.71], // Điện Biên Phủ
]
const TM3_LAO_CAI: Array<[number, number]> = [
  [419615.38, 2487639.51], // Lào Cai city, TM-3 104°45′
  [406457.23, 2471191.45], // Sa Pa, TM-3 104°45′
]
/** Pre-2025 Lào Cai province, roughly (degrees). */
const LAO_CAI_AREA = { name: 'Lào Cai province', extent: { minLon: 103.5, minLat: 21.8, maxLon: 104.65, maxLat: 22.9 } }

const swap = (ps: Array<[number, number]>): Array<[number, number]> => ps.map(([x, y]) => [y, x])

describe('diagnoseCoordinates', () => {
  it('finds nothing wrong when every position lands inside', () => {
    expect(diagnoseCoordinates(WGS84_LON_LAT, parseCrs('wgs84'))).toBeNull()
    expect(diagnoseCoordinates(UTM48_NORTH_WEST, parseCrs('VN2000:UTM48'))).toBeNull()
    expect(diagnoseCoordinates(TM3_LAO_CAI, parseCrs('VN2000:TM3:lao-cai'), LAO_CAI_AREA)).toBeNull()
    expect(diagnoseCoordinates([], parseCrs('wgs84'))).toBeNull()
  })

  it('recognises latitude and longitude swapped', () => {
    expect(diagnoseCoordinates(swap(WGS84_LON_LAT), parseCrs('wgs84'))).toMatch(/4 of 4 positions fall outside Vietnam.*latitude and longitude are swapped/)
  })

  it('recognises projected metres declared as degrees, and names systems that fit', () => {
    const message = diagnoseCoordinates(UTM48_NORTH_WEST, parseCrs('EPSG:4326'))
    expect(message).toMatch(/projected coordinates in metres .* declared as degrees/)
    expect(message).toMatch(/as VN-2000 \/ UTM zone 48N \(EPSG:3405\).* they fall inside Vietnam/)
    expect(message).not.toMatch(/northing, easting/)
  })

  it('recognises projected metres declared as degrees with the northing first', () => {
    expect(diagnoseCoordinates(swap(UTM48_NORTH_WEST), parseCrs('EPSG:4756'))).toMatch(/declared as degrees: read as \(northing, easting\) — X = northing first.*UTM zone 48N/)
  })

  it('recognises northing and easting swapped (X = northing, Y = easting in Vietnamese surveys)', () => {
    expect(diagnoseCoordinates(swap(UTM48_NORTH_WEST), parseCrs('VN2000:UTM48'))).toMatch(/read as \(northing, easting\) every one falls inside: the columns are swapped/)
    expect(diagnoseCoordinates(swap(TM3_LAO_CAI), parseCrs('VN2000:TM3:104.75'))).toMatch(/columns are swapped/)
  })

  it('recognises a wrong zone: UTM 48N coordinates declared in the Lai Châu TM-3 zone', () => {
    const message = diagnoseCoordinates(UTM48_NORTH_WEST, parseCrs('VN2000:TM3:Lai Châu'))
    expect(message).toMatch(/probably the wrong zone \(declared 103°00′\)/)
    expect(message).toMatch(/Nearest that fit: crs=EPSG:3405 \(VN-2000 \/ UTM 105°00′\)/)
  })

  it('recognises a wrong TM-3 meridian inside a province: Lào Cai data declared in Sơn La’s zone', () => {
    const message = diagnoseCoordinates(TM3_LAO_CAI, parseCrs('VN2000:TM3:son-la'), LAO_CAI_AREA)
    expect(message).toMatch(/fall outside Lào Cai province/)
    expect(message).toMatch(/crs=VN2000:TM3:104.75 \(104°45′: Lào Cai, Yên Bái, Phú Thọ/)
  })

  it('recognises degrees given for a projected system, longitude or latitude first', () => {
    expect(diagnoseCoordinates(WGS84_LON_LAT, parseCrs('VN2000:UTM48'))).toMatch(/the values are degrees \(longitude, latitude\), not metres: declare crs=EPSG:4326/)
    expect(diagnoseCoordinates(swap(WGS84_LON_LAT), parseCrs('VN2000:TM3:104.75'))).toMatch(/the values are degrees \(latitude first\)/)
  })

  it('returns null when no simple cause explains the positions', () => {
    expect(diagnoseCoordinates([[2.35, 48.85]], parseCrs('wgs84'))).toBeNull() // Paris
    expect(diagnoseCoordinates([[103.8, 22.3], [2.35, 48.85]], parseCrs('wgs84'))).toBeNull() // one stray point
    expect(diagnoseCoordinates([[5_000_000, 9_000_000]], parseCrs('VN2000:UTM48'))).toBeNull()
  })

  it('samples large inputs and says so', () => {
    const many = Array.from({ length: 2000 }, (_, i): [number, number] => [21 + (i % 100) / 100, 104 + i / 2000])
    expect(diagnoseCoordinates(many, parseCrs('wgs84'))).toMatch(/^500 of 500 sampled positions fall outside Vietnam.*swapped/)
  })

  it('ignores non-finite positions', () => {
    expect(diagnoseCoordinates([[Number.NaN, 1], ...WGS84_LON_LAT], parseCrs('wgs84'))).toBeNull()
  })
})
