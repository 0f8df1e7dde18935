/**
 * Generates the SYNTHETIC part of the bundled Sơn La sample (villages, BTS sites, fibre, power
 * lines) from the REAL inputs under data/ and a seed. Same seed → byte-identical files.
 *
 *   npm run generate:sample -- [--seed 20250701] [--out data/son-la/synthetic] [--data data]
 *
 * The logic lives in scripts/sample/ (pure functions); this file only reads and writes files.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { buildSample, DEFAULT_SEED, serializeSample } from './sample/build-sample.ts'
import { readSampleInputs } from './sample/read-sample-inputs.ts'

function main(): void {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      out: { type: 'string', default: 'data/son-la/synthetic' },
      data: { type: 'string', default: 'data' },
    },
  })
  const seed = Number(values.seed)
  if (!Number.isSafeInteger(seed) || seed < 0) {
    console.error(`--seed must be a non-negative integer, got '${values.seed}'`)
    process.exit(2)
  }

  const started = performance.now()
  const sample = buildSample(readSampleInputs(values.data), seed)
  const files = serializeSample(sample)
  mkdirSync(values.out, { recursive: true })
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(values.out, name), text)
    console.log(`${join(values.out, name)}  ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`)
  }
  console.log(JSON.stringify(sample.manifest.counts, null, 2))
  console.log(`seed ${seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

main()
