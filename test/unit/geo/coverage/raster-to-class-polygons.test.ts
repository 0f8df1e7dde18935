import { booleanValid } from '@turf/turf'
import type { MultiPolygon } from 'geojson'
import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { classRaster } from '../../../../server/geo/coverage/class-raster.ts'
import { labelClassRegions } from '../../../../server/geo/coverage/label-class-regions.ts'
import type { RasterGrid } from '../../../../server/geo/coverage/raster-grid.ts'
import { rasterToClassPolygons, type ClassPolygons } from '../../../../server/geo/coverage/raster-to-class-polygons.ts'

const CLASS_NAMES = ['good', 'weak', 'none'] as const
const CODE = { none: 1, weak: 2, good: 3 } as const

/** A grid with binary-exact steps, so expected coordinates are exact. */
function unitGrid(cols: number, rows: number): RasterGrid {
  return { west: 0, north: 0, stepLon: 1, stepLat: 1, cols, rows }
}
/** A 1″ grid in Sơn La, as the coverage engine makes them. */
function arcSecondGrid(cols: number, rows: number): RasterGrid {
  return { west: 103.9, north: 21.4, stepLon: 1 / 3600, stepLat: 1 / 3600, cols, rows }
}
/** A class raster from rows of characters: G good, W weak, N none, . no data. */
function raster(...lines: string[]): { grid: RasterGrid; classes: Uint8Array } {
  const codes: Record<string, number> = { '.': 0, N: 1, W: 2, G: 3 }
  const classes = Uint8Array.from(lines.join('').split('').map((ch) => codes[ch]!))
  return { grid: unitGrid(lines[0]!.length, lines.length), classes }
}

// ---------------------------------------------------------------------------
// Checks in grid coordinates: x = column edge (0…cols), y = −row edge, integers.

type Pt = readonly [number, number]

function toGridRings(grid: RasterGrid, mp: MultiPolygon): Pt[][][] {
  return mp.coordinates.map((polygon) => polygon.map((ring) => ring.map(([lon, lat]) => {
    const x = (lon! - grid.west) / grid.stepLon
    const y = (lat! - grid.north) / grid.stepLat
    if (Math.abs(x - Math.round(x)) > 1e-6 || Math.abs(y - Math.round(y)) > 1e-6) throw new Error(`vertex ${lon},${lat} is not on a grid vertex`)
    return [Math.round(x), Math.round(y)] as const
  })))
}

const cross = (o: Pt, a: Pt, b: Pt): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
const same = (a: Pt, b: Pt): boolean => a[0] === b[0] && a[1] === b[1]
const onSegment = (p: Pt, a: Pt, b: Pt): boolean =>
  cross(a, b, p) === 0 && Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])

function gcdInt(a: number, b: number): number {
  return b === 0 ? a : gcdInt(b, a % b)
}

function ringArea2(ring: readonly Pt[]): number {
  let s = 0
  for (let t = 0; t + 1 < ring.length; t++) s += ring[t]![0] * ring[t + 1]![1] - ring[t + 1]![0] * ring[t]![1]
  return s
}

