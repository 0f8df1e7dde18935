import { booleanPointInPolygon } from '@turf/turf'
import { describe, expect, it } from 'vitest'
import { INPUTS, SAMPLE, SEED } from './sample-fixture.ts'

const villages = SAMPLE.villages.features
const communes = INPUTS.communes.features

describe(`synthetic villages (seed ${SEED})`, () => {
  it('number about 3,000, 30 to 60 per commune', () => {
    expect(villages.length).toBeGreaterThan(2700)
    expect(villages.length).toBeLessThan(3300)
    for (const c of communes) {
      const n = villages.filter((v) => v.properties.commune_code === c.properties.code).length
      expect(n, `seed ${SEED}, commune ${c.properties.code}`).toBeGreaterThanOrEqual(30)
      expect(n, `seed ${SEED}, commune ${c.properties.code}`).toBeLessThanOrEqual(60)
    }
  })

  it('every village lies inside its real commune polygon', () => {
    const byCode = new Map(communes.map((c) => [c.properties.code, c]))
    const outside = villages.filter((v) => {
      const commune = byCode.get(v.properties.commune_code)
      return !commune || !booleanPointInPolygon(v.geometry.coordinates, commune)
    })
    expect(outside.map((v) => v.properties.code), `seed ${SEED}`).toEqual([])
  })

  it('village populations add up exactly to each commune population', () => {
    for (const c of communes) {
      const sum = villages.filter((v) => v.properties.commune_code === c.properties.code).reduce((s, v) => s + v.properties.population, 0)
      expect(sum, `seed ${SEED}, commune ${c.properties.code} ${c.properties.name}`).toBe(c.properties.population)
    }
  })

  it('codes are unique and <commune>-<NNN>; names are unique within a commune', () => {
    const codes = villages.map((v) => v.properties.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const v of villages) expect(v.properties.code).toMatch(new RegExp(`^${v.properties.commune_code}-\\d{3}$`))
    for (const c of communes) {
      const names = villages.filter((v) => v.properties.commune_code === c.properties.code).map((v) => v.properties.name)
      expect(new Set(names).size, `seed ${SEED}, commune ${c.properties.code}`).toBe(names.length)
    }
  })

  it('wards have "Tổ dân phố N", communes "Bản …" and "Tiểu khu N"', () => {
    const typeOf = new Map(communes.map((c) => [c.properties.code, c.properties.type]))
    for (const v of villages) {
      const pattern = typeOf.get(v.properties.commune_code) === 'Phường' ? /^Tổ dân phố \d+$/ : /^(Bản \S.*|Tiểu khu \d+)$/
      expect(v.properties.name, `seed ${SEED}, ${v.properties.code}`).toMatch(pattern)
    }
  })

  it('have exactly the agreed properties, with plausible households and few without grid power', () => {
    for (const v of villages) {
      expect(Object.keys(v.properties)).toEqual(['code', 'name', 'commune_code', 'population', 'households', 'has_grid_power', 'synthetic', 'attributes'])
      expect(v.properties.synthetic).toBe(true)
      expect(Number.isInteger(v.properties.population) && v.properties.population > 0).toBe(true)
      expect(Number.isInteger(v.properties.households) && v.properties.households >= 1).toBe(true)
      const size = v.properties.population / v.properties.households
      expect(size, `seed ${SEED}, ${v.properties.code}`).toBeGreaterThan(4.2)
      expect(size, `seed ${SEED}, ${v.properties.code}`).toBeLessThan(5.6)
      expect(typeof v.properties.attributes.ethnic_majority).toBe('string')
    }
    const withoutPower = villages.filter((v) => !v.properties.has_grid_power).length / villages.length
    expect(withoutPower).toBeGreaterThan(0.005)
    expect(withoutPower).toBeLessThan(0.08)
  })
})
