import { EARTH_RADIUS_M } from '../coverage/raster-grid.ts'
import { DEFAULT_K_FACTOR } from '../propagation/earth-bulge.ts'

/**
 * Elevation angle of a receiver seen from a site antenna, degrees (positive above the horizontal
 * at the antenna, negative below — villages in valleys are usually negative):
 *
 *   ε = atan( (h_rx − h_tx − d² / (2·k·R)) / d )
 *
 * `txTipM`, `rxTipM`: heights of the antenna tip and the receiver above sea level, m; `distanceM`:
 * ground distance, m (0 gives ±90°); `kFactor`: effective earth-radius factor (default 4/3; Infinity = flat
 * earth). The d²/(2kR) term is the drop of the earth's surface below the antenna's horizontal plane
 * (0.07° at 20 km for k = 4/3). Same convention as the coverage radial sweep's `elevationRad`.
 *
 * Used for the vertical antenna pattern (`antennaAttenuation`): a downtilted beam points at ε = −tilt.
 */
export function elevationAngle(txTipM: number, rxTipM: number, distanceM: number, kFactor: number = DEFAULT_K_FACTOR): number {
  const drop = (distanceM * distanceM) / (2 * kFactor * EARTH_RADIUS_M)
  return (Math.atan((rxTipM - txTipM - drop) / distanceM) * 180) / Math.PI
}
