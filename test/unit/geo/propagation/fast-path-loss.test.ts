import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { antennaAttenuation, type SectorAntenna } from '../../../../server/geo/antenna/antenna-attenuation.ts'
import { elevationAngle } from '../../../../server/geo/antenna/elevation-angle.ts'
import { metresPerDegree } from '../../../../server/geo/coverage/raster-grid.ts'
import { DEFAULT_RECEIVER_HEIGHT_M, fastPathLoss, type FastPathLossOptions } from '../../../../server/geo/propagation/fast-path-loss.ts'
import { freeSpaceLoss } from '../../../../server/geo/propagation/free-space-loss.ts'
import { linkBudget } from '../../../../server/geo/propagation/link-budget.ts'
import type { ProfileLike } from '../../../../server/geo/propagation/multi-edge-diffraction.ts'
import { terrainProfile, type HeightSampler } from '../../../../server/geo/propagation/terrain-profile.ts'
import { SPEED_OF_LIGHT_M_PER_S } from '../../../../server/geo/propagation/wavelength.ts'

/** The carrier whose wavelength is exactly 1/3 m (899.38 MHz), to reuse hand-computed ν values. */
const THIRD_METRE_MHZ = (3 * SPEED_OF_LIGHT_M_PER_S) / 1e6

/** The two-edge path of multi-edge-diffraction.test.ts (Deygout 30.325 dB with tips 20 m and 10 m). */
function createTwoEdgeProfile(): ProfileLike {
  return { distancesM: [0, 1500, 3000, 5000, 7000, 8500, 10_000], heightsM: [0, 0, 50, 0, 40, 0, 0] }
}

/** A flat 10 km path at sea level, no bulge. */
function createFlatProfile(): ProfileLike {
  return { distancesM: [0, 2500, 5000, 7500, 10_000], heightsM: [0, 0, 0, 0, 0] }
}

describe('fastPathLoss', () => {
  it('is free-space loss over the slant path plus Deygout diffraction plus the clutter margin', () => {
    const r = fastPathLoss(
      { profile: createTwoEdgeProfile(), frequencyMhz: THIRD_METRE_MHZ, txHeightM: 20, rxHeightM: 10 },
      { clutterMarginDb: 8 },
    )
    const slantKm = Math.hypot(10_000, 10) / 1000
    expect(r.freeSpaceLossDb).toBeCloseTo(freeSpaceLoss(slantKm, THIRD_METRE_MHZ), 9)
    expect(r.diffractionLossDb).toBeCloseTo(30.325, 3)
    expect(r.clutterMarginDb).toBe(8)
    expect(r.lossDb).toBeCloseTo(r.freeSpaceLossDb + 30.325 + 8, 3)
  })

  it('names the edge that cost the most: the 50 m ridge at 3 km', () => {
    const r = fastPathLoss({ profile: createTwoEdgeProfile(), frequencyMhz: THIRD_METRE_MHZ, txHeightM: 20, rxHeightM: 10 })
    expect(r.dominantEdge?.distanceM).toBe(3000)
    expect(r.edges).toHaveLength(2)
  })

  it('is plain free-space loss over a clear path, with the receiver at 1.5 m by default', () => {
    const r = fastPathLoss({ profile: createFlatProfile(), frequencyMhz: 1800, txHeightM: 150 })
    expect(DEFAULT_RECEIVER_HEIGHT_M).toBe(1.5)
    expect(r.diffractionLossDb).toBe(0)
    expect(r.dominantEdge).toBeNull()
    expect(r.pathLengthKm).toBeCloseTo(Math.hypot(10_000, 148.5) / 1000, 9)
  })

  it('uses the ground distance on request', () => {
    const r = fastPathLoss({ profile: createFlatProfile(), frequencyMhz: 1800, txHeightM: 150 }, { distance: 'ground' })
    expect(r.pathLengthKm).toBe(10)
    expect(r.freeSpaceLossDb).toBeCloseTo(freeSpaceLoss(10, 1800), 9)
  })

  it('can leave diffraction out', () => {
    const r = fastPathLoss({ profile: createTwoEdgeProfile(), frequencyMhz: 900, txHeightM: 20, rxHeightM: 10 }, { diffraction: 'none' })
    expect(r.diffractionLossDb).toBe(0)
  })

  it('keeps a 1 m minimum path length at the foot of the mast', () => {
    const r = fastPathLoss({ profile: { distancesM: [0, 0], heightsM: [0, 0] }, frequencyMhz: 1800, txHeightM: 1.5, rxHeightM: 1.5 })
    expect(r.pathLengthKm).toBe(0.001)
    expect(Number.isFinite(r.lossDb)).toBe(true)
  })
})

