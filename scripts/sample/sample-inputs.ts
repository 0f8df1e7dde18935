/**
 * The REAL inputs of the sample generator, as bundled under `data/` (see data/README.md), and the
 * commune model the generator works with.
 */
import type { Feature, FeatureCollection, MultiPolygon, Position } from 'geojson'
import type { AsciiGrid } from '../../server/geo/parse-ascii-grid.ts'
import { makeContains, outerRingPoints, bboxOf } from './local-geometry.ts'
import type { BBox, LonLat } from './local-geometry.ts'

export interface ProvinceProperties {
  code: string
  name: string
  type: string
  population: number
  area_km2: number
}

export interface CommuneAttributes {
  admin_center_address?: string | null
  before_merger?: string | null
  seat_lon?: number | null
  seat_lat?: number | null
}

export interface CommuneProperties {
  code: string
  name: string
  type: string
  province_code: string
  population: number
  area_km2: number
  historical_district_code: string | null
  historical_district_name: string | null
  attributes: CommuneAttributes
}

export interface SampleInputs {
  province: Feature<MultiPolygon, ProvinceProperties>
  communes: FeatureCollection<MultiPolygon, CommuneProperties>
  dem: AsciiGrid
}

/** A commune as the generator sees it. */
export interface Commune {
  code: string
  name: string
  isWard: boolean
  population: number
  areaKm2: number
  /** commune seat (the real point when known, else the polygon's bbox centre) */
  seat: LonLat
  /** before the merger this commune held a district town (thị trấn), or its seat is a "Tiểu khu" */
  hasTownSeat: boolean
  bbox: BBox
  contains: (p: Position) => boolean
  feature: Feature<MultiPolygon, CommuneProperties>
}

export function toCommunes(inputs: SampleInputs): Commune[] {
  return inputs.communes.features.map((feature) => {
    const p = feature.properties
    const bbox = bboxOf(outerRingPoints(feature.geometry))
    const lon = p.attributes.seat_lon
    const lat = p.attributes.seat_lat
    const seat: LonLat =
      typeof lon === 'number' && typeof lat === 'number' ? [lon, lat] : [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2]
    const address = p.attributes.admin_center_address ?? ''
    const merged = p.attributes.before_merger ?? ''
    return {
      code: p.code,
      name: p.name,
      isWard: p.type === 'Phường',
      population: p.population,
      areaKm2: p.area_km2,
      seat,
      hasTownSeat: /thị trấn/i.test(merged) || /^tiểu khu/i.test(address.trim()),
      bbox,
      contains: makeContains(feature),
      feature,
    }
  })
}
