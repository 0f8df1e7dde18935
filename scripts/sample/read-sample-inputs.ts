import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson'
import { parseAsciiGrid } from '../../server/geo/parse-ascii-grid.ts'
import type { CommuneProperties, ProvinceProperties, SampleInputs } from './sample-inputs.ts'

/** Where the bundled real inputs live, relative to the data directory (default `data/`). */
export const SAMPLE_INPUT_FILES = {
  province: 'son-la/province.geojson',
  communes: 'son-la/communes.geojson',
  dem: 'dem/srtm_mean_0p1deg_nw_vietnam.asc',
} as const

/** Reads the bundled real inputs of the sample generator from `dataDir` (the repository's `data/`). */
export function readSampleInputs(dataDir: string): SampleInputs {
  const province = JSON.parse(readFileSync(join(dataDir, SAMPLE_INPUT_FILES.province), 'utf8')) as Feature<
    MultiPolygon,
    ProvinceProperties
  >
  const communes = JSON.parse(readFileSync(join(dataDir, SAMPLE_INPUT_FILES.communes), 'utf8')) as FeatureCollection<
    MultiPolygon,
    CommuneProperties
  >
  const dem = parseAsciiGrid(readFileSync(join(dataDir, SAMPLE_INPUT_FILES.dem), 'utf8'))
  return { province, communes, dem }
}