/** Even–odd test of a point against rings (closed, grid coordinates). Points on an edge are not expected. */
function insideRings(p: readonly [number, number], rings: readonly (readonly Pt[])[]): boolean {
  let inside = false
  for (const ring of rings) {
    for (let t = 0; t + 1 < ring.length; t++) {
      const [x1, y1] = ring[t]!
      const [x2, y2] = ring[t + 1]!
      if ((y1 > p[1]) !== (y2 > p[1]) && p[0] < x1 + ((p[1] - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside
    }
  }
  return inside
}
const insidePolygon = (p: readonly [number, number], polygon: readonly (readonly Pt[])[]): boolean => insideRings(p, polygon)

/**
 * The OGC simple-features rules for a MultiPolygon, checked exactly on integer
 * coordinates (a little stricter: rings may meet only at shared vertices).
 * Returns the problems found.
 */
function validityProblems(polys: Pt[][][], options: { allowCollinear?: boolean } = {}): string[] {
  const problems: string[] = []
  const segments: { p: number; r: number; t: number; a: Pt; b: Pt }[] = []
  polys.forEach((polygon, p) => {
    polygon.forEach((ring, r) => {
      const where = `polygon ${p} ring ${r}`
      if (ring.length < 4) problems.push(`${where}: ${ring.length} positions`)
      if (!same(ring[0]!, ring[ring.length - 1]!)) problems.push(`${where}: not closed`)
      const open = ring.slice(0, -1)
      if (new Set(open.map((q) => `${q[0]},${q[1]}`)).size !== open.length) problems.push(`${where}: repeats a vertex`)
      const a2 = ringArea2(ring)
      if (r === 0 ? a2 <= 0 : a2 >= 0) problems.push(`${where}: wrong orientation (2A = ${a2})`)
      for (let t = 0; t < open.length; t++) {
        const prev = open[(t + open.length - 1) % open.length]!
        const next = open[(t + 1) % open.length]!
        if (cross(prev, open[t]!, next) === 0) {
          const back = (open[t]![0] - prev[0]) * (next[0] - open[t]![0]) + (open[t]![1] - prev[1]) * (next[1] - open[t]![1]) < 0
          if (back) problems.push(`${where}: spike at ${open[t]}`)
          else if (!options.allowCollinear) problems.push(`${where}: collinear vertex ${open[t]}`)
        }
        segments.push({ p, r, t, a: open[t]!, b: open[(t + 1) % open.length]! })
      }
    })
  })
  // Segments meet only at shared end points, never crossing, overlapping or touching mid-segment.
  for (let u = 0; u < segments.length; u++) {
    const s1 = segments[u]!
    for (let w = u + 1; w < segments.length; w++) {
      const s2 = segments[w]!
      if (Math.max(s1.a[0], s1.b[0]) < Math.min(s2.a[0], s2.b[0]) || Math.max(s2.a[0], s2.b[0]) < Math.min(s1.a[0], s1.b[0])) continue
      if (Math.max(s1.a[1], s1.b[1]) < Math.min(s2.a[1], s2.b[1]) || Math.max(s2.a[1], s2.b[1]) < Math.min(s1.a[1], s1.b[1])) continue
      const d1 = cross(s2.a, s2.b, s1.a)
      const d2 = cross(s2.a, s2.b, s1.b)
      const d3 = cross(s1.a, s1.b, s2.a)
      const d4 = cross(s1.a, s1.b, s2.b)
      const where = `polygon ${s1.p} ring ${s1.r} seg ${s1.t} / polygon ${s2.p} ring ${s2.r} seg ${s2.t}`
      if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
        problems.push(`${where}: cross`)
        continue
      }
      const shared = [s1.a, s1.b].filter((q) => same(q, s2.a) || same(q, s2.b))
      if (shared.length === 2) { problems.push(`${where}: same segment twice`); continue }
      for (const [q, a, b] of [[s1.a, s2.a, s2.b], [s1.b, s2.a, s2.b], [s2.a, s1.a, s1.b], [s2.b, s1.a, s1.b]] as const) {
        if (onSegment(q, a, b) && !same(q, a) && !same(q, b)) problems.push(`${where}: ${q} touches mid-segment`)
      }
      if (shared.length === 1 && d1 === 0 && d2 === 0) {
        // Collinear with one shared end: they overlap if the other ends lie on the same side.
        const o = shared[0]!
        const e1 = same(s1.a, o) ? s1.b : s1.a
        const e2 = same(s2.a, o) ? s2.b : s2.a
        if ((e1[0] - o[0]) * (e2[0] - o[0]) + (e1[1] - o[1]) * (e2[1] - o[1]) > 0) problems.push(`${where}: overlap`)
      }
    }
  }
  // Holes inside their shell; no polygon inside another; interiors connected.
  const mid = (a: Pt, b: Pt): [number, number] => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]
  polys.forEach((polygon, p) => {
    for (let r = 1; r < polygon.length; r++) {
      if (!insideRings(mid(polygon[r]![0]!, polygon[r]![1]!), [polygon[0]!])) problems.push(`polygon ${p} hole ${r} outside its shell`)
    }
    polys.forEach((other, q) => {
      if (q !== p && insidePolygon(mid(other[0]![0]!, other[0]![1]!), polygon)) problems.push(`polygon ${q} inside polygon ${p}`)
    })
    // Rings touching in a cycle would cut the interior in two.
    const parent = polygon.map((_, r) => r)
    const find = (r: number): number => (parent[r] === r ? r : (parent[r] = find(parent[r]!)))
    const owner = new Map<string, number>()
    polygon.forEach((ring, r) => {
      for (const q of ring.slice(0, -1)) {
        const key = `${q[0]},${q[1]}`
        const o = owner.get(key)
        if (o === undefined) { owner.set(key, r); continue }
        if (find(o) === find(r)) problems.push(`polygon ${p}: rings touch in a cycle at ${key}`)
        parent[find(o)] = find(r)
      }
    })
  })
  return problems
}

/** Planar area, degrees², shells minus holes (shoelace about each ring's first vertex, to keep the digits). */
/**
 * Turf's booleanValid on each Polygon of a MultiPolygon. Not on the whole:
 * turf 7 rejects MultiPolygons whose polygons touch at one point, which the
 * OGC rules allow (Turfjs/turf#2328); our own check above covers that case.
 */
function turfValidEach(mp: MultiPolygon): boolean {
  return mp.coordinates.every((coordinates) => booleanValid({ type: 'Polygon', coordinates }) === true)
}

function areaDeg2(mp: MultiPolygon): number {
  let sum = 0
  for (const polygon of mp.coordinates) {
    polygon.forEach((ring, r) => {
      let s = 0
      const [x0, y0] = ring[0]! as [number, number]
      for (let t = 1; t + 1 < ring.length; t++) s += (ring[t]![0]! - x0) * (ring[t + 1]![1]! - y0) - (ring[t + 1]![0]! - x0) * (ring[t]![1]! - y0)
      sum += r === 0 ? s / 2 : -Math.abs(s / 2)
    })
  }
  return sum
}

function countCells(classes: Uint8Array, code: number): number {
  let n = 0
  for (const v of classes) if (v === code) n++
  return n
}

/** Every problem of a result against its class raster: validity, areas, and the class at every cell centre. */
function exactnessProblems(grid: RasterGrid, classes: Uint8Array, result: ClassPolygons): string[] {
  const problems: string[] = []
  const cellArea = grid.stepLon * grid.stepLat
  const polys = Object.fromEntries(CLASS_NAMES.map((name) => [name, toGridRings(grid, result[name])])) as Record<(typeof CLASS_NAMES)[number], Pt[][][]>
  for (const name of CLASS_NAMES) {
    for (const p of validityProblems(polys[name])) problems.push(`${name}: ${p}`)
    const expected = countCells(classes, CODE[name]) * cellArea
    const got = areaDeg2(result[name])
    if (Math.abs(got - expected) > 1e-9 * Math.max(cellArea, expected)) problems.push(`${name}: area ${got} ≠ ${expected}`)
  }
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const centre: [number, number] = [c + 0.5, -(r + 0.5)]
      const inClasses = CLASS_NAMES.filter((name) => polys[name].some((polygon) => insidePolygon(centre, polygon)))
      const v = classes[r * grid.cols + c]!
      const expected = v === 0 ? [] : [CLASS_NAMES.find((name) => CODE[name] === v)!]
      if (inClasses.join() !== expected.join()) problems.push(`cell (${c}, ${r}) of class ${v} lies in [${inClasses.join()}]`)
    }
  }
  return problems
}

