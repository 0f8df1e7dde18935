import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { crsFromPrj } from '../../../../server/geo/crs/crs-from-prj.ts'
import { CrsError } from '../../../../server/geo/crs/crs-spec.ts'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/crs')
/** The .prj fixtures (see test/fixtures/crs/README.md for where each shape comes from). */
const readPrj = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8')

describe('crsFromPrj', () => {
  it('reads WGS 84 geographic (ESRI)', () => {
    expect(crsFromPrj(readPrj('wgs84.prj')).id).toBe('EPSG:4326')
  })

  it('reads VN-2000 / UTM 48N (ESRI, by datum name and parameters)', () => {
    expect(crsFromPrj(readPrj('vn2000-utm48n.prj'))).toMatchObject({ id: 'EPSG:3405', datum: 'VN2000', centralMeridian: 105 })
  })

  it('reads VN-2000 / UTM 48N (GDAL, by authority code)', () => {
    expect(crsFromPrj(readPrj('vn2000-utm48n-gdal.prj')).id).toBe('EPSG:3405')
  })

  it('reads VN-2000 / UTM 48N (GDAL) from its parameters when the authority code is removed', () => {
    const prj = readPrj('vn2000-utm48n-gdal.prj').replace(/,\s*AUTHORITY\["EPSG","3405"\]\]\s*$/, ']')
    expect(prj).not.toContain('"3405"')
    expect(crsFromPrj(prj).id).toBe('EPSG:3405')
  })

  it('reads VN-2000 / TM-3 104°45′ (ESRI) with the central meridian from the parameters', () => {
    expect(crsFromPrj(readPrj('vn2000-tm3-104-45.prj'))).toMatchObject({ id: 'VN2000:TM3:104.75', projection: 'TM3', scaleFactor: 0.9999 })
  })

  it('reads VN-2000 / TM-3 at any central meridian, not only the tabled ones', () => {
    const prj = readPrj('vn2000-tm3-104-45.prj').replace('PARAMETER["Central_Meridian",104.75]', 'PARAMETER["Central_Meridian",104.3333333333]')
    const crs = crsFromPrj(prj)
    expect(crs).toMatchObject({ projection: 'TM3', epsg: null })
    expect(crs.kind === 'projected' && crs.centralMeridian).toBeCloseTo(104 + 20 / 60, 8)
  })

  it('reads WKT2, with and without the EPSG id', () => {
    const wkt2 = readPrj('vn2000-tm3-104-45-wkt2.prj')
    expect(crsFromPrj(wkt2).id).toBe('VN2000:TM3:104.75')
    const withoutId = wkt2.replace(/,\s*ID\["EPSG",9208\]\]\s*$/, ']')
    expect(withoutId).not.toContain('9208')
    expect(crsFromPrj(withoutId).id).toBe('VN2000:TM3:104.75')
  })

  it('recognises VN-2000 by its TOWGS84 when the datum has no name (custom proj string written by GDAL)', () => {
    expect(crsFromPrj(readPrj('vn2000-tm3-104-45-custom-gdal.prj')).id).toBe('VN2000:TM3:104.75')
  })

  it('recognises VN-2000 by the shift kept in the datum name (custom proj string written as ESRI)', () => {
    expect(crsFromPrj(readPrj('vn2000-tm3-104-45-custom-esri.prj')).id).toBe('VN2000:TM3:104.75')
  })

  it('reads VN-2000 geographic and WGS 84 / UTM 48N', () => {
    const vn2000 =
      'GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
    expect(crsFromPrj(vn2000).id).toBe('EPSG:4756')
    const wgsUtm = readPrj('vn2000-utm48n.prj').replace('VN_2000_UTM_Zone_48N', 'WGS_1984_UTM_Zone_48N').replace('GCS_VN_2000', 'GCS_WGS_1984').replace('D_Vietnam_2000', 'D_WGS_1984')
    expect(crsFromPrj(wgsUtm).id).toBe('EPSG:32648')
  })

  it('refuses a TM-3 zone labelled WGS 84, suggesting the VN-2000 zone', () => {
    const prj = readPrj('vn2000-tm3-104-45.prj').replace('VN-2000_TM-3_104-45', 'TM3_104_45').replace('GCS_VN_2000', 'GCS_WGS_1984').replace('D_Vietnam_2000', 'D_WGS_1984')
    expect(() => crsFromPrj(prj)).toThrow(/mislabelled datum.*crs=VN2000:TM3:104.75/)
  })

  it('says what it found for a system it does not read', () => {
    const webMercator =
      'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]'
    expect(() => crsFromPrj(webMercator)).toThrow(CrsError)
    expect(() => crsFromPrj(webMercator)).toThrow(/found PROJCS "WGS_1984_Web_Mercator_Auxiliary_Sphere".*projection "Mercator_Auxiliary_Sphere"/)
  })

  it('names the Krassowsky ellipsoid of Hanoi 1972', () => {
    const hanoi72 =
      'GEOGCS["GCS_Hanoi_1972",DATUM["D_Hanoi_1972",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
    expect(() => crsFromPrj(hanoi72)).toThrow(/datum "D_Hanoi_1972".*Krassowsky ellipsoid: Hanoi 1972/)
  })

  it('refuses projected systems in feet and odd false eastings, and unreadable text', () => {
    expect(() => crsFromPrj(readPrj('vn2000-tm3-104-45.prj').replace('UNIT["Meter",1.0]]', 'UNIT["Foot",0.3048]]'))).toThrow(/Foot \(0.3048 m\)/)
    expect(() => crsFromPrj(readPrj('vn2000-tm3-104-45.prj').replace('"False_Easting",500000.0', '"False_Easting",48500000.0'))).toThrow(/false easting 48500000/)
    expect(() => crsFromPrj('GEOGCS["broken"')).toThrow(/not readable WKT/)
  })
})
