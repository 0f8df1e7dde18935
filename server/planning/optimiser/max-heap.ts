/**
 * A binary max-heap of (key, id) pairs in typed arrays, for the lazy greedy. Order: larger key
 * first, then smaller id, so that ties break exactly as in the plain greedy (lowest index wins).
 */
export class MaxHeap {
  private keys: Float64Array
  private ids: Int32Array
  size = 0

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(1, capacity))
    this.ids = new Int32Array(Math.max(1, capacity))
  }

  private before(a: number, b: number): boolean {
    const ka = this.keys[a]!
    const kb = this.keys[b]!
    return ka > kb || (ka === kb && this.ids[a]! < this.ids[b]!)
  }

  private swapAt(a: number, b: number): void {
    const k = this.keys[a]!
    this.keys[a] = this.keys[b]!
    this.keys[b] = k
    const i = this.ids[a]!
    this.ids[a] = this.ids[b]!
    this.ids[b] = i
  }

  push(key: number, id: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2)
      keys.set(this.keys)
      this.keys = keys
      const ids = new Int32Array(this.size * 2)
      ids.set(this.ids)
      this.ids = ids
    }
    let n = this.size++
    this.keys[n] = key
    this.ids[n] = id
    while (n > 0) {
      const parent = (n - 1) >> 1
      if (!this.before(n, parent)) break
      this.swapAt(n, parent)
      n = parent
    }
  }

  topKey(): number {
    return this.keys[0]!
  }

  topId(): number {
    return this.ids[0]!
  }

  /** Removes the top; returns its id. */
  pop(): number {
    const id = this.ids[0]!
    const last = --this.size
    if (last > 0) {
      this.keys[0] = this.keys[last]!
      this.ids[0] = this.ids[last]!
      let n = 0
      for (;;) {
        const l = 2 * n + 1
        if (l >= last) break
        const r = l + 1
        const c = r < last && this.before(r, l) ? r : l
        if (!this.before(c, n)) break
        this.swapAt(c, n)
        n = c
      }
    }
    return id
  }
}
