import type { ItmPathState } from './itm-path-state.ts'
import type { ItmMode, ItmResult } from './itm-types.ts'

const MODES: readonly ItmMode[] = ['line-of-sight', 'line-of-sight', 'diffraction', 'troposcatter']

/**
 * Copies an evaluated path into a result: loss = free space over `s.dist` at `frequencyMhz`
 * (32.45 + 20·log10(f/MHz) + 20·log10(d/km), dB) plus `attenuationDb`, the attenuation at the
 * requested quantiles; intermediate values in metres, kilometres (path length), radians and dB.
 */
export function writeItmResult(s: ItmPathState, frequencyMhz: number, attenuationDb: number, out: ItmResult): ItmResult {
  const freeSpaceDb = 32.45 + 20 * Math.log10(frequencyMhz) + 20 * Math.log10(s.dist / 1000)
  out.lossDb = freeSpaceDb + attenuationDb
  out.freeSpaceDb = freeSpaceDb
  out.mode = MODES[s.mode] as ItmMode
  out.warnings = s.warnings
  const im = out.intermediate
  im.dKm = s.dist / 1000
  im.thetaHznTx = s.theTx
  im.thetaHznRx = s.theRx
  im.dHznTxM = s.dlTx
  im.dHznRxM = s.dlRx
  im.hETxM = s.heTx
  im.hERxM = s.heRx
  im.deltaHM = s.dh
  im.aRefDb = s.aref
  return out
}
