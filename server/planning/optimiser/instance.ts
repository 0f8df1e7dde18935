/**
 * The optimiser's problem: villages with weights, candidate sites with what each would newly
 * serve and what it would cost, and the feasibility rules for backhaul and power. Pure data, no
 * I/O: the planning service (issue 7) fills an `InstanceInput` from the database and the
 * coverage predictions; `buildInstance` turns it into the compact form every algorithm here uses.
 *
 * Units: distances in km, costs in one currency unit of the caller's choice (the generator and
 * the benchmark use million VND), weights in people unless the caller weights villages.
 */

/** One village. */
export interface VillageInput {
  /** Population (people), ≥ 0. */
  population: number
  /**
   * Objective weight when it differs from the population (a planner's priority village, a school
   * or a clinic counted more); defaults to the population. The target share is measured in these
   * weights as well.
   */
  weight?: number
  /** Already served by an existing site (existing sites are fixed: this village gains nothing). */
  servedByExisting?: boolean
}

/** One candidate site. */
export interface CandidateInput {
  /** Villages (indices into `villages`) the site would serve; existing coverage is removed here. */
  covers: Int32Array | readonly number[]
  /** Tower, equipment and land. */
  siteCost: number
  /** Distance to the nearest fibre point of presence along a buildable route, km (Infinity: none). */
  fibreKm: number
  /**
   * A microwave hop to a fibre-fed site has line of sight with ≥ 60 % first-Fresnel-zone
   * clearance (computed by the caller from the terrain profile; false when unknown).
   */
  microwaveHopOk: boolean
  /** Distance to the nearest medium-voltage grid line, km (Infinity: none). */
  gridKm: number
  /** A solar (+ battery) supply may be built here (land, sun hours, no protected area). */
  solarAllowed: boolean
}

/** Feasibility limits and the cost model. */
export interface CostModel {
  /** A fibre spur longer than this is not built (the site then needs a microwave hop). */
  maxFibreKm: number
  /** A grid extension longer than this is not built (the site then needs solar). */
  maxGridKm: number
  fibreCostPerKm: number
  /** Cost of the microwave link (both ends) replacing the fibre spur. */
  microwaveHopCost: number
  powerCostPerKm: number
  solarCost: number
  /** Global switch: false forbids solar everywhere (grid power required). */
  allowSolar: boolean
}

export interface InstanceInput {
  villages: readonly VillageInput[]
  candidates: readonly CandidateInput[]
  /** Coverage sets of existing (fixed) sites, village indices; joined with `servedByExisting`. */
  existingCoverage?: ReadonlyArray<Int32Array | readonly number[]>
  model: CostModel
}

export type Backhaul = 'fibre' | 'microwave'
export type PowerSupply = 'grid' | 'solar'

/** Why a candidate may not be chosen. */
export type Infeasibility = 'no-backhaul' | 'no-power' | 'no-backhaul-no-power'

/**
 * The compact instance. Coverage is stored twice in CSR form (compressed sparse rows): per
 * candidate the villages it newly serves (`coverStart`/`coverVillages`, villages already served
 * removed, sorted, no duplicates), and per village the feasible candidates serving it
 * (`villageStart`/`villageCandidates`).
 */
export interface OptimiserInstance {
  readonly villageCount: number
  readonly candidateCount: number
  /** Objective weight of each village (served villages keep theirs; they never count as gains). */
  readonly weight: Float64Array
  /** 1 when already served by an existing site. */
  readonly served: Uint8Array
  /** Σ weight over all villages. */
  readonly totalWeight: number
  /** Σ weight over villages already served by existing sites. */
  readonly baseWeight: number
  /** 1 when the candidate satisfies the backhaul and power rules. */
  readonly feasible: Uint8Array
  /** Reason per candidate, null when feasible. */
  readonly infeasibility: ReadonlyArray<Infeasibility | null>
  /** Cheapest total cost of each feasible candidate (Infinity when infeasible). */
  readonly cost: Float64Array
  readonly backhaul: ReadonlyArray<Backhaul | null>
  readonly power: ReadonlyArray<PowerSupply | null>
  readonly coverStart: Int32Array
  readonly coverVillages: Int32Array
  /** Σ weight of the villages a candidate newly serves (its gain on an empty selection). */
  readonly coverWeight: Float64Array
  readonly villageStart: Int32Array
  readonly villageCandidates: Int32Array
}

