import { createDemTile, SRTM_VOID, type DemTile } from './dem-tile.ts'
import { normaliseHgtTileName, parseHgtTileName } from './hgt-tile-name.ts'

/** Samples per side of an SRTM tile: 1″ (≈30 m) and 3″ (≈90 m). */
export const HGT_SIDE = { 1: 3601, 3: 1201 } as const

/** Byte length of a 1″ and of a 3″ `.hgt` file (big-endian int16 samples). */
export const HGT_BYTES = { 1: 3601 * 3601 * 2, 3: 1201 * 1201 * 2 } as const

/** The resolution in arc seconds of a `.hgt` file of this many bytes, or null when no SRTM tile has that size. */
export function hgtResolutionFromByteLength(byteLength: number): 1 | 3 | null {
  if (byteLength === HGT_BYTES[1]) return 1
  if (byteLength === HGT_BYTES[3]) return 3
  return null
}

/** True on little-endian hosts (all the machines Node runs on in practice, but checked). */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * Parses an SRTM `.hgt` tile: big-endian int16 heights in metres, square, 3601 × 3601 (1″) or
 * 1201 × 1201 (3″) samples, row 0 = north, the tile named by its south-west corner (N21E103 covers
 * lat 21…22, lon 103…104, both edges included). The resolution comes from the byte length;
 * voids (−32768) are kept as they are (see fill-voids.ts).
 *
 * `bytes` is the file's content; `name` is the tile name (from the file name). Throws a RangeError
 * that says what size was expected when the bytes are not a tile. The heights are copied into a new
 * Int16Array (25.9 MB for a 1″ tile), `bytes` is not kept.
 */
export function parseHgt(bytes: Uint8Array, name: string): DemTile {
  const corner = parseHgtTileName(name)
  if (!corner) throw new RangeError(`'${name}' is not an SRTM tile name like N21E103`)
  const arcSeconds = hgtResolutionFromByteLength(bytes.byteLength)
  if (arcSeconds === null) {
    throw new RangeError(
      `${name}: ${bytes.byteLength} bytes is not an SRTM .hgt tile (expected ${HGT_BYTES[1]} bytes for 1″ = 3601 × 3601 samples or ${HGT_BYTES[3]} for 3″ = 1201 × 1201)`,
    )
  }
  const side = HGT_SIDE[arcSeconds]
  const heights = new Int16Array(side * side)
  if (HOST_IS_LITTLE_ENDIAN) {
    // Copy the bytes, then swap each pair in place: ~10× faster than DataView.getInt16 per sample.
    const raw = new Uint8Array(heights.buffer)
    raw.set(bytes)
    const words = new Uint16Array(heights.buffer)
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!
      words[i] = ((w & 0xff) << 8) | (w >>> 8)
    }
  } else {
    new Uint8Array(heights.buffer).set(bytes)
  }
  return createDemTile({
    name: normaliseHgtTileName(name)!,
    west: corner.west,
    north: corner.south + 1,
    step: 1 / (side - 1),
    cols: side,
    rows: side,
    heights,
    voidValue: SRTM_VOID,
  })
}
