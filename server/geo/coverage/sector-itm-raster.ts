import { antennaAttenuation } from '../antenna/antenna-attenuation.ts'
import { LTE_RESOURCE_BLOCKS } from '../propagation/link-budget.ts'
import { itmPointToPointPrepared } from '../propagation/itm/itm-point-to-point-prepared.ts'
import { createItmResult, type ItmP2PParameters } from '../propagation/itm/itm-types.ts'
import { prepareItmP2p } from '../propagation/itm/prepare-itm-p2p.ts'
import { radialSweep, sampleIndexPerCell, type SweepResult } from './radial-sweep.ts'
import type { SectorRasterInput } from './sector-rsrp-raster.ts'

/** Speed of light, m/s. */
const C = 299_792_458

/** ITM's radio parameters that the sector does not already give (heights and frequency come from the sector). */
export type SectorItmParameters = Omit<ItmP2PParameters, 'txHeightM' | 'rxHeightM' | 'frequencyMhz'>

export interface SectorItmRasterInput extends Omit<SectorRasterInput, 'sweep' | 'heights' | 'heightAt'> {
  /** Terrain height at a point (NaN where unknown): the reference sweep reads along its rays. */
  heightAt: (lon: number, lat: number) => number
  itm: SectorItmParameters
  /** A reference sweep already made for the same site, antenna height, frequency and grid. */
  sweep?: SweepResult
}

export interface SectorItmRasterResult {
  /** RSRP per cell, dBm; NaN outside the radius or where the terrain is unknown. */
  rsrpDbm: Float32Array
  /** ITM basic transmission loss per sweep sample, dB (radial-major, like the sweep); NaN for samples no cell takes and beyond unknown terrain. */
  lossDb: Float32Array
  sweep: SweepResult
  /** ITM evaluations made: one per sweep sample that some cell takes (at most one per cell). */
  evaluations: number
}

/**
 * The ITM (Longley-Rice 1.2.2, point-to-point) RSRP raster of one sector: the accurate option
 * beside the fast model (`sectorRsrpRaster`). Profiles come from the same radial sweep (one ray
 * per outer-ring cell, one sample per cell step, bilinear heights); ITM is evaluated for a sample
 * over the prefix of its radial from the site (the site's ground height first) to the sample.
 * Only the samples some raster cell takes are evaluated (each cell takes the sample nearest its
 * centre; near the site the rays are denser than the cells, so about half the samples feed no
 * cell): at most one evaluation per cell, each O(distance / step), O(R³) per sector, like
 * SPLAT!'s one evaluation per DEM sample. The loss feeds the same link budget as the fast model:
 * EIRP spread over the channel's resource elements, minus the 3GPP antenna pattern towards the
 * sample (sweep bearing and elevation angle), the loss and the environment margin. A radial stops
 * at its first sample of unknown terrain (NaN beyond it).
 *
 * Used where accuracy matters more than time (ITM option of a recompute, checks against SPLAT!);
 * measured in `npm run bench:coverage`. Units: metres, MHz, dB, dBm. Throws the ITM's RangeError
 * for parameters outside its domain.
 */
export function sectorItmRaster(input: SectorItmRasterInput): SectorItmRasterResult {
  const { radio } = input
  const receiverHeightM = input.receiverHeightM ?? 1.5
  const sweep = input.sweep ?? radialSweep({
    grid: input.grid, heightAt: input.heightAt, siteLon: input.siteLon, siteLat: input.siteLat,
    antennaHeightM: radio.heightM, receiverHeightM, radiusM: input.radiusM, kFactor: input.kFactor,
    wavelengthM: C / (radio.frequencyMhz * 1e6),
  })
  const nRb = LTE_RESOURCE_BLOCKS[String(radio.bandwidthMhz)]
  if (nRb === undefined) throw new RangeError(`no LTE channel of ${radio.bandwidthMhz} MHz`)
  const prepared = prepareItmP2p({ ...input.itm, txHeightM: radio.heightM, rxHeightM: receiverHeightM, frequencyMhz: radio.frequencyMhz })
  const eirpPerRe = radio.eirpDbm - 10 * Math.log10(12 * nRb)
  const margin = input.environmentMarginDb ?? 0
  const ground = input.heightAt(input.siteLon, input.siteLat)
  const n = sweep.samplesPerRadial
  // Only the samples some cell takes need a loss: near the site the rays are denser than the
  // cells (2π·R/step rays), so about half the samples of a sector feed no cell at all.
  const index = sampleIndexPerCell(input.grid, input.siteLon, input.siteLat, sweep)
  const needed = new Uint8Array(sweep.distanceM.length)
  for (let c = 0; c < index.length; c++) {
    const idx = index[c]!
    if (idx >= 0) needed[idx] = 1
  }
  const profile = new Float64Array(n + 1)
  profile[0] = Number.isFinite(ground) ? ground : 0
  const out = createItmResult()
  const lossDb = new Float32Array(sweep.distanceM.length).fill(Number.NaN)
  const perSample = new Float32Array(sweep.distanceM.length).fill(Number.NaN)
  const degPerRad = 180 / Math.PI
  let evaluations = 0
  for (let i = 0; i < sweep.radials; i++) {
    const bearingDeg = (i * 360) / sweep.radials
    const base = i * n
    for (let s = 0; s < n; s++) {
      const idx = base + s
      const h = sweep.terrainM[idx]!
      if (!Number.isFinite(h)) break
      profile[s + 1] = h
      if (needed[idx] === 0) continue
      itmPointToPointPrepared(prepared, profile, s + 2, sweep.stepM, out)
      evaluations++
      lossDb[idx] = out.lossDb
      const attenuation = antennaAttenuation(radio.antenna, bearingDeg, sweep.elevationRad[idx]! * degPerRad)
      perSample[idx] = eirpPerRe - attenuation - out.lossDb - margin
    }
  }
  const rsrpDbm = new Float32Array(index.length)
  for (let c = 0; c < index.length; c++) {
    const idx = index[c]!
    rsrpDbm[c] = idx < 0 ? Number.NaN : perSample[idx]!
  }
  return { rsrpDbm, lossDb, sweep, evaluations }
}
