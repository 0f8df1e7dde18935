import { DEFAULT_K_FACTOR, earthBulge } from '../propagation/earth-bulge.ts'
import { FRESNEL_CLEARANCE_RULE } from '../propagation/line-of-sight.ts'
import { wavelength } from '../propagation/wavelength.ts'

/**
 * Radius of the n-th Fresnel zone, in metres, at a point `d1M` metres from one end of a path and
 * `d2M` from the other, for a carrier of `frequencyMhz`:
 *
 *   r_n = √( n·λ·d1·d2 / (d1 + d2) )        λ = c/f (`wavelength`)
 *
 * ITU-R P.530-18 §2.2.2 (and P.526 §2.1) write the first zone as F1 = 17.3·√(d1·d2/(f·d)) m with d
 * in km and f in GHz; the constant is √(c·10⁻⁹·10³) = 17.31. 915 MHz, 10 km, mid-path: 28.62 m;
 * 15 GHz: 7.07 m. 0 at the ends (d1 or d2 = 0) and for a path of no length.
 */
export function fresnelRadiusM(d1M: number, d2M: number, frequencyMhz: number, n = 1): number {
  const d = d1M + d2M
  if (!(d1M > 0 && d2M > 0 && d > 0)) return 0
  return Math.sqrt((n * wavelength(frequencyMhz) * d1M * d2M) / d)
}

/** A terrain profile as sampled (no bulge): `terrainProfile(...)` results fit as they are. */
export interface GroundProfile {
  /** Distance of each sample from the first end (A), m, increasing; the first and last are the antenna sites. */
  readonly distancesM: ArrayLike<number>
  /** Ground height of each sample, m above sea level (without the earth bulge: it is added here). */
  readonly groundM: ArrayLike<number>
}

export interface FresnelClearanceInput {
  profile: GroundProfile
  /** Antenna heights above the ground at the first (A) and last (B) sample, m. */
  fromHeightM: number
  toHeightM: number
  frequencyMhz: number
  /** Effective earth-radius factor (default 4/3; microwave planning also checks 2/3). */
  kFactor?: number
  /**
   * Height of what stands on the ground between the ends (trees, buildings), m: one value for
   * every interior sample or one per sample (default 0). Never added at the ends, but added at
   * the samples next to them: an antenna lower than the clutter around it fails there.
   */
  clutterM?: number | ArrayLike<number>
  /** Clearance required, as a share of the first Fresnel radius (default 0.6, `FRESNEL_CLEARANCE_RULE`). */
  requiredClearance?: number
}

/** Everything about one sample of the path. */
export interface FresnelSample {
  index: number
  /** From A, m. */
  distanceM: number
  groundM: number
  bulgeM: number
  clutterM: number
  /** ground + bulge + clutter, m. */
  obstructionM: number
  /** Height of the straight A-tip to B-tip line, m. */
  lineM: number
  fresnelRadiusM: number
  /** line − obstruction, m (negative: the line of sight is blocked). */
  clearanceM: number
  /** clearance / first Fresnel radius. */
  clearanceRatio: number
}

/** The sample that fails the rule, named as a planner says it. */
export interface FresnelObstruction extends FresnelSample {
  /** How far the obstruction reaches above the required-clearance line (0.6·r1 below the direct line), m; > 0. */
  aboveRequiredM: number
  /** True when it reaches the direct line itself (no optical line of sight). */
  blocksLineOfSight: boolean
}

export interface FresnelClearance {
  /** The inputs the result was computed with (defaults applied). */
  frequencyMhz: number
  kFactor: number
  requiredClearance: number
  fromHeightM: number
  toHeightM: number
  /** Per sample, m (the `*M` arrays) and ratio. At the ends: bulge and clutter 0, r1 0, ratio +∞. */
  distancesM: Float64Array
  groundM: Float64Array
  bulgeM: Float64Array
  clutterM: Float64Array
  obstructionM: Float64Array
  lineM: Float64Array
  fresnelRadiusM: Float64Array
  clearanceM: Float64Array
  clearanceRatio: Float64Array
  /** The interior sample with the smallest clearance ratio (first one on ties); null when there is no interior sample. */
  worst: FresnelSample | null
  /** True when every interior sample keeps at least `requiredClearance`·r1 (a path with no interior sample passes). */
  pass: boolean
  /** True when every interior sample is below the direct line (clearance > 0). */
  lineOfSight: boolean
  /** Interior samples short of the required clearance. */
  samplesBelowRequired: number
  /** When failing: the worst sample, with how far it reaches above the required-clearance line. */
  obstruction: FresnelObstruction | null
}