/**
 * A seeded RSRP-like raster: three sites with distance falloff, terrain
 * shadows (random bumps ±20 dB), cell noise ±4 dB, NaN beyond the sites'
 * reach and in a void; then classes by the default thresholds.
 */
function randomCoverage(seed: string, cols: number, rows: number): Uint8Array {
  const rng = seedrandom(seed)
  const sites = Array.from({ length: 3 }, () => ({ x: rng() * cols, y: rng() * rows, eirp: -55 - rng() * 20, reach: (0.4 + rng() * 0.5) * cols }))
  const shadows = Array.from({ length: 8 }, () => ({ x: rng() * cols, y: rng() * rows, r: 2 + rng() * cols / 6, db: (rng() - 0.5) * 40 }))
  const voidAt = { x: rng() * cols, y: rng() * rows, r: 1 + rng() * cols / 10 }
  const rsrp = new Float32Array(cols * rows)
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let best = Number.NaN
      for (const s of sites) {
        const d = Math.hypot(c - s.x, r - s.y)
        if (d > s.reach) continue
        const v = s.eirp - 35 * Math.log10(1 + d)
        if (!(v <= best)) best = v
      }
      for (const b of shadows) best += b.db * Math.exp(-((c - b.x) ** 2 + (r - b.y) ** 2) / (b.r * b.r))
      if (Math.hypot(c - voidAt.x, r - voidAt.y) < voidAt.r) best = Number.NaN
      rsrp[r * cols + c] = best + (rng() - 0.5) * 8
    }
  }
  return classRaster(rsrp)
}

