import type { Db } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { toSearchForm } from '../lib/search-form.ts'
import { findCommuneById, listCommunes, type CommuneRow } from '../repositories/communes.repository.ts'
import type { Bbox, Page } from '../repositories/paging.ts'
import { toFeature, toFeatureCollection } from './feature-collection.ts'

export function communeProperties(r: CommuneRow) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    type: r.type,
    provinceCode: r.province_code,
    provinceName: r.province_name,
    population: r.population,
    areaKm2: r.area_km2,
    historicalDistrictCode: r.historical_district_code,
    historicalDistrictName: r.historical_district_name,
    attributes: r.attributes,
    synthetic: false,
  }
}
export type CommuneProperties = ReturnType<typeof communeProperties>

const toCommuneFeature = (r: CommuneRow) => toFeature(r.id, r.geometry, communeProperties(r))

export async function listCommuneFeatures(db: Db, query: { bbox?: Bbox; commune?: string; province?: string; q?: string }, page: Page) {
  const namePrefix = query.q ? toSearchForm(query.q) : undefined
  const result = await listCommunes(db, { bbox: query.bbox, code: query.commune, provinceCode: query.province, namePrefix }, page)
  return toFeatureCollection(result, toCommuneFeature)
}

export async function getCommuneFeature(db: Db, id: number) {
  const row = await findCommuneById(db, id)
  if (!row) throw new AppError('not-found', `Commune ${id} does not exist`)
  return toCommuneFeature(row)
}
