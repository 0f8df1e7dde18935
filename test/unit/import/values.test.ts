import { describe, expect, it } from 'vitest'
import { parseInteger, parseNumber, ValueError } from '../../../server/import/values.ts'

describe('numbers as people type them', () => {
  it('reads decimals with a point or a comma, and thousands separators that cannot be decimals', () => {
    expect(parseNumber('21.3456')).toBe(21.3456)
    expect(parseNumber('21,3456')).toBe(21.3456)
    expect(parseNumber('1.234.567,5')).toBe(1234567.5)
    expect(parseNumber('1.234,5')).toBe(1234.5)
    expect(parseNumber('1,234,567.5')).toBe(1234567.5)
    expect(parseNumber(' -7 ')).toBe(-7)
    expect(parseNumber('')).toBeNull()
    expect(() => parseNumber('abc')).toThrow(ValueError)
  })

  it('reads a single point before three digits as a decimal point: coordinates and dBm', () => {
    expect(parseNumber('103.950')).toBe(103.95)
    expect(parseNumber('21.350')).toBe(21.35)
    expect(parseNumber('-63.125')).toBe(-63.125)
    expect(parseNumber('-63,125')).toBe(-63.125)
  })

  it('reads "1.234" and "1,234" as thousands in whole numbers (population, households)', () => {
    expect(parseInteger('1.234')).toBe(1234)
    expect(parseInteger('1,234')).toBe(1234)
    expect(parseInteger('12.345.678')).toBe(12345678)
    expect(parseInteger('250')).toBe(250)
    expect(() => parseInteger('12,5')).toThrow(/whole number/)
  })
})
