/** Speed of light in vacuum, m/s (exact, SI definition of the metre). */
export const SPEED_OF_LIGHT_M_PER_S = 299_792_458

/**
 * Free-space wavelength λ = c / f, in metres, of a carrier given in MHz.
 *
 * Used wherever a Fresnel zone or the Fresnel–Kirchhoff parameter ν is computed (knife-edge
 * diffraction, line-of-sight clearance). 1800 MHz → 0.1666 m; 900 MHz → 0.3331 m.
 */
export function wavelength(frequencyMhz: number): number {
  return SPEED_OF_LIGHT_M_PER_S / (frequencyMhz * 1e6)
}
