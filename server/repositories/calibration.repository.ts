import { sql } from 'kysely'
import type { CoverageModel, Executor, ObservedStatus, ReportSource, Technology, Tx } from '../db/database.ts'
import { bytesFromBase64, base64FromBytea } from '../db/bytea.ts'
import { bboxOverlaps, stMakeEnvelope } from '../db/postgis.ts'
import type { CoverageTileRow } from './coverage.repository.ts'
import type { Bbox } from './paging.ts'

/*
 * Calibration reads and writes: the composite tiles of a run read in bulk (headers first, then
 * one tile's rasters at a time), the RSRP measurements and latest village reports compared with
 * them, and the fitted offsets (migrations/0005).
 */

/** Where a composite tile lies, without its rasters. */
export type CoverageTileHeaderRow = Omit<CoverageTileRow, 'best_rsrp_decidbm' | 'serving_sector_ids' | 'codec'>

/** The composite tiles of a run, operator (null = any) and technology whose extent overlaps a box. */
export async function listCoverageTileHeadersInBbox(
  db: Executor, runId: number, operatorId: number | null, technology: Technology, bbox: Bbox,
): Promise<CoverageTileHeaderRow[]> {
  let q = db.selectFrom('coverage_tiles')
    .select(['tile', 'west', 'north', 'step_lon', 'step_lat', 'cols', 'rows'])
    .where('run_id', '=', runId).where('technology', '=', technology)
    .where(bboxOverlaps(sql.ref('geom'), stMakeEnvelope(bbox)))
  q = operatorId === null ? q.where('operator_id', 'is', null) : q.where('operator_id', '=', operatorId)
  return q.orderBy('tile').execute()
}

/** One composite tile's rasters (as stored: see services/coverage/raster-codec.ts). */
export async function findCoverageTileRasters(
  db: Executor, runId: number, operatorId: number | null, technology: Technology, tile: string,
): Promise<{ codec: 'raw' | 'deflate'; best: Uint8Array; server: Uint8Array } | undefined> {
  let q = db.selectFrom('coverage_tiles')
    .select(['codec', base64FromBytea('best_rsrp_decidbm').as('best'), base64FromBytea('serving_sector_ids').as('server')])
    .where('run_id', '=', runId).where('technology', '=', technology).where('tile', '=', tile)
  q = operatorId === null ? q.where('operator_id', 'is', null) : q.where('operator_id', '=', operatorId)
  const row = await q.executeTakeFirst()
  return row && { codec: row.codec, best: bytesFromBase64(row.best), server: bytesFromBase64(row.server) }
}

/** An RSRP measurement with its position. */
export interface RsrpMeasurementRow {
  id: number
  measured_at: Date
  operator_id: number
  rsrp_dbm: number
  lon: number
  lat: number
}

