import { EARTH_RADIUS_M, metresPerDegree, type RasterGrid } from './raster-grid.ts'

/**
 * Terrain geometry seen from one antenna over a raster, by radial sweep.
 *
 * Rays leave the site at N = ⌈2π·R/step⌉ evenly spaced bearings (one per
 * outer-ring cell), each sampled every `stepM` metres out to `radiusM`. Along
 * a ray the terrain profile is read once (bilinear heights from `heightAt`),
 * corrected for earth curvature with an effective radius k·R (k = 4/3 by
 * default), and the running horizon is carried forward, so each sample costs
 * the same whatever its distance: O(1) per sample, O(N·R/step) per sector.
 *
 * For every sample it reports what the path-loss model needs: distance,
 * whether the receiver sees the antenna (line of sight, from the running
 * horizon), and the Fresnel–Kirchhoff parameter ν of the dominant obstacle:
 * the largest ν over the vertices of the profile's upper convex hull, which
 * is kept incrementally (amortised O(1) per sample; the per-sample scan is
 * over the hull, typically a few dozen vertices), plus the elevation angle
 * from the antenna to the receiver (for the vertical antenna pattern). Each raster cell then
 * takes the sample nearest to its centre in (bearing, distance).
 *
 * Heights are metres above sea level; distances metres; angles radians.
 */
export interface SweepInput {
  grid: RasterGrid
  /** Terrain height (m) at a point; NaN where there is no data. */
  heightAt: (lon: number, lat: number) => number
  siteLon: number
  siteLat: number
  /** Antenna height above ground, m. */
  antennaHeightM: number
  /** Receiver height above ground, m (1.5 for a handset). */
  receiverHeightM: number
  radiusM: number
  /** Sampling step along the rays, m (default: the grid's smaller cell side). */
  stepM?: number
  /** Effective earth-radius factor (4/3 for standard refraction). */
  kFactor?: number
  /** Wavelength, m, for ν (c / f). */
  wavelengthM: number
  /**
   * Samples whose ν and elevation are wanted (1) — those some raster cell takes
   * (`sampleIndexPerCell`); the others only carry the horizon and the hull forward.
   * Default: all.
   */
  needed?: Uint8Array
}

/** How many rays and samples a sweep over `grid` out to `radiusM` makes, and its step. */
export interface SweepLayout {
  radials: number
  samplesPerRadial: number
  stepM: number
}

export function sweepLayout(grid: RasterGrid, siteLat: number, radiusM: number, stepM?: number): SweepLayout {
  const m = metresPerDegree(siteLat)
  const cellM = Math.min(grid.stepLon * m.lon, grid.stepLat * m.lat)
  const step = stepM ?? cellM
  return {
    radials: Math.max(8, Math.ceil((2 * Math.PI * radiusM) / cellM)),
    samplesPerRadial: Math.max(1, Math.floor(radiusM / step)),
    stepM: step,
  }
}

export interface SweepResult {
  radials: number
  samplesPerRadial: number
  stepM: number
  /** Per sample (radial-major): distance from the site, m. */
  distanceM: Float32Array
  /** Per sample: 1 when the receiver sees the antenna tip. */
  lineOfSight: Uint8Array
  /** Per sample: ν of the dominant obstacle (−Infinity when none rises above the direct path). */
  nu: Float32Array
  /** Per sample: elevation angle from the antenna tip to the receiver, radians (negative = below). */
  elevationRad: Float32Array
  /** Per sample: NaN where the terrain is unknown. */
  terrainM: Float32Array
  /** Bearing of radial i (radians clockwise from north) = i · 2π / radials. */
}

