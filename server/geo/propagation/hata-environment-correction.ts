/**
 * Environment classes of the Okumura–Hata family (Hata 1980; COST 231):
 * - `large-city`: Hata's "large city" mobile-antenna correction; for COST-231 the metropolitan
 *   centre (C_m = 3 dB);
 * - `medium-city`: small/medium city (COST-231 C_m = 0 dB);
 * - `suburban`, `open`: Hata's suburban and open-area (rural) corrections, applied to the
 *   medium-city urban loss.
 */
export type HataEnvironment = 'large-city' | 'medium-city' | 'suburban' | 'open'

/**
 * How much less loss than the (medium-city) urban formula an environment has, in dB (≥ 0), at a
 * carrier of `frequencyMhz` MHz. Hata, "Empirical formula for propagation loss in land mobile radio
 * services", IEEE Trans. Veh. Technol. VT-29(3), 1980:
 *
 *   suburban: 2·[log10(f/28)]² + 5.4
 *   open:     4.78·[log10 f]² − 18.33·log10 f + 40.94
 *   cities:   0
 *
 * Used by `okumuraHataLoss` and `cost231HataLoss` (which applies the same corrections above
 * 1500 MHz, as SEAMCAT's Extended Hata model does). 900 MHz: suburban 9.94 dB, open 28.51 dB.
 */
export function hataEnvironmentCorrection(environment: HataEnvironment, frequencyMhz: number): number {
  const logF = Math.log10(frequencyMhz)
  switch (environment) {
    case 'suburban':
      return 2 * Math.log10(frequencyMhz / 28) ** 2 + 5.4
    case 'open':
      return 4.78 * logF * logF - 18.33 * logF + 40.94
    case 'large-city':
    case 'medium-city':
      return 0
  }
}
