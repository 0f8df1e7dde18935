import { itmPointToPointPrepared } from './itm-point-to-point-prepared.ts'
import type { ItmP2PInput, ItmResult } from './itm-types.ts'
import { prepareItmP2p } from './prepare-itm-p2p.ts'

export type { ItmMode, ItmP2PInput, ItmP2PParameters, ItmResult } from './itm-types.ts'
export { createItmResult } from './itm-types.ts'
export { ITM_WARNINGS } from './itm-warnings.ts'
export { prepareItmP2p, type PreparedItmP2p } from './prepare-itm-p2p.ts'
export { itmPointToPointPrepared } from './itm-point-to-point-prepared.ts'

/**
 * Basic transmission loss (dB) over a terrain profile by the ITS Irregular Terrain Model
 * (Longley-Rice) version 1.2.2 in point-to-point mode, at the requested time, location and
 * situation percentages — the NTIA/ITS reference's `ITM_P2P_TLS`, with its intermediate values.
 * Heights in metres above ground (antennas) and above sea level (profile), frequency in MHz.
 *
 * Convenience form: checks the parameters and evaluates one profile. To evaluate many profiles
 * with the same radio parameters, call prepareItmP2p once and itmPointToPointPrepared per
 * profile (no checks repeated, no allocation, profile prefixes without copying).
 * Throws a RangeError for inputs outside the model's domain (see prepareItmP2p).
 */
export function itmPointToPoint(input: ItmP2PInput): ItmResult {
  const { profile } = input
  return itmPointToPointPrepared(prepareItmP2p(input), profile.elevationsM, profile.elevationsM.length, profile.spacingM)
}
