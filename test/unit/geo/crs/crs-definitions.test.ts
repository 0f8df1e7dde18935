import { describe, expect, it } from 'vitest'
import { CRS_DEFINITIONS, VN2000_TOWGS84, crsDefinition, vn2000Tm3Definition } from '../../../../server/geo/crs/crs-definitions.ts'
import { parseCrs } from '../../../../server/geo/crs/parse-crs.ts'

/** `projinfo EPSG:<code> -o PROJ -q` with PROJ 9.1.1, without the trailing "+type=crs". */
const PROJINFO = {
  'EPSG:4756': '+proj=longlat +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +no_defs',
  'EPSG:3405': '+proj=utm +zone=48 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs',
  'EPSG:3406': '+proj=utm +zone=49 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs',
  'EPSG:9208': '+proj=tmerc +lat_0=0 +lon_0=104.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs',
} as const

describe('crs definitions', () => {
  it('are the definitions PROJ gives for the EPSG codes', () => {
    expect(CRS_DEFINITIONS['EPSG:4756']).toBe(PROJINFO['EPSG:4756'])
    expect(CRS_DEFINITIONS['EPSG:3405']).toBe(PROJINFO['EPSG:3405'])
    expect(CRS_DEFINITIONS['EPSG:3406']).toBe(PROJINFO['EPSG:3406'])
    expect(vn2000Tm3Definition(104.75)).toBe(PROJINFO['EPSG:9208'])
  })

  it('carry the EPSG:6960 rotations with signs flipped for the position-vector +towgs84 convention', () => {
    // EPSG (coordinate frame): rX = -0.00928836″, rY = +0.01975479″, rZ = -0.00427372″.
    expect(VN2000_TOWGS84.split(',').map(Number)).toEqual([-191.90441429, -39.30318279, -111.45032835, 0.00928836, -0.01975479, 0.00427372, 0.252906278])
  })

  it('give every CrsSpec a definition', () => {
    for (const spec of ['EPSG:4326', 'EPSG:4756', 'EPSG:3405', 'EPSG:3406', 'EPSG:32648', 'VN2000:TM3:son-la', 'VN2000:TM6:102']) {
      expect(crsDefinition(parseCrs(spec)), spec).toMatch(/^\+proj=/)
    }
    expect(crsDefinition(parseCrs('VN2000:TM6:102'))).toContain('+lon_0=102 +k=0.9996')
  })
})
