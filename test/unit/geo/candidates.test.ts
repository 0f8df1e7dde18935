import { describe, expect, it } from 'vitest'
import { candidateSites } from '../../../server/geo/candidates/candidate-sites.ts'
import { groundDistance } from '../../../server/geo/candidates/ground-distance.ts'
import { hornSlope } from '../../../server/geo/candidates/horn-slope.ts'
import { localMaxima } from '../../../server/geo/candidates/local-maxima.ts'
import { localRelief } from '../../../server/geo/candidates/local-relief.ts'
import { ridgeCells } from '../../../server/geo/candidates/ridge-cells.ts'
import { thinBySpacing } from '../../../server/geo/candidates/thin-by-spacing.ts'
import { metresPerDegree } from '../../../server/geo/coverage/raster-grid.ts'
import { heightWindowFromFunction, type HeightWindow } from '../../../server/geo/dem/height-window.ts'

/** 3″ posts, 161 × 161 (about 13 × 15 km), centred on post (80, 80) at 103.95° E, 21.35° N. */
const STEP = 1 / 1200
const SIDE = 161
const CENTRE = 80
const LON0 = 103.95
const LAT0 = 21.35
const M = metresPerDegree(LAT0)

/** A window whose heights are f(x, y), x east and y north of the centre post in metres. */
function createWindow(f: (x: number, y: number) => number): HeightWindow {
  const posts = { west: LON0 - CENTRE * STEP, north: LAT0 + CENTRE * STEP, stepLon: STEP, stepLat: STEP, cols: SIDE, rows: SIDE }
  return heightWindowFromFunction((lon, lat) => f((lon - LON0) * M.lon, (lat - LAT0) * M.lat), posts)
}

/** A cone of height h and the given slope (m/m) centred x0, y0 metres from the centre post, on flat ground at 100 m. */
const cone = (h: number, slope: number, x0 = 0, y0 = 0) => (x: number, y: number) => 100 + Math.max(0, h - slope * Math.hypot(x - x0, y - y0))

const postLonLat = (w: HeightWindow, index: number) => {
  const row = Math.floor(index / w.cols)
  return { lon: w.west + (index - row * w.cols) * w.stepLon, lat: w.north - row * w.stepLat }
}

const centreIndex = CENTRE * SIDE + CENTRE
/** k posts east of the centre, metres (peaks placed on posts, so the sampled top is the true top). */
const px = (k: number) => k * STEP * M.lon
const village = (xM: number, yM: number) => ({ lon: LON0 + xM / M.lon, lat: LAT0 + yM / M.lat })