export function radialSweep(input: SweepInput): SweepResult {
  const k = input.kFactor ?? 4 / 3
  const m = metresPerDegree(input.siteLat)
  const { radials, samplesPerRadial: samples, stepM } = sweepLayout(input.grid, input.siteLat, input.radiusM, input.stepM)
  const needed = input.needed
  const total = radials * samples
  const distanceM = new Float32Array(total)
  const lineOfSight = new Uint8Array(total)
  const nu = new Float32Array(total)
  const elevationRad = new Float32Array(total)
  const terrainM = new Float32Array(total)
  const ground = input.heightAt(input.siteLon, input.siteLat)
  const txTip = (Number.isFinite(ground) ? ground : 0) + input.antennaHeightM
  const twoKR = 2 * k * EARTH_RADIUS_M
  const lambda = input.wavelengthM

  // Upper convex hull of the profile (distance, curvature-corrected height) seen so far along the
  // ray: the dominant obstacle (largest ν) lies on it. It depends on the terrain only, not on the
  // antenna height, so raising the mast lowers every candidate's ν and never worsens the loss.
  const hullD = new Float64Array(samples)
  const hullH = new Float64Array(samples)
  for (let i = 0; i < radials; i++) {
    const bearing = (i * 2 * Math.PI) / radials
    const dLon = (Math.sin(bearing) * stepM) / m.lon
    const dLat = (Math.cos(bearing) * stepM) / m.lat
    // Running horizon: the largest elevation slope of the terrain from the antenna tip (line of sight).
    let horizonSlope = -Infinity
    let hullSize = 0
    for (let s = 0; s < samples; s++) {
      const d = (s + 1) * stepM
      const idx = i * samples + s
      const h = input.heightAt(input.siteLon + dLon * (s + 1), input.siteLat + dLat * (s + 1))
      // Terrain lowered by the earth's bulge as seen from the site (flat-earth frame).
      const hc = h - (d * d) / twoKR
      const rxTip = hc + input.receiverHeightM
      const rxSlope = (rxTip - txTip) / d
      distanceM[idx] = d
      terrainM[idx] = h
      if (!Number.isFinite(h)) {
        lineOfSight[idx] = 0
        nu[idx] = Number.NaN
        continue
      }
      lineOfSight[idx] = rxSlope >= horizonSlope ? 1 : 0
      if (needed === undefined || needed[idx] === 1) {
        elevationRad[idx] = Math.atan(rxSlope)
        // ν of each hull vertex above the straight tx→rx path (ITU-R P.526 eq. 26); keep the largest.
        let best = -Infinity
        for (let v = 0; v < hullSize; v++) {
          const d1 = hullD[v]!
          const d2 = d - d1
          const clearance = hullH[v]! - (txTip + rxSlope * d1)
          const n = clearance * Math.sqrt((2 * d) / (lambda * d1 * d2))
          if (n > best) best = n
        }
        nu[idx] = best
      }
      const slope = (hc - txTip) / d
      if (slope > horizonSlope) horizonSlope = slope
      // Add this sample to the upper hull (monotone chain: drop vertices that fall below the new chord).
      while (hullSize >= 2) {
        const ax = hullD[hullSize - 2]!, ay = hullH[hullSize - 2]!
        const bx = hullD[hullSize - 1]!, by = hullH[hullSize - 1]!
        if ((bx - ax) * (hc - ay) - (by - ay) * (d - ax) >= 0) hullSize--
        else break
      }
      hullD[hullSize] = d
      hullH[hullSize] = hc
      hullSize++
    }
  }
  return { radials, samplesPerRadial: samples, stepM, distanceM, lineOfSight, nu, elevationRad, terrainM }
}

/**
 * For each cell of `grid`, the index of the sweep sample nearest to its centre
 * (−1 outside the radius or at the site itself). Bearings are measured with the
 * same local metric as the sweep.
 */
export function sampleIndexPerCell(grid: RasterGrid, siteLon: number, siteLat: number, sweep: SweepLayout): Int32Array {
  const m = metresPerDegree(siteLat)
  const out = new Int32Array(grid.cols * grid.rows).fill(-1)
  const twoPi = 2 * Math.PI
  for (let r = 0; r < grid.rows; r++) {
    const y = (grid.north - (r + 0.5) * grid.stepLat - siteLat) * m.lat
    for (let c = 0; c < grid.cols; c++) {
      const x = (grid.west + (c + 0.5) * grid.stepLon - siteLon) * m.lon
      const dist = Math.sqrt(x * x + y * y)
      const s = Math.round(dist / sweep.stepM) - 1
      if (s < 0 || s >= sweep.samplesPerRadial) continue
      let bearing = Math.atan2(x, y)
      if (bearing < 0) bearing += twoPi
      const i = Math.round((bearing / twoPi) * sweep.radials) % sweep.radials
      out[r * grid.cols + c] = i * sweep.samplesPerRadial + s
    }
  }
  return out
}
