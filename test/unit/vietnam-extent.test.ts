import { describe, expect, it } from 'vitest'
import { checkVietnamExtent, explainOutsideVietnam } from '../../server/geo/vietnam-extent.ts'

describe('checkVietnamExtent', () => {
  it('accepts a point in Sơn La and a line along the border of the extent', () => {
    expect(checkVietnamExtent({ type: 'Point', coordinates: [103.91, 21.33] })).toBeNull()
    expect(checkVietnamExtent({ type: 'LineString', coordinates: [[102.0, 6.5], [117.5, 23.5]] })).toBeNull()
  })

  it('names the first offending position of a polygon', () => {
    const problem = checkVietnamExtent({ type: 'Polygon', coordinates: [[[103, 21], [104, 21], [99, 22], [103, 21]]] })
    expect(problem).toMatchObject({ position: 2, coordinate: [99, 22] })
  })

  it('recognises swapped axes, projected metres and non-numbers', () => {
    expect(explainOutsideVietnam(21.33, 103.91)).toMatch(/swapped/)
    expect(explainOutsideVietnam(512345, 2361234)).toMatch(/projected coordinates/)
    expect(explainOutsideVietnam(2.35, 48.85)).not.toMatch(/swapped|projected/)
    expect(checkVietnamExtent({ type: 'Point', coordinates: [Number.NaN, 21] })?.reason).toMatch(/finite/)
  })
})
