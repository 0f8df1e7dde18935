import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import {
  fresnelClearance,
  fresnelRadiusM,
  passesFresnelClearance,
  worstFresnelClearanceRatio,
  type FresnelClearanceInput,
} from '../../../server/geo/backhaul/fresnel-clearance.ts'
import { neededAntennaHeight, type RaisedEnd } from '../../../server/geo/backhaul/needed-antenna-height.ts'
import { earthBulge } from '../../../server/geo/propagation/earth-bulge.ts'

/** Constants written out again, so the brute-force check shares no code with the module. */
const C = 299_792_458
const R = 6_371_008.8

/** Flat ground at 0 m over `lengthM`, a sample every `stepM`. */
function createFlatProfile(lengthM: number, stepM: number): { distancesM: Float64Array; groundM: Float64Array } {
  const n = Math.round(lengthM / stepM) + 1
  return { distancesM: Float64Array.from({ length: n }, (_, i) => i * stepM), groundM: new Float64Array(n) }
}

describe('fresnelRadiusM', () => {
  it('matches the textbook 17.32·√(d1·d2/(f·d)): 28.6 m mid-path for 915 MHz over 10 km', () => {
    // The handbook form with d in km, f in GHz, r in m (ITU-R P.530 §2.2.2 writes 17.3; the issue, 17.32).
    const textbook = 17.32 * Math.sqrt((5 * 5) / (0.915 * 10))
    expect(textbook).toBeCloseTo(28.63, 2)
    expect(Math.abs(fresnelRadiusM(5000, 5000, 915) - textbook)).toBeLessThan(0.1)
    expect(Math.abs(fresnelRadiusM(5000, 5000, 915) - 28.6)).toBeLessThan(0.1)
  })

  it('matches a published off-centre worked example: 34.64 m at 20 km from one end of a 50 km, 3 GHz path', () => {
    // eguruchela.com, "Calculate necessary clearance for the First Fresnel Zone"
    // (https://eguruchela.com/faq/cse/network/ns0014.php): dt = 20 km, dr = 30 km, 3 GHz →
    // 17.32·√(20·30/(50·3)) = 17.32·2 = 34.64 m.
    expect(Math.abs(fresnelRadiusM(20_000, 30_000, 3000) - 34.64)).toBeLessThan(0.1)
    expect(fresnelRadiusM(30_000, 20_000, 3000)).toBeCloseTo(fresnelRadiusM(20_000, 30_000, 3000), 12)
  })

  it('grows as √n for the n-th zone and is 0 at the ends', () => {
    expect(fresnelRadiusM(5000, 5000, 915, 2)).toBeCloseTo(Math.SQRT2 * fresnelRadiusM(5000, 5000, 915), 12)
    expect(fresnelRadiusM(0, 10_000, 915)).toBe(0)
    expect(fresnelRadiusM(10_000, 0, 915)).toBe(0)
  })
})

describe('the earth bulge the clearance uses', () => {
  it('is d1·d2/(2kR) ≈ 1.47 m mid-path of 10 km at k = 4/3 (handbook: d1·d2/(12.74·k) with km)', () => {
    expect(earthBulge(5000, 5000, 4 / 3)).toBeCloseTo(1.47, 2)
    expect(Math.abs(earthBulge(5000, 5000, 4 / 3) - (5 * 5) / (12.74 * (4 / 3)))).toBeLessThan(0.005)
    const r = fresnelClearance({ profile: createFlatProfile(10_000, 100), fromHeightM: 30, toHeightM: 30, frequencyMhz: 15_000 })
    expect(r.bulgeM[50]).toBeCloseTo(earthBulge(5000, 5000, 4 / 3), 12)
    expect(r.bulgeM[0]).toBe(0)
    expect(r.bulgeM[100]).toBe(0)
  })
})

