import type { Geometry } from 'geojson'
import { describe, expect, it } from 'vitest'
import { createTransform, transformGeometry } from '../../../../server/geo/crs/create-transform.ts'
import { parseCrs } from '../../../../server/geo/crs/parse-crs.ts'

// Sa Pa: WGS 84 (103.8438, 22.3364) is VN-2000 / TM-3 104°45′ (406457.227387, 2471191.451269) by cs2cs (PROJ 9.1.1, EPSG:9208).
const SA_PA_TM3: [number, number] = [406457.227387, 2471191.451269]

describe('createTransform', () => {
  it('converts VN-2000 TM-3 metres to WGS 84 degrees', () => {
    const [lon, lat] = createTransform(parseCrs('VN2000:TM3:lao-cai'))(...SA_PA_TM3)
    expect(lon).toBeCloseTo(103.8438, 7)
    expect(lat).toBeCloseTo(22.3364, 7)
  })

  it('returns WGS 84 unchanged and reuses converters per system', () => {
    expect(createTransform(parseCrs('wgs84'))(103.9, 21.3)).toEqual([103.9, 21.3])
    expect(createTransform(parseCrs('VN2000:TM3:104.75'))).toBe(createTransform(parseCrs('VN2000:TM3:lao cai')))
  })

  it('gives NaN for positions it cannot convert', () => {
    expect(createTransform(parseCrs('EPSG:3405'))(Number.NaN, 2_400_000)).toEqual([Number.NaN, Number.NaN])
    expect(createTransform(parseCrs('EPSG:4756'))(200, 95).every(Number.isNaN)).toBe(true)
  })
})

describe('transformGeometry', () => {
  const shift = (x: number, y: number): [number, number] => [x + 100, y + 10]

  it.each<[string, Geometry, Geometry]>([
    ['Point', { type: 'Point', coordinates: [1, 2] }, { type: 'Point', coordinates: [101, 12] }],
    ['MultiPoint', { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }, { type: 'MultiPoint', coordinates: [[101, 12], [103, 14]] }],
    ['LineString', { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, { type: 'LineString', coordinates: [[101, 12], [103, 14]] }],
    ['MultiLineString', { type: 'MultiLineString', coordinates: [[[1, 2], [3, 4]]] }, { type: 'MultiLineString', coordinates: [[[101, 12], [103, 14]]] }],
    [
      'Polygon with a hole',
      { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]] },
      { type: 'Polygon', coordinates: [[[100, 10], [104, 10], [104, 14], [100, 10]], [[101, 11], [102, 11], [102, 12], [101, 11]]] },
    ],
    [
      'MultiPolygon',
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] },
      { type: 'MultiPolygon', coordinates: [[[[100, 10], [101, 10], [101, 11], [100, 10]]]] },
    ],
    [
      'GeometryCollection',
      { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }, { type: 'LineString', coordinates: [[3, 4], [5, 6]] }] },
      { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [101, 12] }, { type: 'LineString', coordinates: [[103, 14], [105, 16]] }] },
    ],
  ])('converts every position of a %s', (_type, input, expected) => {
    expect(transformGeometry(input, shift)).toEqual(expected)
  })

  it('keeps heights and does not modify its input', () => {
    const input: Geometry = { type: 'LineString', coordinates: [[1, 2, 1500], [3, 4, 1600.5]] }
    const copy = structuredClone(input)
    expect(transformGeometry(input, shift)).toEqual({ type: 'LineString', coordinates: [[101, 12, 1500], [103, 14, 1600.5]] })
    expect(input).toEqual(copy)
  })

  it('drops a bbox, which was in the source system', () => {
    const input: Geometry = { type: 'Point', coordinates: [1, 2], bbox: [1, 2, 1, 2] }
    expect(transformGeometry(input, shift)).toEqual({ type: 'Point', coordinates: [101, 12] })
  })

  it('converts a VN-2000 polygon to WGS 84', () => {
    const t = createTransform(parseCrs('VN2000:TM3:104.75'))
    const ring = [SA_PA_TM3, [SA_PA_TM3[0] + 1000, SA_PA_TM3[1]], [SA_PA_TM3[0], SA_PA_TM3[1] + 1000], SA_PA_TM3]
    const out = transformGeometry({ type: 'Polygon', coordinates: [ring] }, t)
    expect(out.coordinates[0]?.[0]?.[0]).toBeCloseTo(103.8438, 7)
    expect(out.coordinates[0]?.[1]?.[0]).toBeCloseTo(103.8438 + 1000 / (111_320 * Math.cos((22.3364 * Math.PI) / 180)), 3)
  })
})
