import { describe, expect, it } from 'vitest'
import { parseBbox, parseEnumList } from '../../server/routes/common/query-parsing.ts'

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
