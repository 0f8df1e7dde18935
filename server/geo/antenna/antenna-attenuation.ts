/**
 * A base-station antenna: boresight gain and direction, and the 3GPP parabolic pattern parameters.
 * Angles in degrees; tilts positive DOWN (below the horizon).
 */
export interface SectorAntenna {
  /** Gain on boresight, dBi. */
  gainDbi: number
  /** Boresight bearing, degrees clockwise from north. Ignored for an omni antenna. */
  azimuthDeg: number
  /** Horizontal half-power beamwidth φ3dB, degrees; 360 or more = omni (no horizontal loss). */
  horizontalBeamwidthDeg: number
  /** Vertical half-power beamwidth θ3dB, degrees (default 10); null = no vertical pattern. */
  verticalBeamwidthDeg?: number | null
  /** Electrical downtilt, degrees (default 0). */
  electricalTiltDeg?: number
  /** Mechanical downtilt, degrees (default 0). */
  mechanicalTiltDeg?: number
  /** Front-to-back ratio / maximum attenuation A_m, dB (default 25). */
  frontToBackDb?: number
  /** Vertical side-lobe attenuation SLA_v, dB (default 20). */
  sideLobeLevelDb?: number
}

/** 3GPP TR 36.814 Table A.2.1.1-2 defaults (macro sector antenna, 3-sector site). */
export const DEFAULT_FRONT_TO_BACK_DB = 25
export const DEFAULT_SIDE_LOBE_LEVEL_DB = 20
export const DEFAULT_VERTICAL_BEAMWIDTH_DEG = 10

/**
 * Attenuation of the antenna pattern towards a direction, relative to boresight, in dB (≥ 0),
 * after 3GPP TR 36.814 (v9.2.0, Table A.2.1.1-2; the same parabolic form as TR 38.901 Table 7.3-1):
 *
 *   A_H(φ) = −min(12·(φ/φ3dB)², A_m)                      φ: azimuth off boresight, −180…180°
 *   A_V(θ) = −min(12·((θ − θ_tilt)/θ3dB)², SLA_v)          θ: angle BELOW the horizon
 *   A(φ, θ) = −min(−(A_H + A_V), A_m);   returned as −A
 *
 * `bearingDeg` is the bearing from the site to the receiver (clockwise from north) and
 * `elevationDeg` the elevation angle of the receiver seen from the antenna (positive UP, see
 * `elevationAngle`), so θ = −elevation. θ_tilt = electrical + mechanical downtilt: a simplification
 * (a mechanical tilt really tilts the whole pattern, less so off boresight, and up behind it). At
 * the edge of the beam, |φ| = φ3dB/2, the loss is exactly 3 dB; behind, it saturates at A_m.
 * An omni antenna (φ3dB ≥ 360°) has no horizontal loss; `verticalBeamwidthDeg: null` no vertical loss.
 *
 * Used for every receiver of a sector: RSRP = EIRP(boresight) − this − path loss (`linkBudget`).
 */
export function antennaAttenuation(antenna: SectorAntenna, bearingDeg: number, elevationDeg: number): number {
  const am = antenna.frontToBackDb ?? DEFAULT_FRONT_TO_BACK_DB
  let horizontal = 0
  if (antenna.horizontalBeamwidthDeg < 360) {
    const phi = wrapDegrees(bearingDeg - antenna.azimuthDeg)
    horizontal = Math.min(12 * (phi / antenna.horizontalBeamwidthDeg) ** 2, am)
  }
  let vertical = 0
  const theta3dB = antenna.verticalBeamwidthDeg === undefined ? DEFAULT_VERTICAL_BEAMWIDTH_DEG : antenna.verticalBeamwidthDeg
  if (theta3dB !== null) {
    const tilt = (antenna.electricalTiltDeg ?? 0) + (antenna.mechanicalTiltDeg ?? 0)
    const theta = -elevationDeg
    vertical = Math.min(12 * ((theta - tilt) / theta3dB) ** 2, antenna.sideLobeLevelDb ?? DEFAULT_SIDE_LOBE_LEVEL_DB)
  }
  return Math.min(horizontal + vertical, am)
}

/** An angle in degrees brought into [−180, 180). */
function wrapDegrees(deg: number): number {
  return ((((deg + 180) % 360) + 360) % 360) - 180
}
