import { describe, expect, it } from 'vitest'
import { multiPolygonAreaKm2, polygonAreaKm2 } from '../../../server/geo/ellipsoidal-area.ts'

describe('ellipsoidal area (WGS84, Lambert cylindrical equal-area)', () => {
  it('gives the surface of the WGS84 ellipsoid for the whole lon/lat rectangle (published: 510,065,621.7 km²)', () => {
    const globe = [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]]
    expect(polygonAreaKm2(globe)).toBeCloseTo(510_065_621.7, -1)
  })

  it('halves for a hemisphere, and a hole subtracts whatever its winding', () => {
    const north = [[[-180, 0], [180, 0], [180, 90], [-180, 90], [-180, 0]]]
    expect(polygonAreaKm2(north)).toBeCloseTo(510_065_621.7 / 2, -1)
    const square = [[103, 21], [104, 21], [104, 22], [103, 22], [103, 21]]
    const hole = [[103.25, 21.25], [103.75, 21.25], [103.75, 21.75], [103.25, 21.75], [103.25, 21.25]]
    const whole = polygonAreaKm2([square])
    const holed = polygonAreaKm2([square, hole])
    expect(holed).toBeCloseTo(whole - polygonAreaKm2([hole]), 6)
    expect(polygonAreaKm2([square, [...hole].reverse()])).toBeCloseTo(holed, 6)
    // A 1° cell at 21–22° N: about 111.1 km × 103.4 km.
    expect(whole).toBeGreaterThan(11_400)
    expect(whole).toBeLessThan(11_600)
    expect(multiPolygonAreaKm2([[square], [hole]])).toBeCloseTo(whole + polygonAreaKm2([hole]), 6)
  })
})
