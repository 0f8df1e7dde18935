import type { ItmPathState } from './itm-path-state.ts'

/**
 * Radio horizons of both terminals over a terrain profile (ITM 1.2.2 `hzns`; Hufford 1995,
 * section 3 "Point-to-point mode"). Reads `s.gme`, `s.hgTx`, `s.hgRx`; writes the horizon
 * elevation angles `s.theTx`, `s.theRx` (rad, positive above the horizontal) and horizon
 * distances `s.dlTx`, `s.dlRx` (m).
 *
 * The heights are reduced for the curvature γ_e of the effective earth. Each terminal starts
 * with the angle of the straight ray to the other antenna (so on a line-of-sight path both
 * horizon distances equal the path length); a terrain point that rises above the current
 * horizon ray of the transmitter becomes its horizon. As in 1.2.2, the receiver's horizon is
 * looked for only from the first point that obstructs the transmitter's view onwards.
 *
 * `elevationsM[0 … np]` are the terrain heights (m) at spacing `spacingM` (m), transmitter
 * first.
 */
export function findHorizons(s: ItmPathState, elevationsM: ArrayLike<number>, np: number, spacingM: number): void {
  const dist = np * spacingM
  const za = (elevationsM[0] as number) + s.hgTx
  const zb = (elevationsM[np] as number) + s.hgRx
  const qc = 0.5 * s.gme
  const q0 = qc * dist
  const slope = (zb - za) / dist
  let theTx = slope - q0
  let theRx = -slope - q0
  let dlTx = dist
  let dlRx = dist

  if (np >= 2) {
    let sa = 0
    let sb = dist
    let obstructed = false
    for (let i = 1; i < np; i++) {
      sa += spacingM
      sb -= spacingM
      const z = elevationsM[i] as number
      let q = z - (qc * sa + theTx) * sa - za
      if (q > 0) {
        theTx += q / sa
        dlTx = sa
        obstructed = true
      }
      if (obstructed) {
        q = z - (qc * sb + theRx) * sb - zb
        if (q > 0) {
          theRx += q / sb
          dlRx = sb
        }
      }
    }
  }

  s.theTx = theTx
  s.theRx = theRx
  s.dlTx = dlTx
  s.dlRx = dlRx
}
