import { antennaAttenuation, type SectorAntenna } from '../antenna/antenna-attenuation.ts'
import { freeSpaceLoss } from '../propagation/free-space-loss.ts'
import { knifeEdgeLoss } from '../propagation/knife-edge-loss.ts'
import { LTE_RESOURCE_BLOCKS } from '../propagation/link-budget.ts'
import { radialSweep, sampleIndexPerCell, sweepLayout, type SweepResult } from './radial-sweep.ts'
import type { RasterGrid } from './raster-grid.ts'

/** Speed of light, m/s. */
const C = 299_792_458

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
  heightAt: (lon: number, lat: number) => number
  siteLon: number
  siteLat: number
  radio: SectorRadio
  radiusM: number
  receiverHeightM?: number
  /** Clutter/environment margin added to every path, dB (default 0). */
  environmentMarginDb?: number
  kFactor?: number
  /** A sweep already made for the same site, antenna height, frequency and grid (sectors of one site share it). */
  sweep?: SweepResult
  /** The cell → sample index that came with that sweep. */
  cellIndex?: Int32Array
}

/**
 * The fast model's RSRP raster of one sector (dBm per cell, NaN outside the
 * radius or where the terrain is unknown): free-space loss + single knife-edge
 * diffraction (ITU-R P.526 J(ν)) over the transmitter's running horizon from
 * the radial sweep + an environment margin, the 3GPP antenna pattern towards
 * each cell, and the EIRP spread over the channel's resource elements.
 * Cost per cell is constant (no profile walk per cell).
 */
export function sectorRsrpRaster(input: SectorRasterInput): { rsrpDbm: Float32Array; sweep: SweepResult; cellIndex: Int32Array } {
  const { radio } = input
  const receiverHeightM = input.receiverHeightM ?? 1.5
  // Which sweep sample each cell takes, first: only those samples need ν and a link budget.
  const layout = input.sweep ?? sweepLayout(input.grid, input.siteLat, input.radiusM)
  const index = input.cellIndex ?? sampleIndexPerCell(input.grid, input.siteLon, input.siteLat, layout)
  const needed = new Uint8Array(layout.radials * layout.samplesPerRadial)
  for (let c = 0; c < index.length; c++) if (index[c]! >= 0) needed[index[c]!] = 1
  const sweep = input.sweep ?? radialSweep({
    grid: input.grid, heightAt: input.heightAt, siteLon: input.siteLon, siteLat: input.siteLat,
    antennaHeightM: radio.heightM, receiverHeightM, radiusM: input.radiusM, kFactor: input.kFactor,
    wavelengthM: C / (radio.frequencyMhz * 1e6), needed,
  })
  const nRb = LTE_RESOURCE_BLOCKS[String(radio.bandwidthMhz)]
  if (nRb === undefined) throw new RangeError(`no LTE channel of ${radio.bandwidthMhz} MHz`)
  const eirpPerRe = radio.eirpDbm - 10 * Math.log10(12 * nRb)
  const margin = input.environmentMarginDb ?? 0
  // RSRP per sweep sample that a cell takes.
  const perSample = new Float32Array(sweep.distanceM.length)
  const degPerRad = 180 / Math.PI
  for (let i = 0; i < sweep.radials; i++) {
    const bearingDeg = (i * 360) / sweep.radials
    for (let s = 0; s < sweep.samplesPerRadial; s++) {
      const idx = i * sweep.samplesPerRadial + s
      if (needed[idx] === 0) continue
      const nu = sweep.nu[idx]!
      if (Number.isNaN(nu)) {
        perSample[idx] = Number.NaN
        continue
      }
      const loss = freeSpaceLoss(sweep.distanceM[idx]! / 1000, radio.frequencyMhz) + knifeEdgeLoss(nu) + margin
      const attenuation = antennaAttenuation(radio.antenna, bearingDeg, sweep.elevationRad[idx]! * degPerRad)
      perSample[idx] = eirpPerRe - attenuation - loss
    }
  }
  const rsrpDbm = new Float32Array(index.length)
  for (let c = 0; c < index.length; c++) {
    const idx = index[c]!
    rsrpDbm[c] = idx < 0 ? Number.NaN : perSample[idx]!
  }
  return { rsrpDbm, sweep, cellIndex: index }
}
