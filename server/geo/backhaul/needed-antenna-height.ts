import type { FresnelClearance } from './fresnel-clearance.ts'

/** Which antennas may be raised: both by the same amount, or only the one at A (`from`) or at B (`to`). */
export type RaisedEnd = 'both' | 'from' | 'to'

/**
 * The smallest extra antenna height, in metres, that makes a hop pass its clearance rule
 * (`fresnelClearance`): 0 when it already passes. Closed form, no search: raising the tips
 * moves the direct line up by a known amount at each sample while the terrain, bulge and Fresnel
 * radius stay put, so each interior sample i short by s_i = q·r1_i − clearance_i (q the required
 * share) asks for
 *
 *   both ends by Δ:   the line rises Δ everywhere                 → Δ ≥ s_i
 *   A only by Δ:      it rises Δ·d2_i/d (1 at A, 0 at B)          → Δ ≥ s_i·d/d2_i
 *   B only by Δ:      it rises Δ·d1_i/d                           → Δ ≥ s_i·d/d1_i
 *
 * and the answer is the largest over the samples. Distances from the result's `distancesM`, in m.
 * Used by the backhaul check to say how much higher the masts would have to be.
 */
export function neededAntennaHeight(
  clearance: Pick<FresnelClearance, 'distancesM' | 'clearanceM' | 'fresnelRadiusM' | 'requiredClearance'>,
  raise: RaisedEnd = 'both',
): number {
  const { distancesM, clearanceM, fresnelRadiusM, requiredClearance } = clearance
  const n = distancesM.length
  if (n < 3) return 0
  const x0 = distancesM[0]!
  const span = distancesM[n - 1]! - x0
  let needed = 0
  for (let i = 1; i < n - 1; i++) {
    const shortM = requiredClearance * fresnelRadiusM[i]! - clearanceM[i]!
    if (!(shortM > 0)) continue
    const d1 = distancesM[i]! - x0
    const d2 = span - d1
    const share = raise === 'both' ? 1 : raise === 'from' ? d2 / span : d1 / span
    needed = Math.max(needed, share > 0 ? shortM / share : Infinity)
  }
  return needed
}
