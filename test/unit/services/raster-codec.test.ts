import { describe, expect, it } from 'vitest'
import {
  decodeCompositeTile, decodeSectorRaster, encodeCompositeTile, encodeSectorRaster, halfDbCode, halfDbCodeToDecidbm, NO_RSRP,
} from '../../../server/services/coverage/raster-codec.ts'

describe('coverage raster codec', () => {
  it('stores RSRP in half-dB codes: rounding, clamping, no value', () => {
    expect(halfDbCode(Number.NaN)).toBe(0)
    expect(halfDbCode(-160)).toBe(1)
    expect(halfDbCode(-200)).toBe(1)
    expect(halfDbCode(-33)).toBe(255)
    expect(halfDbCode(-10)).toBe(255)
    expect(halfDbCodeToDecidbm(halfDbCode(-100.2))).toBe(-1000)
    expect(halfDbCodeToDecidbm(halfDbCode(-100.3))).toBe(-1005)
    expect(halfDbCodeToDecidbm(0)).toBe(NO_RSRP)
  })

  it('round-trips a sector raster through deflate, the inlined encoder agreeing with halfDbCode on every value', () => {
    const values = new Float32Array(20_000)
    for (let i = 0; i < values.length; i++) values[i] = i % 97 === 0 ? Number.NaN : -170 + (i % 3000) * 0.047
    const codes = decodeSectorRaster(encodeSectorRaster(values), values.length)
    for (let i = 0; i < values.length; i++) expect(codes[i], `value ${values[i]}`).toBe(halfDbCode(values[i]!))
    // Within a quarter of a dB inside the range.
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!
      if (Number.isNaN(v) || v < -160 || v > -33) continue
      expect(Math.abs(halfDbCodeToDecidbm(codes[i]!) / 10 - v)).toBeLessThanOrEqual(0.25 + 1e-6)
    }
    expect(() => decodeSectorRaster(encodeSectorRaster(values), values.length + 1)).toThrow(/cells/)
  })

  it('round-trips composite tiles, raw and deflated', () => {
    const best = Int16Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? NO_RSRP : -1200 + i))
    const server = Int32Array.from({ length: 1000 }, (_, i) => 100_000 + (i >> 4))
    const encoded = encodeCompositeTile(best, server)
    expect(decodeCompositeTile('deflate', encoded.best, encoded.server, 1000)).toEqual({ best, server })
    const raw = decodeCompositeTile('raw', new Uint8Array(best.buffer), new Uint8Array(server.buffer), 1000)
    expect(raw).toEqual({ best, server })
  })
})
