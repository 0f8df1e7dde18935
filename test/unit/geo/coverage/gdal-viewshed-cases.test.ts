import { describe, expect, it } from 'vitest'
import { GDAL_VIEWSHED_CASES, type GdalViewshedCase, type Visibility } from '../../../fixtures/gdal-viewshed-cases.ts'
import { SITE } from '../../../helpers/site-grid.ts'
import { radialSweep, sampleIndexPerCell, sweepLayout } from '../../../../server/geo/coverage/radial-sweep.ts'
import { EARTH_RADIUS_M, metresPerDegree, type RasterGrid } from '../../../../server/geo/coverage/raster-grid.ts'

/*
 * GDAL's hand-checkable viewshed grids (test/fixtures/gdal-viewshed-cases.ts) against our
 * visibility: `radialSweep` (line of sight per ray sample) read through `sampleIndexPerCell`
 * (each cell takes the sample nearest its centre).
 *
 * Terrain between cell centres. GDAL treats a height as the value at the cell's centre and
 * interpolates linearly between centres (along the previous row or column, its Edge mode). The
 * surface that matches that is the bilinear one through the centres — the one our DEM readers give
 * the sweep in production — not flat blocks (with blocks every uphill target would be hidden by
 * the near half of its own block, since GDAL's targets are 0 m above the ground). So `heightAt`
 * here is bilinear between centres, clamped beyond the outer centres. Along a row or a column it
 * is exactly GDAL's linear interpolation; inside a quad it can differ (the fixture's
 * `differences`).
 *
 * Ties. GDAL counts a cell as visible when the sight line just touches the terrain
 * (`height >= observable`), and with observer and target at 0 m almost every visible cell of these
 * cases is such a tie. Our sweep reads a cell at its nearest sample, up to half a step past or
 * short of the centre and a fraction of a degree off its bearing, so a tie can fall either way by
 * millimetres. The test lifts observer and target by TIE_LIFT_M (the sight line rises by that much
 * everywhere) to decide ties as GDAL does, and the brute-force check shows that no cell's exact
 * clearance lies within TIE_MARGIN_M below zero, so the lift cannot change a real answer (the
 * closest hidden cell is 0.25 m below its sight line).
 */
const TIE_LIFT_M = 0.05
const TIE_MARGIN_M = 4 * TIE_LIFT_M
/** Rays and steps this many times finer than the cells: samples within 1/256 cell of each centre. */
const DENSE = 128
/** A production-like radius in cells (10 km of 1″ cells is ≈ 320): one ray per outer-ring cell. */
const PRODUCTION_RADIUS_CELLS = 300

/**
 * Cells where the production layout (one sample per cell step) gives another answer than the
 * exact line of sight, and why. The answer recorded here is asserted, so a change shows up.
 */
const PRODUCTION_LAYOUT_MISSES: Readonly<Record<string, readonly { col: number; row: number; ours: Visibility; reason: string }[]>> = {
  all_visible: [
    {
      col: 2,
      row: 2,
      ours: 1,
      reason:
        'a diagonal neighbour is read at the first sample of its ray (1 cell out, before its centre at √2): ' +
        'no sample lies on the saddle between it and the site, so, like GDAL, the sweep sees it',
    },
  ],
}

/** Terrain of a case at a point in cell coordinates (x = column, y = row of the centres): bilinear, clamped. */
function surface(c: GdalViewshedCase): (x: number, y: number) => number {
  const at = (col: number, row: number) => c.heights[row * c.cols + col]!
  return (x, y) => {
    const fc = Math.min(Math.max(x, 0), c.cols - 1)
    const fr = Math.min(Math.max(y, 0), c.rows - 1)
    const c0 = Math.floor(fc)
    const r0 = Math.floor(fr)
    const c1 = Math.min(c0 + 1, c.cols - 1)
    const r1 = Math.min(r0 + 1, c.rows - 1)
    const tx = fc - c0
    const ty = fr - r0
    return at(c0, r0) * (1 - tx) * (1 - ty) + at(c1, r0) * tx * (1 - ty) + at(c0, r1) * (1 - tx) * ty + at(c1, r1) * tx * ty
  }
}

