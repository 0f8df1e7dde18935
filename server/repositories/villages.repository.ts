import { sql } from 'kysely'
import type { Geometry, MultiPolygon, Point } from 'geojson'
import type { Executor, Tx } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stGeomFromGeoJSON, stMakeEnvelope, stMulti } from '../db/postgis.ts'
import { escapeLike } from './communes.repository.ts'
import type { Bbox, Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'
import { definedOnly } from './write-helpers.ts'

export interface VillageRow {
  id: number
  code: string
  name: string
  commune_code: string
  commune_name: string
  population: number | null
  households: number | null
  has_grid_power: boolean | null
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: Point
  area_geometry: MultiPolygon | null
}

export interface VillageFilter {
  bbox?: Bbox
  communeCode?: string
  namePrefix?: string
}

const VILLAGE_COLUMNS = [
  'v.id', 'v.code', 'v.name', 'c.code as commune_code', 'c.name as commune_name', 'v.population',
  'v.households', 'v.has_grid_power', 'v.attributes', 'v.synthetic',
] as const

function filteredVillages(db: Executor, filter: VillageFilter) {
  let q = db.selectFrom('villages as v').innerJoin('communes as c', 'c.id', 'v.commune_id')
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('v.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.communeCode) q = q.where('c.code', '=', filter.communeCode)
  if (filter.namePrefix) q = q.where('v.name_search', 'like', `${escapeLike(filter.namePrefix)}%`)
  return q
}

function withColumns(q: ReturnType<typeof filteredVillages>) {
  return q
    .select(VILLAGE_COLUMNS)
    .select(stAsGeoJSON(sql.ref('v.geom')).as('geometry'))
    .select(stAsGeoJSON(sql.ref('v.area_geom')).as('area_geometry'))
}

export async function listVillages(db: Executor, filter: VillageFilter, page: Page): Promise<{ rows: VillageRow[]; total: number }> {
  const { count } = await filteredVillages(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await withColumns(filteredVillages(db, filter)).orderBy('v.code').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as VillageRow[], total: Number(count) }
}

export async function findVillageById(db: Executor, id: number): Promise<VillageRow | undefined> {
  return (await withColumns(filteredVillages(db, {})).where('v.id', '=', id).executeTakeFirst()) as VillageRow | undefined
}

export interface NewVillage {
  code: string
  name: string
  nameSearch: string
  communeId: number
  population: number | null
  households: number | null
  hasGridPower: boolean | null
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: Point
  areaGeometry: Geometry | null
}

function toValues(v: NewVillage) {
  return {
    code: v.code, name: v.name, name_search: v.nameSearch, commune_id: v.communeId,
    population: v.population, households: v.households, has_grid_power: v.hasGridPower,
    attributes: JSON.stringify(v.attributes), synthetic: v.synthetic,
    geom: stGeomFromGeoJSON(v.geometry),
    area_geom: v.areaGeometry ? stMulti(stGeomFromGeoJSON(v.areaGeometry)) : null,
  }
}

/** Inserts villages in batches of 500; returns their ids in input order. */
export async function insertVillages(db: Executor, villages: readonly NewVillage[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < villages.length; i += 500) {
    const rows = await db.insertInto('villages').values(villages.slice(i, i + 500).map(toValues)).returning('id').execute()
    ids.push(...rows.map((r) => r.id))
  }
  return ids
}

/** Updates the given fields of one village; returns false when it does not exist. */
export async function updateVillage(db: Executor, id: number, changes: Partial<NewVillage>): Promise<boolean> {
  const set = definedOnly({
    code: changes.code,
    name: changes.name,
    name_search: changes.nameSearch,
    commune_id: changes.communeId,
    population: changes.population,
    households: changes.households,
    has_grid_power: changes.hasGridPower,
    attributes: changes.attributes && JSON.stringify(changes.attributes),
    geom: changes.geometry && stGeomFromGeoJSON(changes.geometry),
    area_geom: changes.areaGeometry === undefined ? undefined : changes.areaGeometry && stMulti(stGeomFromGeoJSON(changes.areaGeometry)),
  })
  const result = await db
    .updateTable('villages')
    .set({ ...set, updated_at: sql<string>`now()` })
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The villages of these communes, by commune then code, with what the indicators count. */
export async function listVillagesInCommunes(db: Executor, communeIds: readonly number[]): Promise<Array<{
  id: number; code: string; name: string; commune_id: number; population: number | null; has_grid_power: boolean | null
}>> {
  return db.selectFrom('villages')
    .select(['id', 'code', 'name', 'commune_id', 'population', 'has_grid_power'])
    .where('commune_id', 'in', [...communeIds]).orderBy('commune_id').orderBy('code').execute()
}

export async function countVillages(db: Executor): Promise<number> {
  const { count } = await db.selectFrom('villages').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  return Number(count)
}

/** Every village code → id. */
export async function listVillageCodes(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('villages').select(['id', 'code']).execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}

/** Adds new villages and changes those whose code exists and whose values differ (imports). */
export function upsertVillages(tx: Tx, villages: readonly NewVillage[]): Promise<UpsertResult> {
  return upsertRows<NewVillage>(tx, {
    table: 'villages', conflict: ['code'], keyExpression: 'code', touchUpdatedAt: true,
    columns: [
      { name: 'code', array: 'text', value: (v) => v.code },
      { name: 'name', array: 'text', value: (v) => v.name },
      { name: 'name_search', array: 'text', value: (v) => v.nameSearch },
      { name: 'commune_id', array: 'int4', value: (v) => v.communeId },
      { name: 'population', array: 'int4', value: (v) => v.population },
      { name: 'households', array: 'int4', value: (v) => v.households },
      { name: 'has_grid_power', array: 'bool', value: (v) => v.hasGridPower },
      { name: 'attributes', array: 'text', cast: 'jsonb', value: (v) => JSON.stringify(v.attributes) },
      { name: 'synthetic', array: 'bool', value: (v) => v.synthetic },
    ],
    geometries: [
      { name: 'geom', kind: 'point', value: (v) => v.geometry },
      { name: 'area_geom', kind: 'multi', value: (v) => v.areaGeometry },
    ],
    update: ['name', 'name_search', 'commune_id', 'population', 'households', 'has_grid_power', 'attributes', 'synthetic', 'geom', 'area_geom'],
  }, villages)
}
