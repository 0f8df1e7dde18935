import { attenuationWithVariability } from './attenuation-with-variability.ts'
import { effectiveEarthCurvature } from './effective-earth-curvature.ts'
import { ItmPathState } from './itm-path-state.ts'
import { createItmResult, type ItmP2PParameters, type ItmResult } from './itm-types.ts'
import { prepareAreaGeometry } from './prepare-area-geometry.ts'
import { prepareItmP2p } from './prepare-itm-p2p.ts'
import { referenceAttenuation } from './reference-attenuation.ts'
import { writeItmResult } from './write-itm-result.ts'

/** Inputs of an ITM area prediction: the radio parameters plus a statistical description of the terrain. */
export interface ItmAreaInput extends ItmP2PParameters {
  /** Path length (km), > 0. */
  distanceKm: number
  /** Terrain irregularity parameter Δh (m), ≥ 0 (about 90 for hills, 200 … 500 for mountains). */
  deltaHM: number
  /** Siting criteria of each antenna: 0 random, 1 careful, 2 very careful. */
  txSiting: 0 | 1 | 2
  rxSiting: 0 | 1 | 2
}

const state = new ItmPathState()

/**
 * Basic transmission loss (dB) by ITM 1.2.2 in area mode (NTIA/ITS reference `ITM_AREA_TLS`):
 * no profile, the terrain only described by Δh and the siting of the antennas; surface
 * refractivity N_s = N_0. Not used by the coverage engine (which has profiles); kept because it
 * shares every step but the geometry with point-to-point mode and is checked against the
 * reference's area.csv. Throws a RangeError for inputs outside the model's domain.
 */
export function itmArea(input: ItmAreaInput): ItmResult {
  const prepared = prepareItmP2p(input)
  if (!(input.distanceKm > 0 && input.distanceKm < Infinity)) throw new RangeError(`ITM: distanceKm ${input.distanceKm} is not positive`)
  if (!(input.deltaHM >= 0 && input.deltaHM < Infinity)) throw new RangeError(`ITM: deltaHM ${input.deltaHM} is negative`)
  for (const siting of [input.txSiting, input.rxSiting]) {
    if (siting !== 0 && siting !== 1 && siting !== 2) throw new RangeError(`ITM: siting criteria ${siting} is not one of 0, 1, 2`)
  }
  const s = state
  s.warnings = prepared.warnings
  s.ens = input.n0
  s.gme = effectiveEarthCurvature(input.n0)
  s.wn = prepared.wn
  s.zgndRe = prepared.zgndRe
  s.zgndIm = prepared.zgndIm
  s.pointToPoint = false
  s.hgTx = prepared.txHeightM
  s.hgRx = prepared.rxHeightM
  s.dh = input.deltaHM
  s.dist = input.distanceKm * 1000

  prepareAreaGeometry(s, input.txSiting, input.rxSiting)
  referenceAttenuation(s)
  const attenuation = attenuationWithVariability(s, prepared.variability)
  return writeItmResult(s, prepared.frequencyMhz, attenuation, createItmResult())
}
