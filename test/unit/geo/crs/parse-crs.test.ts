import { describe, expect, it } from 'vitest'
import { CrsError } from '../../../../server/geo/crs/crs-spec.ts'
import { ACCEPTED_CRS_FORMS, parseCrs } from '../../../../server/geo/crs/parse-crs.ts'

describe('parseCrs', () => {
  it.each([
    ['EPSG:4326', 'EPSG:4326'],
    ['epsg:4326', 'EPSG:4326'],
    ['4326', 'EPSG:4326'],
    ['wgs84', 'EPSG:4326'],
    ['WGS 84', 'EPSG:4326'],
    ['CRS84', 'EPSG:4326'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
    ['urn:ogc:def:crs:EPSG::4326', 'EPSG:4326'],
    ['http://www.opengis.net/def/crs/EPSG/0/4326', 'EPSG:4326'],
    ['EPSG:4756', 'EPSG:4756'],
    ['4756', 'EPSG:4756'],
    ['VN-2000', 'EPSG:4756'],
    ['EPSG:3405', 'EPSG:3405'],
    ['3405', 'EPSG:3405'],
    ['VN2000:UTM48', 'EPSG:3405'],
    ['vn2000:utm48n', 'EPSG:3405'],
    ['EPSG:3406', 'EPSG:3406'],
    ['VN2000:UTM49', 'EPSG:3406'],
    ['EPSG:32648', 'EPSG:32648'],
    ['EPSG:32649', 'EPSG:32649'],
  ])('reads %s as %s', (spec, id) => {
    expect(parseCrs(spec).id).toBe(id)
  })

  it('gives UTM zones their central meridian and scale', () => {
    expect(parseCrs('VN2000:UTM48')).toMatchObject({ kind: 'projected', datum: 'VN2000', projection: 'UTM', centralMeridian: 105, scaleFactor: 0.9996, epsg: 3405 })
    expect(parseCrs('VN2000:UTM49')).toMatchObject({ centralMeridian: 111, epsg: 3406 })
    expect(parseCrs('EPSG:32648')).toMatchObject({ datum: 'WGS84', centralMeridian: 105 })
  })

  it.each(['VN2000:TM3:104.75', 'VN2000:TM3:104:45', "VN2000:TM3:104°45'", 'VN2000:TM3:104°45′', 'VN2000:TM3:104-45', 'VN2000:TM3:104 45', 'VN-2000:TM-3:104.75', 'EPSG:9208'])(
    'reads the TM-3 zone 104°45′ from %s',
    (spec) => {
      expect(parseCrs(spec)).toMatchObject({
        id: 'VN2000:TM3:104.75',
        kind: 'projected',
        datum: 'VN2000',
        projection: 'TM3',
        centralMeridian: 104.75,
        scaleFactor: 0.9999,
        falseEasting: 500_000,
        epsg: 9208,
      })
    },
  )

  it('reads a TM-3 meridian EPSG has no CRS for', () => {
    const crs = parseCrs('VN2000:TM3:104:20')
    expect(crs).toMatchObject({ projection: 'TM3', epsg: null })
    expect(crs.kind === 'projected' && crs.centralMeridian).toBeCloseTo(104 + 20 / 60, 8)
  })

  it.each([
    ['son-la', 104, 'Sơn La'],
    ['Sơn La', 104, 'Sơn La'],
    ['SON_LA', 104, 'Sơn La'],
    ['tỉnh Sơn La', 104, 'Sơn La'],
    ['lao cai', 104.75, 'Lào Cai'],
    ['Lai Châu', 103, 'Lai Châu'],
    ['dien bien', 103, 'Điện Biên'],
    ['Hà Giang', 105.5, 'Hà Giang'],
    ['tuyen-quang', 106, 'Tuyên Quang'],
    ['Cao Bằng', 105.75, 'Cao Bằng'],
    ['Lạng Sơn', 107.25, 'Lạng Sơn'],
    ['Bắc Cạn', 106.5, 'Bắc Kạn'],
    ['hoa binh', 106, 'Hòa Bình'],
    ['Hoà Bình', 106, 'Hòa Bình'],
    ['Hà Nội', 105, 'Hà Nội'],
    ['thanh hoa', 105, 'Thanh Hóa'],
    ['Quảng Ninh', 107.75, 'Quảng Ninh'],
    ['Bắc Giang', 107, 'Bắc Giang'],
    ['Yên Bái', 104.75, 'Yên Bái'],
  ])('reads the TM-3 zone of province %s', (name, centralMeridian, province) => {
    expect(parseCrs(`VN2000:TM3:${name}`)).toMatchObject({ projection: 'TM3', centralMeridian, province })
  })

  it('labels TM-3 zones with meridian, province and EPSG code', () => {
    expect(parseCrs('VN2000:TM3:son-la').label).toBe('VN-2000 / TM-3 104°00′ (Sơn La, EPSG:9206)')
  })

  it('reads TM-6 zones, and TM-6 at 105° as UTM 48N', () => {
    expect(parseCrs('VN2000:TM6:102')).toMatchObject({ id: 'VN2000:TM6:102', projection: 'TM6', centralMeridian: 102, scaleFactor: 0.9996 })
    expect(parseCrs('VN2000:TM6:105').id).toBe('EPSG:3405')
  })

  it.each(['', 'foo', 'EPSG:3857', '3857', 'VN2000:UTM50', 'VN2000:TM3:', 'VN2000:TM9:105', 'WGS84:TM3:105'])(
    'rejects %j, listing the accepted forms',
    (spec) => {
      expect(() => parseCrs(spec)).toThrow(CrsError)
      expect(() => parseCrs(spec)).toThrow(ACCEPTED_CRS_FORMS)
    },
  )

  it('rejects an unknown province, saying what it tried', () => {
    expect(() => parseCrs('VN2000:TM3:Atlantis')).toThrow(/"Atlantis" is neither a central meridian .* nor a province name/)
  })

  it('rejects central meridians outside Vietnam and bad minutes', () => {
    expect(() => parseCrs('VN2000:TM3:45')).toThrow(/not between/)
    expect(() => parseCrs('VN2000:TM3:104:75')).toThrow(/minutes must be below 60/)
  })
})
