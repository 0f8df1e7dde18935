import { describe, expect, it } from 'vitest'
import { labelClassRegions } from '../../../../server/geo/coverage/label-class-regions.ts'

describe('labelClassRegions', () => {
  it('joins cells of one class through sides, not corners, and skips no data', () => {
    // 3 3 0
    // 2 3 3
    // 3 0 2
    const { region, cells, value } = labelClassRegions(3, 3, Uint8Array.from([3, 3, 0, 2, 3, 3, 3, 0, 2]))
    expect(Array.from(region)).toEqual([0, 0, -1, 1, 0, 0, 2, -1, 3])
    expect(Array.from(cells)).toEqual([4, 1, 1, 1])
    expect(Array.from(value)).toEqual([3, 2, 3, 2])
  })

  it('numbers regions in row-major order of their first cell and counts a large one', () => {
    const classes = new Uint8Array(300 * 200).fill(1)
    classes[0] = 2
    const { cells, value } = labelClassRegions(300, 200, classes)
    expect(Array.from(value)).toEqual([2, 1])
    expect(Array.from(cells)).toEqual([1, 300 * 200 - 1])
  })

  it('rejects a raster of the wrong size', () => {
    expect(() => labelClassRegions(2, 2, new Uint8Array(5))).toThrow(RangeError)
  })
})
