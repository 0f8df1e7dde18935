import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAsciiGrid } from '../../../../server/geo/parse-ascii-grid.ts'
import { createSyntheticTerrain, synthesizeTile, synthesizeTileSteps, type SyntheticTerrain } from '../../../../server/geo/dem/synthesize-terrain.ts'

const COARSE_TEXT = readFileSync(new URL('../../../../data/dem/srtm_mean_0p1deg_nw_vietnam.asc', import.meta.url), 'utf8')
const SEED = 20250701

function createTerrain(seed = SEED): SyntheticTerrain {
  return createSyntheticTerrain(parseAsciiGrid(COARSE_TEXT), seed)
}

describe('synthesizeTile (SYNTHETIC terrain from the REAL 0.1° grid)', () => {
  it('keeps each 0.1° cell mean within 5 % or 30 m of the coarse grid (2 × 2 cells near Mường La)', () => {
    const terrain = createTerrain()
    // N21E103, rows 1080… (lat 21.7 → 21.5), cols 720… (lon 103.2 → 103.4): four whole cells.
    const tile = synthesizeTile(terrain, 'N21E103', { window: { row: 1080, col: 720, rows: 721, cols: 721 } })
    expect(tile).toMatchObject({ cols: 721, rows: 721 })
    expect(tile.west).toBeCloseTo(103.2, 12)
    expect(tile.north).toBeCloseTo(21.7, 12)
    for (let cj = 0; cj < 2; cj++) {
      for (let ci = 0; ci < 2; ci++) {
        let sum = 0
        let sumSq = 0
        for (let r = cj * 360; r < (cj + 1) * 360; r++) {
          for (let c = ci * 360; c < (ci + 1) * 360; c++) {
            const h = tile.heights[r * 721 + c]!
            sum += h
            sumSq += h * h
          }
        }
        const n = 360 * 360
        const mean = sum / n
        const target = terrain.cellTarget(103.2 + (ci + 0.5) * 0.1, 21.7 - (cj + 0.5) * 0.1)
        const allowed = Math.max(30, 0.05 * target)
        expect(Math.abs(mean - target), `cell ${cj},${ci}: mean ${mean.toFixed(1)} m vs coarse ${target} m (seed ${SEED})`).toBeLessThan(allowed)
        // Mountains, not a plateau: heights spread by tens to hundreds of metres inside a cell.
        expect(Math.sqrt(sumSq / n - mean * mean)).toBeGreaterThan(50)
      }
    }
    let lowest = Infinity
    for (const h of tile.heights) lowest = Math.min(lowest, h)
    expect(lowest).toBeGreaterThanOrEqual(0)
  })

  it('is deterministic for a seed and changes with the seed', () => {
    const window = { row: 2000, col: 2000, rows: 120, cols: 150 }
    const a = synthesizeTile(createTerrain(), 'N21E104', { window })
    const b = synthesizeTile(createTerrain(), 'N21E104', { window })
    const c = synthesizeTile(createTerrain(7), 'N21E104', { window })
    expect(Buffer.from(a.heights.buffer).equals(Buffer.from(b.heights.buffer))).toBe(true)
    expect(Buffer.from(a.heights.buffer).equals(Buffer.from(c.heights.buffer))).toBe(false)
  })

  it('gives neighbouring tiles identical shared edges', () => {
    const terrain = createTerrain()
    const west = synthesizeTile(terrain, 'N21E103', { window: { row: 1500, col: 3599, rows: 200, cols: 2 } })
    const east = synthesizeTile(terrain, 'N21E104', { window: { row: 1500, col: 0, rows: 200, cols: 2 } })
    const south = synthesizeTile(terrain, 'N21E103', { window: { row: 0, col: 1000, rows: 2, cols: 300 } })
    const north = synthesizeTile(terrain, 'N22E103', { window: { row: 3599, col: 1000, rows: 2, cols: 300 } })
    for (let r = 0; r < 200; r++) expect(west.heights[r * 2 + 1]).toBe(east.heights[r * 2])
    for (let c = 0; c < 300; c++) expect(south.heights[c]).toBe(north.heights[300 + c])
  })

  it('makes 3″ tiles of the .hgt shape, step by step', () => {
    const steps = synthesizeTileSteps(createTerrain(), 'N20E104', { arcSeconds: 3, bandRows: 400, window: { row: 0, col: 0, rows: 1201, cols: 40 } })
    const yielded: number[] = []
    let next = steps.next()
    while (!next.done) {
      yielded.push(next.value)
      next = steps.next()
    }
    expect(yielded).toEqual([400, 800, 1200])
    expect(next.value).toMatchObject({ name: 'N20E104', west: 104, north: 21, rows: 1201, cols: 40 })
    expect(next.value.step).toBeCloseTo(1 / 1200, 15)
  })

  it('refuses tiles beyond the reach of the coarse grid', () => {
    expect(() => synthesizeTile(createTerrain(), 'N10E103')).toThrow(/beyond the coarse grid's reach/)
    expect(() => synthesizeTile(createTerrain(), 'N21E103', { window: { row: 3600, col: 0, rows: 2, cols: 2 } })).toThrow(/does not fit/)
  })
})
