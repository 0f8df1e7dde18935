import type { HeightWindow } from '../dem/height-window.ts'
import { groundDistance } from './ground-distance.ts'
import { hornSlope } from './horn-slope.ts'
import { localMaxima } from './local-maxima.ts'
import { localRelief } from './local-relief.ts'
import { ridgeCells } from './ridge-cells.ts'
import { thinBySpacing, type SpacedPoint } from './thin-by-spacing.ts'

export interface CandidateSearchOptions {
  /** The points candidates must be near (uncovered villages). */
  targets: readonly SpacedPoint[]
  /** Keep posts within this distance of some target, metres. */
  maxDistanceM: number
  /** Minimum distance between two candidates kept, metres. */
  minSpacingM: number
  /** Points that already hold a site: no candidate within `minSpacingM` of them. */
  occupied?: readonly SpacedPoint[]
  /** Most candidates returned (the best by score). */
  limit?: number
  /** Radius of the square a local maximum must top, metres (default 150). */
  peakRadiusM?: number
  /** Half-length of the ridge profiles, metres (default 150). */
  ridgeHalfLengthM?: number
  /** Radius of the square whose mean height the relief is measured against, metres (default 1000). */
  reliefRadiusM?: number
  /** Keep only posts standing more than this above their surroundings' mean, metres (default 0). */
  minReliefM?: number
}

export const CANDIDATE_DEFAULTS = { peakRadiusM: 150, ridgeHalfLengthM: 150, reliefRadiusM: 1000, minReliefM: 0 } as const

export interface CandidateCell {
  lon: number
  lat: number
  /** Post index in the window (row · cols + col). */
  index: number
  /** 'peak': a local maximum; 'ridge': a ridge post that is not one. */
  kind: 'peak' | 'ridge'
  /** Ground height at the post, metres. */
  elevationM: number
  /** Horn slope, degrees (null on the window's edge). */
  slopeDeg: number | null
  /** Height above the mean of the square of `reliefRadiusM` around (TPI), metres: the score. */
  reliefM: number
  /** The nearest target and how far it is, metres. */
  nearestTarget: { index: number; distanceM: number }
}

export interface CandidateSearch {
  candidates: CandidateCell[]
  counts: {
    /** Posts of the window that are local maxima / ridge posts (a maximum is usually a ridge post too). */
    peaks: number
    ridgeCells: number
    /** Distinct peak or ridge posts within maxDistanceM of a target. */
    withinDistance: number
    /** …of which standing above minReliefM. */
    aboveRelief: number
    /** Dropped by the spacing rule: near an occupied point, near a better candidate. */
    nearOccupied: number
    nearBetter: number
  }
}

/**
 * Candidate BTS sites on a height window: the local maxima (`localMaxima`) and ridge posts
 * (`ridgeCells`) within `maxDistanceM` of a target, scored by their local relief (`localRelief`,
 * the TPI over ±`reliefRadiusM`), those not above `minReliefM` dropped, then thinned greedily by
 * score to `minSpacingM` (`thinBySpacing`; ties by height, then by post order, so the result is
 * deterministic) and cut to `limit`. Each comes with its ground height and Horn slope. The window
 * should reach beyond the farthest target by `maxDistanceM` plus the largest radius, so every
 * post considered has its whole neighbourhood.
 */
export function candidateSites(window: HeightWindow, options: CandidateSearchOptions): CandidateSearch {
  const o = { ...CANDIDATE_DEFAULTS, ...options }
  const { cols, heights } = window
  const peaks = localMaxima(window, o.peakRadiusM)
  const ridges = ridgeCells(window, o.ridgeHalfLengthM)
  const kinds = new Map<number, 'peak' | 'ridge'>()
  for (const p of ridges) kinds.set(p, 'ridge')
  for (const p of peaks) kinds.set(p, 'peak')

  const relief = localRelief(window, o.reliefRadiusM)
  const found: CandidateCell[] = []
  let withinDistance = 0
  for (const [index, kind] of kinds) {
    const row = Math.floor(index / cols)
    const col = index - row * cols
    const lon = window.west + col * window.stepLon
    const lat = window.north - row * window.stepLat
    let best = -1
    let bestM = Number.POSITIVE_INFINITY
    for (let t = 0; t < o.targets.length; t++) {
      const target = o.targets[t]!
      const d = groundDistance(lon, lat, target.lon, target.lat)
      if (d < bestM) {
        bestM = d
        best = t
      }
    }
    if (best < 0 || bestM > o.maxDistanceM) continue
    withinDistance++
    const reliefM = relief(index)
    if (!(reliefM > o.minReliefM)) continue
    const slope = hornSlope(window, col, row)
    found.push({
      lon, lat, index, kind, elevationM: heights[index]!, slopeDeg: Number.isNaN(slope) ? null : slope, reliefM,
      nearestTarget: { index: best, distanceM: bestM },
    })
  }
  found.sort((a, b) => b.reliefM - a.reliefM || b.elevationM - a.elevationM || a.index - b.index)
  const thinned = thinBySpacing(found, o.minSpacingM, { occupied: o.occupied, limit: o.limit })
  return {
    candidates: thinned.kept.map((k) => found[k]!),
    counts: {
      peaks: peaks.length, ridgeCells: ridges.length, withinDistance, aboveRelief: found.length,
      nearOccupied: thinned.nearOccupied, nearBetter: thinned.nearBetter,
    },
  }
}
