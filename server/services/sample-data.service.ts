import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Point } from 'geojson'
import type { CommuneType, Db } from '../db/database.ts'
import { COMMUNE_TYPE_WORDS } from '../import/layers/communes.layer.ts'
import { parseEnum } from '../import/values.ts'
import { toSearchForm } from '../lib/search-form.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import { repairPolygonal } from '../repositories/geometry.repository.ts'
import { countCommunes, insertCommunes, insertProvince } from '../repositories/communes.repository.ts'
import { insertFibreRoutes } from '../repositories/fibre.repository.ts'
import { findOperatorIdsByCodes } from '../repositories/operators.repository.ts'
import { insertPowerLines } from '../repositories/power-lines.repository.ts'
import { insertSectors } from '../repositories/sectors.repository.ts'
import { insertSites } from '../repositories/sites.repository.ts'
import { insertVillages } from '../repositories/villages.repository.ts'
import type { CommuneProps, FibreProps, PowerLineProps, ProvinceProps, SiteProps, VillageProps } from './sample-format.ts'

/**
 * The bundled sample (data/son-la/, see data/README.md): real province and
 * commune boundaries with population, and synthetic villages, sites,
 * sectors, fibre and power lines from scripts/generate-sample.ts. Loaded in
 * one transaction into an empty database on first start.
 */

export interface SampleCounts {
  /** Boundaries that were invalid in the bundled file and repaired with ST_MakeValid, with the reason. */
  repaired: string[]
  provinces: number
  communes: number
  villages: number
  sites: number
  sectors: number
  fibreRoutes: number
  powerLines: number
}

/** The commune type of the sample's Vietnamese word (Xã, Phường, Đặc khu), read as imports read it. */
function communeTypeOf(vietnamese: string): CommuneType {
  const type = parseEnum(vietnamese, COMMUNE_TYPE_WORDS)
  if (!type) throw new Error(`sample: a commune has no type (expected Xã, Phường or Đặc khu)`)
  return type
}

async function readFeatures<G extends Feature['geometry'], P>(file: string): Promise<Array<Feature<G, P>>> {
  const json = JSON.parse(await readFile(file, 'utf8')) as FeatureCollection<G, P> | Feature<G, P>
  return json.type === 'FeatureCollection' ? json.features : [json]
}

/** Loads the sample when the database has no commune yet. Returns what was loaded, or null when it was skipped. */
export async function loadSampleIfEmpty(db: Db, sampleDir: string): Promise<SampleCounts | null> {
  if ((await countCommunes(db)) > 0) return null
  return loadSample(db, sampleDir)
}