function kFactor(c: GdalViewshedCase): number {
  // GDAL lowers the terrain by curveCoeff · d² / (2a), ours by d² / (2kR): k = 1 / curveCoeff, none when 0.
  return c.curvatureCoeff === 0 ? 1e9 : 1 / c.curvatureCoeff
}

/** The mask the test asserts: GDAL's, with the fixture's verified differences applied. */
function expectedMask(c: GdalViewshedCase): Visibility[] {
  const mask = [...c.gdalVisible]
  for (const d of c.differences) mask[d.row * c.cols + d.col] = d.expected
  return mask
}

/**
 * Brute force: the smallest clearance (m) of the straight sight line between the observer's eye
 * and the target on cell (col, row) above the terrain, sampled every 1/1000 cell strictly between
 * the two centres, with the same earth-curvature model as the sweep. ≥ 0: visible. +∞ at the site.
 */
function exactClearance(c: GdalViewshedCase, col: number, row: number): number {
  const { col: oc, row: or } = c.observer
  if (col === oc && row === or) return Infinity
  const h = surface(c)
  const twoKR = 2 * kFactor(c) * EARTH_RADIUS_M
  const lengthM = Math.hypot(col - oc, row - or) * c.cellSizeM
  const eye = h(oc, or) + c.observer.heightM
  const target = h(col, row) - (lengthM * lengthM) / twoKR + c.targetHeightM
  const n = Math.ceil(1000 * Math.hypot(col - oc, row - or))
  let min = Infinity
  for (let i = 1; i < n; i++) {
    const t = i / n
    const d = t * lengthM
    const terrain = h(oc + t * (col - oc), or + t * (row - or)) - (d * d) / twoKR
    min = Math.min(min, eye + (target - eye) * t - terrain)
  }
  return min
}

/** Our visibility per cell: the sweep over the case placed at the test site, cells read by `sampleIndexPerCell`. */
function ourMask(c: GdalViewshedCase, layout: 'dense' | 'production'): Visibility[] {
  const m = metresPerDegree(SITE.lat)
  const stepLon = c.cellSizeM / m.lon
  const stepLat = c.cellSizeM / m.lat
  // The site is the observer cell's centre.
  const grid: RasterGrid = {
    west: SITE.lon - (c.observer.col + 0.5) * stepLon,
    north: SITE.lat + (c.observer.row + 0.5) * stepLat,
    stepLon,
    stepLat,
    cols: c.cols,
    rows: c.rows,
  }
  const h = surface(c)
  const heightAt = (lon: number, lat: number) => h((lon - grid.west) / stepLon - 0.5, (grid.north - lat) / stepLat - 0.5)
  const farthest = Math.max(
    ...[0, c.cols - 1].flatMap((col) => [0, c.rows - 1].map((row) => Math.hypot(col - c.observer.col, row - c.observer.row))),
  )
  const sweepGrid = layout === 'dense' ? { ...grid, stepLon: stepLon / DENSE, stepLat: stepLat / DENSE, cols: c.cols * DENSE, rows: c.rows * DENSE } : grid
  const radiusM = (layout === 'dense' ? farthest + 1 : PRODUCTION_RADIUS_CELLS) * c.cellSizeM
  const layoutOfSweep = sweepLayout(sweepGrid, SITE.lat, radiusM)
  const index = sampleIndexPerCell(grid, SITE.lon, SITE.lat, layoutOfSweep)
  // ν and elevation only for the samples the cells read (line of sight is computed for all).
  const needed = new Uint8Array(layoutOfSweep.radials * layoutOfSweep.samplesPerRadial)
  for (const i of index) if (i >= 0) needed[i] = 1
  const sweep = radialSweep({
    grid: sweepGrid,
    heightAt,
    siteLon: SITE.lon,
    siteLat: SITE.lat,
    antennaHeightM: c.observer.heightM + TIE_LIFT_M,
    receiverHeightM: c.targetHeightM + TIE_LIFT_M,
    radiusM,
    kFactor: kFactor(c),
    wavelengthM: 0.1667,
    needed,
  })
  return Array.from(index, (i, cell): Visibility => {
    if (i >= 0) return sweep.lineOfSight[i] === 1 ? 1 : 0
    // Only the site itself has no sample (the radius covers the grid); GDAL marks it visible.
    expect(cell, `${c.name}: cell ${cell} has no sample`).toBe(c.observer.row * c.cols + c.observer.col)
    return 1
  })
}

