import { describe, expect, it } from 'vitest'
import { INPUTS } from './sample-fixture.ts'

// The REAL data copied from ../shared by scripts/sample/extract-real-data.ts.
describe('bundled real Sơn La data', () => {
  it('holds the province with the agreed properties', () => {
    expect(INPUTS.province.type).toBe('Feature')
    expect(INPUTS.province.geometry.type).toBe('MultiPolygon')
    expect(Object.keys(INPUTS.province.properties)).toEqual(['code', 'name', 'type', 'population', 'area_km2'])
    expect(INPUTS.province.properties).toMatchObject({ code: '14', name: 'Sơn La', type: 'Tỉnh', population: 1404587 })
  })

  it('holds the 75 communes with the agreed properties, summing to the province population', () => {
    const communes = INPUTS.communes.features
    expect(communes).toHaveLength(75)
    for (const c of communes) {
      expect(c.geometry.type).toBe('MultiPolygon')
      expect(Object.keys(c.properties)).toEqual([
        'code', 'name', 'type', 'province_code', 'population', 'area_km2',
        'historical_district_code', 'historical_district_name', 'attributes',
      ])
      expect(c.properties.code).toMatch(/^\d{5}$/)
      expect(['Xã', 'Phường']).toContain(c.properties.type)
      expect(Number.isInteger(c.properties.population)).toBe(true)
      expect(typeof c.properties.attributes.seat_lon).toBe('number')
    }
    expect(new Set(communes.map((c) => c.properties.code)).size).toBe(75)
    expect(communes.reduce((sum, c) => sum + c.properties.population, 0)).toBe(INPUTS.province.properties.population)
  })

  it('holds the coarse DEM grid (39 × 31 cells of 0.1°)', () => {
    expect(INPUTS.dem).toMatchObject({ ncols: 39, nrows: 31, xllcorner: 102.1, yllcorner: 20.3, cellsize: 0.1 })
  })
})
