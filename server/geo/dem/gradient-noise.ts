import { createSeededRandom } from '../../lib/seeded-random.ts'

/**
 * 2-D gradient noise (Perlin's improved noise, 2-D): a smooth random function on the plane, 0 on
 * every integer lattice point, values in about −1…1 with a standard deviation near 0.3, features
 * about one lattice unit across. Deterministic for a seed.
 *
 * The permutation table has 4096 entries, so the pattern repeats only every 4096 lattice units
 * (for the finest octave of the synthetic DEM, 2.5″ per unit: every 2.8°, more than a tile).
 * Used by synthesize-terrain.ts; pure, no Math.random.
 */
export type GradientNoise = (x: number, y: number) => number

const SIZE = 4096
const MASK = SIZE - 1
/** 16 unit gradients, evenly spread. */
const GX = new Float64Array(16)
const GY = new Float64Array(16)
for (let k = 0; k < 16; k++) {
  GX[k] = Math.cos((2 * Math.PI * k) / 16)
  GY[k] = Math.sin((2 * Math.PI * k) / 16)
}
/** Brings the range of 2-D Perlin noise with unit gradients (±√½) to about ±1. */
const RANGE_SCALE = Math.SQRT2

/** Gradient noise for a seed (any 32-bit integer; different seeds give unrelated patterns). */
export function createGradientNoise(seed: number): GradientNoise {
  const random = createSeededRandom(seed)
  const perm = new Uint16Array(SIZE * 2 + 1)
  for (let i = 0; i < SIZE; i++) perm[i] = i
  for (let i = SIZE - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = perm[i]!
    perm[i] = perm[j]!
    perm[j] = t
  }
  for (let i = 0; i <= SIZE; i++) perm[SIZE + i] = perm[i & MASK]!

  return (x: number, y: number): number => {
    const xf = Math.floor(x)
    const yf = Math.floor(y)
    const fx = x - xf
    const fy = y - yf
    const ix = xf & MASK
    const iy = yf & MASK
    const a = perm[ix]!
    const b = perm[ix + 1]!
    const g00 = perm[a + iy]! & 15
    const g01 = perm[a + iy + 1]! & 15
    const g10 = perm[b + iy]! & 15
    const g11 = perm[b + iy + 1]! & 15
    const n00 = GX[g00]! * fx + GY[g00]! * fy
    const n10 = GX[g10]! * (fx - 1) + GY[g10]! * fy
    const n01 = GX[g01]! * fx + GY[g01]! * (fy - 1)
    const n11 = GX[g11]! * (fx - 1) + GY[g11]! * (fy - 1)
    const u = fx * fx * fx * (fx * (fx * 6 - 15) + 10)
    const v = fy * fy * fy * (fy * (fy * 6 - 15) + 10)
    const top = n00 + (n10 - n00) * u
    const bottom = n01 + (n11 - n01) * u
    return RANGE_SCALE * (top + (bottom - top) * v)
  }
}
