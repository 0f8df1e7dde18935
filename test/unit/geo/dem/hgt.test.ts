import { describe, expect, it } from 'vitest'
import { SRTM_VOID, type DemTile } from '../../../../server/geo/dem/dem-tile.ts'
import { encodeHgt } from '../../../../server/geo/dem/encode-hgt.ts'
import { hgtTileName, hgtTilesForBbox, normaliseHgtTileName, parseHgtTileName, skadiTilePath } from '../../../../server/geo/dem/hgt-tile-name.ts'
import { HGT_BYTES, hgtResolutionFromByteLength, parseHgt } from '../../../../server/geo/dem/parse-hgt.ts'

/** A 3″ tile (1201 × 1201) with heights from a formula and a few voids. */
function createTile3(name = 'N21E103'): DemTile {
  const side = 1201
  const heights = new Int16Array(side * side)
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) heights[r * side + c] = ((r * 7 + c * 13) % 3000) - 50
  heights[5] = SRTM_VOID
  heights[side * 600 + 600] = SRTM_VOID
  return { name, west: 103, north: 22, step: 1 / 1200, cols: side, rows: side, heights, voidValue: SRTM_VOID }
}

describe('parseHgt / encodeHgt', () => {
  it('round-trips a 3″ tile, voids included', () => {
    const tile = createTile3()
    const bytes = encodeHgt(tile)
    expect(bytes.byteLength).toBe(HGT_BYTES[3])
    const parsed = parseHgt(bytes, 'N21E103')
    expect(parsed).toMatchObject({ name: 'N21E103', west: 103, north: 22, cols: 1201, rows: 1201, voidValue: SRTM_VOID })
    expect(parsed.step).toBeCloseTo(1 / 1200, 15)
    expect(parsed.heights).toBeInstanceOf(Int16Array)
    // Byte comparison: toEqual on 1.4 M elements takes seconds.
    expect(Buffer.from(parsed.heights.buffer).equals(Buffer.from(tile.heights.buffer))).toBe(true)
  })

  it('reads big-endian int16, row 0 = north', () => {
    const bytes = new Uint8Array(HGT_BYTES[3])
    bytes.set([0x01, 0x02, 0xff, 0xfe, 0x80, 0x00]) // 258, −2, −32768 (void)
    const tile = parseHgt(bytes, 'n21e103')
    expect(tile.name).toBe('N21E103')
    expect(Array.from(tile.heights.subarray(0, 3))).toEqual([258, -2, SRTM_VOID])
  })

  it('detects 1″ tiles from the byte length', () => {
    expect(hgtResolutionFromByteLength(3601 * 3601 * 2)).toBe(1)
    expect(hgtResolutionFromByteLength(1201 * 1201 * 2)).toBe(3)
    expect(hgtResolutionFromByteLength(1000)).toBeNull()
    const tile = parseHgt(new Uint8Array(HGT_BYTES[1]), 'S01W075')
    expect(tile).toMatchObject({ cols: 3601, rows: 3601, west: -75, north: 0 })
  })

  it('refuses bytes that are no tile, and names that are no tile name', () => {
    expect(() => parseHgt(new Uint8Array(100), 'N21E103')).toThrow(/100 bytes is not an SRTM .hgt tile/)
    expect(() => parseHgt(new Uint8Array(HGT_BYTES[3]), 'tile.hgt')).toThrow(/not an SRTM tile name/)
  })

  it('rounds, clamps and writes NaN as void when encoding a float tile', () => {
    const tile = createTile3()
    const heights = Float32Array.from(tile.heights)
    heights[0] = 12.6
    heights[1] = Number.NaN
    heights[2] = -40000
    const parsed = parseHgt(encodeHgt({ ...tile, heights, voidValue: Number.NaN }), 'N21E103')
    expect(Array.from(parsed.heights.subarray(0, 3))).toEqual([13, SRTM_VOID, -32767])
  })

  it('refuses to encode a tile of another shape', () => {
    expect(() => encodeHgt({ ...createTile3(), cols: 1200, rows: 1202 })).toThrow(/3601 × 3601 or 1201 × 1201/)
  })
})

describe('tile names', () => {
  it('names the tile by its south-west corner', () => {
    expect(hgtTileName(21.33, 103.91)).toBe('N21E103')
    expect(hgtTileName(-0.5, -74.2)).toBe('S01W075')
    expect(hgtTileName(21, 104)).toBe('N21E104')
    expect(parseHgtTileName('S01W075')).toEqual({ south: -1, west: -75 })
    expect(parseHgtTileName('N21E103.hgt')).toBeNull()
    expect(normaliseHgtTileName('n05e009')).toBe('N05E009')
  })

  it('lists the tiles of a bbox north-west first, without a tile beyond a whole-degree edge', () => {
    expect(hgtTilesForBbox([103.0, 20.6, 105.1, 22.1])).toEqual([
      'N22E103', 'N22E104', 'N22E105',
      'N21E103', 'N21E104', 'N21E105',
      'N20E103', 'N20E104', 'N20E105',
    ])
    expect(hgtTilesForBbox([103, 21, 105, 22])).toEqual(['N21E103', 'N21E104'])
    expect(hgtTilesForBbox([104, 21, 104, 21])).toEqual(['N21E104'])
    expect(() => hgtTilesForBbox([105, 21, 104, 22])).toThrow(/west ≤ east/)
  })

  it('gives the skadi path of a tile', () => {
    expect(skadiTilePath('N21E103')).toBe('N21/N21E103.hgt.gz')
    expect(skadiTilePath('s01w075')).toBe('S01/S01W075.hgt.gz')
  })
})