export async function loadSample(db: Db, sampleDir: string): Promise<SampleCounts> {
  const file = (name: string) => path.join(sampleDir, name)
  const synthetic = (name: string) => path.join(sampleDir, 'synthetic', name)
  const [provinces, communes, villages, sites, fibre, powerLines] = await Promise.all([
    readFeatures<MultiPolygon, ProvinceProps>(file('province.geojson')),
    readFeatures<MultiPolygon, CommuneProps>(file('communes.geojson')),
    readFeatures<Point, VillageProps>(synthetic('villages.geojson')),
    readFeatures<Point, SiteProps>(synthetic('sites.geojson')),
    readFeatures<LineString | MultiLineString, FibreProps>(synthetic('fibre.geojson')),
    readFeatures<LineString | MultiLineString, PowerLineProps>(synthetic('power-lines.geojson')),
  ])
  const operatorIds = await findOperatorIdsByCodes(db, [
    ...sites.map((s) => s.properties.operator_code),
    ...fibre.flatMap((f) => (f.properties.owner_code ? [f.properties.owner_code] : [])),
  ])
  const operatorId = (code: string) => {
    const id = operatorIds.get(code)
    if (id === undefined) throw new Error(`sample: unknown operator '${code}'`)
    return id
  }

  // The origin's boundaries are simplified; a simplified ring can cross itself
  // (xã Mường Lèo does). Repair, and say so, rather than refuse the sample.
  const repaired: string[] = []
  for (const f of [...provinces, ...communes]) {
    const result = await repairPolygonal(db, f.geometry)
    if (result.invalidReason) {
      repaired.push(`${f.properties.name} (${f.properties.code}): ${result.invalidReason}`)
      f.geometry = result.geometry as MultiPolygon
    }
  }

  return db.transaction().execute(async (tx) => {
    const provinceIds = new Map<string, number>()
    for (const p of provinces) {
      const props = p.properties
      provinceIds.set(props.code, await insertProvince(tx, {
        code: props.code, name: props.name, type: props.type.toLowerCase() === 'thành phố' ? 'city' : 'province',
        population: props.population, areaKm2: props.area_km2, geometry: p.geometry,
      }))
    }
    const communeIdList = await insertCommunes(tx, communes.map((c) => {
      const props = c.properties
      const provinceId = provinceIds.get(props.province_code)
      if (provinceId === undefined) throw new Error(`sample: commune ${props.code} names unknown province ${props.province_code}`)
      return {
        code: props.code, name: props.name, nameSearch: toSearchForm(props.name), type: communeTypeOf(props.type), provinceId,
        population: props.population, areaKm2: props.area_km2,
        historicalDistrictCode: props.historical_district_code, historicalDistrictName: props.historical_district_name,
        attributes: props.attributes ?? {}, geometry: c.geometry,
      }
    }))
    const communeIds = new Map(communes.map((c, i) => [c.properties.code, communeIdList[i]!]))

    await insertVillages(tx, villages.map((v) => {
      const props = v.properties
      const communeId = communeIds.get(props.commune_code)
      if (communeId === undefined) throw new Error(`sample: village ${props.code} names unknown commune ${props.commune_code}`)
      return {
        code: props.code, name: props.name, nameSearch: toSearchForm(props.name), communeId,
        population: props.population, households: props.households, hasGridPower: props.has_grid_power,
        attributes: props.attributes ?? {}, synthetic: props.synthetic ?? true, geometry: v.geometry, areaGeometry: null,
      }
    }))

    const siteIds = await insertSites(tx, sites.map((s) => {
      const props = s.properties
      return {
        operatorId: operatorId(props.operator_code), code: props.code, name: props.name, status: props.status,
        groundElevationM: props.ground_elevation_m, commissionedOn: props.commissioned_on, decommissionedOn: props.decommissioned_on,
        attributes: {}, synthetic: props.synthetic ?? true, geometry: s.geometry,
      }
    }))
    const sectors = sites.flatMap((s, i) => (s.properties.sectors ?? []).map((x) => ({
      siteId: siteIds[i]!, label: null, technology: x.technology, frequencyMhz: x.frequency_mhz, azimuthDeg: x.azimuth_deg,
      beamwidthDeg: x.beamwidth_deg, electricalTiltDeg: x.electrical_tilt_deg, mechanicalTiltDeg: x.mechanical_tilt_deg,
      heightM: x.height_m, eirpDbm: x.eirp_dbm, gainDbi: x.gain_dbi,
    })))
    await insertSectors(tx, sectors)

    await insertFibreRoutes(tx, fibre.map((f) => ({
      code: f.properties.code,
      ownerOperatorId: f.properties.owner_code ? operatorId(f.properties.owner_code) : null,
      ownerName: f.properties.owner_name ?? null,
      status: f.properties.status, attributes: {}, synthetic: f.properties.synthetic ?? true, geometry: f.geometry,
    })))
    await insertPowerLines(tx, powerLines.map((l) => ({
      code: l.properties.code, owner: l.properties.owner, voltageKv: l.properties.voltage_kv, status: l.properties.status,
      attributes: {}, synthetic: l.properties.synthetic ?? true, geometry: l.geometry,
    })))

    const counts: SampleCounts = {
      repaired,
      provinces: provinces.length, communes: communes.length, villages: villages.length, sites: sites.length,
      sectors: sectors.length, fibreRoutes: fibre.length, powerLines: powerLines.length,
    }
    await insertAuditEntry(tx, { actor: 'system', action: 'import', entity: 'sample', entityId: path.basename(sampleDir), details: { ...counts } })
    return counts
  })
}
