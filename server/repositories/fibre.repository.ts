import { sql } from 'kysely'
import type { LineString, MultiLineString } from 'geojson'
import type { Executor, LineStatus, Tx } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stGeomFromGeoJSON, stIntersects, stLengthKm, stMakeEnvelope, stMulti } from '../db/postgis.ts'
import type { Bbox, Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'
import { definedOnly } from './write-helpers.ts'

export interface FibreRow {
  id: number
  code: string
  owner_code: string | null
  owner_name: string | null
  status: LineStatus
  length_km: number
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: MultiLineString
}

export interface LineFilter {
  bbox?: Bbox
  communeCode?: string
  ownerCode?: string
  statuses?: readonly LineStatus[]
  /** false: only routes no operator owns (operator-owned fibre is not public). */
  operatorOwned?: boolean
}

function filteredFibre(db: Executor, filter: LineFilter) {
  let q = db.selectFrom('fibre_routes as f').leftJoin('operators as o', 'o.id', 'f.owner_operator_id')
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('f.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.ownerCode) q = q.where('o.code', '=', filter.ownerCode)
  if (filter.operatorOwned === false) q = q.where('f.owner_operator_id', 'is', null)
  if (filter.statuses && filter.statuses.length > 0) q = q.where('f.status', 'in', [...filter.statuses])
  if (filter.communeCode) {
    const code = filter.communeCode
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('communes as c').select(sql.lit(1).as('one')).where('c.code', '=', code).where(stIntersects(sql.ref('c.geom'), sql.ref('f.geom')))),
    )
  }
  return q
}

function withColumns(q: ReturnType<typeof filteredFibre>) {
  return q
    .select(['f.id', 'f.code', 'o.code as owner_code', sql<string | null>`coalesce(o.name, f.owner_name)`.as('owner_name'), 'f.status', 'f.attributes', 'f.synthetic'])
    .select(stLengthKm(sql.ref('f.geom')).as('length_km'))
    .select(stAsGeoJSON(sql.ref('f.geom')).as('geometry'))
}

export async function listFibreRoutes(db: Executor, filter: LineFilter, page: Page): Promise<{ rows: FibreRow[]; total: number }> {
  const { count } = await filteredFibre(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await withColumns(filteredFibre(db, filter)).orderBy('f.code').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as FibreRow[], total: Number(count) }
}

/** One route; with `operatorOwned: false`, a route an operator owns reads as absent. */
export async function findFibreRouteById(db: Executor, id: number, visible: { operatorOwned?: boolean } = {}): Promise<FibreRow | undefined> {
  return (await withColumns(filteredFibre(db, { operatorOwned: visible.operatorOwned })).where('f.id', '=', id).executeTakeFirst()) as FibreRow | undefined
}

export interface NewFibreRoute {
  code: string
  ownerOperatorId: number | null
  ownerName: string | null
  status: LineStatus
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: LineString | MultiLineString
}

function fibreValues(r: NewFibreRoute) {
  return {
    code: r.code, owner_operator_id: r.ownerOperatorId, owner_name: r.ownerName, status: r.status,
    attributes: JSON.stringify(r.attributes), synthetic: r.synthetic, geom: stMulti(stGeomFromGeoJSON(r.geometry)),
  }
}

export async function insertFibreRoutes(db: Executor, routes: readonly NewFibreRoute[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < routes.length; i += 200) {
    const rows = await db
      .insertInto('fibre_routes')
      .values(routes.slice(i, i + 200).map(fibreValues))
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => r.id))
  }
  return ids
}

export async function updateFibreRoute(db: Executor, id: number, changes: Partial<NewFibreRoute>): Promise<boolean> {
  const set = definedOnly({
    code: changes.code,
    owner_operator_id: changes.ownerOperatorId,
    owner_name: changes.ownerName,
    status: changes.status,
    attributes: changes.attributes && JSON.stringify(changes.attributes),
    geom: changes.geometry && stMulti(stGeomFromGeoJSON(changes.geometry)),
  })
  const result = await db.updateTable('fibre_routes').set({ ...set, updated_at: sql<string>`now()` }).where('id', '=', id).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Adds new fibre routes and changes those whose code exists and whose values differ (imports). */
export function upsertFibreRoutes(tx: Tx, routes: readonly NewFibreRoute[]): Promise<UpsertResult> {
  return upsertRows<NewFibreRoute>(tx, {
    table: 'fibre_routes', conflict: ['code'], keyExpression: 'code', touchUpdatedAt: true,
    columns: [
      { name: 'code', array: 'text', value: (r) => r.code },
      { name: 'owner_operator_id', array: 'int4', value: (r) => r.ownerOperatorId },
      { name: 'owner_name', array: 'text', value: (r) => r.ownerName },
      { name: 'status', array: 'text', cast: 'line_status', value: (r) => r.status },
      { name: 'attributes', array: 'text', cast: 'jsonb', value: (r) => JSON.stringify(r.attributes) },
      { name: 'synthetic', array: 'bool', value: (r) => r.synthetic },
    ],
    geometries: [{ name: 'geom', kind: 'multi', value: (r) => r.geometry }],
    update: ['owner_operator_id', 'owner_name', 'status', 'attributes', 'synthetic', 'geom'],
  }, routes)
}
