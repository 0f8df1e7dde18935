import { booleanPointInPolygon } from '@turf/turf'
import { describe, expect, it } from 'vitest'
import { INPUTS, SAMPLE, SEED } from './sample-fixture.ts'

const fibre = SAMPLE.fibre.features
const power = SAMPLE.powerLines.features

describe(`synthetic fibre and power lines (seed ${SEED})`, () => {
  it('every vertex lies inside the province', () => {
    const outside: string[] = []
    for (const f of [...fibre, ...power]) {
      for (const p of f.geometry.coordinates) {
        if (!booleanPointInPolygon(p, INPUTS.province)) outside.push(`${f.properties.code} ${p.join(',')}`)
      }
    }
    expect(outside, `seed ${SEED}`).toEqual([])
  })

  it('coordinates have at most 6 decimals', () => {
    for (const f of [...fibre, ...power]) {
      for (const p of f.geometry.coordinates) for (const v of p) expect(Math.round(v * 1e6) / 1e6).toBe(v)
    }
  })

  it('fibre routes have the agreed fields; some communes are not reached', () => {
    for (const { properties: p } of fibre) {
      expect(Object.keys(p)).toEqual(['code', 'owner_code', 'status', 'synthetic'])
      expect(['viettel', 'vnpt', 'mobifone']).toContain(p.owner_code)
      expect(['existing', 'planned']).toContain(p.status)
      expect(p.synthetic).toBe(true)
    }
    expect(new Set(fibre.map((f) => f.properties.code)).size).toBe(fibre.length)
    const reached = SAMPLE.manifest.counts.communes_reached_by_fibre as number
    expect(reached).toBeGreaterThan(40)
    expect(reached).toBeLessThan(75)
  })

  it('power lines have the agreed fields and voltages', () => {
    for (const { properties: p } of power) {
      expect(Object.keys(p)).toEqual(['code', 'owner', 'voltage_kv', 'status', 'synthetic'])
      expect(p.owner).toBe('EVN')
      expect([110, 35, 22]).toContain(p.voltage_kv)
      expect(['existing', 'planned']).toContain(p.status)
      expect(p.synthetic).toBe(true)
    }
    expect(new Set(power.map((f) => f.properties.code)).size).toBe(power.length)
    expect(power.some((f) => f.properties.voltage_kv === 110)).toBe(true)
  })
})
