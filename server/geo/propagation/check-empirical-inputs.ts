/** A parameter of an empirical (Hata-family) model that can fall outside the model's validity range. */
export type EmpiricalParameter = 'frequencyMhz' | 'baseHeightM' | 'mobileHeightM' | 'distanceKm'

/** Closed validity intervals [min, max] of an empirical model, per parameter, in the parameter's unit. */
export type EmpiricalValidity = Readonly<Record<EmpiricalParameter, readonly [number, number]>>

/** The inputs of a Hata-family model: MHz, metres, metres, km. */
export type EmpiricalInputs = Readonly<Record<EmpiricalParameter, number>>

const PARAMETERS = ['frequencyMhz', 'baseHeightM', 'mobileHeightM', 'distanceKm'] as const

/**
 * Checks the inputs of a Hata-family model against its validity ranges. Returns the parameters
 * outside their range, in a fixed order (frequency, base height, mobile height, distance), empty
 * when all are in range: the models extrapolate and report these, so a caller can label a
 * prediction as outside the model's validity instead of silently receiving clamped numbers.
 *
 * Throws RangeError when a parameter is not a positive finite number (the logarithms are undefined).
 */
export function checkEmpiricalInputs(inputs: EmpiricalInputs, validity: EmpiricalValidity): EmpiricalParameter[] {
  const out: EmpiricalParameter[] = []
  for (const key of PARAMETERS) {
    const v = inputs[key]
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${key} must be a positive finite number, got ${v}`)
    const [min, max] = validity[key]
    if (v < min || v > max) out.push(key)
  }
  return out
}
