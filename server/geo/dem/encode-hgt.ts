import { SRTM_VOID, type DemTile } from './dem-tile.ts'
import { HGT_SIDE } from './parse-hgt.ts'

/**
 * Writes a tile as an SRTM `.hgt` file: big-endian int16 metres, row 0 = north. The tile must
 * have the shape of an `.hgt` tile (3601 × 3601 or 1201 × 1201 samples, whatever its origin).
 * Heights are rounded to whole metres and clamped to the int16 range; voids (the tile's void value
 * or NaN) become −32768. The inverse of parseHgt; used by the synthetic DEM generator and tests.
 */
export function encodeHgt(tile: DemTile): Uint8Array {
  const { cols, rows, heights, voidValue, name } = tile
  if (cols !== rows || (cols !== HGT_SIDE[1] && cols !== HGT_SIDE[3])) {
    throw new RangeError(`${name}: an .hgt tile is 3601 × 3601 or 1201 × 1201 samples, got ${cols} × ${rows}`)
  }
  const out = new Uint8Array(heights.length * 2)
  const view = new DataView(out.buffer)
  for (let i = 0; i < heights.length; i++) {
    const h = heights[i]!
    let v: number
    if (h === voidValue || h !== h) v = SRTM_VOID
    else v = h > 32767 ? 32767 : h < -32767 ? -32767 : Math.round(h)
    view.setInt16(i * 2, v, false)
  }
  return out
}
