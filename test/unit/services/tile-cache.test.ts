import { describe, expect, it } from 'vitest'
import { TileCache } from '../../../server/services/tiles/tile-cache.ts'
import { isValidTile, tileEtag } from '../../../server/services/tiles/tiles.service.ts'

const tile = (n: number) => ({ bytes: new Uint8Array(n), etag: `"${n}"` })

describe('TileCache', () => {
  it('evicts the least recently used tiles to stay under its byte bound', () => {
    const cache = new TileCache(3 * (1000 + 128))
    cache.set('a', tile(1000))
    cache.set('b', tile(1000))
    cache.set('c', tile(1000))
    expect(cache.get('a')).toBeDefined() // a is now the most recent
    cache.set('d', tile(1000))
    expect(cache.get('b')).toBeUndefined()
    expect([cache.get('a'), cache.get('c'), cache.get('d')].every(Boolean)).toBe(true)
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes)
    expect(cache.size).toBe(3)
  })

  it('replaces an entry under the same key, skips a tile larger than the bound, and bounds the count', () => {
    const cache = new TileCache(10_000, 2)
    cache.set('a', tile(100))
    cache.set('a', tile(200))
    expect(cache.size).toBe(1)
    expect(cache.bytes).toBe(200 + 128)
    cache.set('huge', tile(20_000))
    expect(cache.get('huge')).toBeUndefined()
    cache.set('b', tile(0))
    cache.set('c', tile(0))
    expect(cache.size).toBe(2)
    expect(cache.get('a')).toBeUndefined()
    cache.clear()
    expect([cache.size, cache.bytes]).toEqual([0, 0])
  })
})

describe('tile addressing and ETags', () => {
  it('accepts only tiles of the pyramid up to z22', () => {
    expect(isValidTile(0, 0, 0)).toBe(true)
    expect(isValidTile(12, 4095, 4095)).toBe(true)
    expect(isValidTile(12, 4096, 0)).toBe(false)
    expect(isValidTile(23, 0, 0)).toBe(false)
    expect(isValidTile(-1, 0, 0)).toBe(false)
  })

  it('gives a strong ETag that depends on the bytes only', () => {
    expect(tileEtag(new Uint8Array([1, 2, 3]))).toBe(tileEtag(new Uint8Array([1, 2, 3])))
    expect(tileEtag(new Uint8Array([1, 2, 3]))).not.toBe(tileEtag(new Uint8Array([1, 2, 4])))
    expect(tileEtag(new Uint8Array(0))).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
  })
})
