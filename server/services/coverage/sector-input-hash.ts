import { createHash } from 'node:crypto'
import type { DemTile } from '../../geo/dem/dem-tile.ts'
import type { CoverageSectorRow } from '../../repositories/coverage.repository.ts'

/**
 * What a sector's raster depends on, hashed: a recompute reuses a stored
 * raster exactly when this is unchanged. Bump FAST_MODEL_VERSION whenever the
 * fast model's output changes for the same inputs.
 */
export const FAST_MODEL_VERSION = 'fast-2'

export interface SectorRunInputs {
  radiusM: number
  bandwidthMhz: number
  environmentMarginDb: number
  /** The step of the global raster grid (origin 180° W, 90° N), degrees: another step, another raster. */
  step: number
}

/** A cheap content fingerprint of a DEM tile: its lattice and every 61st height. */
export function demTileFingerprint(tile: DemTile): string {
  const hash = createHash('sha1')
  hash.update(`${tile.name}|${tile.west}|${tile.north}|${tile.step}|${tile.cols}|${tile.rows}|`)
  const sample = new Float64Array(Math.ceil(tile.heights.length / 61))
  for (let i = 0, k = 0; i < tile.heights.length; i += 61, k++) sample[k] = tile.heights[i]!
  hash.update(new Uint8Array(sample.buffer))
  return hash.digest('hex')
}

export function sectorInputHash(s: CoverageSectorRow, run: SectorRunInputs, demFingerprints: readonly string[]): string {
  return createHash('sha1').update(JSON.stringify([
    FAST_MODEL_VERSION, run.radiusM, run.bandwidthMhz, run.environmentMarginDb, run.step,
    s.lon, s.lat, s.technology, s.frequency_mhz, s.azimuth_deg, s.beamwidth_deg, s.electrical_tilt_deg, s.mechanical_tilt_deg,
    s.height_m, s.eirp_dbm, s.gain_dbi, demFingerprints,
  ])).digest('hex')
}
