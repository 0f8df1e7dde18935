import { sql } from 'kysely'
import type { LineString, MultiLineString } from 'geojson'
import type { Executor, LineStatus, Tx } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stGeomFromGeoJSON, stIntersects, stLengthKm, stMakeEnvelope, stMulti } from '../db/postgis.ts'
import type { LineFilter } from './fibre.repository.ts'
import type { Bbox, Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'

export interface PowerLineRow {
  id: number
  code: string
  owner: string
  voltage_kv: number | null
  status: LineStatus
  length_km: number
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: MultiLineString
}

export interface PowerLineFilter extends Omit<LineFilter, 'ownerCode'> {
  bbox?: Bbox
  owner?: string
}

function filteredPowerLines(db: Executor, filter: PowerLineFilter) {
  let q = db.selectFrom('power_lines as l')
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('l.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.owner) q = q.where('l.owner', '=', filter.owner)
  if (filter.statuses && filter.statuses.length > 0) q = q.where('l.status', 'in', [...filter.statuses])
  if (filter.communeCode) {
    const code = filter.communeCode
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('communes as c').select(sql.lit(1).as('one')).where('c.code', '=', code).where(stIntersects(sql.ref('c.geom'), sql.ref('l.geom')))),
    )
  }
  return q
}

function withColumns(q: ReturnType<typeof filteredPowerLines>) {
  return q
    .select(['l.id', 'l.code', 'l.owner', 'l.voltage_kv', 'l.status', 'l.attributes', 'l.synthetic'])
    .select(stLengthKm(sql.ref('l.geom')).as('length_km'))
    .select(stAsGeoJSON(sql.ref('l.geom')).as('geometry'))
}

export async function listPowerLines(db: Executor, filter: PowerLineFilter, page: Page): Promise<{ rows: PowerLineRow[]; total: number }> {
  const { count } = await filteredPowerLines(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await withColumns(filteredPowerLines(db, filter)).orderBy('l.code').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as PowerLineRow[], total: Number(count) }
}

export async function findPowerLineById(db: Executor, id: number): Promise<PowerLineRow | undefined> {
  return (await withColumns(filteredPowerLines(db, {})).where('l.id', '=', id).executeTakeFirst()) as PowerLineRow | undefined
}

export interface NewPowerLine {
  code: string
  owner: string
  voltageKv: number | null
  status: LineStatus
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: LineString | MultiLineString
}

function powerLineValues(l: NewPowerLine) {
  return {
    code: l.code, owner: l.owner, voltage_kv: l.voltageKv, status: l.status,
    attributes: JSON.stringify(l.attributes), synthetic: l.synthetic, geom: stMulti(stGeomFromGeoJSON(l.geometry)),
  }
}

export async function insertPowerLines(db: Executor, lines: readonly NewPowerLine[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < lines.length; i += 200) {
    const rows = await db
      .insertInto('power_lines')
      .values(lines.slice(i, i + 200).map(powerLineValues))
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => r.id))
  }
  return ids
}

/** Adds new power lines and changes those whose code exists and whose values differ (imports). */
export function upsertPowerLines(tx: Tx, lines: readonly NewPowerLine[]): Promise<UpsertResult> {
  return upsertRows<NewPowerLine>(tx, {
    table: 'power_lines', conflict: ['code'], keyExpression: 'code', touchUpdatedAt: true,
    columns: [
      { name: 'code', array: 'text', value: (l) => l.code },
      { name: 'owner', array: 'text', value: (l) => l.owner },
      { name: 'voltage_kv', array: 'float8', cast: 'real', value: (l) => l.voltageKv },
      { name: 'status', array: 'text', cast: 'line_status', value: (l) => l.status },
      { name: 'attributes', array: 'text', cast: 'jsonb', value: (l) => JSON.stringify(l.attributes) },
      { name: 'synthetic', array: 'bool', value: (l) => l.synthetic },
    ],
    geometries: [{ name: 'geom', kind: 'multi', value: (l) => l.geometry }],
    update: ['owner', 'voltage_kv', 'status', 'attributes', 'synthetic', 'geom'],
  }, lines)
}
