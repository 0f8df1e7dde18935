import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { SITE, siteGrid as grid } from '../../../helpers/site-grid.ts'
import { radialSweep, sampleIndexPerCell } from '../../../../server/geo/coverage/radial-sweep.ts'
import { EARTH_RADIUS_M, metresPerDegree, type RasterGrid } from '../../../../server/geo/coverage/raster-grid.ts'

const K = 4 / 3

/** A seeded random terrain: smooth hills plus ridges, heights in metres. */
function randomTerrain(seed: string): (lon: number, lat: number) => number {
  const rng = seedrandom(seed)
  const waves = Array.from({ length: 12 }, () => ({
    kx: (rng() - 0.5) * 900, ky: (rng() - 0.5) * 900, phase: rng() * 2 * Math.PI, amp: 20 + rng() * 180,
  }))
  return (lon, lat) => 600 + waves.reduce((h, w) => h + w.amp * Math.sin(w.kx * (lon - SITE.lon) + w.ky * (lat - SITE.lat) + w.phase), 0)
}

/**
 * Line of sight by brute force: the straight path from the antenna tip to the
 * receiver tip, sampled every `fineM` metres (4× finer than the sweep), with
 * the same earth-curvature model. Returns the smallest clearance (m) of the
 * terrain below the path: ≥ 0 means visible.
 */
function bruteForceClearance(heightAt: (lon: number, lat: number) => number, lon: number, lat: number, antennaM: number, receiverM: number, fineM: number): number {
  const m = metresPerDegree(SITE.lat)
  const x = (lon - SITE.lon) * m.lon
  const y = (lat - SITE.lat) * m.lat
  const d = Math.hypot(x, y)
  const txTip = heightAt(SITE.lon, SITE.lat) + antennaM
  const rxTip = heightAt(lon, lat) - (d * d) / (2 * K * EARTH_RADIUS_M) + receiverM
  let minClearance = Infinity
  for (let t = fineM; t < d - 1e-6; t += fineM) {
    const f = t / d
    const h = heightAt(SITE.lon + (f * x) / m.lon, SITE.lat + (f * y) / m.lat) - (t * t) / (2 * K * EARTH_RADIUS_M)
    const path = txTip + (rxTip - txTip) * f
    minClearance = Math.min(minClearance, path - h)
  }
  return minClearance
}


describe('radialSweep', () => {
  it.each(['seed-1', 'seed-2', 'seed-3'])('agrees with brute-force line of sight on a random terrain (seed %s) wherever the margin is not grazing', (seed) => {
    const heightAt = randomTerrain(seed)
    const radiusM = 3000
    const sweep = radialSweep({ grid: grid(radiusM), heightAt, siteLon: SITE.lon, siteLat: SITE.lat, antennaHeightM: 30, receiverHeightM: 1.5, radiusM, wavelengthM: 0.1667 })
    const m = metresPerDegree(SITE.lat)
    let checked = 0
    let disagree = 0
    const rng = seedrandom(`${seed}:picks`)
    for (let n = 0; n < 1500; n++) {
      const i = Math.floor(rng() * sweep.radials)
      const s = Math.floor(rng() * sweep.samplesPerRadial)
      const idx = i * sweep.samplesPerRadial + s
      const bearing = (i * 2 * Math.PI) / sweep.radials
      const d = sweep.distanceM[idx]!
      const lon = SITE.lon + (Math.sin(bearing) * d) / m.lon
      const lat = SITE.lat + (Math.cos(bearing) * d) / m.lat
      const clearance = bruteForceClearance(heightAt, lon, lat, 30, 1.5, sweep.stepM / 4)
      if (Math.abs(clearance) < 2) continue // grazing paths: the sampling step decides, either answer is right
      checked++
      if ((clearance >= 0) !== (sweep.lineOfSight[idx] === 1)) disagree++
    }
    expect(checked, `seed ${seed}`).toBeGreaterThan(1000)
    expect(disagree / checked, `seed ${seed}: ${disagree} of ${checked} samples disagree`).toBeLessThan(0.01)
  })

  it('sees everything on flat ground within the radio horizon', () => {
    const sweep = radialSweep({ grid: grid(5000), heightAt: () => 100, siteLon: SITE.lon, siteLat: SITE.lat, antennaHeightM: 30, receiverHeightM: 1.5, radiusM: 5000, wavelengthM: 0.1667 })
    expect(sweep.lineOfSight.every((v) => v === 1)).toBe(true)
  })

  it('is shadowed behind a wall and sees over it from a higher mast', () => {
    const m = metresPerDegree(SITE.lat)
    // A 60 m wall running east-west 1 km north of the site.
    const wall = (lon: number, lat: number) => ((lat - SITE.lat) * m.lat > 1000 && (lat - SITE.lat) * m.lat < 1060 ? 160 : 100)
    const run = (antennaHeightM: number) => radialSweep({ grid: grid(3000), heightAt: wall, siteLon: SITE.lon, siteLat: SITE.lat, antennaHeightM, receiverHeightM: 1.5, radiusM: 3000, wavelengthM: 0.1667 })
    const low = run(20)
    const north = 0 // radial 0 points north
    const at = (sw: ReturnType<typeof run>, metres: number) => north * sw.samplesPerRadial + Math.round(metres / sw.stepM) - 1
    expect(low.lineOfSight[at(low, 900)]).toBe(1)
    expect(low.lineOfSight[at(low, 1300)]).toBe(0)
    expect(low.nu[at(low, 1300)]).toBeGreaterThan(0)
    const high = run(200)
    expect(high.lineOfSight[at(high, 2500)]).toBe(1)
    // Further behind the wall the path to the antenna clears it more steeply: ν shrinks.
    expect(low.nu[at(low, 2900)]).toBeLessThan(low.nu[at(low, 1300)]!)
  })

  it('maps every cell within the radius to the sample nearest its centre', () => {
    const g = grid(2000)
    const sweep = radialSweep({ grid: g, heightAt: () => 0, siteLon: SITE.lon, siteLat: SITE.lat, antennaHeightM: 30, receiverHeightM: 1.5, radiusM: 2000, wavelengthM: 0.1667 })
    const index = sampleIndexPerCell(g, SITE.lon, SITE.lat, sweep)
    const m = metresPerDegree(SITE.lat)
    let inside = 0
    for (let r = 0; r < g.rows; r++) {
      for (let c = 0; c < g.cols; c++) {
        const x = (g.west + (c + 0.5) * g.stepLon - SITE.lon) * m.lon
        const y = (g.north - (r + 0.5) * g.stepLat - SITE.lat) * m.lat
        const d = Math.hypot(x, y)
        const idx = index[r * g.cols + c]!
        if (d < 2000 - sweep.stepM && d > sweep.stepM) {
          inside++
          expect(idx).toBeGreaterThanOrEqual(0)
          expect(Math.abs(sweep.distanceM[idx]! - d)).toBeLessThanOrEqual(sweep.stepM / 2 + 1e-6)
        }
      }
    }
    expect(inside).toBeGreaterThan(10_000)
  })
})
