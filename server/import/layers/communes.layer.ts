import type { MultiPolygon } from 'geojson'
import type { CommuneType } from '../../db/database.ts'
import { toSearchForm } from '../../lib/search-form.ts'
import { upsertCommunes, type NewCommune } from '../../repositories/communes.repository.ts'
import type { LayerDefinition } from '../layer-definition.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseEnum, parseInteger, parseNumber, parseText } from '../values.ts'

const fields = {
  code: { aliases: ['ma', 'ma xa', 'ma xa phuong', 'commune code', 'commune_code', 'ma dvhc', 'id'], required: true },
  name: { aliases: ['ten', 'ten xa', 'ten xa phuong', 'commune', 'commune name', 'xa'], required: true },
  type: { aliases: ['loai', 'cap', 'commune type', 'loai dvhc'] },
  provinceCode: { aliases: ['province code', 'province_code', 'province id', 'province_id', 'ma tinh'], required: true },
  population: { aliases: ['dan so', 'so dan', 'pop', 'population'] },
  areaKm2: { aliases: ['dien tich', 'area', 'area km2', 'area_km2', 'dien tich km2'] },
  historicalDistrictCode: { aliases: ['ma huyen', 'district code', 'historical district code'] },
  historicalDistrictName: { aliases: ['huyen', 'ten huyen', 'district', 'historical district name', 'historical district'] },
} as const
type K = keyof typeof fields

/** The words files use for a commune's type (2025 structure; 'thị trấn' was a ward-like town before it). */
export const COMMUNE_TYPE_WORDS: Record<CommuneType, readonly string[]> = { commune: ['xa', 'xã'], ward: ['phuong', 'phường', 'thi tran'], special_zone: ['dac khu', 'đặc khu'] }

/** Communes and wards of the 2025 two-level structure, with their boundary. Upserted by code. */
export const communesLayer: LayerDefinition<K, NewCommune> = {
  name: 'communes',
  geometry: { types: ['Polygon', 'MultiPolygon'], required: true },
  fields,
  ignoredFields: ['id', 'provinceName', 'synthetic'],
  references: ['provinces'],
  build({ values, extra, geometry }, ctx) {
    const b = new RowBuilder()
    const code = b.take('code', values.code, parseText, { required: true, label: 'commune code' })
    if (code !== null && !/^\d{1,5}$/.test(code)) b.problem('code', code, 'a commune code has up to 5 digits')
    const name = b.take('name', values.name, parseText, { required: true, label: 'commune name' })
    const type = b.take('type', values.type, (v) => parseEnum(v, COMMUNE_TYPE_WORDS)) ?? 'commune'
    const provinceCode = b.take('provinceCode', values.provinceCode, parseText, { required: true, label: 'province code' })
    const provinceId = provinceCode === null ? null : ctx.refs.provinces.get(provinceCode.padStart(2, '0')) ?? null
    if (provinceCode !== null && provinceId === null) b.problem('provinceCode', provinceCode, `unknown province ${provinceCode}`)
    const population = b.take('population', values.population, parseInteger, { min: 0 })
    const areaKm2 = b.take('areaKm2', values.areaKm2, parseNumber, { min: 0 })
    const historicalDistrictCode = b.take('historicalDistrictCode', values.historicalDistrictCode, parseText)
    const historicalDistrictName = b.take('historicalDistrictName', values.historicalDistrictName, parseText)
    if (!b.ok || code === null || name === null || provinceId === null) return { problems: b.problems }
    return {
      row: {
        code: code.padStart(5, '0'), name, nameSearch: toSearchForm(name), type, provinceId, population,
        areaKm2: areaKm2 === 0 ? null : areaKm2, historicalDistrictCode, historicalDistrictName,
        attributes: extra, geometry: geometry as MultiPolygon,
      },
    }
  },
  key: (row) => row.code,
  write: (tx, rows) => upsertCommunes(tx, rows),
}
