import { describe, expect, it } from 'vitest'
import { largestRemainder } from '../../../scripts/sample/largest-remainder.ts'

describe('largestRemainder', () => {
  it('gives the leftover units to the largest remainders', () => {
    // quotas 3.333…, 3.333…, 3.333… → 4, 3, 3 (tie goes to the lower index)
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3])
    // quotas 1.5, 2.5, 6.0 → floors 1, 2, 6 (9), one unit left, tie 0.5/0.5 → index 0
    expect(largestRemainder(10, [1.5, 2.5, 6])).toEqual([2, 2, 6])
  })

  it('always sums to the total', () => {
    const weights = [0.37, 1.9, 0.05, 3.3, 2.2, 0.8, 1.1]
    for (const total of [0, 1, 7, 1000, 51293]) {
      expect(largestRemainder(total, weights).reduce((a, b) => a + b, 0)).toBe(total)
    }
  })

  it('rejects a negative or fractional total and zero weights', () => {
    expect(() => largestRemainder(-1, [1])).toThrow()
    expect(() => largestRemainder(1.5, [1])).toThrow()
    expect(() => largestRemainder(3, [0, 0])).toThrow()
  })
})
