/**
 * Working state of one ITM point-to-point evaluation: the values the 1.2.2 algorithm keeps in
 * its `prop`/`propa` records and in the `static` locals of `adiff`, `alos` and `ascat`.
 *
 * One flat object of numbers (monomorphic, no nested allocations) that the steps below fill in
 * turn, so an evaluation allocates nothing. It is scratch space: every evaluation overwrites all
 * of it, and it must not be shared between two evaluations running at the same time (JavaScript
 * runs them one after the other on one thread; each worker thread has its own module instance).
 *
 * Units: metres, radians, dB, 1/m; `wn` is the wave number k = f / 47.7 MHz·m (1/m).
 */
export class ItmPathState {
  // Ground and atmosphere (qlrps).
  /** Wave number (1/m). */ wn = 0
  /** Surface refractivity N_s (N-units). */ ens = 0
  /** Effective earth curvature γ_e (1/m). */ gme = 0
  /** Surface transfer impedance of the ground, real part (normalised). */ zgndRe = 0
  /** Surface transfer impedance of the ground, imaginary part (normalised). */ zgndIm = 0

  // Path geometry (hzns, qlrpfl; qlra in area mode).
  /** Point-to-point mode (a terrain profile) rather than area mode (Δh and siting criteria). */
  pointToPoint = true
  /** Structural antenna heights above ground (m). */ hgTx = 0
  hgRx = 0
  /** Path length (m). */ dist = 0
  /** Horizon distances (m). */ dlTx = 0
  dlRx = 0
  /** Horizon elevation angles (rad). */ theTx = 0
  theRx = 0
  /** Effective antenna heights (m). */ heTx = 0
  heRx = 0
  /** Terrain irregularity Δh (m). */ dh = 0

  // Reference attenuation (lrprop).
  /** Smooth-earth horizon distances (m) and their sum d_Ls. */ dlsTx = 0
  dlsRx = 0
  dlsa = 0
  /** Sum of the horizon distances d_L (m) and total bending angle θ_e (rad). */ dla = 0
  tha = 0
  /** Shortest distance the model deems reasonable for the effective heights (m). */ dmin = 0
  /** Length scale of diffraction X_ae (m). */ xae = 0
  /** Diffraction line A_ed + m_d·d (dB, dB/m). */ aed = 0
  emd = 0
  /** Line-of-sight fit A_el + k_1·d + k_2·ln d (dB, dB/m, dB). */ ael = 0
  ak1 = 0
  ak2 = 0
  /** Troposcatter line A_es + m_s·d (dB, dB/m) and the diffraction/scatter boundary d_x (m). */ aes = 0
  ems = 0
  dx = 0
  /** Reference attenuation A_ref (dB). */ aref = 0
  /** 1 line of sight, 2 diffraction, 3 troposcatter. */ mode = 0
  /** NTIA warning flags (see itm-warnings.ts). */ warnings = 0

  // Diffraction constants (adiff, set up once per path).
  wd1 = 0
  xd1 = 0
  afo = 0
  qk = 0
  aht = 0
  xht = 0

  // Line-of-sight weight (alos).
  wls = 0

  // Troposcatter constants (ascat); h0s carries H_0 from one call to the next as in 1.2.2.
  ad = 0
  rr = 0
  etq = 0
  h0s = 0

  // Output of fitLeastSquaresLine: heights of the fitted line at both ends of the profile (m).
  fitZ0 = 0
  fitZn = 0

  /** Scratch for the resampled profile of terrainIrregularity (at most 245 points). */
  readonly samples = new Float64Array(256)
}
