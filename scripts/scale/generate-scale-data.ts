import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf'
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson'
import { createRng, type Rng } from '../sample/create-rng.ts'

/**
 * National-scale synthetic files for benchmarks and load tests: any number of
 * villages and BTS sites spread over the given commune polygons (the bundled
 * Sơn La communes by default), deterministic for a seed. Everything here is
 * SYNTHETIC and marked so (`synthetic: true`).
 */

export interface CommuneShape {
  code: string
  geometry: MultiPolygon
}

const SYLLABLES = ['Nà', 'Huổi', 'Pá', 'Phiêng', 'Co', 'Hua', 'Nậm', 'Bó', 'Lọng', 'Púng', 'Mường', 'Sài', 'Tà', 'Xa', 'Pha', 'Kéo', 'Cang', 'Tạng', 'Liếng', 'Cọ']
const OPERATORS = [['viettel', 0.55], ['vnpt', 0.27], ['mobifone', 0.18]] as const

function pointIn(rng: Rng, shape: CommuneShape, box: number[]): [number, number] {
  for (let i = 0; i < 1000; i++) {
    const p: [number, number] = [rng.uniform(box[0]!, box[2]!), rng.uniform(box[1]!, box[3]!)]
    if (booleanPointInPolygon(p, shape.geometry)) return [Number(p[0].toFixed(6)), Number(p[1].toFixed(6))]
  }
  throw new Error(`could not place a point in commune ${shape.code}`)
}

export function* generateVillages(communes: readonly CommuneShape[], count: number, seed: string): Generator<Feature<Point>> {
  const rng = createRng(`${seed}:scale-villages`)
  const boxes = communes.map((c) => turfBbox(c.geometry))
  for (let i = 0; i < count; i++) {
    const k = i % communes.length
    const commune = communes[k]!
    const population = rng.int(80, 1500)
    yield {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: pointIn(rng, commune, boxes[k]!) },
      properties: {
        code: `S${commune.code}-${String(Math.floor(i / communes.length) + 1).padStart(5, '0')}`,
        name: `Bản ${rng.pick(SYLLABLES)} ${rng.pick(SYLLABLES)} ${i + 1}`,
        communeCode: commune.code,
        population,
        households: Math.max(1, Math.round(population / rng.uniform(4.5, 5.2))),
        hasGridPower: rng.chance(0.96),
        synthetic: true,
      },
    }
  }
}

export function* generateSites(communes: readonly CommuneShape[], count: number, seed: string): Generator<Feature<Point>> {
  const rng = createRng(`${seed}:scale-sites`)
  const boxes = communes.map((c) => turfBbox(c.geometry))
  const serial: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const k = rng.int(0, communes.length - 1)
    const operator = rng.weighted(OPERATORS.map((o) => o[0]), OPERATORS.map((o) => o[1]))
    serial[operator] = (serial[operator] ?? 0) + 1
    const status = rng.weighted(['existing', 'planned', 'candidate', 'decommissioned'], [0.9, 0.04, 0.03, 0.03])
    const year = status === 'decommissioned' ? rng.int(2008, 2020) : rng.int(2008, 2025)
    yield {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: pointIn(rng, communes[k]!, boxes[k]!) },
      properties: {
        code: `${operator.slice(0, 3).toUpperCase()}-S${String(serial[operator]).padStart(6, '0')}`,
        operator,
        name: null,
        status,
        groundElevationM: rng.int(150, 1900),
        commissionedOn: status === 'existing' || status === 'decommissioned' ? `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-15` : null,
        decommissionedOn: status === 'decommissioned' ? '2025-06-30' : null,
        synthetic: true,
      },
    }
  }
}

export function communesFrom(fc: FeatureCollection): CommuneShape[] {
  return fc.features.map((f) => ({ code: String((f.properties as { code: string }).code), geometry: f.geometry as MultiPolygon }))
}
