import type { HeightWindow } from '../dem/height-window.ts'
import { postSpacing } from './post-spacing.ts'

/** The four profile directions through a post, as (east, south) post steps: E–W, N–S, NE–SW, NW–SE. */
const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [[1, 0], [0, 1], [1, -1], [1, 1]]

/**
 * Ridge posts of a height window by profile recognition, after Chang, Song & Hsu (1998),
 * "Automatic extraction of ridge and valley axes using the profile recognition and
 * polygon-breaking algorithm", Computers & Geosciences 24(1):83–93, doi:10.1016/S0098-3004(97)00078-2
 * (its first step; the polygon breaking that joins targets into lines is not needed to pick sites):
 * through each post, four profiles (E–W, N–S and the two diagonals) reach `halfLengthM` each side
 * (at least 2 posts, so a profile has at least the 5 points the authors recommend). The post is a
 * ridge target along a profile when no point of the profile is higher and each side has a point
 * lower than it (a flat or uniformly sloping profile is not a ridge). A post that is a target along
 * at least `minDirections` of the four profiles is a ridge post.
 *
 * On a long gable the crest is a target across the gable and along both diagonals (3 of 4); on a
 * cone only the summit is a target along two or more profiles (another point of the cone is the
 * highest of one profile only: the one tangent to its contour); a plane has none.
 *
 * Returns post indices (row · cols + col), row-major. Posts whose profiles leave the window or
 * cross an unknown height are not targets along those profiles.
 */
export function ridgeCells(window: HeightWindow, halfLengthM: number, minDirections = 2): number[] {
  const { cols, rows, heights: h } = window
  const { dx, dy } = postSpacing(window)
  const steps = DIRECTIONS.map(([ex, sy]) => {
    const len = Math.hypot(ex * dx, sy * dy)
    return Math.max(2, Math.round(halfLengthM / len))
  })
  const out: number[] = []
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = i * cols + j
      const v = h[p]!
      if (v !== v) continue
      let count = 0
      for (let d = 0; d < DIRECTIONS.length; d++) {
        const [ex, sy] = DIRECTIONS[d]!
        if (highestAlong(h, cols, rows, i, j, v, ex, sy, steps[d]!)) count++
        // Not enough directions left to reach minDirections.
        else if (count + (DIRECTIONS.length - d - 1) < minDirections) break
      }
      if (count >= minDirections) out.push(p)
    }
  }
  return out
}

function highestAlong(h: ArrayLike<number>, cols: number, rows: number, i: number, j: number, v: number, ex: number, sy: number, n: number): boolean {
  // The whole profile must lie in the window.
  const jEnd = j + ex * n
  const jStart = j - ex * n
  const iEnd = i + sy * n
  const iStart = i - sy * n
  if (Math.min(jStart, jEnd) < 0 || Math.max(jStart, jEnd) >= cols || Math.min(iStart, iEnd) < 0 || Math.max(iStart, iEnd) >= rows) return false
  let lowerAhead = false
  let lowerBehind = false
  for (let k = 1; k <= n; k++) {
    const ahead = h[(i + sy * k) * cols + (j + ex * k)]!
    const behind = h[(i - sy * k) * cols + (j - ex * k)]!
    // NaN fails `<= v`: an unknown point on the profile.
    if (!(ahead <= v) || !(behind <= v)) return false
    if (ahead < v) lowerAhead = true
    if (behind < v) lowerBehind = true
  }
  return lowerAhead && lowerBehind
}