/** A plateau `elevationM` high everywhere. */
function createPlateau(elevationM: number): HeightSampler {
  return () => elevationM
}

describe('fastPathLoss on a flat earth: the loss grows with distance (seeded random)', () => {
  it.each<FastPathLossOptions['diffraction']>(['deygout', 'epstein-peterson', 'bullington'])(
    '%s: never less loss farther away, out to 60 km (beyond the radio horizon)',
    (diffraction) => {
      for (let s = 0; s < 40; s++) {
        const seed = `flat-${diffraction}-${s}`
        const rng = seedrandom(seed)
        const heightAt = createPlateau(rng() * 1500)
        const frequencyMhz = 700 + rng() * 1900
        const txHeightM = 10 + rng() * 50
        const rxHeightM = 1 + rng() * 9
        const spacingM = 30 + rng() * 120
        const m = metresPerDegree(21)
        let previous = -Infinity
        for (let d = 200; d <= 60_000; d += 200 + rng() * 800) {
          const profile = terrainProfile([104, 21], [104 + d / m.lon, 21], heightAt, { spacingM })
          if (!profile) throw new Error('expected a profile')
          const loss = fastPathLoss({ profile, frequencyMhz, txHeightM, rxHeightM }, { diffraction }).lossDb
          expect(loss, `seed ${seed} at ${d.toFixed(0)} m`).toBeGreaterThanOrEqual(previous)
          previous = loss
        }
      }
    },
  )
})

/**
 * The omni-antenna property, with the two options under which it holds exactly: Bullington's edge
 * (Deygout and Epstein–Peterson can jump when their choice of edges changes, see
 * multiEdgeDiffraction) and free space over the ground distance (over the slant distance a higher
 * mast really is farther from a receiver below it: the loss then rises by 20·log10 of the slant
 * ratio, e.g. +1.3 dB for a receiver 100 m away and 50 m below the foot of a mast raised from 30 to
 * 60 m). The antenna has no vertical pattern: with one, a higher mast can move a nearby receiver
 * out of the beam.
 */
describe('an omni antenna with the fast model: a higher mast never gives a lower RSRP (seeded random terrain)', () => {
  const OMNI: SectorAntenna = { gainDbi: 11, azimuthDeg: 0, horizontalBeamwidthDeg: 360, verticalBeamwidthDeg: null }

  /** A seeded random mountain: hills up to ~800 m over a 500 m base. */
  function createMountain(seed: string): HeightSampler {
    const rng = seedrandom(seed)
    const waves = Array.from({ length: 10 }, () => ({
      kx: (rng() - 0.5) * 600, ky: (rng() - 0.5) * 600, phase: rng() * 2 * Math.PI, amplitude: 10 + rng() * 150,
    }))
    return (lon, lat) => 500 + waves.reduce((h, w) => h + w.amplitude * Math.sin(w.kx * (lon - 104) + w.ky * (lat - 21) + w.phase), 0)
  }

  it('holds for Bullington diffraction and ground distance', () => {
    for (let s = 0; s < 60; s++) {
      const seed = `mast-${s}`
      const rng = seedrandom(seed)
      const heightAt = createMountain(seed)
      const to: [number, number] = [104 + (rng() - 0.5) * 0.3, 21 + (rng() - 0.5) * 0.3]
      const profile = terrainProfile([104, 21], to, heightAt, { spacingM: 60 })
      if (!profile) throw new Error('expected a profile')
      const n = profile.heightsM.length
      let previous = -Infinity
      for (let mast = 10; mast <= 80; mast += 5) {
        const path = fastPathLoss(
          { profile, frequencyMhz: 1800, txHeightM: mast },
          { diffraction: 'bullington', distance: 'ground' },
        )
        const elevation = elevationAngle((profile.heightsM[0] ?? 0) + mast, (profile.heightsM[n - 1] ?? 0) + 1.5, profile.lengthM)
        const rsrp = linkBudget({
          transmit: { eirpDbm: 60, bandwidthMhz: 10 },
          antennaAttenuationDb: antennaAttenuation(OMNI, 45, elevation),
          pathLossDb: path.lossDb,
        }).rsrpDbm
        expect(rsrp, `seed ${seed}, mast ${mast} m`).toBeGreaterThanOrEqual(previous - 1e-9)
        previous = rsrp
      }
    }
  })
})
