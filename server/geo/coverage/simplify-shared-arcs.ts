import { GrowableInt32 } from './growable-array.ts'

export interface SharedArcRings {
  /** Grid columns and rows (vertices are j·(cols + 1) + i, as in `traceClassRings`). */
  cols: number
  rows: number
  /** Cell size, degrees of longitude and of latitude (distances are measured in degrees, lon and lat alike). */
  stepLon: number
  stepLat: number
  /** The rings: each an array of grid-vertex indices, first vertex not repeated, corners and nodes only. */
  rings: Int32Array[]
  /** Per ring, parallel to its vertices: 1 at a node (where the boundary's neighbour changes), 2 at a node where two rings of one class touch (a saddle). */
  nodes: Uint8Array[]
  /** Douglas–Peucker tolerance, degrees. */
  toleranceDeg: number
}

/**
 * Simplifies the rings of a partition of the plane (cell-boundary rings from
 * `traceClassRings`, every class together) so that the parts still fit
 * together: no gaps, no overlaps, every ring still simple, nothing moving to
 * the other side of a line.
 *
 * The rings are cut at their nodes into arcs; the two rings either side of a
 * boundary share its arc, which is simplified once (Douglas–Peucker with
 * `toleranceDeg`, nodes kept) and used forwards by one and backwards by the
 * other. A shortcut from vertex a to vertex b of an arc is taken only if no
 * other boundary vertex (of any arc, or of this arc outside a…b), node or
 * not, lies inside or on the region between the shortcut and the part of the
 * arc it replaces (Saalfeld's rule); otherwise the arc is split at its
 * farthest vertex even within tolerance. Since every arc runs on grid lines
 * through grid vertices, that region's vertices are found by a scanline over
 * the grid, in time proportional to its area. With no vertex inside, no two
 * simplified arcs can cross or touch anywhere new, and no island can change
 * sides. An arc that closes on itself keeps at least three vertices, and of
 * two arcs joining the same two nodes each keeps at least one inner vertex,
 * so no ring collapses. As a last guard, a ring whose orientation flips or
 * whose area vanishes falls back to its unsimplified arcs (never triggered in
 * the tests, nor on 2,000 × 2,000 benchmark rasters).
 *
 * Returns the rings in the same order, same orientation, each starting where
 * it did if that vertex is kept, with a subset of their vertices: collinear
 * ones are dropped, except saddles and nodes on slanting lines, so the two
 * sides of every boundary keep exactly the same vertices. The area of a part changes by at
 * most the area swept by its shortcuts: ≤ 2·tolerance·(its boundary length)
 * + π·tolerance² per kept segment, degrees².
 */
