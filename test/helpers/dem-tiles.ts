/**
 * DEM tiles for tests: 3″ SRTM tiles (1201 × 1201) whose heights are a plane in global
 * coordinates, so that neighbouring tiles agree on their shared edges and bilinear sampling is
 * exact anywhere: h = 100 + 3·(columns east of lon 103) + 2·(rows north of lat 20), in 3″ steps.
 */
import { createDemTile, SRTM_VOID, type DemTile } from '../../server/geo/dem/dem-tile.ts'
import { encodeHgt } from '../../server/geo/dem/encode-hgt.ts'
import { parseHgtTileName } from '../../server/geo/dem/hgt-tile-name.ts'

export const TEST_TILE_SIDE = 1201

/** The test plane at a point (m). */
export function testPlaneHeight(lon: number, lat: number): number {
  return 100 + 3 * (lon - 103) * 1200 + 2 * (lat - 20) * 1200
}

/** A 3″ tile of the test plane, plus `offset` metres (to tell copies apart); `voids` are [row, col] samples made void. */
export function createPlaneTile(name: string, offset = 0, voids: Array<[number, number]> = []): DemTile {
  const corner = parseHgtTileName(name)
  if (!corner) throw new Error(`bad tile name ${name}`)
  const side = TEST_TILE_SIDE
  const heights = new Int16Array(side * side)
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) heights[r * side + c] = Math.round(testPlaneHeight(corner.west + c / 1200, corner.south + 1 - r / 1200)) + offset
  }
  for (const [r, c] of voids) heights[r * side + c] = SRTM_VOID
  return createDemTile({ name, west: corner.west, north: corner.south + 1, step: 1 / 1200, cols: side, rows: side, heights, voidValue: SRTM_VOID })
}

/** The .hgt bytes of createPlaneTile. */
export function createPlaneHgt(name: string, offset = 0, voids: Array<[number, number]> = []): Uint8Array {
  return encodeHgt(createPlaneTile(name, offset, voids))
}