/**
 * A ratio this close below the requirement still passes: heights chosen to clear exactly 0.6·r1
 * come out at 0.6 − 1e-16 after rounding. 1e-9·r1 is a few nanometres.
 */
const RATIO_TOLERANCE = 1e-9

function clutterAt(clutter: number | ArrayLike<number> | undefined, i: number): number {
  if (clutter === undefined) return 0
  return typeof clutter === 'number' ? clutter : (clutter[i] ?? 0)
}

function checkInput(input: FresnelClearanceInput): number {
  const n = input.profile.distancesM.length
  if (input.profile.groundM.length !== n) {
    throw new RangeError(`profile has ${n} distances but ${input.profile.groundM.length} ground heights`)
  }
  if (n < 2) throw new RangeError(`a profile needs at least its two ends, got ${n} samples`)
  if (!(input.frequencyMhz > 0)) throw new RangeError(`frequency must be positive, got ${input.frequencyMhz} MHz`)
  const k = input.kFactor ?? DEFAULT_K_FACTOR
  if (!(k > 0)) throw new RangeError(`k-factor must be positive, got ${k}`)
  return n
}

/**
 * Microwave-hop clearance over a terrain profile: at every sample, the height of the straight
 * line between the antenna tips (ground + antenna height at A and B), the earth bulge
 * d1·d2/(2kR) (`earthBulge`), the obstruction (ground + bulge + clutter), the clearance
 * (line − obstruction) and that clearance as a share of the first Fresnel radius
 * (`fresnelRadiusM`); the worst interior sample (smallest share) and the verdict of the
 * clearance rule: pass when the worst share is at least `requiredClearance` (0.6: ITU-R P.530
 * §2.2.2's "60 % of F1" for the standard k = 4/3 atmosphere, where knife-edge loss is about 0 dB).
 *
 * The flat-earth, straight-ray geometry of P.530 profiles: heights in metres above sea level,
 * distances in metres from A, the bulge added to the terrain instead of bending the ray. When
 * failing, `obstruction` names the worst sample (distance from A, ground, how far it reaches above
 * the 0.6·r1 line). Used by the backhaul check (`checkBackhaul`); the site optimiser's hot loop
 * calls `worstFresnelClearanceRatio`, which gives the same worst share without allocating.
 */
