import type { HeightWindow } from '../dem/height-window.ts'
import { postRadius } from './post-spacing.ts'

/**
 * Local high points of a height window: the posts higher than every other post of the square
 * window of `radiusM` around them (at least the 8 neighbours), as post indices (row · cols + col)
 * in row-major order. A flat top of equal heights gives one post, the first in row-major order
 * (a post beats an equal neighbour that comes after it). Posts closer than the radius to the
 * window's edge, or with an unknown (NaN) height in their square, are never maxima: the window
 * the caller reads must reach `radiusM` beyond the area searched.
 *
 * The 3 × 3 test runs first; only its survivors (about 1–2 % of posts on real terrain) are
 * compared with the whole square.
 */
export function localMaxima(window: HeightWindow, radiusM: number): number[] {
  const { cols, rows, heights: h } = window
  const { rx, ry } = postRadius(window, radiusM)
  const out: number[] = []
  for (let i = ry; i < rows - ry; i++) {
    for (let j = rx; j < cols - rx; j++) {
      const p = i * cols + j
      const v = h[p]!
      if (v !== v) continue
      if (!highestInSquare(h, cols, p, v, 1, 1)) continue
      if ((rx > 1 || ry > 1) && !highestInSquare(h, cols, p, v, rx, ry)) continue
      out.push(p)
    }
  }
  return out
}

/** Is post p (height v) above every other post of the square ±rx, ±ry (ties go to the earlier post)? */
function highestInSquare(h: ArrayLike<number>, cols: number, p: number, v: number, rx: number, ry: number): boolean {
  for (let di = -ry; di <= ry; di++) {
    const base = p + di * cols
    for (let dj = -rx; dj <= rx; dj++) {
      const q = base + dj
      if (q === p) continue
      const w = h[q]!
      // NaN fails both tests: an unknown neighbour means "not known to be a maximum".
      if (!(w < v || (w === v && q > p))) return false
    }
  }
  return true
}
