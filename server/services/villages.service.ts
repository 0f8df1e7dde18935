import type { Geometry, MultiPolygon, Point, Polygon } from 'geojson'
import type { Db } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { toSearchForm } from '../lib/search-form.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import { findCommuneIdsByCodes } from '../repositories/communes.repository.ts'
import type { Bbox, Page } from '../repositories/paging.ts'
import { findVillageById, insertVillages, listVillages, updateVillage, type NewVillage, type VillageRow } from '../repositories/villages.repository.ts'
import { toFeature, toFeatureCollection } from './feature-collection.ts'
import { assertAcceptableGeometry } from './geometry-checks.ts'
import type { WriteContext } from './write-context.ts'

export function villageProperties(r: VillageRow) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    communeCode: r.commune_code,
    communeName: r.commune_name,
    population: r.population,
    households: r.households,
    hasGridPower: r.has_grid_power,
    synthetic: r.synthetic,
    attributes: r.attributes,
  }
}

function toVillageFeature(r: VillageRow) {
  const feature = toFeature(r.id, r.geometry, villageProperties(r))
  return r.area_geometry ? { ...feature, areaGeometry: r.area_geometry } : feature
}

export async function listVillageFeatures(db: Db, query: { bbox?: Bbox; commune?: string; q?: string }, page: Page) {
  const namePrefix = query.q ? toSearchForm(query.q) : undefined
  const result = await listVillages(db, { bbox: query.bbox, communeCode: query.commune, namePrefix }, page)
  return toFeatureCollection(result, toVillageFeature)
}

export async function getVillageFeature(db: Db, id: number) {
  const row = await findVillageById(db, id)
  if (!row) throw new AppError('not-found', `Village ${id} does not exist`)
  return toVillageFeature(row)
}

export interface VillageInput {
  geometry: Point
  areaGeometry?: Polygon | MultiPolygon | null
  properties: {
    code: string
    name: string
    communeCode: string
    population?: number | null
    households?: number | null
    hasGridPower?: boolean | null
    attributes?: Record<string, unknown>
  }
}

export interface VillagePatch {
  geometry?: Point
  areaGeometry?: Polygon | MultiPolygon | null
  properties?: Partial<VillageInput['properties']>
}

async function resolveCommune(db: Db, code: string): Promise<number> {
  const id = (await findCommuneIdsByCodes(db, [code])).get(code)
  if (id === undefined) {
    throw new AppError('unknown-reference', `properties.communeCode: no commune has code ${code}`, [
      { field: 'properties.communeCode', location: 'body', value: code, reason: 'unknown commune' },
    ])
  }
  return id
}

async function checkGeometries(db: Db, input: { geometry?: Geometry; areaGeometry?: Geometry | null }) {
  if (input.geometry) await assertAcceptableGeometry(db, input.geometry, 'geometry', ['Point'])
  if (input.areaGeometry) await assertAcceptableGeometry(db, input.areaGeometry, 'areaGeometry', ['Polygon', 'MultiPolygon'])
}

export async function createVillage(db: Db, input: VillageInput, ctx: WriteContext) {
  await checkGeometries(db, input)
  const p = input.properties
  // Resolve references before the transaction: on the embedded engine a
  // query on `db` inside a transaction would wait for that transaction.
  const communeId = await resolveCommune(db, p.communeCode)
  const id = await db.transaction().execute(async (tx) => {
    const village: NewVillage = {
      code: p.code.trim(),
      name: p.name.trim(),
      nameSearch: toSearchForm(p.name),
      communeId,
      population: p.population ?? null,
      households: p.households ?? null,
      hasGridPower: p.hasGridPower ?? null,
      attributes: p.attributes ?? {},
      synthetic: false,
      geometry: input.geometry,
      areaGeometry: input.areaGeometry ?? null,
    }
    const [newId] = await insertVillages(tx, [village])
    if (newId === undefined) throw new Error('insert returned no id')
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'create', entity: 'village', entityId: String(newId), details: { code: village.code } })
    return newId
  })
  return getVillageFeature(db, id)
}

export async function patchVillage(db: Db, id: number, patch: VillagePatch, ctx: WriteContext) {
  await checkGeometries(db, patch)
  const p = patch.properties ?? {}
  const communeId = p.communeCode === undefined ? undefined : await resolveCommune(db, p.communeCode)
  await db.transaction().execute(async (tx) => {
    const changes: Partial<NewVillage> = {
      code: p.code?.trim(),
      name: p.name?.trim(),
      nameSearch: p.name === undefined ? undefined : toSearchForm(p.name),
      communeId,
      population: p.population,
      households: p.households,
      hasGridPower: p.hasGridPower,
      attributes: p.attributes,
      geometry: patch.geometry,
      areaGeometry: patch.areaGeometry,
    }
    if (!(await updateVillage(tx, id, changes))) throw new AppError('not-found', `Village ${id} does not exist`)
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'update', entity: 'village', entityId: String(id), details: { fields: Object.keys(p).concat(patch.geometry ? ['geometry'] : []) } })
  })
  return getVillageFeature(db, id)
}
