import { describe, expect, it } from 'vitest'
import { createDemTile, demTileBounds, sampleDemBilinear, SRTM_VOID, type DemTile } from '../../../../server/geo/dem/dem-tile.ts'

/**
 * 3 × 3 samples, step 0.5°, from lon 10 / lat 21 (north) to lon 11 / lat 20:
 *
 *   lat 21.0:  100  200  300
 *   lat 20.5:  400  500  600
 *   lat 20.0:  700  800  900
 */
function createTile(heights: number[] = [100, 200, 300, 400, 500, 600, 700, 800, 900]): DemTile {
  return createDemTile({ name: 'test', west: 10, north: 21, step: 0.5, cols: 3, rows: 3, heights: Int16Array.from(heights), voidValue: SRTM_VOID })
}

describe('sampleDemBilinear', () => {
  it('returns the sample at a sample point, edges and corners included', () => {
    expect(sampleDemBilinear(createTile(), 10, 21)).toBe(100)
    expect(sampleDemBilinear(createTile(), 10.5, 20.5)).toBe(500)
    expect(sampleDemBilinear(createTile(), 11, 20)).toBe(900)
    expect(sampleDemBilinear(createTile(), 11, 21)).toBe(300)
  })

  it('interpolates between the four surrounding samples (hand-computed)', () => {
    // Centre of the north-west square: (100 + 200 + 400 + 500) / 4.
    expect(sampleDemBilinear(createTile(), 10.25, 20.75)).toBeCloseTo(300, 10)
    // tx = 0.2, ty = 0.6 in the south-east square (500 600 / 800 900):
    // 0.32·500 + 0.08·600 + 0.48·800 + 0.12·900 = 160 + 48 + 384 + 108 = 700
    expect(sampleDemBilinear(createTile(), 10.6, 20.2)).toBeCloseTo(700, 10)
    // On the east edge, halfway between 300 and 600.
    expect(sampleDemBilinear(createTile(), 11, 20.75)).toBeCloseTo(450, 10)
  })

  it('returns null outside the tile, but forgives float noise at the edge', () => {
    expect(sampleDemBilinear(createTile(), 9.99, 20.5)).toBeNull()
    expect(sampleDemBilinear(createTile(), 10.5, 21.01)).toBeNull()
    expect(sampleDemBilinear(createTile(), Number.NaN, 20.5)).toBeNull()
    expect(sampleDemBilinear(createTile(), 11 + 1e-12, 20)).toBe(900)
  })

  it('leaves void neighbours out and renormalises the others', () => {
    const tile = createTile([100, SRTM_VOID, 300, 400, 500, 600, 700, 800, 900])
    expect(sampleDemBilinear(tile, 10.25, 20.75)).toBeCloseTo((100 + 400 + 500) / 3, 10)
    // A void with no weight does not matter.
    expect(sampleDemBilinear(tile, 10, 20.75)).toBeCloseTo(250, 10)
  })

  it('returns null when every weighted neighbour is a void; NaN is a void in float tiles', () => {
    const tile = createTile([100, SRTM_VOID, 300, 400, 500, 600, 700, 800, 900])
    expect(sampleDemBilinear(tile, 10.5, 21)).toBeNull()
    const float: DemTile = { ...createTile(), heights: Float32Array.from([Number.NaN, Number.NaN, 3, Number.NaN, Number.NaN, 6, 7, 8, 9]), voidValue: Number.NaN }
    expect(sampleDemBilinear(float, 10.25, 20.75)).toBeNull()
    expect(sampleDemBilinear(float, 10.75, 20.75)).toBeCloseTo((3 + 6) / 2, 10)
  })

  it('gives the extent of the samples', () => {
    expect(demTileBounds(createTile())).toEqual({ west: 10, south: 20, east: 11, north: 21 })
  })

  it('refuses inconsistent tiles', () => {
    expect(() => createDemTile({ ...createTile(), cols: 4 })).toThrow(/9 heights for 4 × 3/)
    expect(() => createDemTile({ ...createTile(), cols: 1, rows: 9 })).toThrow(/at least 2 × 2/)
  })
})
