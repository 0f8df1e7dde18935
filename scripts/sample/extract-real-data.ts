/**
 * Maintainer tool: copies the REAL public data the app bundles for Sơn La out of the shared data
 * folder into `data/`, so that nothing at runtime or in tests reads outside the repository.
 *
 *   npx tsx scripts/sample/extract-real-data.ts [--from ../shared/data] [--out data]
 *
 * Writes:
 *   data/son-la/province.geojson   Sơn La (province code '14'): one bare MultiPolygon Feature (not a collection)
 *   data/son-la/communes.geojson   its 75 communes/wards, with the commune-seat point in `attributes`
 *   data/dem/srtm_mean_0p1deg_nw_vietnam.asc   copied byte for byte
 *
 * Only properties are renamed/selected; geometry and coordinates are copied unchanged.
 * Output is deterministic (features sorted by code, one feature per line).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson'
import { serializeFeatureCollection } from './serialize-geojson.ts'

const PROVINCE_CODE = '14'

interface OriginProvinceProps {
  id: string
  name: string
  type: string
  area: number
  population: number
}
interface OriginCommuneProps {
  province_id: string
  commune_code: string
  name: string
  type: string
  area_km2: number
  population: number
}
interface OriginCommunePointProps {
  province_id_2025: string
  name: string
  admin_center_address: string | null
  before_merger: string | null
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T
}

function main(): void {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: '../shared/data' },
      out: { type: 'string', default: 'data' },
    },
  })
  const from = values.from
  const out = values.out

  const provinces = readJson<FeatureCollection<MultiPolygon, OriginProvinceProps>>(
    join(from, 'boundaries/vn2025_provinces_34.geojson'),
  )
  const communes = readJson<FeatureCollection<MultiPolygon, OriginCommuneProps>>(
    join(from, 'boundaries/vn2025_communes_nw_box.geojson'),
  )
  const points = readJson<FeatureCollection<Point, OriginCommunePointProps>>(
    join(from, 'villages/vn2025_commune_points_nw_box.geojson'),
  )

  const province = provinces.features.find((f) => f.properties.id === PROVINCE_CODE)
  if (!province) throw new Error(`province ${PROVINCE_CODE} not found in vn2025_provinces_34.geojson`)
  if (province.geometry.type !== 'MultiPolygon') throw new Error('province geometry is not a MultiPolygon')
  const provinceOut: Feature<MultiPolygon> = {
    type: 'Feature',
    properties: {
      code: PROVINCE_CODE,
      name: province.properties.name,
      type: province.properties.type,
      population: province.properties.population,
      area_km2: province.properties.area,
    },
    geometry: province.geometry,
  }

  const seats = new Map<string, Feature<Point, OriginCommunePointProps>>()
  for (const p of points.features) {
    if (p.properties.province_id_2025 !== PROVINCE_CODE) continue
    if (seats.has(p.properties.name)) throw new Error(`two commune points named ${p.properties.name}`)
    seats.set(p.properties.name, p)
  }

  const communeOut: Feature<MultiPolygon>[] = communes.features
    .filter((f) => f.properties.province_id === PROVINCE_CODE)
    .sort((a, b) => a.properties.commune_code.localeCompare(b.properties.commune_code))
    .map((f) => {
      if (f.geometry.type !== 'MultiPolygon') throw new Error(`${f.properties.name}: not a MultiPolygon`)
      if (!Number.isInteger(f.properties.population)) throw new Error(`${f.properties.name}: population not an integer`)
      const seat = seats.get(f.properties.name)
      const attributes: Record<string, string | number | null> = {}
      if (seat) {
        const [lon, lat] = seat.geometry.coordinates
        attributes.admin_center_address = seat.properties.admin_center_address
        attributes.before_merger = seat.properties.before_merger
        attributes.seat_lon = lon ?? null
        attributes.seat_lat = lat ?? null
      }
      return {
        type: 'Feature',
        properties: {
          code: f.properties.commune_code,
          name: f.properties.name,
          type: f.properties.type,
          province_code: PROVINCE_CODE,
          population: f.properties.population,
          area_km2: f.properties.area_km2,
          historical_district_code: null,
          historical_district_name: null,
          attributes,
        },
        geometry: f.geometry,
      }
    })

  const provinceFile = join(out, 'son-la/province.geojson')
  const communesFile = join(out, 'son-la/communes.geojson')
  const demFile = join(out, 'dem/srtm_mean_0p1deg_nw_vietnam.asc')
  for (const file of [provinceFile, communesFile, demFile]) mkdirSync(dirname(file), { recursive: true })

  writeFileSync(provinceFile, `${JSON.stringify(provinceOut)}\n`)
  writeFileSync(communesFile, serializeFeatureCollection({ type: 'FeatureCollection', features: communeOut }))
  // Byte for byte, but not with copyFileSync: that would carry over the read-only mode of the origin.
  writeFileSync(demFile, readFileSync(join(from, 'dem/srtm_mean_0p1deg_nw_vietnam.asc')))

  const withSeat = communeOut.filter((f) => seats.has(String(f.properties?.name))).length
  console.log(`province: ${provinceFile}`)
  console.log(`communes: ${communesFile} (${communeOut.length} communes, ${withSeat} with a seat point)`)
  console.log(`dem:      ${demFile}`)
}

main()
