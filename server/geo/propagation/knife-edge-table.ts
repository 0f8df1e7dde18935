import { KNIFE_EDGE_MIN_NU, knifeEdgeLoss } from './knife-edge-loss.ts'

/**
 * J(ν) (ITU-R P.526 eq. 31, `knifeEdgeLoss`) tabulated for hot loops: linear
 * interpolation on 1/512 steps of ν from −0.78 to 32, the formula beyond.
 * Largest difference from the formula: 0.004 dB in the first step above
 * ν = −0.78 (where the formula itself jumps from 0 to 0.004 dB), below 1e-5 dB
 * elsewhere (unit test); it costs two array reads instead of a logarithm and
 * a square root.
 */
const STEPS_PER_UNIT = 512
const NU_MAX = 32
const SIZE = Math.ceil((NU_MAX - KNIFE_EDGE_MIN_NU) * STEPS_PER_UNIT) + 2
const TABLE = new Float64Array(SIZE)
for (let i = 0; i < SIZE; i++) TABLE[i] = knifeEdgeLoss(KNIFE_EDGE_MIN_NU + i / STEPS_PER_UNIT)

export function knifeEdgeLossTabulated(nu: number): number {
  if (!(nu > KNIFE_EDGE_MIN_NU)) return 0
  if (nu >= NU_MAX) return knifeEdgeLoss(nu)
  const x = (nu - KNIFE_EDGE_MIN_NU) * STEPS_PER_UNIT
  const i = x | 0
  const a = TABLE[i]!
  return a + (x - i) * (TABLE[i + 1]! - a)
}