describe('fresnelClearance over flat ground, by hand', () => {
  // 10 km, 15 GHz, a sample every 100 m. With equal antenna heights h the clearance is h − bulge,
  // and (h − b)/r1 shrinks towards mid-path (both b and r1 grow with d1·d2), so the worst point is
  // the middle one: h = b_mid + 0.6·r1_mid clears exactly 60 %.
  const bMid = (5000 * 5000) / (2 * (4 / 3) * R)
  const r1Mid = Math.sqrt(((C / 15e9) * 5000 * 5000) / 10_000)
  const hExact = bMid + 0.6 * r1Mid
  const input = (h: number): FresnelClearanceInput => ({ profile: createFlatProfile(10_000, 100), fromHeightM: h, toHeightM: h, frequencyMhz: 15_000 })

  it('passes at exactly 60 % of the first zone at mid-path (the boundary)', () => {
    expect(r1Mid).toBeCloseTo(7.07, 2)
    const r = fresnelClearance(input(hExact))
    expect(r.worst).toMatchObject({ index: 50, distanceM: 5000, groundM: 0 })
    expect(r.worst!.clearanceRatio).toBeCloseTo(0.6, 9)
    expect(r.worst!.clearanceM).toBeCloseTo(0.6 * r1Mid, 9)
    expect(r.worst!.fresnelRadiusM).toBeCloseTo(r1Mid, 9)
    expect(r.worst!.lineM).toBeCloseTo(hExact, 9)
    expect(r.pass).toBe(true)
    expect(r.obstruction).toBeNull()
    expect(r.samplesBelowRequired).toBe(0)
    expect(passesFresnelClearance(input(hExact))).toBe(true)
    expect(neededAntennaHeight(r)).toBe(0)
  })

  it('fails 1 m lower, naming the mid-path sample 1 m into the 60 % zone', () => {
    const r = fresnelClearance(input(hExact - 1))
    expect(r.pass).toBe(false)
    expect(r.lineOfSight).toBe(true)
    expect(r.obstruction).toMatchObject({ index: 50, distanceM: 5000, groundM: 0, blocksLineOfSight: false })
    expect(r.obstruction!.obstructionM).toBeCloseTo(bMid, 9)
    expect(r.obstruction!.aboveRequiredM).toBeCloseTo(1, 9)
    expect(passesFresnelClearance(input(hExact - 1))).toBe(false)
    expect(neededAntennaHeight(r, 'both')).toBeCloseTo(1, 9)
  })

  it('uses the required share and the k-factor it is given', () => {
    expect(fresnelClearance({ ...input(hExact), requiredClearance: 0.61 }).pass).toBe(false)
    expect(fresnelClearance({ ...input(hExact), requiredClearance: 0.59 }).pass).toBe(true)
    // k = 2/3 doubles the bulge: the same masts no longer pass.
    const sub = fresnelClearance({ ...input(hExact), kFactor: 2 / 3 })
    expect(sub.bulgeM[50]).toBeCloseTo(2 * bMid, 9)
    expect(sub.obstruction!.aboveRequiredM).toBeCloseTo(bMid, 9)
  })

  it('adds clutter to every interior sample and none at the ends', () => {
    // 10 m of trees everywhere and masts 10 m taller: the same clearances, the same boundary.
    const r = fresnelClearance({ ...input(hExact + 10), clutterM: 10 })
    expect(r.clutterM[0]).toBe(0)
    expect(r.clutterM[100]).toBe(0)
    expect(r.clutterM[50]).toBe(10)
    expect(r.clearanceM[0]).toBeCloseTo(hExact + 10, 9)
    expect(r.worst).toMatchObject({ index: 50, clutterM: 10 })
    expect(r.worst!.obstructionM).toBeCloseTo(bMid + 10, 9)
    expect(r.worst!.clearanceRatio).toBeCloseTo(0.6, 9)
    expect(r.pass).toBe(true)
  })

  it('takes clutter per sample: a 10 m building at mid-path blocks the line', () => {
    const clutterM = new Float64Array(101)
    clutterM[50] = 10
    const r = fresnelClearance({ ...input(hExact), clutterM })
    expect(r.obstruction).toMatchObject({ index: 50, distanceM: 5000, groundM: 0, clutterM: 10, blocksLineOfSight: true })
    expect(r.obstruction!.obstructionM).toBeCloseTo(bMid + 10, 9)
    expect(r.obstruction!.aboveRequiredM).toBeCloseTo(10, 9)
  })
})

