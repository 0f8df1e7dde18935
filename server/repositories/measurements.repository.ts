import { sql } from 'kysely'
import type { Point } from 'geojson'
import type { Executor, MeasurementSource, Technology, Tx } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stGeomFromGeoJSON, stMakeEnvelope } from '../db/postgis.ts'
import type { Bbox, Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'

export interface NewMeasurement {
  importKey: string
  measuredAt: string
  operatorId: number | null
  technology: Technology
  rsrpDbm: number | null
  rsrqDb: number | null
  sinrDb: number | null
  source: MeasurementSource
  device: string | null
  attributes: Record<string, unknown>
  geometry: Point
}

/** Adds measurements not seen before (by import key); a re-imported sample whose values changed is updated. */
export function upsertMeasurements(tx: Tx, rows: readonly NewMeasurement[]): Promise<UpsertResult> {
  return upsertRows<NewMeasurement>(tx, {
    table: 'measurements', conflict: ['import_key'], keyExpression: 'import_key', touchUpdatedAt: false,
    columns: [
      { name: 'import_key', array: 'text', value: (m) => m.importKey },
      { name: 'measured_at', array: 'text', cast: 'timestamptz', value: (m) => m.measuredAt },
      { name: 'operator_id', array: 'int4', value: (m) => m.operatorId },
      { name: 'technology', array: 'text', cast: 'technology', value: (m) => m.technology },
      { name: 'rsrp_dbm', array: 'float8', cast: 'real', value: (m) => m.rsrpDbm },
      { name: 'rsrq_db', array: 'float8', cast: 'real', value: (m) => m.rsrqDb },
      { name: 'sinr_db', array: 'float8', cast: 'real', value: (m) => m.sinrDb },
      { name: 'source', array: 'text', cast: 'measurement_source', value: (m) => m.source },
      { name: 'device', array: 'text', value: (m) => m.device },
      { name: 'attributes', array: 'text', cast: 'jsonb', value: (m) => JSON.stringify(m.attributes) },
    ],
    geometries: [{ name: 'geom', kind: 'point', value: (m) => m.geometry }],
    update: ['measured_at', 'operator_id', 'technology', 'rsrp_dbm', 'rsrq_db', 'sinr_db', 'source', 'device', 'attributes', 'geom'],
  }, rows)
}

export interface MeasurementRow {
  id: number
  measured_at: Date
  operator_code: string | null
  technology: Technology
  rsrp_dbm: number | null
  rsrq_db: number | null
  sinr_db: number | null
  source: MeasurementSource
  device: string | null
  attributes: Record<string, unknown>
  geometry: Point
}

export interface MeasurementFilter {
  bbox?: Bbox
  operatorCode?: string
  technology?: Technology
  /** Measured at or after this instant (ISO timestamp with offset). */
  from?: string
  /** Measured before this instant, or at it when `inclusive`. */
  to?: { at: string; inclusive: boolean }
}

function filteredMeasurements(db: Executor, filter: MeasurementFilter) {
  let q = db.selectFrom('measurements as m').leftJoin('operators as o', 'o.id', 'm.operator_id')
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('m.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.operatorCode) q = q.where('o.code', '=', filter.operatorCode)
  if (filter.technology) q = q.where('m.technology', '=', filter.technology)
  if (filter.from) q = q.where('m.measured_at', '>=', sql<Date>`${filter.from}::timestamptz`)
  if (filter.to) q = q.where('m.measured_at', filter.to.inclusive ? '<=' : '<', sql<Date>`${filter.to.at}::timestamptz`)
  return q
}

function withColumns(q: ReturnType<typeof filteredMeasurements>) {
  return q
    .select(['m.id', 'm.measured_at', 'o.code as operator_code', 'm.technology', 'm.rsrp_dbm', 'm.rsrq_db', 'm.sinr_db', 'm.source', 'm.device', 'm.attributes'])
    .select(stAsGeoJSON(sql.ref('m.geom')).as('geometry'))
}

/** Measurements matching the filter, one page, oldest first. */
export async function listMeasurements(db: Executor, filter: MeasurementFilter, page: Page): Promise<{ rows: MeasurementRow[]; total: number }> {
  const { count } = await filteredMeasurements(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await withColumns(filteredMeasurements(db, filter)).orderBy('m.measured_at').orderBy('m.id').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as MeasurementRow[], total: Number(count) }
}

export async function findMeasurementById(db: Executor, id: number): Promise<MeasurementRow | undefined> {
  return (await withColumns(filteredMeasurements(db, {})).where('m.id', '=', id).executeTakeFirst()) as MeasurementRow | undefined
}

/** A measurement written through the API (no import key). */
export type MeasurementValues = Omit<NewMeasurement, 'importKey'>

/** Inserts measurements in batches of 500 (11 parameters a row); returns their ids in input order. Run it in a transaction. */
export async function insertMeasurements(tx: Tx, measurements: readonly MeasurementValues[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < measurements.length; i += 500) {
    const rows = await tx
      .insertInto('measurements')
      .values(measurements.slice(i, i + 500).map((m) => ({
        measured_at: m.measuredAt, operator_id: m.operatorId, technology: m.technology, rsrp_dbm: m.rsrpDbm, rsrq_db: m.rsrqDb, sinr_db: m.sinrDb,
        source: m.source, device: m.device, attributes: JSON.stringify(m.attributes), geom: stGeomFromGeoJSON(m.geometry),
      })))
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => Number(r.id)))
  }
  return ids
}

/** Deletes one measurement; returns false when it does not exist. */
export async function deleteMeasurement(db: Executor, id: number): Promise<boolean> {
  const result = await db.deleteFrom('measurements').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
