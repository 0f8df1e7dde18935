import type { CandidateInput, CostModel, InstanceInput, VillageInput } from './instance.ts'
import { createSeededRandom } from '../../lib/seeded-random.ts'

/**
 * Seeded generator of *hard* optimiser instances, for the quality tests against an exact solver
 * and for the benchmark (no I/O; its own PRNG so that server code needs no test dependency).
 *
 * Why hard: on uniform random instances the plain greedy is already within ~1 % of the optimum,
 * so they prove little. Here the terrain is a set of parallel valleys (km apart) separated by
 * ridges. Villages sit in hamlet clusters along the valley floors, with heavy-tailed populations.
 * Candidates stand on the ridges with large footprints: each serves the clusters of the two
 * valleys it overlooks within its radius, and clusters of the valleys behind the next ridges
 * only where the terrain happens to let it see them (cluster-level shadowing, so footprints are
 * irregular and overlap heavily). Existing sites stand in the valleys next to the biggest
 * clusters and serve their surroundings (existing sites fixed). Candidate cost fields make a few
 * candidates infeasible (no fibre within reach and no microwave line of sight, or no grid and
 * no solar).
 */
export interface HardInstanceOptions {
  seed: number
  candidates: number
  villages: number
  /** Existing sites (default: villages / 150). */
  existingSites?: number
  /** Distance between valley floors, km (default 4). */
  valleySpacingKm?: number
  /** Villages per km of valley floor (default 3). */
  villagesPerKm?: number
  /** Mean footprint radius of a ridge candidate, km (default 4). */
  radiusKm?: number
  /** Probability that a ridge candidate sees a cluster two valleys away (default 0.35). */
  farVisibility?: number
  /** Probability that it sees a cluster of an adjacent valley within range (default 0.85). */
  nearVisibility?: number
  /** Footprint radius of an existing valley site, km (default 2.5). */
  existingRadiusKm?: number
}

export interface HardInstance {
  input: InstanceInput
  /** x, y (km) of each village, candidate and existing site, interleaved. */
  villageXY: Float64Array
  candidateXY: Float64Array
  existingXY: Float64Array
}

/** The cost model the generator's candidates are priced with (million VND). */
export const HARD_INSTANCE_COST_MODEL: CostModel = {
  maxFibreKm: 10,
  maxGridKm: 5,
  fibreCostPerKm: 150,
  microwaveHopCost: 450,
  powerCostPerKm: 120,
  solarCost: 600,
  allowSolar: true,
}

interface Cluster {
  valley: number
  x: number
  y: number
  villages: number[]
}

export function generateHardInstance(o: HardInstanceOptions): HardInstance {
  const rnd = createSeededRandom(o.seed)
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())
  const spacing = o.valleySpacingKm ?? 4
  const density = o.villagesPerKm ?? 3
  const radius = o.radiusKm ?? 4
  const far = o.farVisibility ?? 0.35
  const near = o.nearVisibility ?? 0.85
  const existingRadius = o.existingRadiusKm ?? 2.5
  const totalLength = o.villages / density
  const valleys = Math.max(2, Math.round(Math.sqrt(totalLength / spacing)))
  const width = totalLength / valleys
  const valleyY = (v: number, x: number): number => v * spacing + 0.6 * Math.sin(x / 3 + v * 1.7)

  // Hamlet clusters along each valley; cluster sizes heavy-tailed (1 + geometric-ish).
  const clusters: Cluster[] = []
  const villageXY = new Float64Array(2 * o.villages)
  const villages: VillageInput[] = []
  let made = 0
  while (made < o.villages) {
    const valley = Math.floor(rnd() * valleys)
    const x = rnd() * width
    const cluster: Cluster = { valley, x, y: valleyY(valley, x), villages: [] }
    const size = Math.min(o.villages - made, 1 + Math.floor(-Math.log(1 - rnd()) * 5))
    for (let s = 0; s < size; s++) {
      const vx = Math.min(width, Math.max(0, x + normal() * 0.7))
      villageXY[2 * made] = vx
      villageXY[2 * made + 1] = valleyY(valley, vx) + normal() * 0.2
      // Pareto(α = 1.3, x_m = 40): most villages a few hundred people, a few towns of thousands.
      villages.push({ population: Math.round(Math.min(8000, 40 * Math.pow(1 - rnd(), -1 / 1.3))) })
      cluster.villages.push(made)
      made++
    }
    clusters.push(cluster)
  }
  const byValley: Cluster[][] = Array.from({ length: valleys }, () => [])
  for (const c of clusters) byValley[c.valley]!.push(c)

  const inRange = (cx: number, cy: number, r: number, c: Cluster, out: number[]): void => {
    for (const i of c.villages) {
      const dx = villageXY[2 * i]! - cx
      const dy = villageXY[2 * i + 1]! - cy
      if (dx * dx + dy * dy <= r * r) out.push(i)
    }
  }

  // Existing sites: next to the biggest clusters, serving their valley around them.
  const existingCount = o.existingSites ?? Math.round(o.villages / 150)
  const clusterWeight = clusters.map((c) => c.villages.reduce((s, i) => s + villages[i]!.population, 0))
  const bigFirst = clusters.map((_, i) => i).sort((a, b) => clusterWeight[b]! - clusterWeight[a]! || a - b)
  const existingXY = new Float64Array(2 * existingCount)
  const existingCoverage: number[][] = []
  for (let e = 0; e < existingCount && e < bigFirst.length; e++) {
    // Half at the biggest clusters, half at random clusters (roads, not only towns).
    const c = e % 2 === 0 ? clusters[bigFirst[e >> 1]!]! : clusters[Math.floor(rnd() * clusters.length)]!
    existingXY[2 * e] = c.x
    existingXY[2 * e + 1] = c.y
    const served: number[] = []
    for (const d of byValley[c.valley]!) inRange(c.x, c.y, existingRadius, d, served)
    existingCoverage.push(served)
  }

  // Ridge candidates with large, shadowed footprints.
  const candidates: CandidateInput[] = []
  const candidateXY = new Float64Array(2 * o.candidates)
  for (let j = 0; j < o.candidates; j++) {
    const ridge = Math.floor(rnd() * (valleys - 1)) // between valley `ridge` and `ridge + 1`
    const x = rnd() * width
    const y = (valleyY(ridge, x) + valleyY(ridge + 1, x)) / 2
    candidateXY[2 * j] = x
    candidateXY[2 * j + 1] = y
    const r = radius * (0.7 + 0.6 * rnd())
    const covers: number[] = []
    for (let v = ridge - 1; v <= ridge + 2; v++) {
      if (v < 0 || v >= valleys) continue
      const p = v === ridge || v === ridge + 1 ? near : far
      for (const c of byValley[v]!) {
        if (Math.abs(c.x - x) > r + 3) continue
        if (rnd() >= p) continue
        inRange(x, y, r, c, covers)
      }
    }
    const fibreKm = -Math.log(1 - rnd()) * 5
    const gridKm = -Math.log(1 - rnd()) * 2.5
    candidates.push({
      covers: Int32Array.from(covers),
      siteCost: 1500 + Math.round(rnd() * 1000),
      fibreKm,
      microwaveHopOk: rnd() < 0.7,
      gridKm,
      solarAllowed: rnd() < 0.85,
    })
  }

  return {
    input: { villages, candidates, existingCoverage, model: HARD_INSTANCE_COST_MODEL },
    villageXY,
    candidateXY,
    existingXY,
  }
}
