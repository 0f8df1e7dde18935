import seedrandom from 'seedrandom'

/** A seeded random stream with the few draws the generator needs. */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** uniform in [a, b) */
  uniform(a: number, b: number): number
  /** integer uniform in [a, b], both included */
  int(a: number, b: number): number
  /** true with probability p */
  chance(p: number): boolean
  /** one element, uniformly */
  pick<T>(items: readonly T[]): T
  /** one element, with probability proportional to its weight */
  weighted<T>(items: readonly T[], weights: readonly number[]): T
  /** normal(mean, sd), Box–Muller */
  normal(mean: number, sd: number): number
}

/**
 * A deterministic random stream for one named purpose. The generator derives one stream per
 * purpose and per commune (`"20250701:villages:03646"`), so that changing how many draws one part
 * makes does not shift the draws of every other part.
 */
export function createRng(seed: string): Rng {
  const prng = seedrandom.alea(seed)
  const next = (): number => prng()
  const rng: Rng = {
    next,
    uniform: (a, b) => a + (b - a) * next(),
    int: (a, b) => a + Math.floor((b - a + 1) * next()),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(items.length * next())] as (typeof items)[number]
    },
    weighted: (items, weights) => {
      if (items.length === 0 || items.length !== weights.length) throw new Error('weighted: items and weights must match')
      let total = 0
      for (const w of weights) total += Math.max(0, w)
      if (!(total > 0)) return rng.pick(items)
      let r = next() * total
      for (let i = 0; i < items.length; i++) {
        r -= Math.max(0, weights[i] ?? 0)
        if (r < 0) return items[i] as (typeof items)[number]
      }
      return items[items.length - 1] as (typeof items)[number]
    },
    normal: (mean, sd) => {
      const u = 1 - next() // (0, 1]
      const v = next()
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
  }
  return rng
}
