/**
 * Hata's mobile-antenna height correction a(h_m), in dB, subtracted from the urban loss
 * (Hata, IEEE Trans. Veh. Technol. VT-29(3), 1980); also used unchanged by COST-231.
 *
 *   small/medium city:  (1.1·log10 f − 0.7)·h_m − (1.56·log10 f − 0.8)
 *   large city, f ≤ 200 MHz:  8.29·[log10(1.54·h_m)]² − 1.1
 *   large city, f > 200 MHz:  3.2·[log10(11.75·h_m)]² − 4.97
 *
 * `frequencyMhz` in MHz, `mobileHeightM` in metres above ground. Hata gives the large-city
 * formulas for f ≤ 200 and f ≥ 400 MHz only; between them the f ≥ 400 form is used (as ns-3 and
 * most implementations do). It is ≈ 0 dB at h_m = 1.5 m for both city sizes, by construction.
 */
export function hataMobileHeightCorrection(frequencyMhz: number, mobileHeightM: number, largeCity: boolean): number {
  if (!largeCity) {
    const logF = Math.log10(frequencyMhz)
    return (1.1 * logF - 0.7) * mobileHeightM - (1.56 * logF - 0.8)
  }
  if (frequencyMhz <= 200) return 8.29 * Math.log10(1.54 * mobileHeightM) ** 2 - 1.1
  return 3.2 * Math.log10(11.75 * mobileHeightM) ** 2 - 4.97
}