/** The villages candidate `j` newly serves (a view, not a copy). */
export function coverOf(instance: OptimiserInstance, j: number): Int32Array {
  return instance.coverVillages.subarray(instance.coverStart[j]!, instance.coverStart[j + 1]!)
}

/**
 * Cost of one candidate under the model and how it would be connected, or the reason it is not
 * feasible. Backhaul: the fibre spur when fibreKm ≤ maxFibreKm, else the microwave hop when its
 * Fresnel check passed; the cheaper when both are possible. Power: the grid extension when
 * gridKm ≤ maxGridKm, else solar when allowed; the cheaper when both are possible.
 */
export function candidateCost(c: CandidateInput, m: CostModel): { cost: number; backhaul: Backhaul; power: PowerSupply } | { infeasibility: Infeasibility } {
  let backhaul: Backhaul | null = null
  let backhaulCost = Infinity
  if (c.fibreKm <= m.maxFibreKm) {
    backhaul = 'fibre'
    backhaulCost = m.fibreCostPerKm * c.fibreKm
  }
  if (c.microwaveHopOk && m.microwaveHopCost < backhaulCost) {
    backhaul = 'microwave'
    backhaulCost = m.microwaveHopCost
  }
  let power: PowerSupply | null = null
  let powerCost = Infinity
  if (c.gridKm <= m.maxGridKm) {
    power = 'grid'
    powerCost = m.powerCostPerKm * c.gridKm
  }
  if (m.allowSolar && c.solarAllowed && m.solarCost < powerCost) {
    power = 'solar'
    powerCost = m.solarCost
  }
  if (backhaul === null || power === null) {
    return { infeasibility: backhaul === null && power === null ? 'no-backhaul-no-power' : backhaul === null ? 'no-backhaul' : 'no-power' }
  }
  return { cost: c.siteCost + backhaulCost + powerCost, backhaul, power }
}

