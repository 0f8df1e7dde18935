import { EARTH_RADIUS_M } from '../coverage/raster-grid.ts'

/** Effective earth-radius factor for the standard atmosphere (ITU-R P.834, P.526: 4/3, a_e ≈ 8500 km). */
export const DEFAULT_K_FACTOR = 4 / 3

/**
 * Height of the earth's bulge above the chord between two points, in metres, at a point `d1M`
 * metres from one end and `d2M` from the other, for an effective earth radius k·R:
 *
 *   b = d1·d2 / (2·k·R)       (R = 6 371 008.8 m, the mean earth radius)
 *
 * The usual path-profile correction (ITU-R P.526 §4 and P.530 draw profiles this way;
 * microwave-link handbooks write it b[m] = d1[km]·d2[km] / (12.74·k)). Adding it to terrain heights
 * lets diffraction and Fresnel-zone clearance be computed on a flat earth with straight rays.
 * k = 4/3 (standard refraction): 36.8 m in the middle of a 50 km path; k = 2/3 (sub-refraction,
 * worst case for microwave backhaul) doubles it.
 */
export function earthBulge(d1M: number, d2M: number, kFactor: number = DEFAULT_K_FACTOR): number {
  return (d1M * d2M) / (2 * kFactor * EARTH_RADIUS_M)
}
