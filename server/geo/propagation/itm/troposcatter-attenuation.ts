import type { ItmPathState } from './itm-path-state.ts'

/**
 * Sets up the distance-independent constants of forward scatter for a path (ITM 1.2.2 `ascat`
 * called with d = 0; Hufford 1995, section 6 "Forward scatter"): asymmetry of the horizon
 * distances `s.ad` (m) and of the effective heights `s.rr`, the refractivity term `s.etq`, and
 * resets the carried frequency-gain value `s.h0s` to −15 dB.
 */
export function initTroposcatter(s: ItmPathState): void {
  let ad = s.dlTx - s.dlRx
  let rr = s.heRx / s.heTx
  if (ad < 0) {
    ad = -ad
    rr = 1 / rr
  }
  s.ad = ad
  s.rr = rr
  s.etq = (5.67e-6 * s.ens - 2.32e-3) * s.ens + 0.031
  s.h0s = -15
}

/**
 * Forward-scatter (troposcatter) attenuation (dB) at distance `d` (m) (ITM 1.2.2 `ascat`;
 * Hufford 1995, section 6): the attenuation function F(θ·d) of the scattering angle θ times the
 * distance, plus 10·log10(k·θ⁴·47.7) for the frequency, a refractivity correction and the
 * frequency-gain function H_0 of the two scattering-volume heights. Returns 1001 when both
 * antennas are too low for the scatter formula to mean anything (r1, r2 < 0.2). As in 1.2.2,
 * an H_0 above 15 dB is carried over to the next call (`s.h0s`), so the order of calls matters.
 */
export function troposcatterAttenuation(s: ItmPathState, d: number): number {
  let h0: number
  if (s.h0s > 15) {
    h0 = s.h0s
  } else {
    const th = s.theTx + s.theRx + d * s.gme
    let r2 = 2 * s.wn * th
    const r1 = r2 * s.heTx
    r2 *= s.heRx
    if (r1 < 0.2 && r2 < 0.2) return 1001
    let ss = (d - s.ad) / (d + s.ad)
    let q = s.rr / ss
    ss = Math.max(0.1, ss)
    q = Math.min(Math.max(0.1, q), 10)
    const z0 = ((d - s.ad) * (d + s.ad) * th * 0.25) / d
    const et = ((s.etq * Math.exp(-(Math.min(1.7, z0 / 8.0e3) ** 6)) + 1) * z0) / 1.7556e3
    const ett = Math.max(et, 1)
    h0 = (frequencyGain(r1, ett) + frequencyGain(r2, ett)) * 0.5
    h0 += Math.min(h0, (1.38 - Math.log(ett)) * Math.log(ss) * Math.log(q) * 0.49)
    h0 = Math.max(h0, 0)
    if (et < 1) {
      const t = (1 + 1.4142 / r1) * (1 + 1.4142 / r2)
      h0 = et * h0 + (1 - et) * 4.343 * Math.log((t * t * (r1 + r2)) / (r1 + r2 + 2.8284))
    }
    if (h0 > 15 && s.h0s >= 0) h0 = s.h0s
  }
  s.h0s = h0
  const th = s.tha + d * s.gme
  return (
    scatterDistanceAttenuation(th * d) +
    4.343 * Math.log(47.7 * s.wn * th ** 4) -
    0.1 * (s.ens - 301) * Math.exp((-th * d) / 40e3) +
    h0
  )
}

const H0_A = [25, 80, 177, 395, 705] as const
const H0_B = [24, 45, 68, 80, 105] as const

/**
 * Frequency-gain function H_0(r, η_s) (dB, ITM 1.2.2 `h0f`), interpolated linearly in the
 * structure parameter η_s between the curves for η_s = 1 … 5.
 */
function frequencyGain(r: number, et: number): number {
  let it = Math.trunc(et)
  let q: number
  if (it <= 0) {
    it = 1
    q = 0
  } else if (it >= 5) {
    it = 5
    q = 0
  } else {
    q = et - it
  }
  const x = (1 / r) ** 2
  let h = 4.343 * Math.log(((H0_A[it - 1] as number) * x + (H0_B[it - 1] as number)) * x + 1)
  if (q !== 0) h = (1 - q) * h + q * 4.343 * Math.log(((H0_A[it] as number) * x + (H0_B[it] as number)) * x + 1)
  return h
}

/**
 * Attenuation function F(θ·d) of forward scatter (dB, ITM 1.2.2 `ahd`), three pieces
 * a + b·td + c·ln(td) split at td = 10 km and 70 km (td in m·rad = m).
 */
function scatterDistanceAttenuation(td: number): number {
  if (td <= 10e3) return 133.4 + 0.332e-3 * td - 4.343 * Math.log(td)
  if (td <= 70e3) return 104.6 + 0.212e-3 * td - 1.086 * Math.log(td)
  return 71.8 + 0.157e-3 * td + 2.171 * Math.log(td)
}
