/**
 * mulberry32: a small, fast seeded 32-bit generator, uniform in [0, 1). The
 * synthetic terrain, the optimiser's hard instances and its tabu search use
 * it so that a seed always gives the same result on every machine.
 */
export function createSeededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
