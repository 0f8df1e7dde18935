import { checkEmpiricalInputs, type EmpiricalValidity } from './check-empirical-inputs.ts'
import { hataEnvironmentCorrection } from './hata-environment-correction.ts'
import { hataMobileHeightCorrection } from './hata-mobile-height-correction.ts'
import type { EmpiricalLoss, HataInput } from './okumura-hata-loss.ts'

/** COST-231 Hata validity (COST 231 final report, §4.4.1): 1500–2000 MHz, h_b 30–200 m, h_m 1–10 m, d 1–20 km. */
export const COST231_HATA_VALIDITY: EmpiricalValidity = {
  frequencyMhz: [1500, 2000],
  baseHeightM: [30, 200],
  mobileHeightM: [1, 10],
  distanceKm: [1, 20],
}

/**
 * COST-231 Hata median path loss, dB: Hata's model extended to 1500–2000 MHz (COST Action 231,
 * "Digital mobile radio towards future generation systems", final report, EUR 18957, 1999,
 * §4.4.1, eq. 4.4.3):
 *
 *   L = 46.3 + 33.9·log10 f − 13.82·log10 h_b − a(h_m) + (44.9 − 6.55·log10 h_b)·log10 d + C_m
 *
 * - `medium-city` (default): a(h_m) of a small/medium city, C_m = 0 dB ("medium sized city and
 *   suburban centres with medium tree density");
 * - `large-city`: metropolitan centre, C_m = 3 dB, with Hata's large-city a(h_m) INCLUDING its
 *   −4.97 dB term (ns-3's OkumuraHataPropagationLossModel drops that term above 1500 MHz and so
 *   reports 4.97 dB less);
 * - `suburban` / `open`: the medium-city loss minus Hata's suburban / open-area corrections. COST 231
 *   defines only the two city classes; applying Hata's corrections on top is the common practice
 *   of SEAMCAT's Extended Hata model (CEPT ERC Report 68; SEAMCAT handbook A17.3).
 *
 * Units: f MHz, h_b and h_m metres, d km. Out of range the formula is extrapolated and the
 * parameters listed in `outOfRange` (LTE band 1 at 2100 MHz is above 2000 MHz: flagged, not
 * clamped). Throws RangeError when a parameter is not a positive finite number.
 *
 * Used as the empirical option for LTE band 3 (1800 MHz) and band 1 (2100 MHz, flagged).
 */
export function cost231HataLoss(input: HataInput): EmpiricalLoss {
  const outOfRange = checkEmpiricalInputs(input, COST231_HATA_VALIDITY)
  const { frequencyMhz: f, baseHeightM: hb, mobileHeightM: hm, distanceKm: d } = input
  const environment = input.environment ?? 'medium-city'
  const largeCity = environment === 'large-city'
  const a = hataMobileHeightCorrection(f, hm, largeCity)
  const cm = largeCity ? 3 : 0
  const logHb = Math.log10(hb)
  const urban = 46.3 + 33.9 * Math.log10(f) - 13.82 * logHb - a + (44.9 - 6.55 * logHb) * Math.log10(d) + cm
  return { lossDb: urban - hataEnvironmentCorrection(environment, f), outOfRange }
}
