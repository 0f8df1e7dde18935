import { describe, expect, it } from 'vitest'
import { createDemSampler } from '../../../../server/geo/dem/dem-mosaic.ts'
import { createDemTile, SRTM_VOID, type DemTile } from '../../../../server/geo/dem/dem-tile.ts'

/** A plane, so that bilinear interpolation must reproduce it exactly wherever it is read. */
const plane = (lon: number, lat: number): number => 1000 + 200 * (lon - 103) - 300 * (lat - 21)

/**
 * A 1° tile with `perDegree` steps per degree, sampled from `h`. With `sharedEdges` (the .hgt
 * convention) it has perDegree + 1 samples per side, both edges included; without, perDegree
 * samples and no east column / south row (the next tile holds them).
 */
function createTile(south: number, west: number, perDegree: number, sharedEdges: boolean, h: (lon: number, lat: number) => number = plane): DemTile {
  const n = sharedEdges ? perDegree + 1 : perDegree
  const step = 1 / perDegree
  const heights = new Float32Array(n * n)
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) heights[r * n + c] = h(west + c * step, south + 1 - r * step)
  return createDemTile({ name: `${south}/${west}`, west, north: south + 1, step, cols: n, rows: n, heights, voidValue: SRTM_VOID })
}

describe('createDemSampler', () => {
  it('joins .hgt-style tiles (shared edges) without a seam', () => {
    const sampler = createDemSampler([createTile(21, 103, 8, true), createTile(21, 104, 8, true), createTile(20, 103, 8, true), createTile(20, 104, 8, true)])
    for (const [lon, lat] of [[103.999, 21.3], [104, 21.3], [104.001, 21.3], [103.7, 21], [103.7, 20.9999], [104, 21], [103.05, 20.02], [104.96, 21.97]] as const) {
      expect(sampler.sample(lon, lat)).toBeCloseTo(plane(lon, lat), 3)
    }
    expect(sampler.bounds).toEqual({ west: 103, south: 20, east: 105, north: 22 })
  })

  it('reads the same height on a shared edge from either tile', () => {
    const bumpy = (lon: number, lat: number): number => Math.round(500 + 300 * Math.sin(lon * 37) * Math.cos(lat * 23))
    const west = createTile(21, 103, 10, true, bumpy)
    const east = createTile(21, 104, 10, true, bumpy)
    const a = createDemSampler([west, east])
    const b = createDemSampler([east, west])
    for (let lat = 21; lat <= 22; lat += 0.0137) expect(a.sample(104, lat)).toBeCloseTo(b.sample(104, lat)!, 9)
  })

  it('interpolates across the gap between tiles that do not share edges', () => {
    const sampler = createDemSampler([createTile(21, 103, 8, false), createTile(21, 104, 8, false), createTile(20, 103, 8, false), createTile(20, 104, 8, false)])
    // 103.875 is the last column of the west tiles, 104 the first of the east ones; 21.0 is the
    // first row of the south tiles and 21.125 the last row of the north ones.
    for (const [lon, lat] of [[103.9, 21.5], [103.95, 21.06], [103.99, 21.01], [104.5, 21.1], [103.3, 21.05]] as const) {
      expect(sampler.sample(lon, lat)).toBeCloseTo(plane(lon, lat), 3)
    }
  })

  it('returns null where no tile is, and beyond the outer edge of a gap-style mosaic', () => {
    const sampler = createDemSampler([createTile(21, 103, 8, true)])
    expect(sampler.sample(104.5, 21.5)).toBeNull()
    expect(sampler.sample(103.5, 22.5)).toBeNull()
    const gappy = createDemSampler([createTile(21, 103, 8, false)])
    expect(gappy.sample(103.95, 21.5)).toBeNull() // east of the last column, no tile beyond
    expect(createDemSampler([]).sample(103.5, 21.5)).toBeNull()
    expect(createDemSampler([]).bounds).toBeNull()
  })

  it('reads overlapping tiles in the order given', () => {
    const low = createTile(21, 103, 4, true, () => 10)
    const high = createTile(21, 103, 4, true, () => 20)
    expect(createDemSampler([low, high]).sample(103.5, 21.5)).toBe(10)
    expect(createDemSampler([high, low]).sample(103.5, 21.5)).toBe(20)
  })

  it('keeps tiles of different resolutions each at its own resolution', () => {
    const sampler = createDemSampler([createTile(21, 103, 4, true), createTile(21, 104, 12, true)])
    expect(sampler.sample(103.3, 21.4)).toBeCloseTo(plane(103.3, 21.4), 3)
    expect(sampler.sample(104.3, 21.4)).toBeCloseTo(plane(104.3, 21.4), 3)
    expect(sampler.sample(104, 21.4)).toBeCloseTo(plane(104, 21.4), 3)
  })
})
