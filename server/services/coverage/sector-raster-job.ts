import { heightWindowFromTiles, postsForRaster } from '../../geo/dem/height-window.ts'
import type { DemTile } from '../../geo/dem/dem-tile.ts'
import type { RasterGrid } from '../../geo/coverage/raster-grid.ts'
import { sectorRsrpRaster } from '../../geo/coverage/sector-rsrp-raster.ts'
import type { SiteSweep } from '../../geo/coverage/site-sweep.ts'
import type { CoverageSectorRow } from '../../repositories/coverage.repository.ts'
import { encodeSectorRaster } from './raster-codec.ts'

/** Everything a worker needs once: the DEM tiles (heights in shared memory) and the run's parameters. */
export interface SectorJobSetup {
  tiles: DemTile[]
  bandwidthMhz: number
  environmentMarginDb: number
}

/** One unit of work: the sectors sharing one sweep (same site, antenna height, frequency), on their window. */
export interface SectorJob {
  index: number
  radiusM: number
  window: RasterGrid & { col0: number; row0: number }
  sectors: CoverageSectorRow[]
}

export interface SectorJobResult {
  index: number
  /** Per sector of the job, in order: its raster on the job's window, encoded for storage (raster-codec.ts). */
  rasters: Array<{ sectorId: number; encoded: Uint8Array }>
}

/** The computation of one job, the same in a worker thread and in the main thread. */
export function createSectorJobRunner(setup: SectorJobSetup): (job: SectorJob) => SectorJobResult {
  return (job) => {
    let sweep: SiteSweep | undefined
    const rasters: SectorJobResult['rasters'] = []
    // The heights under the window, copied once out of the tiles for the sweep's inner loop.
    const heights = heightWindowFromTiles(setup.tiles, postsForRaster(job.window))
    for (const s of job.sectors) {
      const { rsrpDbm, sweep: used } = sectorRsrpRaster({
        grid: job.window, heights, siteLon: s.lon, siteLat: s.lat, radiusM: job.radiusM, sweep,
        environmentMarginDb: setup.environmentMarginDb,
        radio: {
          antenna: { gainDbi: s.gain_dbi, azimuthDeg: s.azimuth_deg ?? 0, horizontalBeamwidthDeg: s.beamwidth_deg, electricalTiltDeg: s.electrical_tilt_deg, mechanicalTiltDeg: s.mechanical_tilt_deg },
          heightM: s.height_m, frequencyMhz: s.frequency_mhz, eirpDbm: s.eirp_dbm, bandwidthMhz: setup.bandwidthMhz,
        },
      })
      sweep = used
      rasters.push({ sectorId: s.sector_id, encoded: encodeSectorRaster(rsrpDbm) })
    }
    return { index: job.index, rasters }
  }
}