/** Uniformly random cells 0…3: saddles and checkerboards everywhere. */
function randomNoise(seed: string, cols: number, rows: number): Uint8Array {
  const rng = seedrandom(seed)
  return Uint8Array.from({ length: cols * rows }, () => Math.floor(rng() * 4))
}

// ---------------------------------------------------------------------------

describe('rasterToClassPolygons: exact cell boundaries', () => {
  it('a single cell is one anticlockwise square with closed ring', () => {
    const grid: RasterGrid = { west: 104, north: 21.5, stepLon: 0.25, stepLat: 0.5, cols: 1, rows: 1 }
    const out = rasterToClassPolygons(grid, Uint8Array.from([3]))
    expect(out.good).toEqual({ type: 'MultiPolygon', coordinates: [[[[104.25, 21.5], [104, 21.5], [104, 21], [104.25, 21], [104.25, 21.5]]]] })
    expect(out.weak.coordinates).toEqual([])
    expect(out.none.coordinates).toEqual([])
  })

  it('a single cell inside a raster sits at its own cell edges', () => {
    const { grid, classes } = raster('...', '.W.', '...')
    expect(rasterToClassPolygons(grid, classes).weak.coordinates).toEqual([[[[2, -1], [1, -1], [1, -2], [2, -2], [2, -1]]]])
  })

  it('an L-shape is one ring of six corners, area 3 cells', () => {
    const { grid, classes } = raster('G.', 'GG')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toEqual([[[[1, 0], [0, 0], [0, -2], [2, -2], [2, -1], [1, -1], [1, 0]]]])
    expect(areaDeg2(out.good)).toBe(3)
  })

  it('a ring with a hole: the outer ring anticlockwise, the hole clockwise, the hole filled by its own class', () => {
    const { grid, classes } = raster('GGG', 'GNG', 'GGG')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toEqual([[
      [[3, 0], [0, 0], [0, -3], [3, -3], [3, 0]],
      [[2, -2], [1, -2], [1, -1], [2, -1], [2, -2]],
    ]])
    expect(out.none.coordinates).toEqual([[[[2, -1], [1, -1], [1, -2], [2, -2], [2, -1]]]])
    expect(areaDeg2(out.good)).toBe(8)
  })

  it('two cells touching only at a corner (saddle) are two polygons meeting at one point', () => {
    const { grid, classes } = raster('G.', '.G')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toEqual([
      [[[1, 0], [0, 0], [0, -1], [1, -1], [1, 0]]],
      [[[2, -1], [1, -1], [1, -2], [2, -2], [2, -1]]],
    ])
    expect(validityProblems(toGridRings(grid, out.good))).toEqual([])
    expect(turfValidEach(out.good)).toBe(true)
  })

  it('a saddle of two classes: each class is two squares, neither joins through the corner', () => {
    const { grid, classes } = raster('GW', 'WG')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toHaveLength(2)
    expect(out.weak.coordinates).toEqual([
      [[[2, 0], [1, 0], [1, -1], [2, -1], [2, 0]]],
      [[[1, -1], [0, -1], [0, -2], [1, -2], [1, -1]]],
    ])
    expect(exactnessProblems(grid, classes, out)).toEqual([])
  })

  it('a region wrapping round to touch itself at a corner: outer ring and a hole meeting at that point', () => {
    const { grid, classes } = raster('GG.', 'G.G', 'GGG')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toEqual([[
      [[2, 0], [0, 0], [0, -3], [3, -3], [3, -1], [2, -1], [2, 0]],
      [[2, -1], [2, -2], [1, -2], [1, -1], [2, -1]],
    ]])
    expect(exactnessProblems(grid, classes, out)).toEqual([])
    expect(booleanValid(out.good)).toBe(true)
  })

  it('two holes touching at a corner are two holes, not one ring through the point twice', () => {
    const { grid, classes } = raster('GGGG', 'GNGG', 'GG.G', 'GGGG')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toHaveLength(1)
    expect(out.good.coordinates[0]).toHaveLength(3)
    // Both clockwise, both starting at the corner where they meet.
    expect(out.good.coordinates[0]![1]).toEqual([[2, -2], [1, -2], [1, -1], [2, -1], [2, -2]])
    expect(out.good.coordinates[0]![2]).toEqual([[2, -2], [3, -2], [3, -3], [2, -3], [2, -2]])
    expect(out.none.coordinates).toHaveLength(1)
    expect(exactnessProblems(grid, classes, out)).toEqual([])
    expect(booleanValid(out.good)).toBe(true)
  })

  it('an island inside a hole inside a polygon nests correctly', () => {
    const { grid, classes } = raster('GGGGG', 'GWWWG', 'GWGWG', 'GWWWG', 'GGGGG')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates.map((p) => p.length)).toEqual([2, 1])
    expect(out.weak.coordinates.map((p) => p.length)).toEqual([2])
    expect(exactnessProblems(grid, classes, out)).toEqual([])
  })

  it('a checkerboard is one square polygon per cell, all valid, areas exact', () => {
    const { grid, classes } = raster('GWGW', 'WGWG', 'GWGW', 'WGWG')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toHaveLength(8)
    expect(out.weak.coordinates).toHaveLength(8)
    for (const polygon of [...out.good.coordinates, ...out.weak.coordinates]) expect(polygon[0]).toHaveLength(5)
    expect(exactnessProblems(grid, classes, out)).toEqual([])
    expect(turfValidEach(out.good)).toBe(true)
    expect(turfValidEach(out.weak)).toBe(true)
  })

  it('classes touching the raster edge run along it', () => {
    const { grid, classes } = raster('GWW', 'GWN')
    const out = rasterToClassPolygons(grid, classes)
    expect(out.good.coordinates).toEqual([[[[1, 0], [0, 0], [0, -2], [1, -2], [1, 0]]]])
    expect(out.weak.coordinates).toEqual([[[[3, 0], [1, 0], [1, -2], [2, -2], [2, -1], [3, -1], [3, 0]]]])
    expect(out.none.coordinates).toEqual([[[[3, -1], [2, -1], [2, -2], [3, -2], [3, -1]]]])
    expect(exactnessProblems(grid, classes, out)).toEqual([])
  })

  it('no-data cells belong to no class: "none" covers only cells predicted below −115 dBm', () => {
    const rsrp = Float32Array.from([Number.NaN, -130, Number.NaN, -90])
    const grid = unitGrid(2, 2)
    const out = rasterToClassPolygons(grid, classRaster(rsrp))
    expect(out.none.coordinates).toEqual([[[[2, 0], [1, 0], [1, -1], [2, -1], [2, 0]]]])
    expect(areaDeg2(out.good) + areaDeg2(out.weak) + areaDeg2(out.none)).toBe(2)
  })

  it('an empty or all-no-data raster gives three empty MultiPolygons', () => {
    const empty = { type: 'MultiPolygon', coordinates: [] }
    expect(rasterToClassPolygons(unitGrid(0, 0), new Uint8Array(0))).toEqual({ good: empty, weak: empty, none: empty })
    expect(rasterToClassPolygons(unitGrid(3, 2), new Uint8Array(6))).toEqual({ good: empty, weak: empty, none: empty })
  })

  it('rejects a raster of the wrong size or with values above 3', () => {
    expect(() => rasterToClassPolygons(unitGrid(2, 2), new Uint8Array(3))).toThrow(RangeError)
    expect(() => rasterToClassPolygons(unitGrid(1, 1), Uint8Array.from([4]))).toThrow(RangeError)
  })

  it('random coverage rasters (60×60, seeded): valid, exact areas, every cell centre in its own class only', () => {
    for (let s = 0; s < 12; s++) {
      const seed = `class-polygons-${s}`
      const grid = arcSecondGrid(60, 60)
      const classes = randomCoverage(seed, 60, 60)
      const out = rasterToClassPolygons(grid, classes)
      expect(exactnessProblems(grid, classes, out), `seed ${seed}`).toEqual([])
      for (const name of CLASS_NAMES) expect(turfValidEach(out[name]), `seed ${seed}, ${name}`).toBe(true)
    }
  })

  it('random noise (30×30, seeded: saddles everywhere): valid, exact areas, every cell centre in its own class only', () => {
    for (let s = 0; s < 8; s++) {
      const seed = `class-noise-${s}`
      const grid = arcSecondGrid(30, 30)
      const classes = randomNoise(seed, 30, 30)
      expect(exactnessProblems(grid, classes, rasterToClassPolygons(grid, classes)), `seed ${seed}`).toEqual([])
    }
  })
})

