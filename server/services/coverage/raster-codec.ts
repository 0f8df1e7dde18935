import { deflateRawSync, inflateRawSync } from 'node:zlib'

/**
 * How coverage rasters are stored.
 *
 * Sector rasters: one byte per cell in half-dB steps, 0 = no value, else
 * RSRP = code / 2 − 160.5 dBm, so codes 1…255 span −160 … −33 dBm (values
 * beyond are clamped: below −160 dBm nothing is served, above −33 dBm is the
 * foot of the mast). Half a dB is far finer than any propagation model's
 * error, and a best-server merge can run on the codes directly (the mapping is
 * monotone). Deflated (RFC 1951, level 1: 10 km sector ≈ 450 KB → 140 KB).
 *
 * Composite tiles: Int16 tenths of a dBm (−32768 = no value) and Int32 serving
 * sector ids, little-endian, each deflated ('deflate' codec; 'raw' rows from
 * before migration 0004 are read as they are).
 */
export const HALF_DB_NONE = 0
/** "No value" in the Int16 decidBm composites. */
export const NO_RSRP = -32768

export function halfDbCode(rsrpDbm: number): number {
  if (rsrpDbm !== rsrpDbm) return HALF_DB_NONE
  const code = Math.round((rsrpDbm + 160.5) * 2)
  return code < 1 ? 1 : code > 255 ? 255 : code
}

/** The decidBm value of a code (code 0 → NO_RSRP). */
export function halfDbCodeToDecidbm(code: number): number {
  return code === HALF_DB_NONE ? NO_RSRP : code * 5 - 1605
}

export function encodeSectorRaster(rsrpDbm: Float32Array): Uint8Array {
  const codes = new Uint8Array(rsrpDbm.length)
  for (let i = 0; i < rsrpDbm.length; i++) {
    // halfDbCode, inlined (a hot loop: every cell of every sector); x ≥ 1 rounds as Math.round does.
    const v = rsrpDbm[i]!
    if (v !== v) continue
    const x = (v + 160.5) * 2
    codes[i] = x < 1 ? 1 : x > 255 ? 255 : (x + 0.5) | 0
  }
  return deflateRawSync(codes, { level: 1 })
}

export function decodeSectorRaster(bytes: Uint8Array, cells: number): Uint8Array {
  const codes = inflateRawSync(bytes)
  if (codes.length !== cells) throw new Error(`sector raster holds ${codes.length} cells, expected ${cells}`)
  return new Uint8Array(codes.buffer, codes.byteOffset, codes.length)
}

export function encodeCompositeTile(best: Int16Array, server: Int32Array): { best: Uint8Array; server: Uint8Array } {
  return {
    best: deflateRawSync(littleEndianBytes(best), { level: 1 }),
    server: deflateRawSync(littleEndianBytes(server), { level: 1 }),
  }
}

export function decodeCompositeTile(codec: 'raw' | 'deflate', best: Uint8Array, server: Uint8Array, cells: number): { best: Int16Array; server: Int32Array } {
  const b = codec === 'deflate' ? inflateRawSync(best) : best
  const s = codec === 'deflate' ? inflateRawSync(server) : server
  if (b.byteLength !== cells * 2 || s.byteLength !== cells * 4) throw new Error(`composite tile holds ${b.byteLength / 2} cells, expected ${cells}`)
  const bestView = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const serverView = new DataView(s.buffer, s.byteOffset, s.byteLength)
  const out = { best: new Int16Array(cells), server: new Int32Array(cells) }
  for (let i = 0; i < cells; i++) {
    out.best[i] = bestView.getInt16(i * 2, true)
    out.server[i] = serverView.getInt32(i * 4, true)
  }
  return out
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function littleEndianBytes(a: Int16Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  const out = new Uint8Array(a.byteLength)
  const view = new DataView(out.buffer)
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Int16Array) view.setInt16(i * 2, a[i]!, true)
    else view.setInt32(i * 4, a[i]!, true)
  }
  return out
}
