import { booleanPointInPolygon } from '@turf/turf'
import { describe, expect, it } from 'vitest'
import { INPUTS, SAMPLE, SEED } from './sample-fixture.ts'

const sites = SAMPLE.sites.features
const PROPERTY_KEYS = ['code', 'name', 'operator_code', 'status', 'ground_elevation_m', 'commissioned_on', 'decommissioned_on', 'synthetic', 'sectors']
const SECTOR_KEYS = ['technology', 'frequency_mhz', 'azimuth_deg', 'beamwidth_deg', 'electrical_tilt_deg', 'mechanical_tilt_deg', 'height_m', 'eirp_dbm', 'gain_dbi']
const BANDS: Record<string, number[]> = { '2G': [900, 1800], '3G': [2100], '4G': [900, 1800, 2600], '5G': [3500] }
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

describe(`synthetic BTS sites (seed ${SEED})`, () => {
  it('a few hundred, Viettel most, mostly existing', () => {
    expect(sites.length).toBeGreaterThan(400)
    expect(sites.length).toBeLessThan(650)
    const count = (op: string): number => sites.filter((s) => s.properties.operator_code === op).length
    expect(count('viettel')).toBeGreaterThan(count('vnpt'))
    expect(count('vnpt')).toBeGreaterThan(count('mobifone'))
    expect(count('mobifone')).toBeGreaterThan(0)
    expect(sites.filter((s) => s.properties.status === 'existing').length / sites.length).toBeGreaterThan(0.85)
    for (const status of ['planned', 'candidate', 'decommissioned']) {
      expect(sites.some((s) => s.properties.status === status), status).toBe(true)
    }
  })

  it('every site lies inside the province', () => {
    const outside = sites.filter((s) => !booleanPointInPolygon(s.geometry.coordinates, INPUTS.province))
    expect(outside.map((s) => s.properties.code), `seed ${SEED}`).toEqual([])
  })

  it('codes are unique and follow the operator prefix', () => {
    const prefix: Record<string, string> = { viettel: 'VTL', vnpt: 'VNP', mobifone: 'MBF' }
    expect(new Set(sites.map((s) => s.properties.code)).size).toBe(sites.length)
    for (const s of sites) expect(s.properties.code).toMatch(new RegExp(`^${prefix[s.properties.operator_code]}-SLA-\\d{4}$`))
  })

  it('dates: commissioned for existing/decommissioned only, decommissioned after commissioned', () => {
    for (const { properties: p } of sites) {
      const where = `seed ${SEED}, ${p.code}`
      if (p.status === 'planned' || p.status === 'candidate') {
        expect(p.commissioned_on, where).toBeNull()
        expect(p.decommissioned_on, where).toBeNull()
        continue
      }
      expect(p.commissioned_on, where).toMatch(ISO_DATE)
      expect(p.commissioned_on! >= '2008-01-01' && p.commissioned_on! <= '2025-12-31', where).toBe(true)
      if (p.status === 'decommissioned') {
        expect(p.decommissioned_on, where).toMatch(ISO_DATE)
        expect(p.decommissioned_on! > p.commissioned_on!, where).toBe(true)
      } else {
        expect(p.decommissioned_on, where).toBeNull()
      }
    }
  })

  it('properties and sectors have exactly the agreed fields, in range', () => {
    for (const { properties: p } of sites) {
      const where = `seed ${SEED}, ${p.code}`
      expect(Object.keys(p), where).toEqual(PROPERTY_KEYS)
      expect(p.synthetic).toBe(true)
      expect(Number.isInteger(p.ground_elevation_m) && p.ground_elevation_m! > 0 && p.ground_elevation_m! < 3200, where).toBe(true)
      expect(p.sectors.length, where).toBeGreaterThan(0)
      for (const s of p.sectors) {
        expect(Object.keys(s), where).toEqual(SECTOR_KEYS)
        expect(BANDS[s.technology], where).toContain(s.frequency_mhz)
        expect(Number.isInteger(s.azimuth_deg) && s.azimuth_deg >= 0 && s.azimuth_deg <= 359, where).toBe(true)
        expect(s.beamwidth_deg, where).toBeGreaterThanOrEqual(30)
        expect(s.beamwidth_deg, where).toBeLessThanOrEqual(120)
        expect(s.electrical_tilt_deg >= 0 && s.electrical_tilt_deg <= 10, where).toBe(true)
        expect(s.mechanical_tilt_deg >= 0 && s.mechanical_tilt_deg <= 6, where).toBe(true)
        expect(s.height_m >= 20 && s.height_m <= 45, where).toBe(true)
        expect(s.eirp_dbm >= 45 && s.eirp_dbm <= 66, where).toBe(true)
        expect(s.gain_dbi >= 15 && s.gain_dbi <= 18, where).toBe(true)
      }
    }
  })

  it('most sites have 4G; 5G only at a few sites', () => {
    const live = sites.filter((s) => s.properties.status === 'existing')
    const with4g = live.filter((s) => s.properties.sectors.some((x) => x.technology === '4G')).length
    expect(with4g / live.length).toBeGreaterThan(0.75)
    const with5g = sites.filter((s) => s.properties.sectors.some((x) => x.technology === '5G')).length
    expect(with5g).toBeGreaterThan(0)
    expect(with5g).toBeLessThan(20)
  })
})
