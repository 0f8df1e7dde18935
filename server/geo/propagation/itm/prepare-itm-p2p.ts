import type { VariabilitySettings } from './attenuation-with-variability.ts'
import { CLIMATE_COEFFICIENTS } from './climate-coefficients.ts'
import { groundImpedance } from './ground-impedance.ts'
import { inverseComplementaryNormal } from './inverse-complementary-normal.ts'
import type { ItmP2PParameters } from './itm-types.ts'
import { ITM_WARNINGS } from './itm-warnings.ts'

/** Radio parameters checked and turned into the constants every profile evaluation reuses. */
export interface PreparedItmP2p {
  readonly txHeightM: number
  readonly rxHeightM: number
  readonly n0: number
  readonly frequencyMhz: number
  /** Wave number k = f / 47.7 (1/m). */
  readonly wn: number
  /** Ground impedance Z_g (normalised). */
  readonly zgndRe: number
  readonly zgndIm: number
  readonly variability: VariabilitySettings
  /** Warnings that follow from the parameters alone (heights, frequency, extreme quantiles). */
  readonly warnings: number
}

/**
 * Checks the radio parameters of an ITM point-to-point prediction and precomputes what does not
 * depend on the terrain profile: wave number, ground impedance (ITM 1.2.2 `qlrps`), the
 * climate's variability coefficients, the frequency factors of the time variability and the
 * standard normal deviates of the requested percentages with the substitutions of the mode of
 * variability (1.2.2 `avar`, lvar ≥ 3). Throws a RangeError for a parameter outside the model's
 * domain, with the same limits as the NTIA/ITS reference (NTIA/itm README, ERRORS_AND_WARNINGS.md).
 *
 * Used once per sector or radio configuration by the coverage engine, before evaluating many
 * profiles with itmPointToPointPrepared.
 */
export function prepareItmP2p(p: ItmP2PParameters): PreparedItmP2p {
  check(p.txHeightM >= 0.5 && p.txHeightM <= 3000, `txHeightM ${p.txHeightM} is outside 0.5 … 3000 m`)
  check(p.rxHeightM >= 0.5 && p.rxHeightM <= 3000, `rxHeightM ${p.rxHeightM} is outside 0.5 … 3000 m`)
  check(Number.isInteger(p.climate) && p.climate >= 1 && p.climate <= 7, `climate ${p.climate} is not one of 1 … 7`)
  check(p.n0 >= 250 && p.n0 <= 400, `n0 ${p.n0} is outside 250 … 400 N-units`)
  check(p.frequencyMhz >= 20 && p.frequencyMhz <= 20000, `frequencyMhz ${p.frequencyMhz} is outside 20 … 20000 MHz`)
  check(p.polarization === 0 || p.polarization === 1, `polarization ${p.polarization} is neither 0 (horizontal) nor 1 (vertical)`)
  check(p.epsilon >= 1, `epsilon ${p.epsilon} is below 1`)
  check(p.sigma > 0, `sigma ${p.sigma} is not positive`)
  const kdv = p.mdvar % 10
  const flags = Math.trunc(p.mdvar / 10)
  check(Number.isInteger(p.mdvar) && p.mdvar >= 0 && kdv <= 3 && flags <= 3, `mdvar ${p.mdvar} is not one of 0 … 3 plus 0, 10, 20 or 30`)
  for (const [name, value] of [['timePct', p.timePct], ['locationPct', p.locationPct], ['situationPct', p.situationPct]] as const) {
    check(value > 0 && value < 100, `${name} ${value} is outside (0, 100)`)
  }

  const wn = p.frequencyMhz / 47.7
  const zgnd = groundImpedance(p.frequencyMhz, p.epsilon, p.sigma, p.polarization)
  check(zgnd.re > Math.abs(zgnd.im), 'ground impedance: its imaginary part is not smaller than its real part (epsilon too small for sigma)')

  // Deviates; the mode of variability ties some of them together.
  let zt = inverseComplementaryNormal(p.timePct / 100)
  let zl = inverseComplementaryNormal(p.locationPct / 100)
  const zc = inverseComplementaryNormal(p.situationPct / 100)
  if (kdv === 0) {
    zt = zc
    zl = zc
  } else if (kdv === 1) {
    zl = zc
  } else if (kdv === 2) {
    zl = zt
  }

  const climate = CLIMATE_COEFFICIENTS[p.climate - 1]
  if (climate === undefined) throw new RangeError(`climate ${p.climate} is not one of 1 … 7`)
  const q = Math.log(0.133 * wn)
  const gm = climate.fm[0] + climate.fm[1] / ((climate.fm[2] * q) ** 2 + 1)
  const gp = climate.fp[0] + climate.fp[1] / ((climate.fp[2] * q) ** 2 + 1)

  let warnings = 0
  if (p.txHeightM < 1 || p.txHeightM > 1000) warnings |= ITM_WARNINGS.TX_TERMINAL_HEIGHT
  if (p.rxHeightM < 1 || p.rxHeightM > 1000) warnings |= ITM_WARNINGS.RX_TERMINAL_HEIGHT
  if (p.frequencyMhz < 40 || p.frequencyMhz > 10000) warnings |= ITM_WARNINGS.FREQUENCY
  if (Math.abs(zt) > 3.1 || Math.abs(zl) > 3.1 || Math.abs(zc) > 3.1) warnings |= ITM_WARNINGS.EXTREME_VARIABILITIES

  return {
    txHeightM: p.txHeightM,
    rxHeightM: p.rxHeightM,
    n0: p.n0,
    frequencyMhz: p.frequencyMhz,
    wn,
    zgndRe: zgnd.re,
    zgndIm: zgnd.im,
    variability: { climate, kdv, noLocation: flags === 1 || flags === 3, noSituation: flags >= 2, zt, zl, zc, gm, gp },
    warnings,
  }
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`ITM: ${message}`)
}
