import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSample, serializeSample } from '../../../scripts/sample/build-sample.ts'
import { generateCommuneVillages } from '../../../scripts/sample/generate-villages.ts'
import { toCommunes } from '../../../scripts/sample/sample-inputs.ts'
import { INPUTS, SAMPLE, SEED, SYNTHETIC_DIR } from './sample-fixture.ts'

describe('sample generator determinism', () => {
  it('gives byte-identical files for the same seed', () => {
    const again = serializeSample(buildSample(INPUTS, SEED))
    const first = serializeSample(SAMPLE)
    for (const name of Object.keys(first)) expect(again[name] === first[name], `seed ${SEED}: ${name} differs between two runs`).toBe(true)
  })

  it('gives different files for a different seed', () => {
    const other = serializeSample(buildSample(INPUTS, SEED + 1))
    const first = serializeSample(SAMPLE)
    for (const name of ['villages.geojson', 'sites.geojson', 'fibre.geojson', 'power-lines.geojson']) {
      expect(other[name] !== first[name], `seeds ${SEED} and ${SEED + 1}: ${name} is the same`).toBe(true)
    }
  })

  it('the committed data/son-la/synthetic files are the output of the default seed', () => {
    const fresh = serializeSample(SAMPLE)
    for (const [name, text] of Object.entries(fresh)) {
      const committed = readFileSync(join(SYNTHETIC_DIR, name), 'utf8')
      expect(committed === text, `data/son-la/synthetic/${name} is not what seed ${SEED} gives: run npm run generate:sample`).toBe(true)
    }
  })

  it('generates a commune on its own exactly as within the whole province', () => {
    const communes = toCommunes(INPUTS)
    for (const c of communes.filter((_, i) => i % 15 === 0)) {
      const alone = generateCommuneVillages(c, INPUTS.dem, String(SEED)).map((v) => v.code + v.name + v.population + v.position.join())
      const inWhole = SAMPLE.villages.features
        .filter((f) => f.properties.commune_code === c.code)
        .map((f) => f.properties.code + f.properties.name + f.properties.population + f.geometry.coordinates.join())
      expect(alone, `seed ${SEED}, commune ${c.code}`).toEqual(inWhole)
    }
  })

  it('has no timestamp in the manifest', () => {
    expect(Object.keys(SAMPLE.manifest)).toEqual(['generator', 'seed', 'synthetic', 'counts', 'note'])
    expect(SAMPLE.manifest).toMatchObject({ generator: 'scripts/generate-sample.ts', seed: SEED, synthetic: true })
    expect(SAMPLE.manifest.note).toMatch(/synthetic, not real/i)
  })
})
