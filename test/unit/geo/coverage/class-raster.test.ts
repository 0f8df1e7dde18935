import { describe, expect, it } from 'vitest'
import { classRaster } from '../../../../server/geo/coverage/class-raster.ts'
import { COVERAGE_THRESHOLDS_DBM, coverageClass } from '../../../../server/geo/propagation/coverage-class.ts'

describe('classRaster', () => {
  it('classes RSRP by the default thresholds, boundaries included: good ≥ −100, weak ≥ −115, none below', () => {
    const rsrp = Float32Array.from([-60, -100, -100.5, -115, -115.5, -140, -Infinity, Number.NaN])
    expect(Array.from(classRaster(rsrp))).toEqual([3, 3, 2, 2, 1, 1, 1, 0])
  })

  it('calls NaN "no data" (0), never "none": unknown is not the same as no signal', () => {
    expect(Array.from(classRaster(Float32Array.from([Number.NaN, Number.NaN])))).toEqual([0, 0])
  })

  it('agrees with coverageClass on every finite value', () => {
    const values = Array.from({ length: 161 }, (_, i) => -150 + i * 0.5)
    const codes = { none: 1, weak: 2, good: 3 } as const
    expect(Array.from(classRaster(Float32Array.from(values)))).toEqual(values.map((v) => codes[coverageClass(v, COVERAGE_THRESHOLDS_DBM)]))
  })

  it('takes other thresholds, e.g. a provincial report at −95 / −110 dBm', () => {
    expect(Array.from(classRaster(Float32Array.from([-96, -95, -110, -111]), { goodDbm: -95, weakDbm: -110 }))).toEqual([2, 3, 2, 1])
  })

  it('rejects thresholds in the wrong order', () => {
    expect(() => classRaster(new Float32Array(1), { goodDbm: -120, weakDbm: -100 })).toThrow(RangeError)
  })
})
