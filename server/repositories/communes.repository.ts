import { sql } from 'kysely'
import type { Geometry, MultiPolygon } from 'geojson'
import type { CommuneType, Executor, ProvinceType, Tx } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stGeomFromGeoJSON, stMakeEnvelope, stMulti } from '../db/postgis.ts'
import type { Bbox, Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'

export interface CommuneRow {
  id: number
  code: string
  name: string
  type: CommuneType
  province_code: string
  province_name: string
  population: number | null
  area_km2: number | null
  historical_district_code: string | null
  historical_district_name: string | null
  attributes: Record<string, unknown>
  geometry: Geometry
}

export interface CommuneFilter {
  bbox?: Bbox
  code?: string
  provinceCode?: string
  /** Diacritic-free, lower-case prefix of the name (see server/lib/search-form.ts). */
  namePrefix?: string
}

const COMMUNE_COLUMNS = [
  'c.id', 'c.code', 'c.name', 'c.type', 'p.code as province_code', 'p.name as province_name',
  'c.population', 'c.area_km2', 'c.historical_district_code', 'c.historical_district_name', 'c.attributes',
] as const

/** Communes joined to their province, narrowed by the filter; callers add the selection. */
function filteredCommunes(db: Executor, filter: CommuneFilter) {
  let q = db.selectFrom('communes as c').innerJoin('provinces as p', 'p.id', 'c.province_id')
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('c.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.provinceCode) q = q.where('p.code', '=', filter.provinceCode)
  if (filter.code) q = q.where('c.code', '=', filter.code)
  if (filter.namePrefix) q = q.where('c.name_search', 'like', `${escapeLike(filter.namePrefix)}%`)
  return q
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`)
}

/** A page of communes matching the filter, ordered by code, and the total count. */
export async function listCommunes(db: Executor, filter: CommuneFilter, page: Page): Promise<{ rows: CommuneRow[]; total: number }> {
  const { count } = await filteredCommunes(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await filteredCommunes(db, filter)
    .select(COMMUNE_COLUMNS)
    .select(stAsGeoJSON(sql.ref('c.geom')).as('geometry'))
    .orderBy('c.code').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as CommuneRow[], total: Number(count) }
}

export async function findCommuneById(db: Executor, id: number): Promise<CommuneRow | undefined> {
  const row = await filteredCommunes(db, {})
    .select(COMMUNE_COLUMNS)
    .select(stAsGeoJSON(sql.ref('c.geom')).as('geometry'))
    .where('c.id', '=', id)
    .executeTakeFirst()
  return row as CommuneRow | undefined
}

/** Commune ids by code, for resolving references in writes and imports. */
export async function findCommuneIdsByCodes(db: Executor, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map()
  const rows = await db.selectFrom('communes').select(['id', 'code']).where('code', 'in', [...new Set(codes)]).execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}

export async function countCommunes(db: Executor): Promise<number> {
  const { count } = await db.selectFrom('communes').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  return Number(count)
}

export interface NewProvince {
  code: string
  name: string
  type: ProvinceType
  population: number | null
  areaKm2: number | null
  geometry: MultiPolygon
}

export async function insertProvince(tx: Tx, p: NewProvince): Promise<number> {
  const { id } = await tx
    .insertInto('provinces')
    .values({
      code: p.code, name: p.name, type: p.type, population: p.population, area_km2: p.areaKm2,
      geom: stMulti(stGeomFromGeoJSON(p.geometry)),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export interface NewCommune {
  code: string
  name: string
  nameSearch: string
  type: CommuneType
  provinceId: number
  population: number | null
  areaKm2: number | null
  historicalDistrictCode: string | null
  historicalDistrictName: string | null
  attributes: Record<string, unknown>
  geometry: MultiPolygon
}

function communeValues(c: NewCommune) {
  return {
    code: c.code, name: c.name, name_search: c.nameSearch, type: c.type, province_id: c.provinceId,
    population: c.population, area_km2: c.areaKm2,
    historical_district_code: c.historicalDistrictCode, historical_district_name: c.historicalDistrictName,
    attributes: JSON.stringify(c.attributes),
    geom: stMulti(stGeomFromGeoJSON(c.geometry)),
  }
}

/** Inserts communes in batches; returns their ids in input order. */
export async function insertCommunes(tx: Tx, communes: readonly NewCommune[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < communes.length; i += 200) {
    const batch = communes.slice(i, i + 200)
    const rows = await tx
      .insertInto('communes')
      .values(batch.map(communeValues))
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => r.id))
  }
  return ids
}

/** Every commune's id, code and name (about 3,300 for the whole country). */
export async function listCommuneCodesAndNames(db: Executor): Promise<Array<{ id: number; code: string; name: string }>> {
  return db.selectFrom('communes').select(['id', 'code', 'name']).execute()
}

/**
 * The commune covering each point, for rows that name none. Returns
 * index → commune id for the points that fall inside a commune.
 */
export async function findCommuneIdsCoveringPoints(db: Executor, points: ReadonlyArray<readonly [number, number]>): Promise<Map<number, number>> {
  if (points.length === 0) return new Map()
  const { rows } = await sql<{ i: number; commune_id: number }>`
    WITH p AS (
      SELECT (ordinality - 1)::int AS i, ST_SetSRID(ST_MakePoint(x, y), 4326) AS geom
      FROM unnest(${points.map((p) => p[0])}::float8[], ${points.map((p) => p[1])}::float8[]) WITH ORDINALITY AS t(x, y, ordinality)
    )
    SELECT DISTINCT ON (p.i) p.i, c.id AS commune_id
    FROM p JOIN communes c ON ST_Covers(c.geom, p.geom)
    ORDER BY p.i, c.id`.execute(db)
  return new Map(rows.map((r) => [r.i, r.commune_id]))
}

/** Adds new communes and changes those whose code exists and whose values differ (imports). */
export function upsertCommunes(tx: Tx, communes: readonly NewCommune[]): Promise<UpsertResult> {
  return upsertRows<NewCommune>(tx, {
    table: 'communes', conflict: ['code'], keyExpression: 'code', touchUpdatedAt: true,
    columns: [
      { name: 'code', array: 'text', value: (c) => c.code },
      { name: 'name', array: 'text', value: (c) => c.name },
      { name: 'name_search', array: 'text', value: (c) => c.nameSearch },
      { name: 'type', array: 'text', cast: 'commune_type', value: (c) => c.type },
      { name: 'province_id', array: 'int4', value: (c) => c.provinceId },
      { name: 'population', array: 'int4', value: (c) => c.population },
      { name: 'area_km2', array: 'float8', value: (c) => c.areaKm2 },
      { name: 'historical_district_code', array: 'text', value: (c) => c.historicalDistrictCode },
      { name: 'historical_district_name', array: 'text', value: (c) => c.historicalDistrictName },
      { name: 'attributes', array: 'text', cast: 'jsonb', value: (c) => JSON.stringify(c.attributes) },
    ],
    geometries: [{ name: 'geom', kind: 'multi', value: (c) => c.geometry }],
    update: ['name', 'name_search', 'type', 'province_id', 'population', 'area_km2', 'historical_district_code', 'historical_district_name', 'attributes', 'geom'],
  }, communes)
}

/** Every province code → id. */
export async function listProvinceCodes(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('provinces').select(['id', 'code']).execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}
