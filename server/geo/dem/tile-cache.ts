/**
 * What a tile cache holds: a value per tile name, loaded on demand by the caller's loader.
 */
export interface TileCacheOptions<T> {
  /** Most bytes the cached values may hold together (as measured by `sizeOf`). */
  maxBytes: number
  /**
   * Loads one tile (reads a file, decompresses, parses…). The cache itself does no I/O. A
   * rejected load is not cached: every caller waiting for it gets the error, the next `get` tries
   * again.
   */
  load: (name: string) => Promise<T>
  /** Bytes a value holds, e.g. the byteLength of its typed arrays (`demTileBytes`). */
  sizeOf: (value: T) => number
}

export interface TileCacheStats {
  entries: number
  bytes: number
  maxBytes: number
  /** `get`s answered from the cache. */
  hits: number
  /** `get`s that started a load. */
  misses: number
  /** `get`s that joined a load already under way for the same name. */
  shared: number
  /** Values dropped to stay under maxBytes. */
  evictions: number
  /** Loads under way. */
  loading: number
  /** Values larger than maxBytes on their own: returned, never kept. */
  oversize: number
}

export interface TileCache<T> {
  /** The value for a name: from the cache (it becomes the most recently used), or loaded once however many callers ask at the same time. */
  get(name: string): Promise<T>
  /** The cached value, if any, without loading and without touching its recency. */
  peek(name: string): T | undefined
  /**
   * Keeps a value loaded elsewhere (e.g. many tiles read in one query) as the most recently used,
   * with the same bound as a load; a load under way for the name is not kept when it ends.
   */
  set(name: string, value: T): void
  has(name: string): boolean
  /** Drops a cached value (a load under way for it is not kept when it ends). */
  delete(name: string): boolean
  /** Drops every cached value; loads under way are not kept when they end. */
  clear(): void
  stats(): TileCacheStats
}

/**
 * A least-recently-used cache of tiles keyed by name, bounded by the bytes its values hold.
 *
 * When a new value would take the total over `maxBytes`, the least recently used values are
 * dropped until it fits; a value larger than `maxBytes` on its own is handed to its callers but
 * not kept. Concurrent `get`s for a name that is not cached share one call of the loader.
 * Dropping a value from the cache does not free it while a caller still holds it (a sampler
 * built on it, for example): the bound is on what the cache keeps alive.
 *
 * Pure apart from calling the loader: no I/O, no timers. Used by the DEM store (1″ tile = 25.9 MB).
 */
export function createTileCache<T>(options: TileCacheOptions<T>): TileCache<T> {
  const { maxBytes, load, sizeOf } = options
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be ≥ 0, got ${maxBytes}`)
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, { value: T; bytes: number }>()
  // Loads under way. delete() and clear() drop their entries, so a load that ends afterwards
  // finds another token (or none) under its name and is not kept.
  const inflight = new Map<string, { promise: Promise<T>; token: object }>()
  let bytes = 0
  const counts = { hits: 0, misses: 0, shared: 0, evictions: 0, oversize: 0 }

  function insert(name: string, value: T): void {
    const size = sizeOf(value)
    if (size > maxBytes) {
      counts.oversize++
      return
    }
    const old = entries.get(name)
    if (old) {
      bytes -= old.bytes
      entries.delete(name)
    }
    for (const [key, entry] of entries) {
      if (bytes + size <= maxBytes) break
      entries.delete(key)
      bytes -= entry.bytes
      counts.evictions++
    }
    entries.set(name, { value, bytes: size })
    bytes += size
  }

  return {
    get(name) {
      const cached = entries.get(name)
      if (cached) {
        counts.hits++
        entries.delete(name)
        entries.set(name, cached)
        return Promise.resolve(cached.value)
      }
      const running = inflight.get(name)
      if (running) {
        counts.shared++
        return running.promise
      }
      counts.misses++
      const token = {}
      let loading: Promise<T>
      try {
        loading = load(name)
      } catch (err) {
        loading = Promise.reject(err)
      }
      const promise = loading.then(
        (value) => {
          if (inflight.get(name)?.token === token) {
            inflight.delete(name)
            insert(name, value)
          }
          return value
        },
        (err: unknown) => {
          if (inflight.get(name)?.token === token) inflight.delete(name)
          throw err
        },
      )
      inflight.set(name, { promise, token })
      return promise
    },
    peek(name) {
      return entries.get(name)?.value
    },
    set(name, value) {
      inflight.delete(name)
      insert(name, value)
    },
    has(name) {
      return entries.has(name)
    },
    delete(name) {
      inflight.delete(name)
      const entry = entries.get(name)
      if (!entry) return false
      entries.delete(name)
      bytes -= entry.bytes
      return true
    },
    clear() {
      inflight.clear()
      entries.clear()
      bytes = 0
    },
    stats() {
      return { entries: entries.size, bytes, maxBytes, loading: inflight.size, ...counts }
    },
  }
}