describe('rasterToClassPolygons: minAreaCells', () => {
  it('drops a one-cell speck and fills the hole it left', () => {
    const { grid, classes } = raster('GGG', 'GNG', 'GGG')
    const out = rasterToClassPolygons(grid, classes, { minAreaCells: 2 })
    expect(out.good.coordinates).toEqual([[[[3, 0], [0, 0], [0, -3], [3, -3], [3, 0]]]])
    expect(out.none.coordinates).toEqual([])
  })

  it('keeps regions and holes of exactly minAreaCells cells', () => {
    const { grid, classes } = raster('GGGG', 'GNNG', 'GGGG')
    const out = rasterToClassPolygons(grid, classes, { minAreaCells: 2 })
    expect(out.good.coordinates[0]).toHaveLength(2)
    expect(out.none.coordinates).toHaveLength(1)
  })

  it('a small region between two classes leaves a gap (no class), not an overlap', () => {
    const { grid, classes } = raster('GGWW', 'GNWW', 'GGWW')
    const out = rasterToClassPolygons(grid, classes, { minAreaCells: 2 })
    expect(out.none.coordinates).toEqual([])
    expect(areaDeg2(out.good)).toBe(5)
    expect(areaDeg2(out.weak)).toBe(6)
  })

  it('random rasters: no region or hole below the threshold, kept regions exact, no class overlaps', () => {
    for (let s = 0; s < 8; s++) {
      const seed = `class-min-area-${s}`
      const grid = arcSecondGrid(60, 60)
      const classes = randomCoverage(seed, 60, 60)
      const regions = labelClassRegions(60, 60, classes)
      const minAreaCells = 6
      const out = rasterToClassPolygons(grid, classes, { minAreaCells })
      const polys = CLASS_NAMES.map((name) => toGridRings(grid, out[name]))
      CLASS_NAMES.forEach((name, k) => {
        expect(validityProblems(polys[k]!), `seed ${seed}, ${name}`).toEqual([])
        for (const polygon of polys[k]!) {
          const cells = polygon.reduce((sum, ring) => sum + ringArea2(ring) / 2, 0)
          expect(cells, `seed ${seed}, ${name}`).toBeGreaterThanOrEqual(minAreaCells)
          for (const hole of polygon.slice(1)) expect(-ringArea2(hole) / 2, `seed ${seed}, ${name} hole`).toBeGreaterThanOrEqual(minAreaCells)
        }
      })
      // Still whole cells: each class's area is the number of cell centres inside it. A cell of a kept
      // region is in its own class only; any other cell (dropped, or no data) in at most one class.
      const centresIn = [0, 0, 0]
      for (let r = 0; r < 60; r++) {
        for (let c = 0; c < 60; c++) {
          const centre: [number, number] = [c + 0.5, -(r + 0.5)]
          const hits = CLASS_NAMES.filter((_, k) => polys[k]!.some((p) => insidePolygon(centre, p)))
          hits.forEach((name) => centresIn[CLASS_NAMES.indexOf(name)]!++)
          const cell = r * 60 + c
          const region = regions.region[cell]!
          if (region >= 0 && regions.cells[region]! >= minAreaCells) {
            expect(hits, `seed ${seed}, cell (${c}, ${r})`).toEqual([CLASS_NAMES.find((name) => CODE[name] === classes[cell])])
          } else {
            expect(hits.length, `seed ${seed}, cell (${c}, ${r})`).toBeLessThanOrEqual(1)
          }
        }
      }
      const cellArea = grid.stepLon * grid.stepLat
      CLASS_NAMES.forEach((name, k) => expect(areaDeg2(out[name]) / cellArea, `seed ${seed}, ${name}`).toBeCloseTo(centresIn[k]!, 6))
    }
  })
})

