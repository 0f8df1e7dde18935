import type { ProfileLike } from './multi-edge-diffraction.ts'

/** Share of the first Fresnel radius a microwave (backhaul) link keeps clear: the usual 60 % rule. */
export const FRESNEL_CLEARANCE_RULE = 0.6

export interface LineOfSightInput {
  /** Terrain profile (heights with the earth bulge, see `terrainProfile`). */
  profile: ProfileLike
  /** Antenna heights above the ground at the first and last sample, m. */
  txHeightM: number
  rxHeightM: number
  /** λ, m (`wavelength(frequencyMhz)`). */
  wavelengthM: number
  /** Required clearance as a share of the first Fresnel radius (default 0.6). */
  requiredFresnelRatio?: number
}

export interface LineOfSight {
  /** True when no interior sample reaches the straight line between the antenna tips. */
  clear: boolean
  /** Per sample: height of the tip-to-tip line above the terrain, m (negative = obstructed); ends 0 by convention. */
  clearanceM: Float64Array
  /** Per sample: first Fresnel-zone radius r1 = √(λ·d1·d2 / (d1 + d2)), m (0 at the ends). */
  fresnelRadiusM: Float64Array
  /** Per sample: clearance / r1 (Infinity at the ends, where r1 = 0). */
  fresnelRatio: Float64Array
  /** Smallest clearance over the interior samples, m (Infinity when there are none) and its sample. */
  minClearanceM: number
  minClearanceIndex: number
  /** Smallest clearance / r1 over the interior samples and its sample. */
  minFresnelRatio: number
  minFresnelRatioIndex: number
  /** True when `minFresnelRatio` ≥ the required ratio (0.6 by default). */
  fresnelClear: boolean
}

/**
 * Line of sight between two antenna tips over a terrain profile: the clearance of the straight
 * tip-to-tip line above each sample, and that clearance as a share of the first Fresnel-zone
 * radius r1 = √(λ·d1·d2/(d1+d2)) (ITU-R P.526 §2.1; P.530 writes it 17.3·√(d1·d2/(f·d)) with
 * d in km, f in GHz, r1 in m). Profile heights must already carry the earth bulge for the
 * k-factor of interest (k = 4/3 for coverage; microwave planning also checks k = 2/3 or lower).
 *
 * The 60 % rule (`FRESNEL_CLEARANCE_RULE`): a link whose every interior sample clears at least
 * 0.6·r1 behaves like free space (the knife-edge loss at clearance 0.6·r1, ν ≈ −0.85, is 0 dB).
 * Heights and distances in metres. Used for the microwave-backhaul constraint of candidate sites
 * and to say whether a receiver is in line of sight.
 */
export function lineOfSight(input: LineOfSightInput): LineOfSight {
  const { profile, wavelengthM } = input
  const required = input.requiredFresnelRatio ?? FRESNEL_CLEARANCE_RULE
  const n = Math.min(profile.distancesM.length, profile.heightsM.length)
  const clearanceM = new Float64Array(n)
  const fresnelRadiusM = new Float64Array(n)
  const fresnelRatio = new Float64Array(n).fill(Infinity)
  let minClearanceM = Infinity
  let minClearanceIndex = -1
  let minFresnelRatio = Infinity
  let minFresnelRatioIndex = -1
  if (n >= 2) {
    const x0 = profile.distancesM[0] ?? 0
    const x1 = profile.distancesM[n - 1] ?? 0
    const span = x1 - x0
    const txTip = (profile.heightsM[0] ?? 0) + input.txHeightM
    const rxTip = (profile.heightsM[n - 1] ?? 0) + input.rxHeightM
    for (let i = 1; i < n - 1; i++) {
      const x = profile.distancesM[i] ?? 0
      const d1 = x - x0
      const d2 = x1 - x
      const line = span > 0 ? txTip + ((rxTip - txTip) * d1) / span : txTip
      const clearance = line - (profile.heightsM[i] ?? Number.NaN)
      const r1 = span > 0 ? Math.sqrt((wavelengthM * d1 * d2) / span) : 0
      const ratio = r1 > 0 ? clearance / r1 : clearance >= 0 ? Infinity : -Infinity
      clearanceM[i] = clearance
      fresnelRadiusM[i] = r1
      fresnelRatio[i] = ratio
      if (clearance < minClearanceM) {
        minClearanceM = clearance
        minClearanceIndex = i
      }
      if (ratio < minFresnelRatio) {
        minFresnelRatio = ratio
        minFresnelRatioIndex = i
      }
    }
  }
  return {
    clear: !(minClearanceM <= 0),
    clearanceM,
    fresnelRadiusM,
    fresnelRatio,
    minClearanceM,
    minClearanceIndex,
    minFresnelRatio,
    minFresnelRatioIndex,
    fresnelClear: minFresnelRatio >= required,
  }
}