export function simplifySharedArcs(input: SharedArcRings): Int32Array[] {
  const { cols, rows, stepLon, stepLat, toleranceDeg } = input
  const W1 = cols + 1
  const vertexCount = W1 * (rows + 1)
  const vi = (v: number): number => v % W1
  const vj = (v: number): number => (v - (v % W1)) / W1

  // 1. Cut the rings into arcs at their nodes; the other side finds the same arc by its end edges.
  const arcVerts = new GrowableInt32(1024)
  const arcStart = new GrowableInt32(1024)
  const arcClosed = new GrowableInt32(1024)
  /** Ring r uses arcs ringArcRefs[ringArcStart[r] … ringArcStart[r + 1]), each 2·arc (+1 when run backwards). */
  const ringArcStart = new GrowableInt32(1024)
  const ringArcRefs = new GrowableInt32(1024)
  /** Per grid vertex: 1 at a node, 2 at a saddle (as in `nodes`). */
  const nodeAt = new Uint8Array(vertexCount)
  /** Per undirected unit edge (2·lower vertex, +1 if vertical): the arc starting or ending on it. */
  const arcByEdge = new Int32Array(2 * vertexCount).fill(-1)
  /** Undirected id of the unit edge leaving `v` towards `towards` (on the same grid line). */
  const unitEdge = (v: number, towards: number): number => {
    const di = Math.sign(vi(towards) - vi(v))
    const dj = Math.sign(vj(towards) - vj(v))
    const w = v + di + dj * W1
    return 2 * Math.min(v, w) + (dj !== 0 ? 1 : 0)
  }
  /** The arc keyed `key` if the other side made it (checked to have `length` vertices), else −1. */
  const findArc = (key: number, length: number): number => {
    const found = arcByEdge[key]!
    if (found < 0) return -1
    const end = found + 1 < arcStart.length ? arcStart.data[found + 1]! : arcVerts.length
    if (end - arcStart.data[found]! !== length) throw new Error('internal: the two sides of a boundary disagree')
    return found
  }
  const newArc = (key: number, closed: boolean): number => {
    const id = arcStart.length
    arcByEdge[key] = id
    arcStart.push(arcVerts.length)
    arcClosed.push(closed ? 1 : 0)
    return id
  }
  for (let r = 0; r < input.rings.length; r++) {
    const ring = input.rings[r]!
    const nodes = input.nodes[r]!
    const n = ring.length
    ringArcStart.push(ringArcRefs.length)
    let first = -1
    for (let t = 0; t < n; t++) {
      if (nodes[t]! > 0) nodeAt[ring[t]!] = nodes[t]!
      if (first < 0 && nodes[t]! > 0) first = t
    }
    if (first < 0) {
      // A ring with one neighbour all round: one closed arc, keyed by its smallest edge.
      let key = Infinity
      for (let t = 0; t < n; t++) {
        const a = ring[t]!
        const b = ring[(t + 1) % n]!
        key = Math.min(key, unitEdge(Math.min(a, b), Math.max(a, b)))
      }
      const found = findArc(key, n + 1)
      if (found >= 0) {
        ringArcRefs.push(2 * found + 1)
      } else {
        ringArcRefs.push(2 * newArc(key, true))
        for (let t = 0; t < n; t++) arcVerts.push(ring[t]!)
        arcVerts.push(ring[0]!)
      }
      continue
    }
    let a = first
    do {
      let b = (a + 1) % n
      while (nodes[b] === 0) b = (b + 1) % n
      const length = ((b - a + n - 1) % n) + 2
      const key = Math.min(unitEdge(ring[a]!, ring[(a + 1) % n]!), unitEdge(ring[b]!, ring[(b + n - 1) % n]!))
      const found = findArc(key, length)
      if (found >= 0) {
        ringArcRefs.push(2 * found + 1)
      } else {
        ringArcRefs.push(2 * newArc(key, false))
        for (let t = 0, u = a; t < length; t++, u = (u + 1) % n) arcVerts.push(ring[u]!)
      }
      a = b
    } while (a !== first)
  }
  ringArcStart.push(ringArcRefs.length)
  arcStart.push(arcVerts.length)
  const arcCount = arcStart.length - 1
  const verts = arcVerts.data

  // 2. Which arc, and where along it, every boundary vertex of the grid is (−2: a node).
  const arcOf = new Int32Array(vertexCount).fill(-1)
  const posOf = new Int32Array(vertexCount)
  for (let arc = 0; arc < arcCount; arc++) {
    const s = arcStart.data[arc]!
    const e = arcStart.data[arc + 1]! - 1
    for (let t = s; t < e; t++) {
      const p = verts[t]!
      const q = verts[t + 1]!
      const step = Math.sign(vi(q) - vi(p)) + Math.sign(vj(q) - vj(p)) * W1
      arcOf[p] = arc
      posOf[p] = 2 * (t - s)
      for (let v = p + step; v !== q; v += step) {
        arcOf[v] = arc
        posOf[v] = 2 * (t - s) + 1
      }
    }
  }
  for (let arc = 0; arc < arcCount; arc++) {
    if (arcClosed.data[arc] === 1) continue
    arcOf[verts[arcStart.data[arc]!]!] = -2
    arcOf[verts[arcStart.data[arc + 1]! - 1]!] = -2
  }

  // 3. Douglas–Peucker per arc under Saalfeld's rule.
  const keep = new Uint8Array(verts.length)
  const dist = (t: number, a: number, b: number): number => {
    const px = vi(verts[t]!) * stepLon
    const py = vj(verts[t]!) * stepLat
    const ax = vi(verts[a]!) * stepLon
    const ay = vj(verts[a]!) * stepLat
    const dx = vi(verts[b]!) * stepLon - ax
    const dy = vj(verts[b]!) * stepLat - ay
    const l2 = dx * dx + dy * dy
    const u = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2))
    return Math.hypot(px - ax - u * dx, py - ay - u * dy)
  }
  const scan = new ScanRows()
  /** Whether the shortcut a→b (arc vertex positions) sweeps over no other boundary vertex. */
  const clear = (arc: number, s: number, e: number, a: number, b: number): boolean => {
    const closed = arcClosed.data[arc] === 1
    const pa = verts[a]!
    const pb = verts[b]!
    const ok = (v: number): boolean => {
      const owner = arcOf[v]!
      if (owner === -1) return true
      if (owner === -2) return v === pa || v === pb
      if (owner !== arc) return false
      const pos = posOf[v]!
      return (pos >= 2 * (a - s) && pos <= 2 * (b - s)) || (closed && pos === 0 && b === e)
    }
    // Grid vertices on the shortcut itself.
    const di = vi(pb) - vi(pa)
    const dj = vj(pb) - vj(pa)
    const g = gcd(Math.abs(di), Math.abs(dj))
    const step = (di / g) + (dj / g) * W1
    for (let m = 1, v = pa + step; m < g; m++, v += step) if (!ok(v)) return false
    // Grid vertices inside the region bounded by the arc from a to b and the shortcut back.
    scan.reset()
    for (let t = a; t < b; t++) scan.edge(vi(verts[t]!), vj(verts[t]!), vi(verts[t + 1]!), vj(verts[t + 1]!))
    scan.edge(vi(pb), vj(pb), vi(pa), vj(pa))
    return scan.everyInside((i, j) => ok(j * W1 + i))
  }
  const stack: number[] = []
  const simplify = (arc: number, a0: number, b0: number, force: boolean): void => {
    const s = arcStart.data[arc]!
    const e = arcStart.data[arc + 1]! - 1
    keep[a0] = 1
    keep[b0] = 1
    stack.push(a0, b0, force ? 1 : 0)
    while (stack.length > 0) {
      const forced = stack.pop() === 1
      const b = stack.pop()!
      const a = stack.pop()!
      if (b - a < 2) continue
      let far = a + 1
      let farD = -1
      for (let t = a + 1; t < b; t++) {
        const d = dist(t, a, b)
        if (d > farD) { farD = d; far = t }
      }
      if (forced || farD > toleranceDeg || !clear(arc, s, e, a, b)) {
        keep[far] = 1
        stack.push(a, far, 0, far, b, 0)
      }
    }
  }
  for (let arc = 0; arc < arcCount; arc++) {
    const s = arcStart.data[arc]!
    const e = arcStart.data[arc + 1]! - 1
    if (verts[s] === verts[e]) {
      // Closed: split at the vertex farthest from the start, keep ≥ 1 vertex in each half.
      let far = s + 1
      let farD = -1
      for (let t = s + 1; t < e; t++) {
        const d = dist(t, s, s)
        if (d > farD) { farD = d; far = t }
      }
      simplify(arc, s, far, true)
      simplify(arc, far, e, true)
    } else {
      simplify(arc, s, e, false)
    }
  }
  // Two arcs now both straight between the same two nodes would lie on top of each other: those that
  // had inner vertices keep their farthest one (and whatever else Saalfeld's rule then asks for).
  const pairOf = (arc: number): number => {
    const p = verts[arcStart.data[arc]!]!
    const q = verts[arcStart.data[arc + 1]! - 1]!
    return Math.min(p, q) * vertexCount + Math.max(p, q)
  }
  const straight = (arc: number): boolean => {
    const s = arcStart.data[arc]!
    const e = arcStart.data[arc + 1]! - 1
    if (verts[s] === verts[e]) return false
    for (let t = s + 1; t < e; t++) if (keep[t] === 1) return false
    return true
  }
  const pairs: number[] = []
  for (let arc = 0; arc < arcCount; arc++) if (straight(arc)) pairs.push(pairOf(arc))
  const sortedPairs = Float64Array.from(pairs).sort()
  const twinPairs = new Set<number>()
  for (let t = 1; t < sortedPairs.length; t++) if (sortedPairs[t] === sortedPairs[t - 1]) twinPairs.add(sortedPairs[t]!)
  if (twinPairs.size > 0) {
    for (let arc = 0; arc < arcCount; arc++) {
      const s = arcStart.data[arc]!
      const e = arcStart.data[arc + 1]! - 1
      if (e - s >= 2 && straight(arc) && twinPairs.has(pairOf(arc))) simplify(arc, s, e, true)
    }
  }

  // 4. Rings from their arcs; a ring that flips or vanishes falls back to its unsimplified arcs.
  const ringCount = input.rings.length
  const result: Int32Array[] = new Array<Int32Array>(ringCount)
  const scratch = new GrowableInt32(1024)
  let pending = Array.from({ length: ringCount }, (_, r) => r)
  // Terminates: a ring whose arcs are all unsimplified cannot fail, so each pass reverts at least one more arc.
  while (pending.length > 0) {
    const failed: number[] = []
    for (const r of pending) {
      const ring = assemble(r)
      const a2 = area2(ring, W1)
      if (ring.length < 3 || a2 === 0 || Math.sign(a2) !== Math.sign(area2(input.rings[r]!, W1))) failed.push(r)
      result[r] = ring
    }
    if (failed.length === 0) break
    // Fall back: every arc of a failed ring keeps all its vertices, and every ring using such an arc is rebuilt.
    const reverted = new Uint8Array(arcCount)
    for (const r of failed) {
      for (let k = ringArcStart.data[r]!; k < ringArcStart.data[r + 1]!; k++) {
        const arc = ringArcRefs.data[k]! >> 1
        reverted[arc] = 1
        keep.fill(1, arcStart.data[arc]!, arcStart.data[arc + 1]!)
      }
    }
    pending = []
    for (let r = 0; r < ringCount; r++) {
      for (let k = ringArcStart.data[r]!; k < ringArcStart.data[r + 1]!; k++) {
        if (reverted[ringArcRefs.data[k]! >> 1] === 1) { pending.push(r); break }
      }
    }
  }
  return result

  /** Ring r from its arcs, without collinear vertices, starting where the unsimplified ring started if that vertex is kept. */
  function assemble(r: number): Int32Array {
    scratch.length = 0
    for (let k = ringArcStart.data[r]!; k < ringArcStart.data[r + 1]!; k++) {
      const ref = ringArcRefs.data[k]!
      const arc = ref >> 1
      const s = arcStart.data[arc]!
      const e = arcStart.data[arc + 1]! - 1
      // Each arc contributes its kept vertices but its last (the next arc's first, or the ring's start).
      if ((ref & 1) === 0) {
        for (let t = s; t < e; t++) if (keep[t] === 1) scratch.push(verts[t]!)
      } else {
        for (let t = e; t > s; t--) if (keep[t] === 1) scratch.push(verts[t]!)
      }
    }
    const ring = dropCollinear(scratch.data.subarray(0, scratch.length), W1, nodeAt)
    const at = ring.indexOf(input.rings[r]![0]!)
    if (at <= 0) return ring
    const rotated = new Int32Array(ring.length)
    rotated.set(ring.subarray(at))
    rotated.set(ring.subarray(0, at), ring.length - at)
    return rotated
  }
}

