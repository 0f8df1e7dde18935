import { antennaAttenuation, type SectorAntenna } from './antenna-attenuation.ts'

/**
 * Gain of a base-station antenna towards a receiver, dBi: the boresight gain minus the 3GPP
 * TR 36.814 / TR 38.901 parabolic pattern attenuation (`antennaAttenuation`):
 *
 *   G(φ, θ) = G_max − min(−(A_H(φ) + A_V(θ)), A_m)
 *
 * `bearingDeg`: bearing from the site to the receiver, degrees clockwise from north;
 * `elevationDeg`: elevation of the receiver seen from the antenna tip, degrees, positive up
 * (`elevationAngle`). Total downtilt = electrical + mechanical, positive down.
 *
 * Used where an absolute gain is wanted (conducted-power link budgets, reports). When the power
 * is given as EIRP, which already contains G_max, use `antennaAttenuation` instead — subtracting
 * G(φ, θ) from an EIRP would count the boresight gain twice.
 */
export function antennaGain(antenna: SectorAntenna, bearingDeg: number, elevationDeg: number): number {
  return antenna.gainDbi - antennaAttenuation(antenna, bearingDeg, elevationDeg)
}
