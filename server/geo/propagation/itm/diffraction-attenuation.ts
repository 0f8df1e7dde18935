import type { ItmPathState } from './itm-path-state.ts'

/**
 * Sets up the distance-independent constants of diffraction for a path (ITM 1.2.2 `adiff`
 * called with d = 0; Hufford 1995, section 4 "Diffraction attenuation"): the weight factors
 * (`s.wd1`, `s.xd1`), the clutter factor A_fo (`s.afo`, dB), 1/|Z_g| (`s.qk`) and the height-gain
 * terms of both terminals for the smooth-earth (Vogler three-radii) part (`s.aht`, `s.xht`).
 * Needs the path geometry, `s.dlsa`, `s.dla`, `s.tha`, `s.wn`, `s.gme`, `s.zgnd*`.
 */
export function initDiffraction(s: ItmPathState): void {
  let q = s.hgTx * s.hgRx
  const qk = s.heTx * s.heRx - q
  // Point-to-point mode: 1.2.2 adds 10 m² here (mdp < 0), area mode does not.
  if (s.pointToPoint) q += 10
  s.wd1 = Math.sqrt(1 + qk / q)
  s.xd1 = s.dla + s.tha / s.gme
  q = (1 - 0.8 * Math.exp(-s.dlsa / 50e3)) * s.dh
  q *= 0.78 * Math.exp(-((q / 16) ** 0.25))
  s.afo = Math.min(15, 2.171 * Math.log(1 + 4.77e-4 * s.hgTx * s.hgRx * s.wn * q))
  s.qk = 1 / Math.hypot(s.zgndRe, s.zgndIm)
  s.aht = 20
  s.xht = 0
  addTerminal(s, s.dlTx, s.heTx)
  addTerminal(s, s.dlRx, s.heRx)
}

function addTerminal(s: ItmPathState, dl: number, he: number): void {
  const a = (0.5 * dl * dl) / he
  const wa = Math.cbrt(a * s.wn)
  const pk = s.qk / wa
  const q = ((1.607 - pk) * 151 * wa * dl) / a
  s.xht += q
  s.aht += heightGain(q, pk)
}

/**
 * Diffraction attenuation A_diff (dB) at distance `d` (m) beyond the horizons (ITM 1.2.2
 * `adiff`; Hufford 1995, section 4): a weighted blend of double knife-edge diffraction (Fresnel-
 * Kirchhoff, over both horizon edges) and smooth-earth diffraction over a rounded earth (Vogler's
 * three-radii method), the weight w = 25.1 / (25.1 + √q) shifting towards the rounded earth as
 * the terrain gets smoother or the frequency lower, plus the clutter factor A_fo.
 * initDiffraction must have run for this path.
 */
export function diffractionAttenuation(s: ItmPathState, d: number): number {
  const th = s.tha + d * s.gme
  const ds = d - s.dla
  let q = 0.0795775 * s.wn * ds * th * th
  const aKnife = knifeEdge((q * s.dlTx) / (ds + s.dlTx)) + knifeEdge((q * s.dlRx) / (ds + s.dlRx))
  const a = ds / th
  const wa = Math.cbrt(a * s.wn)
  const pk = s.qk / wa
  q = (1.607 - pk) * 151 * wa * th + s.xht
  const aRound = 0.05751 * q - 4.343 * Math.log(q) - s.aht
  q = (s.wd1 + s.xd1 / d) * Math.min((1 - 0.8 * Math.exp(-d / 50e3)) * s.dh * s.wn, 6283.2)
  const w = 25.1 / (25.1 + Math.sqrt(q))
  return aRound * w + (1 - w) * aKnife + s.afo
}

/**
 * Knife-edge diffraction attenuation (dB) for the square `v2` = ν² of the Fresnel-Kirchhoff
 * parameter (ITM 1.2.2 `aknfe`): 6.02 + 9.11·ν − 1.27·ν² for ν < 2.4, 12.953 + 20·log10 ν above.
 */
function knifeEdge(v2: number): number {
  return v2 < 5.76 ? 6.02 + 9.11 * Math.sqrt(v2) - 1.27 * v2 : 12.953 + 4.343 * Math.log(v2)
}

/**
 * Height-gain function F(x, K) over a smooth spherical earth (dB, ITM 1.2.2 `fht`), x the
 * normalised distance, `pk` the normalised surface impedance K.
 */
function heightGain(x: number, pk: number): number {
  if (x < 200) {
    const w = -Math.log(pk)
    if (pk < 1e-5 || x * w * w * w > 5495) {
      return x > 1 ? 17.372 * Math.log(x) - 117 : -117
    }
    return (2.5e-5 * x * x) / pk - 8.686 * w - 15
  }
  let f = 0.05751 * x - 4.343 * Math.log(x)
  if (x < 2000) {
    const w = 0.0134 * x * Math.exp(-0.005 * x)
    f = (1 - w) * f + w * (17.372 * Math.log(x) - 117)
  }
  return f
}
