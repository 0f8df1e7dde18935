import { createDemTile, type DemTile } from './dem-tile.ts'

export interface FillVoidsOptions {
  /**
   * Gauss–Seidel sweeps of Laplace smoothing over the filled cells after the first fill
   * (default 40). 0 keeps the plain inverse-distance fill.
   */
  smoothingSweeps?: number
  /** Sweeps stop early when no filled cell moved by more than this many metres (default 0.01). */
  tolerance?: number
}

export interface FillVoidsResult {
  /** A new tile with the voids filled (the input tile itself when it had no void). */
  tile: DemTile
  /** Voids that were given a height. */
  filled: number
  /** Voids left: only when the tile has no valid sample at all. */
  unfilled: number
}

const DIAGONAL_WEIGHT = Math.SQRT1_2

/**
 * Fills the voids of a DEM tile from the valid samples around them. Heights in metres; the input
 * tile is not changed.
 *
 * Method (chosen for SRTM voids, which sit mostly in steep shadowed slopes and on water, from a
 * few samples to a few hundred across):
 * 1. inverse-distance onion peeling: voids touching valid samples get the mean of their valid
 *    8 neighbours weighted 1 (edge neighbours) and 1/√2 (corner neighbours); then the next ring
 *    inwards from those, until every void reachable from a valid sample has a height. Each ring
 *    is computed from the previous rings only, so the result does not depend on scan order.
 * 2. Laplace smoothing: Gauss–Seidel sweeps over the filled cells only, each set to the same
 *    weighted mean of its 8 neighbours, with the valid samples held fixed. This converges to the
 *    harmonic surface that meets the void's rim without steps or creases; a plane is reproduced
 *    (away from the tile border), and a fill never rises above the highest rim sample or falls below the lowest (no
 *    invented peaks). Large voids come out as smooth membranes, as with GDAL's FillNodata.
 *
 * The sweeps stop after `smoothingSweeps` or when nothing moves by more than `tolerance`: a void
 * a few samples across is converged, one hundreds across keeps some of the inverse-distance shape.
 * Voids on the tile's border are filled from inside the tile only. Int16 tiles are rounded to
 * whole metres. Memory: a float32 copy and a byte per sample while it runs (65 MB for a 1″ tile).
 * Used by the DEM store when it loads a tile.
 */
export function fillVoids(tile: DemTile, options: FillVoidsOptions = {}): FillVoidsResult {
  const { cols, rows, heights, voidValue } = tile
  const sweeps = options.smoothingSweeps ?? 40
  const tolerance = options.tolerance ?? 0.01
  const n = cols * rows

  let voidCount = 0
  for (let i = 0; i < n; i++) {
    const v = heights[i]!
    if (v === voidValue || v !== v) voidCount++
  }
  if (voidCount === 0) return { tile, filled: 0, unfilled: 0 }
  // h: heights as float32 (exact for int16 metres), NaN for voids.
  const h = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const v = heights[i]!
    h[i] = v === voidValue ? Number.NaN : v
  }

  // 1. Onion peeling. state: 0 valid or filled, 1 void, 2 void queued in the next ring.
  const state = new Uint8Array(n)
  for (let i = 0; i < n; i++) if (h[i] !== h[i]) state[i] = 1
  let ring: number[] = []
  for (let i = 0; i < n; i++) {
    if (state[i] === 1 && hasValidNeighbour(h, cols, rows, i)) {
      state[i] = 2
      ring.push(i)
    }
  }
  const filledOrder: number[] = []
  const values: number[] = []
  while (ring.length > 0) {
    values.length = 0
    for (const i of ring) values.push(neighbourMean(h, cols, rows, i))
    for (let k = 0; k < ring.length; k++) {
      const i = ring[k]!
      h[i] = values[k]!
      state[i] = 0
      filledOrder.push(i)
    }
    const next: number[] = []
    for (const i of ring) {
      const r = (i / cols) | 0
      const c = i - r * cols
      for (let dr = -1; dr <= 1; dr++) {
        const rr = r + dr
        if (rr < 0 || rr >= rows) continue
        for (let dc = -1; dc <= 1; dc++) {
          const cc = c + dc
          if (cc < 0 || cc >= cols) continue
          const j = rr * cols + cc
          if (state[j] === 1) {
            state[j] = 2
            next.push(j)
          }
        }
      }
    }
    ring = next
  }

  // 2. Laplace smoothing over the filled cells, valid samples fixed.
  if (filledOrder.length > 0) {
    filledOrder.sort((a, b) => a - b)
    for (let s = 0; s < sweeps; s++) {
      let moved = 0
      for (const i of filledOrder) {
        const v = neighbourMean(h, cols, rows, i)
        const d = Math.abs(v - h[i]!)
        if (d > moved) moved = d
        h[i] = v
      }
      if (moved <= tolerance) break
    }
  }

  const out = heights instanceof Int16Array ? new Int16Array(n) : new Float32Array(n)
  const round = out instanceof Int16Array
  let unfilled = 0
  for (let i = 0; i < n; i++) {
    const v = h[i]!
    if (v !== v) {
      out[i] = heights[i]!
      unfilled++
    } else out[i] = round ? Math.round(v) : v
  }
  return { tile: createDemTile({ ...tile, heights: out }), filled: voidCount - unfilled, unfilled }
}

function hasValidNeighbour(h: Float32Array, cols: number, rows: number, i: number): boolean {
  const r = (i / cols) | 0
  const c = i - r * cols
  for (let dr = -1; dr <= 1; dr++) {
    const rr = r + dr
    if (rr < 0 || rr >= rows) continue
    for (let dc = -1; dc <= 1; dc++) {
      const cc = c + dc
      if ((dr === 0 && dc === 0) || cc < 0 || cc >= cols) continue
      const v = h[rr * cols + cc]!
      if (v === v) return true
    }
  }
  return false
}

/** Mean of the valid 8 neighbours, weight 1 for edge and 1/√2 for corner neighbours (NaN if none). */
function neighbourMean(h: Float32Array, cols: number, rows: number, i: number): number {
  const r = (i / cols) | 0
  const c = i - r * cols
  let sum = 0
  let weight = 0
  for (let dr = -1; dr <= 1; dr++) {
    const rr = r + dr
    if (rr < 0 || rr >= rows) continue
    for (let dc = -1; dc <= 1; dc++) {
      const cc = c + dc
      if ((dr === 0 && dc === 0) || cc < 0 || cc >= cols) continue
      const v = h[rr * cols + cc]!
      if (v !== v) continue
      const w = dr !== 0 && dc !== 0 ? DIAGONAL_WEIGHT : 1
      sum += v * w
      weight += w
    }
  }
  return weight > 0 ? sum / weight : Number.NaN
}