describe('candidate sites on synthetic grids', () => {
  it('a single cone gives exactly its peak, as the only local maximum and the only candidate', () => {
    const w = createWindow(cone(400, 0.2))
    expect(localMaxima(w, 150)).toEqual([centreIndex])
    const search = candidateSites(w, { targets: [village(2000, 0)], maxDistanceM: 5000, minSpacingM: 1000 })
    expect(search.candidates).toHaveLength(1)
    const top = search.candidates[0]!
    expect(top).toMatchObject({ index: centreIndex, kind: 'peak', lon: LON0, lat: LAT0 })
    expect(top.elevationM).toBeCloseTo(500, 3)
    expect(top.reliefM).toBeGreaterThan(100)
    expect(top.nearestTarget.distanceM).toBeCloseTo(2000, 0)
  })

  it('of two peaks closer than the spacing, keeps the higher', () => {
    // About 690 m apart east–west: the lower one (300 m) west, the higher one (400 m) east.
    const f = (x: number, y: number) => Math.max(cone(300, 0.5, px(-4), 0)(x, y), cone(400, 0.5, px(4), 0)(x, y))
    const w = createWindow(f)
    const maxima = localMaxima(w, 150)
    expect(maxima).toHaveLength(2)
    const search = candidateSites(w, { targets: [village(0, -1500)], maxDistanceM: 5000, minSpacingM: 1000 })
    expect(search.candidates).toHaveLength(1)
    const kept = search.candidates[0]!
    expect(kept.kind).toBe('peak')
    expect(kept.lon).toBeCloseTo(village(px(4), 0).lon, 9)
    expect(kept.elevationM).toBeCloseTo(500, 3)
    // With a spacing below their distance both stay, higher first.
    const both = candidateSites(w, { targets: [village(0, -1500)], maxDistanceM: 5000, minSpacingM: 500 })
    expect(both.candidates.filter((c) => c.kind === 'peak').map((c) => Math.round(c.elevationM))).toEqual([500, 400])
  })

  it('a long gable gives ridge posts along its crest, and nothing off it', () => {
    // Crest east–west through the centre row, falling 0.3 m/m to either side; flat along x.
    const w = createWindow((_x, y) => 600 - 0.3 * Math.abs(y))
    const ridges = ridgeCells(w, 150)
    const rows = new Set(ridges.map((p) => Math.floor(p / w.cols)))
    expect([...rows]).toEqual([CENTRE])
    // Every crest post whose profiles fit in the window (the diagonals need 2 posts each side).
    expect(ridges.length).toBeGreaterThan(SIDE - 10)
    // Spacing the crest out: candidates every ≥ 1 km along it, all on the crest.
    const search = candidateSites(w, { targets: [village(0, 0)], maxDistanceM: 5000, minSpacingM: 1000, reliefRadiusM: 500 })
    expect(search.candidates.length).toBeGreaterThanOrEqual(8)
    for (const c of search.candidates) {
      expect(c.lat).toBeCloseTo(LAT0, 9)
      expect(c.kind).toBe('ridge')
      expect(c.slopeDeg).toBeLessThan(15)
    }
    for (let a = 0; a < search.candidates.length; a++) {
      for (let b = a + 1; b < search.candidates.length; b++) {
        const [p, q] = [search.candidates[a]!, search.candidates[b]!]
        expect(groundDistance(p.lon, p.lat, q.lon, q.lat)).toBeGreaterThanOrEqual(1000)
      }
    }
  })

  it('a plane has no local maxima and no ridge posts inside the window', () => {
    const w = createWindow((x, y) => 500 + 0.1 * x + 0.05 * y)
    expect(localMaxima(w, 150)).toEqual([])
    expect(ridgeCells(w, 150)).toEqual([])
  })

  it('Horn slope on a plane equals atan of its gradient within 0.01°', () => {
    for (const [gx, gy] of [[0.1, 0], [0, 0.25], [0.3, -0.4], [1, 1], [0, 0]] as const) {
      const w = createWindow((x, y) => 500 + gx * x + gy * y)
      const expected = (Math.atan(Math.hypot(gx, gy)) * 180) / Math.PI
      for (const [col, row] of [[CENTRE, CENTRE], [1, 1], [SIDE - 2, 40]] as const) {
        expect(Math.abs(hornSlope(w, col, row) - expected), `gradient ${gx},${gy} at ${col},${row}`).toBeLessThan(0.01)
      }
      expect(hornSlope(w, 0, CENTRE)).toBeNaN()
    }
  })

  it('drops candidates farther than the distance from every village', () => {
    // Peaks 3 km west and 3 km east; one village 1 km west of the centre.
    const f = (x: number, y: number) => Math.max(cone(300, 0.3, px(-35), 0)(x, y), cone(300, 0.3, px(35), 0)(x, y))
    const w = createWindow(f)
    const near = candidateSites(w, { targets: [village(-1000, 0)], maxDistanceM: 2500, minSpacingM: 1000 })
    expect(near.candidates.map((c) => c.kind)).toContain('peak')
    for (const c of near.candidates) expect(c.nearestTarget.distanceM).toBeLessThanOrEqual(2500)
    const peaks = near.candidates.filter((c) => c.kind === 'peak')
    expect(peaks).toHaveLength(1)
    expect(peaks[0]!.lon).toBeLessThan(LON0)
    // Reaching both.
    const far = candidateSites(w, { targets: [village(-1000, 0)], maxDistanceM: 4500, minSpacingM: 1000 })
    expect(far.candidates.filter((c) => c.kind === 'peak')).toHaveLength(2)
  })

  it('keeps no candidate within the spacing of an occupied point, and stops at the limit', () => {
    const f = (x: number, y: number) => Math.max(cone(300, 0.3, px(-35), 0)(x, y), cone(350, 0.3, px(35), 0)(x, y))
    const w = createWindow(f)
    const occupied = [village(px(35) + 100, 0)]
    const search = candidateSites(w, { targets: [village(0, 0)], maxDistanceM: 5000, minSpacingM: 1000, occupied })
    expect(search.counts.nearOccupied).toBeGreaterThan(0)
    for (const c of search.candidates) expect(groundDistance(c.lon, c.lat, occupied[0]!.lon, occupied[0]!.lat)).toBeGreaterThanOrEqual(1000)
    const one = candidateSites(w, { targets: [village(0, 0)], maxDistanceM: 5000, minSpacingM: 1000, limit: 1 })
    expect(one.candidates).toHaveLength(1)
    expect(one.candidates[0]!.elevationM).toBeCloseTo(450, 3)
  })

  it('local relief is the height above the mean of the square around, 0 on a plane', () => {
    const plane = createWindow((x, y) => 500 + 0.1 * x + 0.05 * y)
    expect(localRelief(plane, 1000)(centreIndex)).toBeCloseTo(0, 3)
    const peak = createWindow(cone(400, 0.2))
    const relief = localRelief(peak, 1000)
    expect(relief(centreIndex)).toBeGreaterThan(relief(centreIndex + 3))
  })

  it('thinning keeps points in order, each at least the spacing from those kept', () => {
    const pts = [village(0, 0), village(500, 0), village(1200, 0), village(0, 900), village(0, 1100)]
    expect(thinBySpacing(pts, 1000).kept).toEqual([0, 2, 4])
    expect(thinBySpacing(pts, 1000, { limit: 2 }).kept).toEqual([0, 2])
  })

  it('a post lonLat helper agrees with the window lattice', () => {
    const w = createWindow(cone(400, 0.2))
    expect(postLonLat(w, centreIndex)).toEqual({ lon: w.west + CENTRE * STEP, lat: w.north - CENTRE * STEP })
  })
})