describe('fresnelClearance with a knife edge', () => {
  it('names the edge at its distance and height, and how far it reaches into the zone', () => {
    // 10 km, 15 GHz, masts 30 m over flat ground at 0 m, a 28 m edge (a ridge) 3 km from A.
    const profile = createFlatProfile(10_000, 100)
    profile.groundM[30] = 28
    const r = fresnelClearance({ profile, fromHeightM: 30, toHeightM: 30, frequencyMhz: 15_000 })
    const bulge = (3000 * 7000) / (2 * (4 / 3) * R)
    const r1 = Math.sqrt(((C / 15e9) * 3000 * 7000) / 10_000)
    const clearance = 30 - (28 + bulge)
    expect(r.pass).toBe(false)
    expect(r.lineOfSight).toBe(true)
    expect(r.samplesBelowRequired).toBe(1)
    expect(r.obstruction).toMatchObject({ index: 30, distanceM: 3000, groundM: 28, blocksLineOfSight: false })
    expect(r.obstruction!.clearanceM).toBeCloseTo(clearance, 9)
    expect(r.obstruction!.fresnelRadiusM).toBeCloseTo(r1, 9)
    expect(r.obstruction!.aboveRequiredM).toBeCloseTo(0.6 * r1 - clearance, 9)
    // Raising both masts by that much clears it; raising only B must lift the line 3 km from A by it: ×10/3.
    expect(neededAntennaHeight(r, 'both')).toBeCloseTo(0.6 * r1 - clearance, 9)
    expect(neededAntennaHeight(r, 'from')).toBeCloseTo(((0.6 * r1 - clearance) * 10) / 7, 9)
    expect(neededAntennaHeight(r, 'to')).toBeCloseTo(((0.6 * r1 - clearance) * 10) / 3, 9)
  })

  it('says when the edge blocks the line of sight itself', () => {
    const profile = createFlatProfile(10_000, 100)
    profile.groundM[70] = 35
    const r = fresnelClearance({ profile, fromHeightM: 30, toHeightM: 30, frequencyMhz: 15_000 })
    expect(r.lineOfSight).toBe(false)
    expect(r.obstruction).toMatchObject({ index: 70, distanceM: 7000, groundM: 35, blocksLineOfSight: true })
    expect(r.obstruction!.clearanceM).toBeLessThan(-5)
  })
})

