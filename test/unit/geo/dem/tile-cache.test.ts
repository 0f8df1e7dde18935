import { describe, expect, it } from 'vitest'
import { createTileCache } from '../../../../server/geo/dem/tile-cache.ts'

interface Value {
  name: string
  data: Uint8Array
}

/** A cache over values of `sizes[name]` bytes; `loads` records every call of the loader. */
function createCache(maxBytes: number, sizes: Record<string, number>) {
  const loads: string[] = []
  const gates = new Map<string, () => void>()
  const cache = createTileCache<Value>({
    maxBytes,
    sizeOf: (v) => v.data.byteLength,
    async load(name) {
      loads.push(name)
      if (name.startsWith('slow')) await new Promise<void>((resolve) => gates.set(name, resolve))
      if (name.startsWith('bad')) throw new Error(`cannot load ${name}`)
      return { name, data: new Uint8Array(sizes[name] ?? 10) }
    },
  })
  return { cache, loads, release: (name: string) => gates.get(name)?.() }
}

describe('createTileCache', () => {
  it('loads once and then answers from the cache', async () => {
    const { cache, loads } = createCache(100, {})
    const a = await cache.get('a')
    expect(await cache.get('a')).toBe(a)
    expect(loads).toEqual(['a'])
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 10, hits: 1, misses: 1 })
  })

  it('evicts the least recently used values to stay under the byte bound', async () => {
    const { cache, loads } = createCache(100, { a: 40, b: 40, c: 40 })
    await cache.get('a')
    await cache.get('b')
    await cache.get('a') // a is now more recent than b
    await cache.get('c') // 120 > 100: b goes
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true])
    expect(cache.stats()).toMatchObject({ bytes: 80, evictions: 1 })
    await cache.get('b')
    expect(loads).toEqual(['a', 'b', 'c', 'b'])
    expect(cache.has('a')).toBe(false) // a was the least recently used then
  })

  it('evicts as many values as needed for a large one', async () => {
    const { cache } = createCache(100, { a: 30, b: 30, c: 30, big: 90 })
    for (const n of ['a', 'b', 'c', 'big']) await cache.get(n)
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 90, evictions: 3 })
  })

  it('hands out but does not keep a value larger than the bound', async () => {
    const { cache } = createCache(100, { a: 50, huge: 150 })
    await cache.get('a')
    expect((await cache.get('huge')).data.byteLength).toBe(150)
    expect(cache.has('huge')).toBe(false)
    expect(cache.has('a')).toBe(true)
    expect(cache.stats().oversize).toBe(1)
  })

  it('shares one load between concurrent requests for the same tile', async () => {
    const { cache, loads, release } = createCache(100, {})
    const first = cache.get('slow1')
    const second = cache.get('slow1')
    await Promise.resolve()
    expect(cache.stats()).toMatchObject({ loading: 1, misses: 1, shared: 1 })
    release('slow1')
    const [a, b] = await Promise.all([first, second])
    expect(a).toBe(b)
    expect(loads).toEqual(['slow1'])
    expect(cache.stats().loading).toBe(0)
  })

  it('does not cache a failed load: every waiter gets the error, the next get tries again', async () => {
    const { cache, loads } = createCache(100, {})
    const results = await Promise.allSettled([cache.get('bad'), cache.get('bad')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    await expect(cache.get('bad')).rejects.toThrow('cannot load bad')
    expect(loads).toEqual(['bad', 'bad'])
    expect(cache.stats()).toMatchObject({ entries: 0, loading: 0 })
  })

  it('does not keep a load that was under way when the tile was deleted or the cache cleared', async () => {
    const { cache, release } = createCache(100, {})
    const pending = cache.get('slow2')
    cache.delete('slow2')
    release('slow2')
    await pending
    expect(cache.has('slow2')).toBe(false)
    const again = cache.get('slow3')
    cache.clear()
    release('slow3')
    await again
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 })
  })

  it('keeps a value set from outside under the same byte bound, and answers get from it without loading', async () => {
    const { cache, loads } = createCache(100, { a: 60 })
    await cache.get('a')
    cache.set('b', { name: 'b', data: new Uint8Array(60) }) // 120 > 100: a goes
    expect([cache.has('a'), cache.has('b')]).toEqual([false, true])
    expect((await cache.get('b')).name).toBe('b')
    expect(loads).toEqual(['a'])
    cache.set('huge', { name: 'huge', data: new Uint8Array(150) })
    expect(cache.has('huge')).toBe(false)
  })

  it('peeks without loading or touching recency', async () => {
    const { cache, loads } = createCache(80, { a: 40, b: 40, c: 40 })
    await cache.get('a')
    await cache.get('b')
    expect(cache.peek('a')?.name).toBe('a')
    expect(cache.peek('zzz')).toBeUndefined()
    await cache.get('c') // a is still the least recently used
    expect(cache.has('a')).toBe(false)
    expect(loads).toEqual(['a', 'b', 'c'])
  })
})
