import type { SectorAntenna } from '../antenna/antenna-attenuation.ts'
import { heightWindowFromFunction, postsForRaster, type HeightWindow } from '../dem/height-window.ts'
import { LTE_RESOURCE_BLOCKS } from '../propagation/link-budget.ts'
import type { RasterGrid } from './raster-grid.ts'
import { sectorRsrpFromSiteSweep, siteSweep, type SiteSweep } from './site-sweep.ts'

export interface SectorRadio {
  antenna: SectorAntenna
  /** Antenna height above ground, m. */
  heightM: number
  frequencyMhz: number
  /** Total EIRP on boresight, dBm (gain included). */
  eirpDbm: number
  /** LTE channel bandwidth, MHz (spreads the EIRP over 12·N_RB resource elements for RSRP). */
  bandwidthMhz: number
}

export interface SectorRasterInput {
  grid: RasterGrid
  /** Terrain height at a point (NaN where unknown); read once at the grid's cell corners. Give this or `heights`. */
  heightAt?: (lon: number, lat: number) => number
  /** The heights at the grid's cell corners, already read (the recompute copies them out of the DEM tiles). */
  heights?: HeightWindow
  siteLon: number
  siteLat: number
  radio: SectorRadio
  radiusM: number
  receiverHeightM?: number
  /** Clutter/environment margin added to every path, dB (default 0). */
  environmentMarginDb?: number
  kFactor?: number
  /** A sweep already made for the same site, antenna height, frequency and grid (sectors of one site share it). */
  sweep?: SiteSweep
}

/**
 * The fast model's RSRP raster of one sector (dBm per cell, NaN outside the
 * radius or where the terrain is unknown): free-space loss + knife-edge
 * diffraction over the main edge of the profile (ITU-R P.526 J(ν), Deygout's
 * first level: it never grows when the mast rises) from the site's sweep
 * (`siteSweep`) + an environment margin, the 3GPP antenna pattern towards
 * each cell, and the EIRP spread over the channel's resource elements.
 * Cost per cell is near constant (no profile walk per cell).
 */
export function sectorRsrpRaster(input: SectorRasterInput): { rsrpDbm: Float32Array; sweep: SiteSweep } {
  const { radio } = input
  const sweep = input.sweep ?? siteSweep({
    grid: input.grid,
    heights: input.heights ?? heightWindowFromFunction(requireHeightAt(input), postsForRaster(input.grid)),
    siteLon: input.siteLon, siteLat: input.siteLat, antennaHeightM: radio.heightM, receiverHeightM: input.receiverHeightM,
    radiusM: input.radiusM, frequencyMhz: radio.frequencyMhz, environmentMarginDb: input.environmentMarginDb, kFactor: input.kFactor,
  })
  return { rsrpDbm: sectorRsrpFromSiteSweep(sweep, radio.antenna, eirpPerResourceElement(radio)), sweep }
}

/** EIRP per LTE resource element, dBm: the EIRP spread over 12 subcarriers × N_RB of the channel. */
export function eirpPerResourceElement(radio: Pick<SectorRadio, 'eirpDbm' | 'bandwidthMhz'>): number {
  const nRb = LTE_RESOURCE_BLOCKS[String(radio.bandwidthMhz)]
  if (nRb === undefined) throw new RangeError(`no LTE channel of ${radio.bandwidthMhz} MHz`)
  return radio.eirpDbm - 10 * Math.log10(12 * nRb)
}

function requireHeightAt(input: SectorRasterInput): (lon: number, lat: number) => number {
  if (!input.heightAt) throw new TypeError('sectorRsrpRaster: give heightAt or heights')
  return input.heightAt
}
