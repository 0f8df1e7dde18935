import { SPEED_OF_LIGHT_M_PER_S } from './wavelength.ts'

/**
 * 20·log10(4π·10⁹ / c) = 32.4478 dB: the constant of the free-space loss with d in km and f in MHz.
 * ITU-R P.525 (§2.2) rounds it to 32.4, most textbooks to 32.45; the difference is < 0.05 dB.
 */
export const FREE_SPACE_LOSS_CONSTANT_DB = 20 * Math.log10((4 * Math.PI * 1e9) / SPEED_OF_LIGHT_M_PER_S)

/**
 * Free-space basic transmission loss between isotropic antennas, in dB (ITU-R P.525, §2.2, point-to-point links):
 *
 *   L_bf = 20·log10(4π·d / λ) = 32.45 + 20·log10(f MHz) + 20·log10(d km)
 *
 * `distanceKm` is the path length in km (> 0), `frequencyMhz` the carrier in MHz. It is the floor
 * of every other model here: the fast model adds terrain diffraction and a clutter margin to it.
 * Examples: 1 km at 1800 MHz → 97.55 dB; 1 km at 2400 MHz → 100.05 dB.
 *
 * Valid in the far field only (d ≫ λ); the formula is returned as is for any positive distance,
 * and is −∞/NaN for d ≤ 0 (callers keep a minimum distance).
 */
export function freeSpaceLoss(distanceKm: number, frequencyMhz: number): number {
  return FREE_SPACE_LOSS_CONSTANT_DB + 20 * Math.log10(frequencyMhz) + 20 * Math.log10(distanceKm)
}
