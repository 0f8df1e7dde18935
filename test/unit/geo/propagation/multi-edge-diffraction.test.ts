import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { knifeEdgeLoss } from '../../../../server/geo/propagation/knife-edge-loss.ts'
import { multiEdgeDiffraction, type DiffractionMethod, type ProfileLike } from '../../../../server/geo/propagation/multi-edge-diffraction.ts'

/** λ = 1/3 m (≈ 900 MHz) keeps the hand computations below exact: 2/λ = 6. */
const LAMBDA = 1 / 3

/**
 * Two knife edges over flat ground on a 10 km path: A = 50 m at 3 km, B = 40 m at 7 km, valley
 * samples at 0 m between them; transmitter tip 20 m, receiver tip 10 m.
 */
function createTwoEdgeProfile(): ProfileLike {
  return { distancesM: [0, 1500, 3000, 5000, 7000, 8500, 10_000], heightsM: [0, 0, 50, 0, 40, 0, 0] }
}

/**
 * A seeded random mountain profile: 20–420 samples over 1–31 km, heights 500 m ± a sum of eight
 * sine waves up to 210 m high plus ±5 m of noise. Returns the profile and the two tips.
 */
function createRandomProfile(seed: string): { profile: ProfileLike; txTipM: number; rxTipM: number; rng: () => number } {
  const rng = seedrandom(seed)
  const n = 20 + Math.floor(rng() * 400)
  const length = 1000 + rng() * 30_000
  const waves = Array.from({ length: 8 }, () => ({ k: rng() * 40, phase: rng() * 2 * Math.PI, amplitude: 10 + rng() * 200 }))
  const distancesM = new Float64Array(n)
  const heightsM = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1)
    distancesM[i] = t * length
    heightsM[i] = 500 + waves.reduce((h, w) => h + w.amplitude * Math.sin(w.k * t + w.phase), 0) + (rng() - 0.5) * 10
  }
  return { profile: { distancesM, heightsM }, txTipM: (heightsM[0] ?? 0) + 10 + rng() * 50, rxTipM: (heightsM[n - 1] ?? 0) + 1.5, rng }
}

describe('multiEdgeDiffraction: a hand-computed two-edge path', () => {
  // Tip-to-tip line y = 20 − x/1000. Against it (√(6·(1/d1 + 1/d2)) = 0.0534522 for 3/7 km):
  //   A: h = 50 − 17 = 33 m → ν = 1.7639, J = 18.039 dB (main edge)
  //   B: h = 40 − 13 = 27 m → ν = 1.4432
  // B against the line from A's top (3 km, 50 m) to the receiver tip (10 km, 10 m):
  //   line at 7 km = 50 − 40·4/7 = 27.143 m, h = 12.857 m, d1 = 4 km, d2 = 3 km → ν = 0.7606, J = 12.286 dB
  // Transmitter side of A: the 1.5 km sample is 35 m below the line 20 → 50 m, ν = −3.13: nothing.

  it('gives the Deygout construction main edge + sub-edge: 18.039 + 12.286 = 30.325 dB', () => {
    const r = multiEdgeDiffraction(createTwoEdgeProfile(), 20, 10, LAMBDA, { method: 'deygout' })
    expect(r.lossDb).toBeCloseTo(30.325, 3)
    expect(r.edges.map((e) => [e.index, e.depth])).toEqual([[2, 1], [4, 2]])
    expect(r.edges[0]?.nu).toBeCloseTo(1.7639, 4)
    expect(r.edges[1]?.nu).toBeCloseTo(0.7606, 4)
  })

  it('gives the main edge alone with maxDepth 1: 18.039 dB', () => {
    expect(multiEdgeDiffraction(createTwoEdgeProfile(), 20, 10, LAMBDA, { maxDepth: 1 }).lossDb).toBeCloseTo(18.039, 3)
  })

  it('gives Epstein–Peterson A against tx→B plus B against A→rx: 15.544 + 12.286 = 27.830 dB', () => {
    // A against the line (0, 20) → (7 km, 40): line at 3 km = 28.571 m, h = 21.429 m, d1 = 3 km,
    // d2 = 4 km → ν = 1.2677, J = 15.544 dB.
    const r = multiEdgeDiffraction(createTwoEdgeProfile(), 20, 10, LAMBDA, { method: 'epstein-peterson' })
    expect(r.lossDb).toBeCloseTo(27.83, 3)
    expect(r.edges.map((e) => e.index)).toEqual([2, 4])
  })

  it('gives Bullington one edge where the steepest rays cross: ν = 2.4372, 20.667 dB', () => {
    // S_tim = (50 − 20)/3000 = 0.01 (edge A), S_rim = (40 − 10)/3000 = 0.01 (edge B),
    // d_b = (10 − 20 + 0.01·10 000)/0.02 = 4500 m, apex 20 + 45 = 65 m, line there 15.5 m,
    // ν = 49.5·√(2·10 000/((1/3)·4500·5500)) = 2.4372.
    const r = multiEdgeDiffraction(createTwoEdgeProfile(), 20, 10, LAMBDA, { method: 'bullington' })
    expect(r.lossDb).toBeCloseTo(20.667, 3)
    expect(r.edges[0]?.distanceM).toBeCloseTo(4500, 6)
    expect(r.edges[0]?.heightM).toBeCloseTo(65, 6)
  })

  it("applies Deygout's empirical correction: 18.039 + (1 − e^(−18.039/6))·(12.286 + 10 + 0.04·10) = 39.603 dB", () => {
    const r = multiEdgeDiffraction(createTwoEdgeProfile(), 20, 10, LAMBDA, { empiricalCorrection: true })
    expect(r.lossDb).toBeCloseTo(39.603, 3)
  })

  it("applies Bullington's empirical correction: 20.667 + (1 − e^(−20.667/6))·(10 + 0.02·10) = 30.542 dB", () => {
    const r = multiEdgeDiffraction(createTwoEdgeProfile(), 20, 10, LAMBDA, { method: 'bullington', empiricalCorrection: true })
    expect(r.lossDb).toBeCloseTo(30.542, 3)
  })
})

