import { attenuationWithVariability } from './attenuation-with-variability.ts'
import { effectiveEarthCurvature } from './effective-earth-curvature.ts'
import { ItmPathState } from './itm-path-state.ts'
import { createItmResult, type ItmResult } from './itm-types.ts'
import { ITM_WARNINGS } from './itm-warnings.ts'
import { meanPathElevation } from './mean-path-elevation.ts'
import type { PreparedItmP2p } from './prepare-itm-p2p.ts'
import { preparePathGeometry } from './prepare-path-geometry.ts'
import { referenceAttenuation } from './reference-attenuation.ts'
import { surfaceRefractivity } from './surface-refractivity.ts'
import { writeItmResult } from './write-itm-result.ts'

// Scratch of the evaluation. Evaluations run one at a time on a thread and this module is
// instantiated once per worker thread, so one state serves them all.
const state = new ItmPathState()

/**
 * ITM (Longley-Rice 1.2.2) point-to-point basic transmission loss over the first `pointCount`
 * heights of `elevationsM` (m above sea level, `spacingM` metres apart, transmitter first), with
 * radio parameters prepared by prepareItmP2p. The hot path of the coverage engine: it allocates
 * nothing when given `out` (it fills and returns it), reads the profile in place (a prefix of a
 * longer radial needs no copy) and accepts plain or typed arrays.
 *
 * Steps (Hufford 1995, "The ITS Irregular Terrain Model, version 1.2.2: The Algorithm"): mean
 * path elevation → surface refractivity and effective earth curvature (`qlrps`) → horizons,
 * terrain irregularity and effective heights (`qlrpfl`) → reference attenuation (`lrprop`) →
 * time/location/situation quantiles (`avar`) → plus free space 32.45 + 20·log10(f/MHz · d/km).
 *
 * Throws a RangeError for a profile with fewer than 2 points, a spacing that is not positive, a
 * height that is not finite, or one whose mean elevation puts the surface refractivity outside
 * 150 … 400 N-units (a mean height above about 6600 m for N_0 = 301).
 */
export function itmPointToPointPrepared(
  prepared: PreparedItmP2p,
  elevationsM: ArrayLike<number>,
  pointCount: number,
  spacingM: number,
  out: ItmResult = createItmResult(),
): ItmResult {
  if (!(Number.isInteger(pointCount) && pointCount >= 2 && pointCount <= elevationsM.length)) {
    throw new RangeError(`ITM: pointCount ${pointCount} must be an integer in 2 … ${elevationsM.length} (the profile's length)`)
  }
  if (!(spacingM > 0 && spacingM < Infinity)) throw new RangeError(`ITM: profile spacing ${spacingM} m is not a positive number`)
  for (let i = 0; i < pointCount; i++) {
    if (!Number.isFinite(elevationsM[i])) throw new RangeError(`ITM: profile height ${i} (${elevationsM[i]}) is not a finite number`)
  }
  const np = pointCount - 1
  const s = state

  const ens = surfaceRefractivity(prepared.n0, meanPathElevation(elevationsM, pointCount))
  if (!(ens >= 150 && ens <= 400)) {
    throw new RangeError(`ITM: surface refractivity ${ens.toFixed(1)} N-units (from the mean profile height) is outside 150 … 400`)
  }
  s.warnings = prepared.warnings | (ens < 250 ? ITM_WARNINGS.SURFACE_REFRACTIVITY : 0)
  s.ens = ens
  s.gme = effectiveEarthCurvature(ens)
  s.wn = prepared.wn
  s.zgndRe = prepared.zgndRe
  s.zgndIm = prepared.zgndIm
  s.pointToPoint = true
  s.hgTx = prepared.txHeightM
  s.hgRx = prepared.rxHeightM

  preparePathGeometry(s, elevationsM, np, spacingM)
  referenceAttenuation(s)
  const attenuation = attenuationWithVariability(s, prepared.variability)
  return writeItmResult(s, prepared.frequencyMhz, attenuation, out)
}
