/**
 * Inputs of an ITM point-to-point prediction. Heights and distances in metres, frequency in MHz,
 * percentages in (0, 100).
 */
export interface ItmP2PInput {
  /**
   * Equally spaced terrain heights above sea level (m) from the transmitter (first) to the
   * receiver (last), `spacingM` apart: ITM's "pfl" without its two header numbers. At least 2
   * points. Any array-like of numbers (a plain array, a Float64Array, a Float32Array).
   */
  profile: { spacingM: number; elevationsM: ArrayLike<number> }
  /** Antenna heights above ground (m), 0.5 … 3000. */
  txHeightM: number
  rxHeightM: number
  /**
   * Radio climate: 1 equatorial, 2 continental subtropical, 3 maritime subtropical, 4 desert,
   * 5 continental temperate, 6 maritime temperate over land, 7 maritime temperate over sea.
   */
  climate: 1 | 2 | 3 | 4 | 5 | 6 | 7
  /** Surface refractivity N_0 reduced to sea level (N-units), 250 … 400. */
  n0: number
  /** Frequency (MHz), 20 … 20000. */
  frequencyMhz: number
  /** 0 horizontal, 1 vertical. */
  polarization: 0 | 1
  /** Relative permittivity of the ground (≥ 1) and its conductivity (S/m, > 0). */
  epsilon: number
  sigma: number
  /**
   * Mode of variability: 0 single message, 1 accidental, 2 mobile, 3 broadcast; +10 to eliminate
   * location variability, +20 to eliminate direct situation variability (so 0 … 3, 10 … 13,
   * 20 … 23, 30 … 33). Point-to-point work usually takes 12 or 13.
   */
  mdvar: number
  /** Time, location and situation percentages, each in (0, 100). */
  timePct: number
  locationPct: number
  situationPct: number
}

/** The radio parameters of a prediction: everything but the profile. */
export type ItmP2PParameters = Omit<ItmP2PInput, 'profile'>

/** Dominant propagation mode at the path's length. */
export type ItmMode = 'line-of-sight' | 'diffraction' | 'troposcatter'

/** Result of an ITM point-to-point prediction. */
export interface ItmResult {
  /** Basic transmission loss A (dB): free space plus the attenuation at the requested quantiles. */
  lossDb: number
  /** Free-space basic transmission loss over the path length (dB). */
  freeSpaceDb: number
  mode: ItmMode
  /** Bitwise ITM_WARNINGS (itm-warnings.ts); 0 when none. */
  warnings: number
  intermediate: {
    /** Path length (km). */
    dKm: number
    /** Horizon elevation angles of the terminals (rad; negative below the horizontal). */
    thetaHznTx: number
    thetaHznRx: number
    /** Horizon distances of the terminals (m). */
    dHznTxM: number
    dHznRxM: number
    /** Effective antenna heights (m). */
    hETxM: number
    hERxM: number
    /** Terrain irregularity parameter Δh (m). */
    deltaHM: number
    /** Reference attenuation A_ref relative to free space, before variability (dB). */
    aRefDb: number
  }
}

/** An empty result, to be filled again and again by itmPointToPointPrepared. */
export function createItmResult(): ItmResult {
  return {
    lossDb: 0,
    freeSpaceDb: 0,
    mode: 'line-of-sight',
    warnings: 0,
    intermediate: { dKm: 0, thetaHznTx: 0, thetaHznRx: 0, dHznTxM: 0, dHznRxM: 0, hETxM: 0, hERxM: 0, deltaHM: 0, aRefDb: 0 },
  }
}