describe('multiEdgeDiffraction: single edges', () => {
  /** Rappaport Example 4.8 as a profile: 100 m edge 10 km from a 50 m tip, 2 km from a 25 m tip. */
  function createRappaportProfile(): ProfileLike {
    return { distancesM: [0, 10_000, 12_000], heightsM: [0, 100, 0] }
  }

  it.each<DiffractionMethod>(['deygout', 'epstein-peterson', 'bullington'])('%s reduces to J(ν) of the one edge (ν = 4.25)', (method) => {
    const r = multiEdgeDiffraction(createRappaportProfile(), 50, 25, LAMBDA, { method })
    expect(r.lossDb).toBeCloseTo(knifeEdgeLoss(4.25), 6)
    expect(r.edges).toHaveLength(1)
  })

  it.each<DiffractionMethod>(['deygout', 'epstein-peterson', 'bullington'])(
    '%s charges a line-of-sight path for the deepest Fresnel-zone intrusion',
    (method) => {
      // The only intrusion is 10 m below the tip-to-tip line at mid-path: ν = −10·√(6·(2/5000)) = −0.49.
      const profile: ProfileLike = { distancesM: [0, 5000, 10_000], heightsM: [0, 10, 0] }
      const r = multiEdgeDiffraction(profile, 20, 20, LAMBDA, { method })
      expect(r.lossDb).toBeCloseTo(knifeEdgeLoss(-10 * Math.sqrt(6 * (2 / 5000))), 9)
      expect(r.lossDb).toBeGreaterThan(2)
    },
  )

  it("adds Deygout's empirical correction to a line-of-sight intrusion too", () => {
    const profile: ProfileLike = { distancesM: [0, 5000, 10_000], heightsM: [0, 10, 0] }
    const lp = knifeEdgeLoss(-10 * Math.sqrt(6 * (2 / 5000)))
    const r = multiEdgeDiffraction(profile, 20, 20, LAMBDA, { empiricalCorrection: true })
    expect(r.lossDb).toBeCloseTo(lp + (1 - Math.exp(-lp / 6)) * (10 + 0.04 * 10), 9)
  })

  it('costs nothing when the first Fresnel zone is clear', () => {
    const profile: ProfileLike = { distancesM: [0, 5000, 10_000], heightsM: [0, 0, 0] }
    expect(multiEdgeDiffraction(profile, 60, 60, LAMBDA)).toEqual({ lossDb: 0, edges: [] })
  })
})

