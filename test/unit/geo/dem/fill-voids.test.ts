import { describe, expect, it } from 'vitest'
import { SRTM_VOID, type DemTile } from '../../../../server/geo/dem/dem-tile.ts'
import { fillVoids } from '../../../../server/geo/dem/fill-voids.ts'

/** A cols × rows tile whose heights are h(row, col); cells in `voids` are SRTM voids. */
function createTile(cols: number, rows: number, h: (r: number, c: number) => number, voids: Array<[number, number]> = [], float = false): DemTile {
  const heights = float ? new Float32Array(cols * rows) : new Int16Array(cols * rows)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) heights[r * cols + c] = h(r, c)
  for (const [r, c] of voids) heights[r * cols + c] = float ? Number.NaN : SRTM_VOID
  return { name: 'test', west: 0, north: 1, step: 1 / (cols - 1), cols, rows, heights, voidValue: SRTM_VOID }
}

describe('fillVoids', () => {
  it('returns the same tile when there is no void', () => {
    const tile = createTile(4, 4, (r, c) => r + c)
    expect(fillVoids(tile)).toEqual({ tile, filled: 0, unfilled: 0 })
  })

  it('fills a single void with the weighted mean of its neighbours', () => {
    // Neighbours: 8 edge-neighbours at 10, corner neighbours at 20 → (4·10 + 4·20/√2) / (4 + 4/√2).
    const tile = createTile(3, 3, (r, c) => ((r + c) % 2 === 1 ? 10 : 20), [[1, 1]], true)
    const w = Math.SQRT1_2
    const { tile: out, filled } = fillVoids(tile)
    expect(filled).toBe(1)
    expect(out.heights[4]).toBeCloseTo((4 * 10 + 4 * 20 * w) / (4 + 4 * w), 4)
  })

  it('reproduces a plane across a 5 × 5 void and leaves valid samples alone', () => {
    const plane = (r: number, c: number): number => 100 + 7 * c - 3 * r
    const voids: Array<[number, number]> = []
    for (let r = 8; r < 13; r++) for (let c = 6; c < 11; c++) voids.push([r, c])
    const tile = createTile(20, 20, plane, voids, true)
    const { tile: out, filled, unfilled } = fillVoids(tile, { smoothingSweeps: 500, tolerance: 1e-6 })
    expect([filled, unfilled]).toEqual([25, 0])
    for (let r = 0; r < 20; r++) {
      for (let c = 0; c < 20; c++) expect(out.heights[r * 20 + c]).toBeCloseTo(plane(r, c), 2)
    }
    expect(Number.isNaN(tile.heights[8 * 20 + 6])).toBe(true) // the input is not changed
  })

  it('stays within the heights of the void rim (no invented peak)', () => {
    const voids: Array<[number, number]> = []
    for (let r = 2; r < 8; r++) for (let c = 2; c < 8; c++) voids.push([r, c])
    const tile = createTile(10, 10, (r, c) => 500 + ((r * 31 + c * 17) % 11) * 40, voids)
    const { tile: out } = fillVoids(tile)
    for (const [r, c] of voids) {
      const v = out.heights[r * 10 + c]!
      expect(v).toBeGreaterThanOrEqual(500)
      expect(v).toBeLessThanOrEqual(900)
    }
    expect(out.heights).toBeInstanceOf(Int16Array)
  })

  it('fills voids on the tile border from inside', () => {
    const tile = createTile(5, 5, () => 42, [[0, 0], [0, 1], [4, 4]])
    const { tile: out, filled } = fillVoids(tile)
    expect(filled).toBe(3)
    expect([out.heights[0], out.heights[1], out.heights[24]]).toEqual([42, 42, 42])
  })

  it('leaves an all-void tile as it is', () => {
    const tile = createTile(3, 3, () => 0, [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]])
    const { filled, unfilled, tile: out } = fillVoids(tile)
    expect([filled, unfilled]).toEqual([0, 9])
    expect(Array.from(out.heights).every((v) => v === SRTM_VOID)).toBe(true)
  })
})
