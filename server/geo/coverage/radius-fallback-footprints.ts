import { circle, difference, featureCollection, sector } from '@turf/turf'
import type { Feature, MultiPolygon, Polygon } from 'geojson'
import { freeSpaceLoss } from '../propagation/free-space-loss.ts'
import { COVERAGE_THRESHOLDS_DBM, type CoverageThresholds } from '../propagation/coverage-class.ts'
import { LTE_RESOURCE_BLOCKS } from '../propagation/link-budget.ts'

/**
 * The fallback where no DEM covers a site: a Turf circle (omni) or sector
 * (the 3 dB beam) per coverage class, with radii where the free-space link
 * budget plus a margin crosses the class thresholds, capped at `maxRadiusM`.
 * It ignores terrain entirely, so it is LABELLED as the 'radius' model
 * wherever it is stored or shown. Radii in metres.
 */
export interface RadiusFallbackInput {
  lon: number
  lat: number
  azimuthDeg: number | null
  beamwidthDeg: number
  frequencyMhz: number
  eirpDbm: number
  bandwidthMhz: number
  /** Extra loss standing in for terrain and clutter, dB (default 20). */
  marginDb?: number
  maxRadiusM: number
  thresholds?: CoverageThresholds
}

export interface RadiusFallback {
  goodRadiusM: number
  weakRadiusM: number
  good: Polygon | MultiPolygon | null
  weak: Polygon | MultiPolygon | null
}

/** Distance (m) at which free-space loss reaches `lossDb` at `frequencyMhz`. */
function distanceForLoss(lossDb: number, frequencyMhz: number): number {
  const atOneKm = freeSpaceLoss(1, frequencyMhz)
  return 1000 * 10 ** ((lossDb - atOneKm) / 20)
}

export function radiusFallbackFootprints(input: RadiusFallbackInput): RadiusFallback {
  const thresholds = input.thresholds ?? COVERAGE_THRESHOLDS_DBM
  const nRb = LTE_RESOURCE_BLOCKS[String(input.bandwidthMhz)]
  if (nRb === undefined) throw new RangeError(`no LTE channel of ${input.bandwidthMhz} MHz`)
  const eirpPerRe = input.eirpDbm - 10 * Math.log10(12 * nRb)
  const margin = input.marginDb ?? 20
  const goodRadiusM = Math.min(input.maxRadiusM, distanceForLoss(eirpPerRe - margin - thresholds.goodDbm, input.frequencyMhz))
  const weakRadiusM = Math.min(input.maxRadiusM, distanceForLoss(eirpPerRe - margin - thresholds.weakDbm, input.frequencyMhz))
  const footprint = (radiusM: number): Feature<Polygon> | null => {
    if (!(radiusM > 1)) return null
    const km = radiusM / 1000
    if (input.beamwidthDeg >= 360 || input.azimuthDeg === null) return circle([input.lon, input.lat], km, { steps: 64, units: 'kilometers' })
    const half = input.beamwidthDeg / 2
    return sector([input.lon, input.lat], km, input.azimuthDeg - half, input.azimuthDeg + half, { steps: 64, units: 'kilometers' })
  }
  const good = footprint(goodRadiusM)
  const weakOuter = footprint(weakRadiusM)
  const weak = weakOuter && good ? difference(featureCollection([weakOuter, good])) : weakOuter
  return { goodRadiusM, weakRadiusM, good: good?.geometry ?? null, weak: weak?.geometry ?? null }
}