describe('multiEdgeDiffraction: obstacles rather than samples', () => {
  /** A smooth hill 200 m high and 2 km wide in the middle of a 10 km path, sampled every `stepM`. */
  function createHill(stepM: number): ProfileLike {
    const n = Math.round(10_000 / stepM) + 1
    const distancesM = Float64Array.from({ length: n }, (_, i) => (i * 10_000) / (n - 1))
    const heightsM = distancesM.map((x) => Math.max(0, 200 * (1 - ((x - 5000) / 1000) ** 2)))
    return { distancesM, heightsM }
  }

  it.each<DiffractionMethod>(['deygout', 'epstein-peterson'])(
    '%s gives the same loss for a smooth hill sampled every 10, 30 or 90 m (within 1 dB)',
    (method) => {
      const losses = [10, 30, 90].map((step) => multiEdgeDiffraction(createHill(step), 30, 1.5, LAMBDA, { method }).lossDb)
      expect(Math.max(...losses) - Math.min(...losses)).toBeLessThan(1)
      expect(losses[0]).toBeGreaterThan(20)
    },
  )

  it('reports one obstacle, not its flank samples, as the edges of a smooth hill', () => {
    const r = multiEdgeDiffraction(createHill(30), 30, 1.5, LAMBDA)
    expect(r.edges).toHaveLength(1)
  })
})

/**
 * "More clearance never increases the diffraction loss" holds exactly for Bullington's edge and
 * for Deygout's main edge alone, and is checked for them here. It does NOT hold for the multi-edge
 * constructions (default Deygout, Epstein–Peterson): their choice of edges changes in steps, and
 * the total jumps with it (see the doc comment of multiEdgeDiffraction for measured rates).
 */
describe('multiEdgeDiffraction: more clearance never increases the loss (seeded random terrain)', () => {
  const MONOTONE: Array<{ name: string; options: { method: DiffractionMethod; maxDepth?: number } }> = [
    { name: 'bullington', options: { method: 'bullington' } },
    { name: 'deygout main edge', options: { method: 'deygout', maxDepth: 1 } },
  ]

  it.each(MONOTONE)('$name: raising either antenna never increases the loss', ({ options }) => {
    for (let s = 0; s < 300; s++) {
      const seed = `raise-${s}`
      const { profile, txTipM, rxTipM, rng } = createRandomProfile(seed)
      const dz = 1 + rng() * 30
      const base = multiEdgeDiffraction(profile, txTipM, rxTipM, LAMBDA, options).lossDb
      const higherTx = multiEdgeDiffraction(profile, txTipM + dz, rxTipM, LAMBDA, options).lossDb
      const higherRx = multiEdgeDiffraction(profile, txTipM, rxTipM + dz, LAMBDA, options).lossDb
      expect(higherTx, `seed ${seed}, transmitter +${dz} m`).toBeLessThanOrEqual(base + 1e-9)
      expect(higherRx, `seed ${seed}, receiver +${dz} m`).toBeLessThanOrEqual(base + 1e-9)
    }
  })

  it.each(MONOTONE)('$name: lowering any terrain sample never increases the loss', ({ options }) => {
    for (let s = 0; s < 300; s++) {
      const seed = `lower-${s}`
      const { profile, txTipM, rxTipM, rng } = createRandomProfile(seed)
      const heightsM = Float64Array.from(profile.heightsM)
      const i = 1 + Math.floor(rng() * (heightsM.length - 2))
      heightsM[i] = (heightsM[i] ?? 0) - rng() * 100
      const base = multiEdgeDiffraction(profile, txTipM, rxTipM, LAMBDA, options).lossDb
      const lowered = multiEdgeDiffraction({ distancesM: profile.distancesM, heightsM }, txTipM, rxTipM, LAMBDA, options).lossDb
      expect(lowered, `seed ${seed}, sample ${i} lowered`).toBeLessThanOrEqual(base + 1e-9)
    }
  })
})
