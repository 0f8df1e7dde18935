import { hataEnvironmentCorrection, type HataEnvironment } from './hata-environment-correction.ts'
import { hataMobileHeightCorrection } from './hata-mobile-height-correction.ts'
import { checkEmpiricalInputs, type EmpiricalParameter, type EmpiricalValidity } from './check-empirical-inputs.ts'

export interface HataInput {
  /** Carrier, MHz. */
  frequencyMhz: number
  /** Base-station antenna height above ground, m. */
  baseHeightM: number
  /** Mobile antenna height above ground, m. */
  mobileHeightM: number
  /** Ground distance, km. */
  distanceKm: number
  /** Default `medium-city`. */
  environment?: HataEnvironment
}

export interface EmpiricalLoss {
  /** Median basic transmission loss, dB. */
  lossDb: number
  /** Parameters outside the model's validity range (empty when all are in range). */
  outOfRange: EmpiricalParameter[]
}

/** Okumura–Hata validity (Hata 1980): 150–1500 MHz, h_b 30–200 m, h_m 1–10 m, d 1–20 km. */
export const OKUMURA_HATA_VALIDITY: EmpiricalValidity = {
  frequencyMhz: [150, 1500],
  baseHeightM: [30, 200],
  mobileHeightM: [1, 10],
  distanceKm: [1, 20],
}

/**
 * Okumura–Hata median path loss, dB (M. Hata, "Empirical formula for propagation loss in land
 * mobile radio services", IEEE Trans. Veh. Technol. VT-29(3), pp. 317–325, 1980):
 *
 *   L_urban = 69.55 + 26.16·log10 f − 13.82·log10 h_b − a(h_m) + (44.9 − 6.55·log10 h_b)·log10 d
 *
 * with a(h_m) for a large or a small/medium city (`hataMobileHeightCorrection`); suburban and open
 * (rural) areas subtract Hata's corrections from the medium-city urban loss
 * (`hataEnvironmentCorrection`). Units: f MHz, h_b and h_m metres, d km.
 *
 * Out of range: the formula is EXTRAPOLATED, never clamped, and the offending parameters are listed
 * in `outOfRange` (clamping d < 1 km would give the same loss everywhere near the site). Typical
 * mountain sites (masts < 30 m, villages < 1 km away) are outside Hata's range: use the terrain
 * model there. Throws RangeError when a parameter is not a positive finite number.
 *
 * Used as the empirical option for LTE bands at or below 1500 MHz (700/800/900 MHz).
 */
export function okumuraHataLoss(input: HataInput): EmpiricalLoss {
  const outOfRange = checkEmpiricalInputs(input, OKUMURA_HATA_VALIDITY)
  const { frequencyMhz: f, baseHeightM: hb, mobileHeightM: hm, distanceKm: d } = input
  const environment = input.environment ?? 'medium-city'
  const a = hataMobileHeightCorrection(f, hm, environment === 'large-city')
  const logHb = Math.log10(hb)
  const urban = 69.55 + 26.16 * Math.log10(f) - 13.82 * logHb - a + (44.9 - 6.55 * logHb) * Math.log10(d)
  return {
    lossDb: urban - hataEnvironmentCorrection(environment, f),
    outOfRange,
  }
}