describe('fresnelClearance on random profiles against a brute-force recomputation (seeded)', () => {
  for (let s = 0; s < 40; s++) {
    const seed = `fresnel-clearance-${s}`
    it(`agrees for seed ${seed}`, () => {
      const rng = seedrandom(seed)
      const n = 3 + Math.floor(rng() * 300)
      const step = 10 + rng() * 200
      const distancesM = Float64Array.from({ length: n }, (_, i) => 500 + i * step) // need not start at 0
      const groundM = new Float64Array(n)
      let h = 200 + rng() * 1500
      for (let i = 0; i < n; i++) groundM[i] = h += (rng() - 0.5) * 40
      const clutterM = Float64Array.from({ length: n }, () => (rng() < 0.5 ? 0 : rng() * 20))
      const input: FresnelClearanceInput = {
        profile: { distancesM, groundM },
        fromHeightM: rng() * 80,
        toHeightM: rng() * 80,
        frequencyMhz: 900 + rng() * 40_000,
        kFactor: 0.5 + rng() * 1.5,
        clutterM,
        requiredClearance: rng(),
      }
      const r = fresnelClearance(input)

      // Brute force, straight from the formulas.
      const d = distancesM[n - 1]! - distancesM[0]!
      const tipA = groundM[0]! + input.fromHeightM
      const tipB = groundM[n - 1]! + input.toHeightM
      let worst = Infinity
      let worstIndex = -1
      const ratios: number[] = []
      for (let i = 1; i < n - 1; i++) {
        const d1 = distancesM[i]! - distancesM[0]!
        const d2 = d - d1
        const line = tipA + ((tipB - tipA) * d1) / d
        const obstruction = groundM[i]! + (d1 * d2) / (2 * input.kFactor! * R) + clutterM[i]!
        const r1 = Math.sqrt(((C / (input.frequencyMhz * 1e6)) * d1 * d2) / d)
        const ratio = (line - obstruction) / r1
        ratios.push(ratio)
        expect(r.lineM[i], `seed ${seed}, sample ${i}`).toBeCloseTo(line, 6)
        expect(r.obstructionM[i], `seed ${seed}, sample ${i}`).toBeCloseTo(obstruction, 6)
        expect(r.fresnelRadiusM[i], `seed ${seed}, sample ${i}`).toBeCloseTo(r1, 6)
        expect(r.clearanceRatio[i], `seed ${seed}, sample ${i}`).toBeCloseTo(ratio, 6)
        if (ratio < worst) {
          worst = ratio
          worstIndex = i
        }
      }
      const required = input.requiredClearance!
      expect(r.worst!.index, `seed ${seed}`).toBe(worstIndex)
      expect(r.worst!.clearanceRatio, `seed ${seed}`).toBeCloseTo(worst, 6)
      expect(r.pass, `seed ${seed}`).toBe(worst >= required)
      expect(r.samplesBelowRequired, `seed ${seed}`).toBe(ratios.filter((x) => x < required).length)
      expect(r.obstruction === null, `seed ${seed}`).toBe(r.pass)
      expect(worstFresnelClearanceRatio(input), `seed ${seed}`).toBeCloseTo(worst, 9)
      expect(passesFresnelClearance(input), `seed ${seed}`).toBe(r.pass)

      // The extra height found makes the hop pass, and 1 cm less does not (when any is needed).
      for (const raise of ['both', 'from', 'to'] as RaisedEnd[]) {
        const extra = neededAntennaHeight(r, raise)
        const raised = (x: number): FresnelClearanceInput => ({
          ...input,
          fromHeightM: input.fromHeightM + (raise === 'to' ? 0 : x),
          toHeightM: input.toHeightM + (raise === 'from' ? 0 : x),
        })
        expect(extra === 0, `seed ${seed}, raise ${raise}`).toBe(r.pass)
        expect(passesFresnelClearance(raised(extra + 1e-6)), `seed ${seed}, raise ${raise} by ${extra}`).toBe(true)
        if (extra > 0.01) expect(passesFresnelClearance(raised(extra - 0.01)), `seed ${seed}, raise ${raise} by ${extra}`).toBe(false)
      }
    })
  }
})

describe('fresnelClearance input checks', () => {
  it('refuses mismatched arrays, a single sample and a non-positive frequency', () => {
    const ok = createFlatProfile(1000, 100)
    expect(() => fresnelClearance({ profile: { distancesM: ok.distancesM, groundM: ok.groundM.subarray(1) }, fromHeightM: 10, toHeightM: 10, frequencyMhz: 15_000 })).toThrow(RangeError)
    expect(() => fresnelClearance({ profile: { distancesM: [0], groundM: [0] }, fromHeightM: 10, toHeightM: 10, frequencyMhz: 15_000 })).toThrow(RangeError)
    expect(() => worstFresnelClearanceRatio({ profile: ok, fromHeightM: 10, toHeightM: 10, frequencyMhz: 0 })).toThrow(RangeError)
  })

  it('passes a hop with no sample between its ends', () => {
    const r = fresnelClearance({ profile: { distancesM: [0, 20], groundM: [100, 500] }, fromHeightM: 10, toHeightM: 10, frequencyMhz: 15_000 })
    expect(r.worst).toBeNull()
    expect(r.pass).toBe(true)
    expect(worstFresnelClearanceRatio({ profile: { distancesM: [0, 20], groundM: [100, 500] }, fromHeightM: 10, toHeightM: 10, frequencyMhz: 15_000 })).toBe(Infinity)
  })
})