describe('rasterToClassPolygons: simplification', () => {
  /** A diagonal good/weak boundary: a staircase of `n` steps. */
  function staircase(n: number): { grid: RasterGrid; classes: Uint8Array } {
    const lines: string[] = []
    for (let r = 0; r < n; r++) lines.push('G'.repeat(r + 1) + 'W'.repeat(n - r))
    return raster(...lines)
  }

  it('turns a staircase into a straight diagonal within the tolerance', () => {
    const { grid, classes } = staircase(20)
    const exact = rasterToClassPolygons(grid, classes)
    const out = rasterToClassPolygons(grid, classes, { simplifyToleranceDeg: 1 })
    expect(exact.good.coordinates[0]![0]!.length).toBeGreaterThan(40)
    expect(out.good.coordinates[0]![0]!.length).toBeLessThanOrEqual(6)
    expect(validityProblems(toGridRings(grid, out.good), { allowCollinear: true })).toEqual([])
  })

  it('both sides of a boundary get the very same simplified line, so the classes still tile the raster', () => {
    const { grid, classes } = staircase(20)
    const out = rasterToClassPolygons(grid, classes, { simplifyToleranceDeg: 1 })
    const good = toGridRings(grid, out.good)
    const weak = toGridRings(grid, out.weak)
    // Points more than the tolerance inside the raster are in exactly one class (the raster's own
    // edge is simplified too, so its corners may be cut).
    for (let y = 1.13; y < 19; y += 0.25) {
      for (let x = 1.07; x < 20; x += 0.25) {
        const p: [number, number] = [x, -y]
        const hits = [good, weak].filter((mp) => mp.some((polygon) => insidePolygon(p, polygon))).length
        expect(hits, `point ${p}`).toBe(1)
      }
    }
  })

  it('a tolerance below half a cell changes nothing', () => {
    const grid = arcSecondGrid(40, 40)
    const classes = randomCoverage('class-simplify-small', 40, 40)
    const exact = rasterToClassPolygons(grid, classes)
    const out = rasterToClassPolygons(grid, classes, { simplifyToleranceDeg: 0.4 * grid.stepLon })
    expect(out).toEqual(exact)
  })

  it('never takes a shortcut that would swallow an island (Saalfeld\'s rule)', () => {
    // A weak U in good, a one-cell weak island in the U's bay: a shortcut across the bay's mouth
    // (well within a 10-cell tolerance) would put the island inside the U: two weak polygons overlapping.
    const { grid, classes } = raster('GGGGGGGGG', 'GWWGGGWWG', 'GWWGWGWWG', 'GWWGGGWWG', 'GWWWWWWWG', 'GGGGGGGGG')
    const out = rasterToClassPolygons(grid, classes, { simplifyToleranceDeg: 10 })
    for (const name of CLASS_NAMES) expect(validityProblems(toGridRings(grid, out[name]), { allowCollinear: true }), name).toEqual([])
    const weak = toGridRings(grid, out.weak)
    expect(weak).toHaveLength(2)
    expect(weak.filter((polygon) => insidePolygon([4.5, -2.5], polygon))).toHaveLength(1)
    // The U kept its bay: the bay's centre is in good, not weak.
    expect(weak.some((polygon) => insidePolygon([3.5, -3.5], polygon))).toBe(false)
  })

  it('random rasters: always valid, classes never overlap, areas within 2·tol·perimeter + π·tol² per segment, far cells keep their class', { timeout: 60_000 }, () => {
    for (const cells of [1.5, 3, 8]) {
      for (let s = 0; s < 6; s++) {
        const seed = `class-simplify-${cells}-${s}`
        const grid = arcSecondGrid(60, 60)
        const classes = s % 3 === 2 ? randomNoise(seed, 60, 60) : randomCoverage(seed, 60, 60)
        const tol = cells * grid.stepLon
        const exact = rasterToClassPolygons(grid, classes)
        const out = rasterToClassPolygons(grid, classes, { simplifyToleranceDeg: tol })
        const polys = CLASS_NAMES.map((name) => toGridRings(grid, out[name]))
        CLASS_NAMES.forEach((name, k) => {
          expect(validityProblems(polys[k]!, { allowCollinear: true }), `seed ${seed}, ${name}`).toEqual([])
          expect(turfValidEach(out[name]), `seed ${seed}, ${name}`).toBe(true)
          // Area bound, in cells.
          const perimeter = toGridRings(grid, exact[name]).flat().reduce((sum, ring) => sum + ring.slice(1).reduce((l, q, t) => l + Math.hypot(q[0] - ring[t]![0], q[1] - ring[t]![1]), 0), 0)
          const segmentsOut = polys[k]!.flat().reduce((sum, ring) => sum + ring.length - 1, 0)
          const bound = 2 * cells * perimeter + Math.PI * cells * cells * segmentsOut
          const cellArea = grid.stepLon * grid.stepLat
          const delta = Math.abs(areaDeg2(out[name]) - areaDeg2(exact[name])) / cellArea
          expect(delta, `seed ${seed}, ${name}: area change ${delta} cells, bound ${bound}`).toBeLessThanOrEqual(bound)
        })
        // No vertex of any class lies inside a slanting edge of another ring: a T-junction there would
        // be a hair off the edge once in floating-point degrees (slivers between classes).
        const vertices = new Set(polys.flat(3).map((q) => `${q[0]},${q[1]}`))
        for (const ring of polys.flat(2)) {
          for (let t = 0; t + 1 < ring.length; t++) {
            const [a, b] = [ring[t]!, ring[t + 1]!]
            const dx = b[0] - a[0]
            const dy = b[1] - a[1]
            if (dx === 0 || dy === 0) continue
            const g = gcdInt(Math.abs(dx), Math.abs(dy))
            for (let m = 1; m < g; m++) expect(vertices.has(`${a[0] + (m * dx) / g},${a[1] + (m * dy) / g}`), `seed ${seed}: T-junction on ${a}–${b}`).toBe(false)
          }
        }
        // Cells whose whole neighbourhood (Chebyshev radius m, (m + ½) cells > tol) shares their class keep it; no point is in two classes.
        const m = Math.ceil(cells)
        for (let r = 0; r < 60; r++) {
          for (let c = 0; c < 60; c++) {
            const centre: [number, number] = [c + 0.5, -(r + 0.5)]
            const hits = CLASS_NAMES.filter((_, k) => polys[k]!.some((p) => insidePolygon(centre, p)))
            const v = classes[r * 60 + c]!
            let uniform = r >= m && c >= m && r < 60 - m && c < 60 - m
            for (let dr = -m; uniform && dr <= m; dr++) for (let dc = -m; uniform && dc <= m; dc++) uniform = classes[(r + dr) * 60 + c + dc] === v
            if (uniform) expect(hits, `seed ${seed}, cell (${c}, ${r})`).toEqual(v === 0 ? [] : [CLASS_NAMES.find((name) => CODE[name] === v)])
            else expect(hits.length, `seed ${seed}, cell (${c}, ${r})`).toBeLessThanOrEqual(1)
          }
        }
        // Random points (off every boundary almost surely) are in at most one class.
        const rng = seedrandom(`${seed}-points`)
        for (let t = 0; t < 2000; t++) {
          const p: [number, number] = [rng() * 60, -rng() * 60]
          const hits = polys.filter((mp) => mp.some((poly) => insidePolygon(p, poly))).length
          expect(hits, `seed ${seed}, point ${p}`).toBeLessThanOrEqual(1)
        }
      }
    }
  })
})
