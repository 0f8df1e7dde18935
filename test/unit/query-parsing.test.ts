import { describe, expect, it } from 'vitest'
import { parseBbox, parseEnumList, parseTimeBound } from '../../server/routes/common/query-parsing.ts'

describe('parseBbox', () => {
  it('parses minLon,minLat,maxLon,maxLat with spaces', () => {
    expect(parseBbox(' 103.8, 21.2 ,104.1,21.5')).toEqual([103.8, 21.2, 104.1, 21.5])
    expect(parseBbox(undefined)).toBeUndefined()
  })
  it.each([
    ['104,21,103,22', /min must be less than max/],
    ['103,21,104', /four numbers/],
    ['-200,21,104,22', /±180/],
    ['100,10,109,20', /at most 8°/],
  ])('rejects %s', (bbox, reason) => {
    expect(() => parseBbox(bbox)).toThrow(reason)
  })
})

describe('parseEnumList', () => {
  it('splits and checks comma-separated values', () => {
    expect(parseEnumList('existing, planned', ['existing', 'planned', 'candidate'] as const, 'status')).toEqual(['existing', 'planned'])
    expect(() => parseEnumList('existing,active', ['existing'] as const, 'status')).toThrow(/'active' is not one of existing/)
  })
})

describe('parseTimeBound', () => {
  it('reads a day in Vietnam time: from its start, to the start of the next day (exclusive)', () => {
    expect(parseTimeBound('2025-05-01', 'from')).toEqual({ at: '2025-04-30T17:00:00.000Z', inclusive: true })
    expect(parseTimeBound('2025-05-01', 'to')).toEqual({ at: '2025-05-01T17:00:00.000Z', inclusive: false })
    expect(parseTimeBound(undefined, 'to')).toBeUndefined()
  })
  it('reads a date-time with its offset as an inclusive instant', () => {
    expect(parseTimeBound('2025-05-01T08:00:00+07:00', 'to')).toEqual({ at: '2025-05-01T01:00:00.000Z', inclusive: true })
    expect(parseTimeBound('2025-05-01T01:00:00Z', 'from')).toEqual({ at: '2025-05-01T01:00:00.000Z', inclusive: true })
  })
  it.each([
    ['2025-02-30', /not a real day/],
    ['2025-05-01T08:00:00', /with its offset/],
    ['2025-05-01Tnoon+07:00', /not a date-time/],
  ])('rejects %s', (value, reason) => {
    expect(() => parseTimeBound(value, 'from')).toThrow(reason)
  })
})
