/**
 * Number lists on typed arrays that grow by doubling: the scratch storage of
 * the ring tracer and the arc simplifier (millions of entries on a large
 * raster, so no JS arrays). `data` may be longer than `length`.
 */
export class GrowableInt32 {
  data: Int32Array
  length = 0
  constructor(capacity = 256) {
    this.data = new Int32Array(capacity)
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = v
  }
}

export class GrowableUint8 {
  data: Uint8Array
  length = 0
  constructor(capacity = 256) {
    this.data = new Uint8Array(capacity)
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint8Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = v
  }
}
