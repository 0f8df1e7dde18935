import { freeSpaceLoss } from './free-space-loss.ts'
import {
  multiEdgeDiffraction,
  type DiffractionEdge,
  type DiffractionMethod,
  type ProfileLike,
} from './multi-edge-diffraction.ts'
import { wavelength } from './wavelength.ts'

/** Receiver (handset) antenna height above ground, m, when none is given. */
export const DEFAULT_RECEIVER_HEIGHT_M = 1.5

/** Paths shorter than this (m) are computed at this length: the far-field formulas mean nothing closer. */
export const MIN_PATH_LENGTH_M = 1

export interface FastPathLossInput {
  /** Terrain profile from the site (first sample) to the receiver (last), heights with earth bulge. */
  profile: ProfileLike
  /** Carrier, MHz. */
  frequencyMhz: number
  /** Site antenna height above ground at the first sample, m. */
  txHeightM: number
  /** Receiver antenna height above ground, m (default 1.5). */
  rxHeightM?: number
}

export interface FastPathLossOptions {
  /** Terrain diffraction method, or `none` for free space only. Default `deygout`. */
  diffraction?: DiffractionMethod | 'none'
  /** Deygout recursion depth (see `multiEdgeDiffraction`); default: no limit. */
  maxDepth?: number
  /** ITU-R empirical correction of Deygout or Bullington (see `multiEdgeDiffraction`); default false. */
  empiricalCorrection?: boolean
  /**
   * Environment (clutter) margin added to every path, dB (default 0): vegetation, village
   * buildings, body loss — whatever the planner's calibration says the terrain model misses.
   */
  clutterMarginDb?: number
  /**
   * Which length the free-space term uses: `slant` (default) the straight tip-to-tip distance
   * √(d² + Δh²), as ITU-R P.452/P.1812 do; `ground` the distance along the profile.
   */
  distance?: 'slant' | 'ground'
}

export interface FastPathLoss {
  /** Total basic transmission loss, dB: free space + diffraction + clutter margin. */
  lossDb: number
  freeSpaceLossDb: number
  diffractionLossDb: number
  clutterMarginDb: number
  /** Length the free-space term used, km. */
  pathLengthKm: number
  /** The knife edges that contributed, as found by the construction. */
  edges: DiffractionEdge[]
  /** The edge with the largest individual loss (null on an unobstructed path). */
  dominantEdge: DiffractionEdge | null
}

/**
 * The default path-loss model of the coverage engine, dB: free-space loss (ITU-R P.525) over the
 * path, plus multi-edge terrain diffraction over the profile (Deygout by default, Epstein–Peterson
 * or Bullington as options; ITU-R P.526 knife edges), plus a fixed environment margin:
 *
 *   L = FSPL(d, f) + L_diffraction(profile, tips, λ) + clutter margin
 *
 * Fast because it needs only the profile: no ground reflection, no tropospheric scatter, no
 * statistics (ITM/Longley–Rice is the slower option). Distances are metres in the profile and km
 * in the result; heights metres; frequency MHz. Caveat: the profile samples act as knife edges,
 * which gives less loss than rounded hills or a smooth spherical earth beyond the horizon
 * (ITU-R P.526 §3, §4.2); the clutter margin or the empirical correction absorbs part of that.
 *
 * The receiver is the last sample; `edges` and `dominantEdge` say which ridges cost the most,
 * which the planner shows as "why is this village not covered".
 *
 * Not monotone by default: Deygout's total can jump when its choice of edges changes (see
 * `multiEdgeDiffraction`), and over the slant distance a higher mast is farther from a receiver
 * below it. With `diffraction: 'bullington'` and `distance: 'ground'` a higher antenna or lower
 * terrain never increases the loss — the choice for smooth coverage maps.
 */
export function fastPathLoss(input: FastPathLossInput, options: FastPathLossOptions = {}): FastPathLoss {
  const { profile, frequencyMhz, txHeightM } = input
  const rxHeightM = input.rxHeightM ?? DEFAULT_RECEIVER_HEIGHT_M
  const n = Math.min(profile.distancesM.length, profile.heightsM.length)
  if (n < 2) throw new RangeError('a profile needs at least two samples')
  const groundM = (profile.distancesM[n - 1] ?? 0) - (profile.distancesM[0] ?? 0)
  const txTipM = (profile.heightsM[0] ?? 0) + txHeightM
  const rxTipM = (profile.heightsM[n - 1] ?? 0) + rxHeightM
  const lengthM = options.distance === 'ground' ? groundM : Math.hypot(groundM, rxTipM - txTipM)
  const pathLengthKm = Math.max(lengthM, MIN_PATH_LENGTH_M) / 1000
  const freeSpaceLossDb = freeSpaceLoss(pathLengthKm, frequencyMhz)

  const method = options.diffraction ?? 'deygout'
  const diffraction =
    method === 'none'
      ? { lossDb: 0, edges: [] }
      : multiEdgeDiffraction(profile, txTipM, rxTipM, wavelength(frequencyMhz), {
          method,
          maxDepth: options.maxDepth,
          empiricalCorrection: options.empiricalCorrection,
        })
  let dominantEdge: DiffractionEdge | null = null
  for (const edge of diffraction.edges) if (!dominantEdge || edge.lossDb > dominantEdge.lossDb) dominantEdge = edge

  const clutterMarginDb = options.clutterMarginDb ?? 0
  return {
    lossDb: freeSpaceLossDb + diffraction.lossDb + clutterMarginDb,
    freeSpaceLossDb,
    diffractionLossDb: diffraction.lossDb,
    clutterMarginDb,
    pathLengthKm,
    edges: diffraction.edges,
    dominantEdge,
  }
}
