import type { ClassRegions } from './label-class-regions.ts'
import { GrowableInt32, GrowableUint8 } from './growable-array.ts'

export interface ClassRings {
  /**
   * The rings' vertices, concatenated, as grid-vertex indices j·(cols + 1) + i
   * (i = 0…cols west to east, j = 0…rows north to south: vertex (i, j) is the
   * north-west corner of cell (i, j)). Only corners are listed (and, with
   * `keepNodes`, nodes); a ring does not repeat its first vertex.
   */
  vertices: Int32Array
  /** With `keepNodes`: per vertex, 0 = not a node, 1 = a node, 2 = a node at a saddle (see `traceClassRings`). */
  isNode: Uint8Array
  /** Ring r is vertices[ringStart[r] … ringStart[r + 1]). */
  ringStart: Int32Array
  /** Per ring: the region (`labelClassRegions`) on its left, that is inside it. */
  ringRegion: Int32Array
  /** Per ring: twice its signed area in cells; > 0 anticlockwise on the map (an outer ring), < 0 clockwise (a hole). */
  ringArea2: Float64Array
}

export interface TraceOptions {
  /** Regions of fewer cells are not traced (default 0: all). */
  minRegionCells?: number
  /** Also list nodes that are not corners, for shared-boundary simplification (default false). */
  keepNodes?: boolean
}

const N = 0
const E = 1
const S = 2
const W = 3
const DI = [0, 1, 0, -1] as const
const DJ = [-1, 0, 1, 0] as const
/**
 * Outgoing direction at a vertex by the mask of its four cells that are in
 * the class (NW 1, NE 2, SW 4, SE 8), keeping the class on the left; −1 where
 * no boundary passes, −2 at the two saddles (which depend on the way in).
 */
const OUT = [-1, N, E, E, W, N, -2, E, S, -2, S, S, W, N, W, -1] as const

/**
 * The boundary rings of every region of a class raster (`cols × rows` bytes,
 * row-major, row 0 north, 0 = no data), traced along cell sides.
 *
 * Every side between a cell of class k and a cell that is not k (or the raster
 * edge) is a directed boundary edge with k on its left, so outer rings run
 * anticlockwise and holes clockwise on the map (RFC 7946) without any
 * reorientation. Edges are chained vertex to vertex from a 16-case table; at a
 * saddle (two cells of k diagonally opposite, the other two not) the chain
 * always turns left, so a region's cells join through sides only, never
 * through a corner alone (4-connectivity, matching `labelClassRegions`). A
 * chain can still come back to a saddle it passed (a region wrapping round
 * and touching itself at a corner): it is cut there into two rings, so no
 * ring visits a vertex twice; the pieces are an outer ring and a hole, or two
 * holes, touching at that one point (valid simple features).
 *
 * A node (listed with `keepNodes`) is a vertex where three or more values meet
 * (no data and the outside count as one value; kind 1) or a saddle of any
 * value (one value on a diagonal, the other two cells different from it;
 * kind 2): between nodes, a boundary separates the same two values, so the
 * two regions either side trace it vertex for vertex in opposite directions.
 *
 * Each chain starts at the first west-going edge in row-major order, so the
 * output is deterministic. O(cells) to scan plus O(boundary length) to trace.
 */
