/**
 * Warning flags of an ITM evaluation, bit for bit those of the NTIA/ITS reference implementation
 * (NTIA/itm, ERRORS_AND_WARNINGS.md), so `ItmResult.warnings` can be compared with its output.
 * A warning means an input or an intermediate value lies where the model is less trustworthy;
 * the loss is still computed. Inputs outside the model's domain throw a RangeError instead.
 */
export const ITM_WARNINGS = {
  NONE: 0x0000,
  /** Transmitter height below 1 m or above 1000 m. */
  TX_TERMINAL_HEIGHT: 0x0001,
  /** Receiver height below 1 m or above 1000 m. */
  RX_TERMINAL_HEIGHT: 0x0002,
  /** Frequency below 40 MHz or above 10 GHz. */
  FREQUENCY: 0x0004,
  /** Path longer than 1000 km. */
  PATH_DISTANCE_TOO_BIG_1: 0x0008,
  /** Path longer than 2000 km. */
  PATH_DISTANCE_TOO_BIG_2: 0x0010,
  /** Path shorter than |h_e,tx − h_e,rx| / 0.2 (the antennas look steeply down or up). */
  PATH_DISTANCE_TOO_SMALL_1: 0x0020,
  /** Path shorter than 1 km. */
  PATH_DISTANCE_TOO_SMALL_2: 0x0040,
  /** Transmitter horizon angle above 200 mrad: small-angle approximations break down. */
  TX_HORIZON_ANGLE: 0x0080,
  /** Receiver horizon angle above 200 mrad. */
  RX_HORIZON_ANGLE: 0x0100,
  /** Transmitter horizon closer than 1/10 of the smooth-earth horizon distance. */
  TX_HORIZON_DISTANCE_1: 0x0200,
  /** Receiver horizon closer than 1/10 of the smooth-earth horizon distance. */
  RX_HORIZON_DISTANCE_1: 0x0400,
  /** Transmitter horizon farther than 3 times the smooth-earth horizon distance. */
  TX_HORIZON_DISTANCE_2: 0x0800,
  /** Receiver horizon farther than 3 times the smooth-earth horizon distance. */
  RX_HORIZON_DISTANCE_2: 0x1000,
  /** A time, location or situation deviate lies beyond ±3.1 standard deviations. */
  EXTREME_VARIABILITIES: 0x2000,
  /** Surface refractivity N_s below 250 N-units (high ground: N_s falls with elevation). */
  SURFACE_REFRACTIVITY: 0x4000,
} as const
