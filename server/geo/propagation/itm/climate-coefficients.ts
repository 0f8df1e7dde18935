/**
 * Coefficients of ITM's variability curves for one radio climate (ITM 1.2.2 `avar`, data
 * statements; Hufford 1995, section 7 "Variability"; NTIA Report 82-100, table 5). Each curve is
 * evaluated by variabilityCurve as (c1 + c2 / (1 + ((d_e − x2)/x3)²)) · (d_e/x1)² / (1 + (d_e/x1)²).
 *
 * - `v`: V(0.5, d_e), the shift of the median (dB);
 * - `sm`, `sp`: σ_T−, σ_T+, the time-variability standard deviations below and above the median;
 * - `sd1`, `zd`: the ratio and deviate where the upper time distribution turns to its tail;
 * - `fm`, `fp`: [a, b, c] of the frequency factors g(f) = a + b / ((c·ln(0.133·k))² + 1) of σ_T−
 *   and σ_T+, k the wave number (1/m); only climates 2, 4 and 5 depend on frequency.
 * Distances in metres.
 */
export interface ClimateCoefficients {
  readonly v: Curve
  readonly sm: Curve
  readonly sp: Curve
  readonly sd1: number
  readonly zd: number
  readonly fm: readonly [number, number, number]
  readonly fp: readonly [number, number, number]
}

/** [c1, c2, x1, x2, x3] of one variability curve. */
export type Curve = readonly [number, number, number, number, number]

/** Climates 1 … 7 at index 0 … 6: equatorial, continental subtropical, maritime subtropical,
 * desert, continental temperate, maritime temperate over land, maritime temperate over sea. */
export const CLIMATE_COEFFICIENTS: readonly ClimateCoefficients[] = [
  {
    v: [-9.67, 12.7, 144.9e3, 190.3e3, 133.8e3],
    sm: [2.13, 159.5, 762.2e3, 123.6e3, 94.5e3],
    sp: [2.11, 102.3, 636.9e3, 134.8e3, 95.6e3],
    sd1: 1.224,
    zd: 1.282,
    fm: [1, 0, 0],
    fp: [1, 0, 0],
  },
  {
    v: [-0.62, 9.19, 228.9e3, 205.2e3, 143.6e3],
    sm: [2.66, 7.67, 100.4e3, 172.5e3, 136.4e3],
    sp: [6.87, 15.53, 138.7e3, 143.7e3, 98.6e3],
    sd1: 0.801,
    zd: 2.161,
    fm: [1, 0, 0],
    fp: [0.93, 0.31, 2],
  },
  {
    v: [1.26, 15.5, 262.6e3, 185.2e3, 99.8e3],
    sm: [6.11, 6.65, 138.2e3, 242.2e3, 178.6e3],
    sp: [10.08, 9.6, 165.3e3, 225.7e3, 129.7e3],
    sd1: 1.38,
    zd: 1.282,
    fm: [1, 0, 0],
    fp: [1, 0, 0],
  },
  {
    v: [-9.21, 9.05, 84.1e3, 101.1e3, 98.6e3],
    sm: [1.98, 13.11, 139.1e3, 132.7e3, 193.5e3],
    sp: [3.68, 159.3, 464.4e3, 93.1e3, 94.2e3],
    sd1: 1.0,
    zd: 20,
    fm: [1, 0, 0],
    fp: [0.93, 0.19, 1.79],
  },
  {
    v: [-0.62, 9.19, 228.9e3, 205.2e3, 143.6e3],
    sm: [2.68, 7.16, 93.7e3, 186.8e3, 133.5e3],
    sp: [4.75, 8.12, 93.2e3, 135.9e3, 113.4e3],
    sd1: 1.224,
    zd: 1.282,
    fm: [0.92, 0.25, 1.77],
    fp: [0.93, 0.31, 2],
  },
  {
    v: [-0.39, 2.86, 141.7e3, 315.9e3, 167.4e3],
    sm: [6.86, 10.38, 187.8e3, 169.6e3, 108.9e3],
    sp: [8.58, 13.97, 216.0e3, 152.0e3, 122.7e3],
    sd1: 1.518,
    zd: 1.282,
    fm: [1, 0, 0],
    fp: [1, 0, 0],
  },
  {
    v: [3.15, 857.9, 2222.0e3, 164.8e3, 116.3e3],
    sm: [8.51, 169.8, 609.8e3, 119.9e3, 106.6e3],
    sp: [8.43, 8.19, 136.2e3, 188.5e3, 122.9e3],
    sd1: 1.518,
    zd: 1.282,
    fm: [1, 0, 0],
    fp: [1, 0, 0],
  },
]
