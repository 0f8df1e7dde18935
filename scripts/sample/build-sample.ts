/**
 * The whole SYNTHETIC Sơn La sample from the REAL inputs and a seed: pure (no I/O, no clock), so
 * the same seed always gives the same FeatureCollections and the same bytes.
 *
 * Order matters only through data: roads (from commune seats) → grid backbone → villages (per
 * commune, each from its own random stream) → village feeders → grid power per village → sites →
 * fibre.
 */
import { length } from '@turf/turf'
import type { Feature, FeatureCollection, LineString, Point } from 'geojson'
import { buildRoadNetwork } from './build-road-network.ts'
import { createRng } from './create-rng.ts'
import { generateFibre } from './generate-fibre.ts'
import type { FibreFeature, FibreProperties } from './generate-fibre.ts'
import { generateGridBackbone, generateVillageFeeders, toPowerLineFeatures } from './generate-power-lines.ts'
import type { PowerLineDraft, PowerLineProperties } from './generate-power-lines.ts'
import { generateSites, OPERATOR_PLANS } from './generate-sites.ts'
import type { SiteFeature, SiteProperties } from './generate-sites.ts'
import { drawGridPower, generateCommuneVillages, toVillageFeature } from './generate-villages.ts'
import type { VillageFeature, VillageProperties } from './generate-villages.ts'
import { createSegmentIndex, makeContains, roundTo } from './local-geometry.ts'
import { toCommunes } from './sample-inputs.ts'
import type { SampleInputs } from './sample-inputs.ts'
import { serializeFeatureCollection } from './serialize-geojson.ts'
import { SON_LA_CORRIDORS } from './son-la-corridors.ts'

export const DEFAULT_SEED = 20250701

export interface SampleManifest {
  generator: string
  seed: number
  synthetic: true
  counts: Record<string, unknown>
  note: string
}

export interface Sample {
  villages: FeatureCollection<Point, VillageProperties>
  sites: FeatureCollection<Point, SiteProperties>
  fibre: FeatureCollection<LineString, FibreProperties>
  powerLines: FeatureCollection<LineString, PowerLineProperties>
  manifest: SampleManifest
}

export function buildSample(inputs: SampleInputs, seedNumber: number = DEFAULT_SEED): Sample {
  const seed = String(seedNumber)
  const communes = toCommunes(inputs)
  const insideProvince = makeContains(inputs.province)

  const roads = buildRoadNetwork({ seed, corridors: SON_LA_CORRIDORS, communes, insideProvince })
  const backbone = generateGridBackbone(roads, communes, seed, insideProvince)

  const villageDrafts = communes.flatMap((c) => generateCommuneVillages(c, inputs.dem, seed))
  const powerDrafts: PowerLineDraft[] = [...backbone]
  for (const c of communes) {
    const mine = villageDrafts.filter((v) => v.communeCode === c.code)
    powerDrafts.push(...generateVillageFeeders(c, mine, seed, insideProvince))
  }
  const existingGrid = createSegmentIndex(powerDrafts.filter((l) => l.status === 'existing').map((l) => l.coords), 1)
  const villages: VillageFeature[] = []
  for (const c of communes) {
    const rng = createRng(`${seed}:grid-power:${c.code}`)
    for (const v of villageDrafts) {
      if (v.communeCode === c.code) villages.push(toVillageFeature(v, drawGridPower(existingGrid.distanceKm(v.position, 40), rng)))
    }
  }

  const sites = generateSites({ seed, communes, villages: villageDrafts, roads, dem: inputs.dem, insideProvince })
  const fibre = generateFibre(roads, seed)
  const powerLines = toPowerLineFeatures(powerDrafts)

  const reachedByFibre = createSegmentIndex(fibre.filter((f) => f.properties.status === 'existing').map((f) => f.geometry.coordinates), 1)
  const communesReached = communes.filter((c) => reachedByFibre.distanceKm(c.seat, 1) < 0.05).length

  return {
    villages: { type: 'FeatureCollection', features: villages },
    sites: { type: 'FeatureCollection', features: sites },
    fibre: { type: 'FeatureCollection', features: fibre },
    powerLines: { type: 'FeatureCollection', features: powerLines },
    manifest: {
      generator: 'scripts/generate-sample.ts',
      seed: seedNumber,
      synthetic: true,
      counts: countSample(villages, sites, fibre, powerLines, communesReached, communes.length),
      note:
        'SYNTHETIC, not real: the villages, BTS sites and sectors, fibre routes and power lines were generated ' +
        'by scripts/generate-sample.ts from this seed, inside the REAL Sơn La commune boundaries, with the REAL ' +
        'commune populations and seats and the coarse SRTM grid. Do not use them as facts about Sơn La.',
    },
  }
}

/** The files of the sample, as the bytes to write: `name → text`. */
export function serializeSample(sample: Sample): Record<string, string> {
  return {
    'villages.geojson': serializeFeatureCollection(sample.villages),
    'sites.geojson': serializeFeatureCollection(sample.sites),
    'fibre.geojson': serializeFeatureCollection(sample.fibre),
    'power-lines.geojson': serializeFeatureCollection(sample.powerLines),
    'manifest.json': `${JSON.stringify(sample.manifest, null, 2)}\n`,
  }
}

function km(features: Feature<LineString>[]): number {
  return roundTo(features.reduce((sum, f) => sum + length(f, { units: 'kilometers' }), 0), 1)
}

function countSample(
  villages: VillageFeature[],
  sites: SiteFeature[],
  fibre: FibreFeature[],
  powerLines: Feature<LineString, PowerLineProperties>[],
  communesReached: number,
  communeCount: number,
): Record<string, unknown> {
  const tally = <T>(items: T[], key: (t: T) => string): Record<string, number> => {
    const out: Record<string, number> = {}
    for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)))
  }
  const sectors = sites.flatMap((s) => s.properties.sectors)
  return {
    communes: communeCount,
    villages: villages.length,
    village_population: villages.reduce((sum, v) => sum + v.properties.population, 0),
    villages_without_grid_power: villages.filter((v) => !v.properties.has_grid_power).length,
    sites: sites.length,
    sites_by_operator: Object.fromEntries(
      OPERATOR_PLANS.map((o) => {
        const mine = sites.filter((s) => s.properties.operator_code === o.code)
        return [o.code, { total: mine.length, ...tally(mine, (s) => s.properties.status) }]
      }),
    ),
    sites_by_status: tally(sites, (s) => s.properties.status),
    sectors: sectors.length,
    sectors_by_technology: tally(sectors, (s) => s.technology),
    fibre_routes: fibre.length,
    fibre_km: km(fibre),
    fibre_by_operator: Object.fromEntries(
      OPERATOR_PLANS.map((o) => {
        const mine = fibre.filter((f) => f.properties.owner_code === o.code)
        const existing = mine.filter((f) => f.properties.status === 'existing')
        const planned = mine.filter((f) => f.properties.status === 'planned')
        return [o.code, { routes: mine.length, km_existing: km(existing), km_planned: km(planned) }]
      }),
    ),
    communes_reached_by_fibre: communesReached,
    power_lines: powerLines.length,
    power_lines_km: km(powerLines),
    power_lines_by_voltage_kv: Object.fromEntries(
      [110, 35, 22].map((kv) => {
        const mine = powerLines.filter((l) => l.properties.voltage_kv === kv)
        return [String(kv), { lines: mine.length, km: km(mine), planned: mine.filter((l) => l.properties.status === 'planned').length }]
      }),
    ),
  }
}