/** Twice the signed area of a ring of grid vertices, cells; > 0 anticlockwise on the map. */
function area2(ring: ArrayLike<number>, W1: number): number {
  let sum = 0
  const n = ring.length
  for (let t = 0; t < n; t++) {
    const p = ring[t === 0 ? n - 1 : t - 1]!
    const v = ring[t]!
    sum += (v % W1) * Math.floor(p / W1) - (p % W1) * Math.floor(v / W1)
  }
  return sum
}

/**
 * The ring without vertices in the middle of a straight line, except nodes
 * (`nodeAt` > 0) on a slanting line, where another ring has a corner: dropping
 * one would leave that corner a hair off this ring's edge once in floating-point
 * degrees (a sliver). On a north–south or east–west line the coordinates are
 * exact, so only saddles (`nodeAt` 2, where another ring of the same class
 * touches) are kept there.
 */
function dropCollinear(ring: Int32Array, W1: number, nodeAt: Uint8Array): Int32Array {
  const out = new Int32Array(ring.length)
  let count = 0
  const n = ring.length
  for (let t = 0; t < n; t++) {
    const p = ring[t === 0 ? n - 1 : t - 1]!
    const v = ring[t]!
    const q = ring[(t + 1) % n]!
    const ax = (v % W1) - (p % W1)
    const ay = Math.floor(v / W1) - Math.floor(p / W1)
    const bx = (q % W1) - (v % W1)
    const by = Math.floor(q / W1) - Math.floor(v / W1)
    const corner = ax * by - ay * bx !== 0 || ax * bx + ay * by < 0
    const slanting = ax !== 0 && ay !== 0
    if (corner || nodeAt[v] === 2 || (slanting && nodeAt[v] === 1)) out[count++] = v
  }
  return out.slice(0, count)
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/**
 * Even–odd scanline over integer rows: polygon edges between grid vertices in,
 * every grid vertex strictly inside the polygon out (and possibly some on its
 * boundary, which the caller accepts or rejects on its own terms).
 */
class ScanRows {
  private rowMin = 0
  private rows: number[][] = []
  private edges: number[] = []

  reset(): void {
    this.edges.length = 0
  }

  edge(x1: number, y1: number, x2: number, y2: number): void {
    if (y1 !== y2) this.edges.push(x1, y1, x2, y2)
  }

  everyInside(ok: (i: number, j: number) => boolean): boolean {
    const e = this.edges
    if (e.length === 0) return true
    let lo = Infinity
    let hi = -Infinity
    for (let t = 0; t < e.length; t += 4) {
      lo = Math.min(lo, e[t + 1]!, e[t + 3]!)
      hi = Math.max(hi, e[t + 1]!, e[t + 3]!)
    }
    this.rowMin = lo
    for (let y = 0; y < hi - lo; y++) {
      if (this.rows.length <= y) this.rows.push([])
      this.rows[y]!.length = 0
    }
    for (let t = 0; t < e.length; t += 4) {
      const x1 = e[t]!
      const y1 = e[t + 1]!
      const x2 = e[t + 2]!
      const y2 = e[t + 3]!
      // Half-open in y: the edge counts on rows min(y1, y2) ≤ y < max(y1, y2).
      const yTop = Math.min(y1, y2)
      const yBottom = Math.max(y1, y2)
      for (let y = yTop; y < yBottom; y++) this.rows[y - this.rowMin]!.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1))
    }
    const eps = 1e-9
    for (let y = lo; y < hi; y++) {
      const xs = this.rows[y - lo]!
      xs.sort((p, q) => p - q)
      for (let t = 0; t + 1 < xs.length; t += 2) {
        for (let x = Math.ceil(xs[t]! - eps); x <= Math.floor(xs[t + 1]! + eps); x++) if (!ok(x, y)) return false
      }
    }
    return true
  }
}