function checkNumber(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number ≥ 0, got ${value}`)
}

/**
 * Validates an input and builds the compact instance: weights, the served mask (existing sites
 * fixed), per-candidate feasibility and cost, and both CSR coverage indexes. O(villages +
 * Σ|covers|).
 */
export function buildInstance(input: InstanceInput): OptimiserInstance {
  const villageCount = input.villages.length
  const candidateCount = input.candidates.length
  const weight = new Float64Array(villageCount)
  const served = new Uint8Array(villageCount)
  let totalWeight = 0
  input.villages.forEach((v, i) => {
    checkNumber(v.population, `villages[${i}].population`)
    const w = v.weight ?? v.population
    checkNumber(w, `villages[${i}].weight`)
    weight[i] = w
    totalWeight += w
    if (v.servedByExisting) served[i] = 1
  })
  for (const set of input.existingCoverage ?? []) {
    for (const i of set) {
      if (!Number.isInteger(i) || i < 0 || i >= villageCount) throw new RangeError(`existing coverage refers to village ${i} of ${villageCount}`)
      served[i] = 1
    }
  }
  let baseWeight = 0
  for (let i = 0; i < villageCount; i++) if (served[i]) baseWeight += weight[i]!

  const m = input.model
  for (const key of ['maxFibreKm', 'maxGridKm', 'fibreCostPerKm', 'microwaveHopCost', 'powerCostPerKm', 'solarCost'] as const) {
    if (Number.isNaN(m[key]) || m[key] < 0) throw new RangeError(`model.${key} must be ≥ 0, got ${m[key]}`)
  }
  const feasible = new Uint8Array(candidateCount)
  const infeasibility: Array<Infeasibility | null> = []
  const cost = new Float64Array(candidateCount)
  const backhaul: Array<Backhaul | null> = []
  const power: Array<PowerSupply | null> = []
  const coverStart = new Int32Array(candidateCount + 1)
  const chunks: Int32Array[] = []
  let nnz = 0
  const seen = new Int32Array(villageCount).fill(-1)
  input.candidates.forEach((c, j) => {
    checkNumber(c.siteCost, `candidates[${j}].siteCost`)
    if (Number.isNaN(c.fibreKm) || c.fibreKm < 0) throw new RangeError(`candidates[${j}].fibreKm must be ≥ 0 (Infinity: none), got ${c.fibreKm}`)
    if (Number.isNaN(c.gridKm) || c.gridKm < 0) throw new RangeError(`candidates[${j}].gridKm must be ≥ 0 (Infinity: none), got ${c.gridKm}`)
    const priced = candidateCost(c, m)
    if ('cost' in priced) {
      feasible[j] = 1
      cost[j] = priced.cost
      backhaul.push(priced.backhaul)
      power.push(priced.power)
      infeasibility.push(null)
    } else {
      cost[j] = Infinity
      backhaul.push(null)
      power.push(null)
      infeasibility.push(priced.infeasibility)
    }
    const kept: number[] = []
    for (const i of c.covers) {
      if (!Number.isInteger(i) || i < 0 || i >= villageCount) throw new RangeError(`candidates[${j}].covers refers to village ${i} of ${villageCount}`)
      if (served[i] || seen[i] === j) continue
      seen[i] = j
      kept.push(i)
    }
    const arr = Int32Array.from(kept).sort()
    chunks.push(arr)
    nnz += arr.length
    coverStart[j + 1] = nnz
  })
  const coverVillages = new Int32Array(nnz)
  chunks.forEach((arr, j) => coverVillages.set(arr, coverStart[j]!))
  const coverWeight = new Float64Array(candidateCount)
  for (let j = 0; j < candidateCount; j++) {
    let s = 0
    for (let p = coverStart[j]!; p < coverStart[j + 1]!; p++) s += weight[coverVillages[p]!]!
    coverWeight[j] = s
  }

  // Inverse index over feasible candidates only (what the local search walks).
  const villageStart = new Int32Array(villageCount + 1)
  for (let j = 0; j < candidateCount; j++) {
    if (!feasible[j]) continue
    for (let p = coverStart[j]!; p < coverStart[j + 1]!; p++) villageStart[coverVillages[p]! + 1]!++
  }
  for (let i = 0; i < villageCount; i++) villageStart[i + 1]! += villageStart[i]!
  const villageCandidates = new Int32Array(villageStart[villageCount]!)
  const fill = villageStart.slice(0, villageCount)
  for (let j = 0; j < candidateCount; j++) {
    if (!feasible[j]) continue
    for (let p = coverStart[j]!; p < coverStart[j + 1]!; p++) villageCandidates[fill[coverVillages[p]!]!++] = j
  }

  return {
    villageCount, candidateCount, weight, served, totalWeight, baseWeight, feasible, infeasibility, cost, backhaul, power,
    coverStart, coverVillages, coverWeight, villageStart, villageCandidates,
  }
}

/** Σ weight of the villages newly served by a set of candidates (duplicates and overlaps counted once). */
export function coveredWeight(instance: OptimiserInstance, chosen: Iterable<number>): number {
  const hit = new Uint8Array(instance.villageCount)
  let s = 0
  for (const j of chosen) {
    for (const i of coverOf(instance, j)) {
      if (!hit[i]) {
        hit[i] = 1
        s += instance.weight[i]!
      }
    }
  }
  return s
}
