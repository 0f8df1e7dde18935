import { describe, expect, it } from 'vitest'
import type { AsciiGrid } from '../../../server/geo/parse-ascii-grid.ts'
import { sampleGridBilinear } from '../../../server/geo/sample-grid-bilinear.ts'

/**
 * 2 × 2 grid over x 0…2, y 0…2, cell size 1. Cell centres and values:
 *   (0.5, 1.5) = 10   (1.5, 1.5) = 20      ← row 0, north
 *   (0.5, 0.5) = 30   (1.5, 0.5) = 40
 */
function createGrid(values: number[] = [10, 20, 30, 40]): AsciiGrid {
  return { ncols: 2, nrows: 2, xllcorner: 0, yllcorner: 0, cellsize: 1, nodata: -9999, values: Float32Array.from(values) }
}

describe('sampleGridBilinear', () => {
  it('returns the cell value at a cell centre', () => {
    expect(sampleGridBilinear(createGrid(), 0.5, 1.5)).toBe(10)
    expect(sampleGridBilinear(createGrid(), 1.5, 0.5)).toBe(40)
  })

  it('interpolates between the four centres', () => {
    expect(sampleGridBilinear(createGrid(), 1, 1)).toBe(25)
    // fx = 0.25, fy (from north) = 0.25: 0.5625·10 + 0.1875·20 + 0.1875·30 + 0.0625·40
    expect(sampleGridBilinear(createGrid(), 0.75, 1.25)).toBeCloseTo(17.5, 10)
  })

  it('clamps between the outermost centres and the grid edge', () => {
    expect(sampleGridBilinear(createGrid(), 0.1, 1.9)).toBe(10)
    expect(sampleGridBilinear(createGrid(), 0, 1)).toBe(20) // halfway between 10 and 30
    expect(sampleGridBilinear(createGrid(), 2, 0)).toBe(40)
  })

  it('returns null outside the grid', () => {
    expect(sampleGridBilinear(createGrid(), -0.01, 1)).toBeNull()
    expect(sampleGridBilinear(createGrid(), 2.01, 1)).toBeNull()
    expect(sampleGridBilinear(createGrid(), 1, 2.5)).toBeNull()
    expect(sampleGridBilinear(createGrid(), Number.NaN, 1)).toBeNull()
  })

  it('leaves NODATA neighbours out and renormalises the others', () => {
    const grid = createGrid([10, Number.NaN, 30, 40])
    expect(sampleGridBilinear(grid, 1, 1)).toBeCloseTo((10 + 30 + 40) / 3, 10)
  })

  it('returns null when all neighbours are NODATA, or the only weighted one is', () => {
    expect(sampleGridBilinear(createGrid([NaN, NaN, NaN, NaN]), 1, 1)).toBeNull()
    expect(sampleGridBilinear(createGrid([10, Number.NaN, 30, 40]), 1.5, 1.5)).toBeNull()
  })
})
