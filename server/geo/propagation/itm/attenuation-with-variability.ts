import type { ClimateCoefficients } from './climate-coefficients.ts'
import type { ItmPathState } from './itm-path-state.ts'
import { variabilityCurve } from './variability-curve.ts'

/** The variability settings an evaluation needs, fixed per set of radio parameters. */
export interface VariabilitySettings {
  readonly climate: ClimateCoefficients
  /** Mode of variability without its flags: 0 single message, 1 accidental, 2 mobile, 3 broadcast. */
  readonly kdv: number
  /** +10 flag: location variability eliminated. */
  readonly noLocation: boolean
  /** +20 flag: direct situation variability eliminated. */
  readonly noSituation: boolean
  /** Standard normal deviates of time, location and situation after the mode's substitutions. */
  readonly zt: number
  readonly zl: number
  readonly zc: number
  /** Frequency factors g−(f), g+(f) of the time variability. */
  readonly gm: number
  readonly gp: number
}

/** The constants R_T, R_L (dB²) by which time and location spreads enter the situation variance (1.2.2 `avar`). */
const RT = 7.8
const RL = 24

/**
 * Attenuation relative to free space (dB) at the requested time, location and situation
 * quantiles (ITM 1.2.2 `avar`; Hufford 1995, section 7 "Variability"; NTIA Report 82-100,
 * section 5): A_ref − V_med(d_e) − Y_R − σ_S·z_S, where d_e is the effective distance
 * (130 km · d / d_Lex up to the effective horizon distance d_Lex, linear beyond), V_med the
 * climate's median shift, Y_R the time and location deviation combined as the mode of
 * variability says and σ_S the situation spread. Negative results are compressed towards zero:
 * A·(29 − A)/(29 − 10·A). Reads the path geometry and `s.aref` from `s`.
 */
export function attenuationWithVariability(s: ItmPathState, v: VariabilitySettings): number {
  const dist = s.dist
  const dexa = Math.sqrt(18e6 * s.heTx) + Math.sqrt(18e6 * s.heRx) + Math.cbrt(575.7e12 / s.wn)
  const de = dist < dexa ? (130e3 * dist) / dexa : 130e3 + dist - dexa
  const c = v.climate

  const vmd = variabilityCurve(c.v, de)
  const sgtm = variabilityCurve(c.sm, de) * v.gm
  const sgtp = variabilityCurve(c.sp, de) * v.gp
  const sgtd = sgtp * c.sd1
  const tgtd = (sgtp - sgtd) * c.zd

  let sgl = 0
  if (!v.noLocation) {
    const q = (1 - 0.8 * Math.exp(-dist / 50e3)) * s.dh * s.wn
    sgl = (10 * q) / (q + 13)
  }
  const vs0 = v.noSituation ? 0 : (5 + 3 * Math.exp(-de / 100e3)) ** 2

  const { zt, zl, zc } = v
  let sgt: number
  if (zt < 0) sgt = sgtm
  else if (zt <= c.zd) sgt = sgtp
  else sgt = sgtd + tgtd / zt
  const vs = vs0 + (sgt * zt) ** 2 / (RT + zc * zc) + (sgl * zl) ** 2 / (RL + zc * zc)

  let yr: number
  let sgc: number
  switch (v.kdv) {
    case 0:
      yr = 0
      sgc = Math.sqrt(sgt * sgt + sgl * sgl + vs)
      break
    case 1:
      yr = sgt * zt
      sgc = Math.sqrt(sgl * sgl + vs)
      break
    case 2:
      yr = Math.sqrt(sgt * sgt + sgl * sgl) * zt
      sgc = Math.sqrt(vs)
      break
    default:
      yr = sgt * zt + sgl * zl
      sgc = Math.sqrt(vs)
  }
  let a = s.aref - vmd - yr - sgc * zc
  if (a < 0) a = (a * (29 - a)) / (29 - 10 * a)
  return a
}
