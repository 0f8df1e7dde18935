import type { HeightWindow } from '../dem/height-window.ts'
import { postRadius } from './post-spacing.ts'

/**
 * Local relief, metres: a post's height minus the mean height of the other known posts of the
 * square ±`radiusM` around it (clipped to the window). This is the topographic position index
 * (TPI) of Weiss (2001), "Topographic Position and Landforms Analysis", ESRI User Conference
 * (after Guisan, Weiss & Weiss 1999, Plant Ecology 143:107–122), with a square neighbourhood:
 * positive on hill tops and ridges, about 0 on plains and even slopes, negative in valleys.
 * It ranks candidate sites: a site that stands higher above what is around it sees further.
 *
 * Built once per window from summed-area tables of heights and of known-post counts (O(1) per
 * query); returns the function that answers for a post index (row · cols + col). NaN for an
 * unknown post or one with no known post around it.
 */
export function localRelief(window: HeightWindow, radiusM: number): (index: number) => number {
  const { cols, rows, heights: h } = window
  const { rx, ry } = postRadius(window, radiusM)
  const w = cols + 1
  const sum = new Float64Array(w * (rows + 1))
  const count = new Int32Array(w * (rows + 1))
  for (let i = 0; i < rows; i++) {
    let rowSum = 0
    let rowCount = 0
    for (let j = 0; j < cols; j++) {
      const v = h[i * cols + j]!
      if (v === v) {
        rowSum += v
        rowCount++
      }
      sum[(i + 1) * w + j + 1] = sum[i * w + j + 1]! + rowSum
      count[(i + 1) * w + j + 1] = count[i * w + j + 1]! + rowCount
    }
  }
  return (index: number): number => {
    const v = h[index]!
    if (v !== v) return Number.NaN
    const i = Math.floor(index / cols)
    const j = index - i * cols
    const i0 = Math.max(0, i - ry)
    const i1 = Math.min(rows, i + ry + 1)
    const j0 = Math.max(0, j - rx)
    const j1 = Math.min(cols, j + rx + 1)
    const s = sum[i1 * w + j1]! - sum[i0 * w + j1]! - sum[i1 * w + j0]! + sum[i0 * w + j0]! - v
    const n = count[i1 * w + j1]! - count[i0 * w + j1]! - count[i1 * w + j0]! + count[i0 * w + j0]! - 1
    return n > 0 ? v - s / n : Number.NaN
  }
}