/** A mask as rows of digits, so a failure shows the grid. */
function show(c: GdalViewshedCase, mask: readonly number[]): string[] {
  return Array.from({ length: c.rows }, (_, r) => mask.slice(r * c.cols, (r + 1) * c.cols).join(''))
}

describe.each(GDAL_VIEWSHED_CASES.map((c) => [c.name, c] as const))('GDAL viewshed case %s', (_name, c) => {
  it('is transcribed consistently (sizes, observer inside, mask as GDAL\'s test derives it)', () => {
    expect(c.heights).toHaveLength(c.cols * c.rows)
    expect(c.gdalVisible).toHaveLength(c.cols * c.rows)
    expect(c.observer.col).toBeLessThan(c.cols)
    expect(c.observer.row).toBeLessThan(c.rows)
    if (c.gdalRaw !== undefined) {
      const raw = c.gdalRaw
      expect(raw.values).toHaveLength(c.cols * c.rows)
      const derived = raw.values.map((v, i) => (raw.kind === 'observable' ? (c.heights[i]! >= v ? 1 : 0) : v === 0 ? 1 : 0))
      expect(show(c, c.gdalVisible)).toEqual(show(c, derived))
    }
    for (const d of c.differences) {
      expect(c.gdalVisible[d.row * c.cols + d.col], `difference at (${d.col}, ${d.row})`).toBe(d.gdal)
      expect(d.expected).not.toBe(d.gdal)
    }
  })

  it('brute-force line of sight between cell centres gives GDAL\'s mask, except the listed differences, and no cell is a near-tie', () => {
    const clearance = Array.from({ length: c.cols * c.rows }, (_, i) => exactClearance(c, i % c.cols, Math.floor(i / c.cols)))
    // Ties (clearance 0 up to rounding) are visible, as in GDAL; every other cell is clearly on one side.
    const exact = clearance.map((v): Visibility => (v >= -1e-9 ? 1 : 0))
    for (const [i, v] of clearance.entries()) {
      expect(v >= -1e-9 || v <= -TIE_MARGIN_M, `${c.name}: cell (${i % c.cols}, ${Math.floor(i / c.cols)}) clearance ${v}`).toBe(true)
    }
    expect(show(c, exact)).toEqual(show(c, expectedMask(c)))
  })

  it('radialSweep with dense rays (samples within 1/256 cell of each centre) gives the same mask', () => {
    expect(show(c, ourMask(c, 'dense'))).toEqual(show(c, expectedMask(c)))
  })

  it('radialSweep at the production layout (one sample per cell, rays for a 300-cell radius) gives it too, but for the listed cells', () => {
    const ours = ourMask(c, 'production')
    const expected = expectedMask(c)
    for (const miss of PRODUCTION_LAYOUT_MISSES[c.name] ?? []) {
      const i = miss.row * c.cols + miss.col
      expect(ours[i], `${c.name} (${miss.col}, ${miss.row}): ${miss.reason}`).toBe(miss.ours)
      expect(miss.ours).not.toBe(expected[i])
      expected[i] = miss.ours
    }
    expect(show(c, ours)).toEqual(show(c, expected))
  })
})
