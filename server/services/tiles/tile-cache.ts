/**
 * A least-recently-used cache of encoded tiles bounded by bytes (and a
 * count, so empty tiles cannot grow it without end). A Map keeps insertion
 * order: a hit moves the entry to the end, eviction takes from the front.
 * Invalidation is the tile service's (tiles.service.ts).
 */
export interface CachedTile {
  bytes: Uint8Array
  etag: string
}

/** Bytes counted for an entry besides its tile (key, ETag, bookkeeping). */
const ENTRY_OVERHEAD = 128

export class TileCache {
  readonly #entries = new Map<string, CachedTile>()
  #bytes = 0

  constructor(readonly maxBytes: number, readonly maxEntries = 100_000) {}

  get size(): number { return this.#entries.size }
  get bytes(): number { return this.#bytes }

  /** The keys, least recently used first (a snapshot: safe to delete while iterating). */
  keys(): string[] {
    return [...this.#entries.keys()]
  }

  get(key: string): CachedTile | undefined {
    const hit = this.#entries.get(key)
    if (hit) {
      this.#entries.delete(key)
      this.#entries.set(key, hit)
    }
    return hit
  }

  set(key: string, tile: CachedTile): void {
    const cost = tile.bytes.byteLength + ENTRY_OVERHEAD
    if (cost > this.maxBytes) return
    this.delete(key)
    this.#entries.set(key, tile)
    this.#bytes += cost
    while (this.#bytes > this.maxBytes || this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string
      this.delete(oldest)
    }
  }

  delete(key: string): void {
    const old = this.#entries.get(key)
    if (!old) return
    this.#entries.delete(key)
    this.#bytes -= old.bytes.byteLength + ENTRY_OVERHEAD
  }

  clear(): void {
    this.#entries.clear()
    this.#bytes = 0
  }
}