export function fresnelClearance(input: FresnelClearanceInput): FresnelClearance {
  const n = checkInput(input)
  const kFactor = input.kFactor ?? DEFAULT_K_FACTOR
  const required = input.requiredClearance ?? FRESNEL_CLEARANCE_RULE
  const { distancesM: xs, groundM: gs } = input.profile
  const distancesM = Float64Array.from(xs)
  const groundM = Float64Array.from(gs)
  const bulgeM = new Float64Array(n)
  const clutterM = new Float64Array(n)
  const obstructionM = Float64Array.from(gs)
  const lineM = new Float64Array(n)
  const fresnelRadius = new Float64Array(n)
  const clearanceM = new Float64Array(n)
  const clearanceRatio = new Float64Array(n).fill(Infinity)

  const x0 = distancesM[0]!
  const span = distancesM[n - 1]! - x0
  const tipA = groundM[0]! + input.fromHeightM
  const tipB = groundM[n - 1]! + input.toHeightM
  lineM[0] = tipA
  lineM[n - 1] = tipB
  clearanceM[0] = input.fromHeightM
  clearanceM[n - 1] = input.toHeightM

  let worstIndex = -1
  let worstRatio = Infinity
  let lineOfSight = true
  let below = 0
  for (let i = 1; i < n - 1; i++) {
    const d1 = distancesM[i]! - x0
    const d2 = span - d1
    const line = span > 0 ? tipA + ((tipB - tipA) * d1) / span : tipA
    const bulge = earthBulge(d1, d2, kFactor)
    const clutter = clutterAt(input.clutterM, i)
    const obstruction = groundM[i]! + bulge + clutter
    const clearance = line - obstruction
    const r1 = fresnelRadiusM(d1, d2, input.frequencyMhz)
    const ratio = r1 > 0 ? clearance / r1 : clearance >= 0 ? Infinity : -Infinity
    bulgeM[i] = bulge
    clutterM[i] = clutter
    obstructionM[i] = obstruction
    lineM[i] = line
    fresnelRadius[i] = r1
    clearanceM[i] = clearance
    clearanceRatio[i] = ratio
    if (ratio < worstRatio || worstIndex < 0) {
      worstRatio = ratio
      worstIndex = i
    }
    if (!(clearance > 0)) lineOfSight = false
    if (ratio < required - RATIO_TOLERANCE) below++
  }

  const sample = (i: number): FresnelSample => ({
    index: i,
    distanceM: distancesM[i]!,
    groundM: groundM[i]!,
    bulgeM: bulgeM[i]!,
    clutterM: clutterM[i]!,
    obstructionM: obstructionM[i]!,
    lineM: lineM[i]!,
    fresnelRadiusM: fresnelRadius[i]!,
    clearanceM: clearanceM[i]!,
    clearanceRatio: clearanceRatio[i]!,
  })
  const worst = worstIndex >= 0 ? sample(worstIndex) : null
  const pass = worst === null || !(worst.clearanceRatio < required - RATIO_TOLERANCE)
  const obstruction: FresnelObstruction | null = worst && !pass
    ? { ...worst, aboveRequiredM: required * worst.fresnelRadiusM - worst.clearanceM, blocksLineOfSight: !(worst.clearanceM > 0) }
    : null
  return {
    frequencyMhz: input.frequencyMhz,
    kFactor,
    requiredClearance: required,
    fromHeightM: input.fromHeightM,
    toHeightM: input.toHeightM,
    distancesM,
    groundM,
    bulgeM,
    clutterM,
    obstructionM,
    lineM,
    fresnelRadiusM: fresnelRadius,
    clearanceM,
    clearanceRatio,
    worst,
    pass,
    lineOfSight,
    samplesBelowRequired: below,
    obstruction,
  }
}

/**
 * The worst (smallest) clearance / first-Fresnel-radius share over the interior samples, as
 * `fresnelClearance(input).worst.clearanceRatio`, without allocating: for hot loops (the
 * optimiser's "microwave hop to a fibre-fed site keeps 60 % of F1 clear" rule is
 * `worstFresnelClearanceRatio(hop) >= 0.6`, or `passesFresnelClearance`). +∞ when the profile has
 * no interior sample. `requiredClearance` is ignored.
 */
export function worstFresnelClearanceRatio(input: FresnelClearanceInput): number {
  const n = checkInput(input)
  const kFactor = input.kFactor ?? DEFAULT_K_FACTOR
  const xs = input.profile.distancesM
  const gs = input.profile.groundM
  const x0 = xs[0]!
  const span = xs[n - 1]! - x0
  const tipA = gs[0]! + input.fromHeightM
  const tipB = gs[n - 1]! + input.toHeightM
  const lambda = wavelength(input.frequencyMhz)
  const clutter = input.clutterM
  let worst = Infinity
  for (let i = 1; i < n - 1; i++) {
    const d1 = xs[i]! - x0
    const d2 = span - d1
    const line = span > 0 ? tipA + ((tipB - tipA) * d1) / span : tipA
    const clearance = line - (gs[i]! + earthBulge(d1, d2, kFactor) + clutterAt(clutter, i))
    // fresnelRadiusM inlined (λ computed once): r1 = √(λ·d1·d2/d).
    const r1 = d1 > 0 && d2 > 0 ? Math.sqrt((lambda * d1 * d2) / span) : 0
    const ratio = r1 > 0 ? clearance / r1 : clearance >= 0 ? Infinity : -Infinity
    if (ratio < worst) worst = ratio
  }
  return worst
}

/** True when the hop keeps `requiredClearance` (default 0.6) of the first Fresnel zone clear everywhere; the same verdict as `fresnelClearance(input).pass`. */
export function passesFresnelClearance(input: FresnelClearanceInput): boolean {
  const required = input.requiredClearance ?? FRESNEL_CLEARANCE_RULE
  return !(worstFresnelClearanceRatio(input) < required - RATIO_TOLERANCE)
}
