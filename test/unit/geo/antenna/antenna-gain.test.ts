import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FRONT_TO_BACK_DB,
  DEFAULT_SIDE_LOBE_LEVEL_DB,
  DEFAULT_VERTICAL_BEAMWIDTH_DEG,
  antennaAttenuation,
  type SectorAntenna,
} from '../../../../server/geo/antenna/antenna-attenuation.ts'
import { antennaGain } from '../../../../server/geo/antenna/antenna-gain.ts'
import { elevationAngle } from '../../../../server/geo/antenna/elevation-angle.ts'

/**
 * 3GPP TR 36.814 v9.2.0 Table A.2.1.1-2: A_H(φ) = −min(12(φ/φ3dB)², A_m), A_V(θ) =
 * −min(12((θ − θ_tilt)/θ3dB)², SLA_v), A = −min(−(A_H + A_V), A_m), with A_m = 25 dB, SLA_v = 20 dB,
 * θ3dB = 10°. A 65° panel of 17 dBi pointing east, 4° electrical + 2° mechanical downtilt.
 */
function createPanel(): SectorAntenna {
  return { gainDbi: 17, azimuthDeg: 90, horizontalBeamwidthDeg: 65, electricalTiltDeg: 4, mechanicalTiltDeg: 2 }
}

describe('antennaAttenuation (3GPP TR 36.814 parabolic pattern)', () => {
  it('uses the TR 36.814 defaults A_m = 25 dB, SLA_v = 20 dB, θ3dB = 10°', () => {
    expect([DEFAULT_FRONT_TO_BACK_DB, DEFAULT_SIDE_LOBE_LEVEL_DB, DEFAULT_VERTICAL_BEAMWIDTH_DEG]).toEqual([25, 20, 10])
  })

  it('is exactly 3 dB at the edge of the horizontal beam (φ = ±φ3dB/2), on the tilted boresight', () => {
    expect(antennaAttenuation(createPanel(), 90 + 32.5, -6)).toBeCloseTo(3, 12)
    expect(antennaAttenuation(createPanel(), 90 - 32.5, -6)).toBeCloseTo(3, 12)
  })

  it('is 0 dB on boresight: azimuth 90°, 6° below the horizon', () => {
    expect(antennaAttenuation(createPanel(), 90, -6)).toBe(0)
  })

  it('is the front-to-back ratio A_m = 25 dB behind the antenna', () => {
    expect(antennaAttenuation(createPanel(), 270, -6)).toBe(25)
  })

  it('never exceeds A_m, whatever the horizontal and vertical losses add up to', () => {
    // 12·(60/65)² = 10.2 dB horizontally, plus SLA_v = 20 dB vertically → capped at 25 dB.
    expect(antennaAttenuation(createPanel(), 150, 40)).toBe(25)
  })

  it('is exactly 3 dB at the edge of the vertical beam, θ3dB/2 above and below the tilted boresight', () => {
    expect(antennaAttenuation(createPanel(), 90, -1)).toBeCloseTo(3, 12)
    expect(antennaAttenuation(createPanel(), 90, -11)).toBeCloseTo(3, 12)
  })

  it('moves the vertical maximum with the total tilt (electrical + mechanical)', () => {
    const best = (antenna: SectorAntenna): number => {
      let bestElevation = 0
      for (let e = -30; e <= 30; e += 0.5) if (antennaAttenuation(antenna, 90, e) < antennaAttenuation(antenna, 90, bestElevation)) bestElevation = e
      return bestElevation
    }
    expect(best(createPanel())).toBe(-6)
    expect(best({ ...createPanel(), electricalTiltDeg: 0, mechanicalTiltDeg: 0 })).toBe(0)
    expect(best({ ...createPanel(), electricalTiltDeg: 10 })).toBe(-12)
  })

  it('caps the vertical loss at the side-lobe level SLA_v = 20 dB', () => {
    expect(antennaAttenuation({ ...createPanel(), horizontalBeamwidthDeg: 360 }, 0, 60)).toBe(20)
  })

  it('has no horizontal loss for an omni antenna (360°)', () => {
    const omni: SectorAntenna = { gainDbi: 11, azimuthDeg: 0, horizontalBeamwidthDeg: 360, verticalBeamwidthDeg: null }
    for (const bearing of [0, 45, 90, 180, 270, 359]) expect(antennaAttenuation(omni, bearing, -3)).toBe(0)
  })

  it('wraps bearings around north: a panel at 350° sees 10° as 20° off boresight', () => {
    const north: SectorAntenna = { gainDbi: 17, azimuthDeg: 350, horizontalBeamwidthDeg: 65, verticalBeamwidthDeg: null }
    expect(antennaAttenuation(north, 10, 0)).toBeCloseTo(12 * (20 / 65) ** 2, 12)
  })
})

describe('antennaGain', () => {
  it('is the boresight gain minus the pattern: 17 dBi on boresight, 14 dBi at the beam edge, −8 dBi behind', () => {
    expect(antennaGain(createPanel(), 90, -6)).toBe(17)
    expect(antennaGain(createPanel(), 122.5, -6)).toBeCloseTo(14, 12)
    expect(antennaGain(createPanel(), 270, -6)).toBe(-8)
  })
})

describe('elevationAngle', () => {
  it('is atan(Δh/d) on a flat earth: a village 500 m below, 5 km away, is at −5.71°', () => {
    expect(elevationAngle(1000, 500, 5000, Infinity)).toBeCloseTo(-5.7106, 4)
  })

  it('lowers far receivers by the earth drop d²/(2kR): −0.067° at 20 km at equal heights (k = 4/3)', () => {
    expect(elevationAngle(500, 500, 20_000)).toBeCloseTo(-0.0674, 4)
  })

  it('is positive for a receiver above the antenna', () => {
    expect(elevationAngle(300, 800, 2000)).toBeGreaterThan(14)
  })
})
