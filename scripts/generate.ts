/**
 * npm run generate -- --villages 100000 --sites 100000 [--out DIR] [--seed S] [--communes FILE]
 *
 * Writes national-scale SYNTHETIC GeoJSON files (villages.geojson,
 * sites.geojson) for benchmarks and load tests, streamed to disk. Villages
 * and sites are spread over the communes of --communes (default: the bundled
 * Sơn La communes, which exist in a database started with the sample).
 */
import { createWriteStream } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { once } from 'node:events'
import { Command } from 'commander'
import type { Feature } from 'geojson'
import { communesFrom, generateSites, generateVillages } from './scale/generate-scale-data.ts'

const program = new Command()
  .name('npm run generate --')
  .option('--villages <n>', 'number of villages', '100000')
  .option('--sites <n>', 'number of BTS sites', '100000')
  .option('--out <dir>', 'output folder', '.phusong/generated')
  .option('--seed <seed>', 'random seed', '20250701')
  .option('--communes <file>', 'commune polygons (GeoJSON with a code property)', 'data/son-la/communes.geojson')

async function writeCollection(file: string, features: Iterable<Feature>): Promise<number> {
  const out = createWriteStream(file)
  let n = 0
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain')
  }
  await write('{"type":"FeatureCollection","features":[\n')
  for (const f of features) await write(`${n++ === 0 ? '' : ',\n'}${JSON.stringify(f)}`)
  await write('\n]}\n')
  out.end()
  await once(out, 'finish')
  return n
}

async function main(): Promise<void> {
  program.parse()
  const o = program.opts<{ villages: string; sites: string; out: string; seed: string; communes: string }>()
  const communes = communesFrom(JSON.parse(await readFile(o.communes, 'utf8')))
  await mkdir(o.out, { recursive: true })
  const started = Date.now()
  const villages = await writeCollection(path.join(o.out, 'villages.geojson'), generateVillages(communes, Number(o.villages), o.seed))
  const sites = await writeCollection(path.join(o.out, 'sites.geojson'), generateSites(communes, Number(o.sites), o.seed))
  console.log(`wrote ${villages} villages and ${sites} sites (SYNTHETIC) to ${o.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((err: unknown) => {
  console.error(`generate failed: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
