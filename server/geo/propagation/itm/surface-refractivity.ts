/**
 * Surface refractivity N_s (N-units) at a mean path elevation, from the refractivity N_0 reduced
 * to sea level: N_s = N_0 · exp(−z_s / 9460 m) (ITM 1.2.2 `qlrps`; Hufford 1995, section 2).
 *
 * `meanElevationM` is the mean terrain elevation z_s of the path above sea level (m). In
 * point-to-point mode the NTIA/ITS driver takes the mean of the profile without its first and
 * last tenth (see meanPathElevation). On high ground N_s falls: 301 at sea level, about 257 at
 * 1500 m.
 */
export function surfaceRefractivity(n0: number, meanElevationM: number): number {
  return meanElevationM === 0 ? n0 : n0 * Math.exp(-meanElevationM / 9460)
}
