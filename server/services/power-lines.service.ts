import type { Db, LineStatus } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import type { Bbox, Page } from '../repositories/paging.ts'
import { findPowerLineById, listPowerLines, type PowerLineRow } from '../repositories/power-lines.repository.ts'
import { toFeature, toFeatureCollection } from './feature-collection.ts'

export function powerLineProperties(r: PowerLineRow) {
  return {
    id: r.id,
    code: r.code,
    owner: r.owner,
    voltageKv: r.voltage_kv,
    status: r.status,
    lengthKm: Math.round(r.length_km * 1000) / 1000,
    synthetic: r.synthetic,
    attributes: r.attributes,
  }
}

const toPowerLineFeature = (r: PowerLineRow) => toFeature(r.id, r.geometry, powerLineProperties(r))

export async function listPowerLineFeatures(db: Db, query: { bbox?: Bbox; commune?: string; owner?: string; status?: LineStatus[] }, page: Page) {
  const result = await listPowerLines(db, { bbox: query.bbox, communeCode: query.commune, owner: query.owner, statuses: query.status }, page)
  return toFeatureCollection(result, toPowerLineFeature)
}

export async function getPowerLineFeature(db: Db, id: number) {
  const row = await findPowerLineById(db, id)
  if (!row) throw new AppError('not-found', `Power line ${id} does not exist`)
  return toPowerLineFeature(row)
}