export function traceClassRings(cols: number, rows: number, classes: Uint8Array, regions: ClassRegions, options: TraceOptions = {}): ClassRings {
  const minCells = options.minRegionCells ?? 0
  const keepNodes = options.keepNodes ?? false
  const W1 = cols + 1
  const cellAt = (i: number, j: number): number => (i < 0 || j < 0 || i >= cols || j >= rows ? 0 : classes[j * cols + i]!)

  const out = new GrowableInt32()
  const outNode = new GrowableUint8()
  const ringStart = new GrowableInt32()
  const ringRegion = new GrowableInt32()
  const ringArea2: number[] = []
  const path = new GrowableInt32()
  const pathNode = new GrowableUint8()
  /** Per vertex: its index in `path` while a chain is open and the vertex is a saddle on it; else −1. */
  const posInPath = new Int32Array(W1 * (rows + 1)).fill(-1)
  /** Per cell: its north side has been traced (as a west-going edge). */
  const northDone = new Uint8Array(cols * rows)

  const emit = (from: number, region: number): void => {
    const count = path.length - from
    ringStart.push(out.length)
    ringRegion.push(region)
    let area2 = 0
    let prev = path.data[path.length - 1]!
    for (let p = from; p < path.length; p++) {
      const v = path.data[p]!
      out.push(v)
      outNode.push(pathNode.data[p]!)
      // Shoelace on (i, −j): x_prev·y_v − x_v·y_prev.
      area2 += (v % W1) * Math.floor(prev / W1) - (prev % W1) * Math.floor(v / W1)
      prev = v
    }
    ringArea2.push(area2)
    if (count < 4) throw new Error(`internal: ring of ${count} vertices`)
  }

  for (let cell = 0; cell < classes.length; cell++) {
    const k = classes[cell]!
    if (k === 0 || northDone[cell] === 1) continue
    const c = cell % cols
    const r = (cell - c) / cols
    if (r > 0 && classes[cell - cols] === k) continue
    const region = regions.region[cell]!
    if (regions.cells[region]! < minCells) continue
    // A new chain, starting at the north-east corner of `cell`, going west.
    const v0 = r * W1 + c + 1
    let i = c + 1
    let j = r
    let dir = W
    path.length = 0
    pathNode.length = 0
    path.push(v0)
    pathNode.push(keepNodes ? nodeKind(cellAt(i - 1, j - 1), cellAt(i, j - 1), cellAt(i - 1, j), cellAt(i, j)) : 0)
    const m0 = mask(k, cellAt(i - 1, j - 1), cellAt(i, j - 1), cellAt(i - 1, j), cellAt(i, j))
    if (m0 === 6 || m0 === 9) posInPath[v0] = 0
    for (;;) {
      if (dir === W) northDone[j * cols + i - 1] = 1
      i += DI[dir]!
      j += DJ[dir]!
      const nw = cellAt(i - 1, j - 1)
      const ne = cellAt(i, j - 1)
      const sw = cellAt(i - 1, j)
      const se = cellAt(i, j)
      const m = mask(k, nw, ne, sw, se)
      let next: number = OUT[m]!
      if (next === -2) next = m === 9 ? (dir === E ? N : S) : dir === S ? E : W
      if (next < 0) throw new Error(`internal: chain lost at vertex (${i}, ${j})`)
      const v = j * W1 + i
      if (v === v0 && next === W) {
        // Back on the first edge: the rest of the path is the last ring.
        if (path.length > 1 && !keepVertex(path.data[path.length - 1]!, v0, path.data[1]!, pathNode.data[0]!)) {
          path.data[0] = path.data[path.length - 1]!
          pathNode.data[0] = pathNode.data[path.length - 1]!
          path.length--
        }
        emit(0, region)
        break
      }
      const saddle = m === 6 || m === 9
      if (saddle && posInPath[v]! >= 0) {
        // Back at a saddle of this chain: cut the loop since then into its own ring.
        const from = posInPath[v]!
        emit(from, region)
        for (let p = from + 1; p < path.length; p++) posInPath[path.data[p]!] = -1
        path.length = from + 1
        pathNode.length = from + 1
      } else {
        const node = keepNodes ? nodeKind(nw, ne, sw, se) : 0
        if (saddle || next !== dir || node > 0) {
          if (saddle) posInPath[v] = path.length
          path.push(v)
          pathNode.push(node)
        }
      }
      dir = next
    }
    for (let p = 0; p < path.length; p++) posInPath[path.data[p]!] = -1
  }
  ringStart.push(out.length)
  return {
    vertices: out.data.slice(0, out.length),
    isNode: outNode.data.slice(0, outNode.length),
    ringStart: ringStart.data.slice(0, ringStart.length),
    ringRegion: ringRegion.data.slice(0, ringRegion.length),
    ringArea2: Float64Array.from(ringArea2),
  }

  /** Whether the chain's start vertex `v` (between `prev` and `next`) is a corner or a kept node. */
  function keepVertex(prev: number, v: number, next: number, node: number): boolean {
    if (node > 0) return true
    const straightLon = prev % W1 === v % W1 && v % W1 === next % W1
    const straightLat = Math.floor(prev / W1) === Math.floor(v / W1) && Math.floor(v / W1) === Math.floor(next / W1)
    return !(straightLon || straightLat)
  }
}

function mask(k: number, nw: number, ne: number, sw: number, se: number): number {
  return (nw === k ? 1 : 0) | (ne === k ? 2 : 0) | (sw === k ? 4 : 0) | (se === k ? 8 : 0)
}

/**
 * 2 where one value sits on a diagonal with the other two cells different
 * (a saddle: two rings of that class touch here), 1 where three or more
 * values meet otherwise, 0 elsewhere.
 */
function nodeKind(nw: number, ne: number, sw: number, se: number): number {
  if ((nw === se && ne !== nw && sw !== nw) || (ne === sw && nw !== ne && se !== ne)) return 2
  const distinct = 1 + (ne !== nw ? 1 : 0) + (sw !== nw && sw !== ne ? 1 : 0) + (se !== nw && se !== ne && se !== sw ? 1 : 0)
  return distinct >= 3 ? 1 : 0
}
