/**
 * Fixtures for the sample-generator tests: the REAL bundled inputs read from data/ (never from
 * ../shared), and the sample generated from them with the default seed, deeply frozen so that no
 * test can change what another one sees.
 */
import { fileURLToPath } from 'node:url'
import { buildSample, DEFAULT_SEED } from '../../../scripts/sample/build-sample.ts'
import type { Sample } from '../../../scripts/sample/build-sample.ts'
import { readSampleInputs } from '../../../scripts/sample/read-sample-inputs.ts'
import type { SampleInputs } from '../../../scripts/sample/sample-inputs.ts'

export const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url))
export const SYNTHETIC_DIR = fileURLToPath(new URL('../../../data/son-la/synthetic/', import.meta.url))

export function createSampleInputs(): SampleInputs {
  return readSampleInputs(DATA_DIR)
}

function deepFreeze<T>(value: T): T {
  // Typed arrays cannot be frozen (the DEM values); they are left as they are.
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

export const SEED = DEFAULT_SEED
/** The sample for the default seed, generated once per test file. */
export const SAMPLE: Sample = deepFreeze(buildSample(createSampleInputs(), SEED))
export const INPUTS: SampleInputs = deepFreeze(createSampleInputs())