/** Every RSRP measurement of a technology that names its operator (or of one operator), by operator then id. */
export async function listRsrpMeasurementsWithOperator(db: Executor, technology: Technology, operatorId?: number): Promise<RsrpMeasurementRow[]> {
  let q = db.selectFrom('measurements')
    .select(['id', 'measured_at', 'operator_id', 'rsrp_dbm', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
    .where('technology', '=', technology).where('rsrp_dbm', 'is not', null)
  q = operatorId === undefined ? q.where('operator_id', 'is not', null) : q.where('operator_id', '=', operatorId)
  const rows = await q.orderBy('operator_id').orderBy('id').execute()
  return rows as RsrpMeasurementRow[]
}

/** Measurements of a technology left out of calibration: without RSRP (RSRQ/SINR only), and with RSRP but no operator. */
export async function countMeasurementsLeftOut(db: Executor, technology: Technology): Promise<{ withoutRsrp: number; withoutOperator: number }> {
  const row = await db.selectFrom('measurements')
    .select([
      sql<number>`count(*) FILTER (WHERE rsrp_dbm IS NULL)`.as('without_rsrp'),
      sql<number>`count(*) FILTER (WHERE rsrp_dbm IS NOT NULL AND operator_id IS NULL)`.as('without_operator'),
    ])
    .where('technology', '=', technology)
    .executeTakeFirstOrThrow()
  return { withoutRsrp: Number(row.without_rsrp), withoutOperator: Number(row.without_operator) }
}

/** A village's latest report for one operator (or for no named operator), with the village point. */
export interface LatestVillageReportRow {
  report_id: number
  village_id: number
  village_code: string
  village_name: string
  commune_code: string
  operator_id: number | null
  operator_code: string | null
  reported_on: string
  observed_status: ObservedStatus
  source: ReportSource
  verified: boolean
  lon: number
  lat: number
}

/**
 * The latest status report of each village per operator (reports naming no operator form their
 * own group), among reports of a technology or naming none; the latest by date, then by id.
 */
export async function listLatestVillageReports(db: Executor, technology: Technology, filter: { verifiedOnly?: boolean } = {}): Promise<LatestVillageReportRow[]> {
  // DISTINCT ON keeps the first row of each (village, operator) group in the ORDER BY: the latest report.
  const { rows } = await sql<LatestVillageReportRow>`
    WITH latest AS (
      SELECT DISTINCT ON (r.village_id, coalesce(r.operator_id, 0))
        r.id AS report_id, r.village_id, r.operator_id, r.reported_on, r.observed_status, r.source, r.verified
      FROM village_status_reports r
      WHERE (r.technology IS NULL OR r.technology = ${technology}::technology)${filter.verifiedOnly ? sql` AND r.verified` : sql``}
      ORDER BY r.village_id, coalesce(r.operator_id, 0), r.reported_on DESC, r.id DESC
    )
    SELECT l.report_id, l.village_id, v.code AS village_code, v.name AS village_name, c.code AS commune_code,
      l.operator_id, o.code AS operator_code, l.reported_on, l.observed_status, l.source, l.verified,
      ST_X(v.geom) AS lon, ST_Y(v.geom) AS lat
    FROM latest l
    JOIN villages v ON v.id = l.village_id
    JOIN communes c ON c.id = v.commune_id
    LEFT JOIN operators o ON o.id = l.operator_id
    ORDER BY l.village_id, l.operator_id NULLS FIRST`.execute(db)
  return rows.map((r) => ({ ...r, report_id: Number(r.report_id) }))
}

export interface CalibrationOffsetRow {
  id: number
  technology: Technology
  operator_id: number
  operator_code: string
  model: CoverageModel
  offset_db: number
  n: number
  stats: Record<string, unknown>
  fitted_at: Date
  applied: boolean
  applied_by: string | null
}

const OFFSET_COLUMNS = [
  'k.id', 'k.technology', 'k.operator_id', 'o.code as operator_code', 'k.model', 'k.offset_db', 'k.n', 'k.stats', 'k.fitted_at', 'k.applied', 'k.applied_by',
] as const

/** The applied offsets of a technology, by operator code and model. */
export async function listAppliedCalibrationOffsets(db: Executor, technology: Technology): Promise<CalibrationOffsetRow[]> {
  return db.selectFrom('calibration_offsets as k').innerJoin('operators as o', 'o.id', 'k.operator_id')
    .select(OFFSET_COLUMNS)
    .where('k.technology', '=', technology).where('k.applied', '=', true)
    .orderBy('o.code').orderBy('k.model')
    .execute()
}

export async function findCalibrationOffsetById(db: Executor, id: number): Promise<CalibrationOffsetRow | undefined> {
  return db.selectFrom('calibration_offsets as k').innerJoin('operators as o', 'o.id', 'k.operator_id')
    .select(OFFSET_COLUMNS).where('k.id', '=', id).executeTakeFirst()
}

/** Un-applies the offset applied for a technology, operator and model, if any; returns its id. */
export async function unapplyCalibrationOffset(tx: Tx, key: { technology: Technology; operatorId: number; model: CoverageModel }): Promise<number | null> {
  const row = await tx.updateTable('calibration_offsets').set({ applied: false })
    .where('technology', '=', key.technology).where('operator_id', '=', key.operatorId).where('model', '=', key.model).where('applied', '=', true)
    .returning('id').executeTakeFirst()
  return row?.id ?? null
}

export interface NewCalibrationOffset {
  technology: Technology
  operatorId: number
  model: CoverageModel
  offsetDb: number
  n: number
  stats: Record<string, unknown>
  appliedBy: string
}

/** Stores an offset as the applied one (un-apply the previous one first, in the same transaction). */
export async function insertAppliedCalibrationOffset(tx: Tx, offset: NewCalibrationOffset): Promise<number> {
  const { id } = await tx.insertInto('calibration_offsets')
    .values({
      technology: offset.technology, operator_id: offset.operatorId, model: offset.model, offset_db: offset.offsetDb, n: offset.n,
      stats: JSON.stringify(offset.stats), applied: true, applied_by: offset.appliedBy,
    })
    .returning('id').executeTakeFirstOrThrow()
  return id
}
