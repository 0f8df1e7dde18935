import type { Executor, ObservedStatus, ReportSource, Technology, Tx } from '../db/database.ts'
import type { Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'
import { definedOnly } from './write-helpers.ts'

export interface NewStatusReport {
  importKey: string
  villageId: number
  reportedOn: string
  observedStatus: ObservedStatus
  operatorId: number | null
  technology: Technology | null
  source: ReportSource
  verified: boolean
  note: string | null
}

/** Adds reports not seen before (by import key); a re-imported report whose values changed is updated. */
export function upsertStatusReports(tx: Tx, rows: readonly NewStatusReport[]): Promise<UpsertResult> {
  return upsertRows<NewStatusReport>(tx, {
    table: 'village_status_reports', conflict: ['import_key'], keyExpression: 'import_key', touchUpdatedAt: false,
    columns: [
      { name: 'import_key', array: 'text', value: (r) => r.importKey },
      { name: 'village_id', array: 'int4', value: (r) => r.villageId },
      { name: 'reported_on', array: 'text', cast: 'date', value: (r) => r.reportedOn },
      { name: 'observed_status', array: 'text', cast: 'observed_status', value: (r) => r.observedStatus },
      { name: 'operator_id', array: 'int4', value: (r) => r.operatorId },
      { name: 'technology', array: 'text', cast: 'technology', value: (r) => r.technology },
      { name: 'source', array: 'text', cast: 'report_source', value: (r) => r.source },
      { name: 'verified', array: 'bool', value: (r) => r.verified },
      { name: 'note', array: 'text', value: (r) => r.note },
    ],
    geometries: [],
    update: ['village_id', 'reported_on', 'observed_status', 'operator_id', 'technology', 'source', 'verified', 'note'],
  }, rows)
}

export interface StatusReportRow {
  id: number
  village_id: number
  village_code: string
  village_name: string
  commune_code: string
  reported_on: string
  observed_status: ObservedStatus
  operator_code: string | null
  technology: Technology | null
  source: ReportSource
  verified: boolean
  note: string | null
  created_at: Date
}

export interface StatusReportFilter {
  communeCode?: string
  villageId?: number
  /** Reports dated on or after this date (YYYY-MM-DD). */
  from?: string
  /** Reports dated on or before this date (YYYY-MM-DD). */
  to?: string
  sources?: readonly ReportSource[]
  verified?: boolean
}

function filteredStatusReports(db: Executor, filter: StatusReportFilter) {
  let q = db
    .selectFrom('village_status_reports as r')
    .innerJoin('villages as v', 'v.id', 'r.village_id')
    .innerJoin('communes as c', 'c.id', 'v.commune_id')
    .leftJoin('operators as o', 'o.id', 'r.operator_id')
  if (filter.communeCode) q = q.where('c.code', '=', filter.communeCode)
  if (filter.villageId !== undefined) q = q.where('r.village_id', '=', filter.villageId)
  if (filter.from) q = q.where('r.reported_on', '>=', filter.from)
  if (filter.to) q = q.where('r.reported_on', '<=', filter.to)
  if (filter.sources && filter.sources.length > 0) q = q.where('r.source', 'in', [...filter.sources])
  if (filter.verified !== undefined) q = q.where('r.verified', '=', filter.verified)
  return q
}

function withColumns(q: ReturnType<typeof filteredStatusReports>) {
  return q.select([
    'r.id', 'r.village_id', 'v.code as village_code', 'v.name as village_name', 'c.code as commune_code', 'r.reported_on', 'r.observed_status',
    'o.code as operator_code', 'r.technology', 'r.source', 'r.verified', 'r.note', 'r.created_at',
  ])
}

/**
 * Reports matching the filter, one page. Oldest first by default (exports);
 * `latestFirst` for the API: by report date, then by when they were recorded.
 */
export async function listStatusReports(
  db: Executor, filter: StatusReportFilter, page: Page, order: { latestFirst?: boolean } = {},
): Promise<{ rows: StatusReportRow[]; total: number }> {
  const { count } = await filteredStatusReports(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const direction = order.latestFirst ? 'desc' : 'asc'
  const rows = await withColumns(filteredStatusReports(db, filter))
    .orderBy('r.reported_on', direction).orderBy('r.id', direction).limit(page.limit).offset(page.offset).execute()
  return { rows: rows as StatusReportRow[], total: Number(count) }
}

/** One report; with `verified: true`, an unverified report reads as absent. */
export async function findStatusReportById(db: Executor, id: number, filter: { verified?: boolean } = {}): Promise<StatusReportRow | undefined> {
  return (await withColumns(filteredStatusReports(db, { verified: filter.verified })).where('r.id', '=', id).executeTakeFirst()) as StatusReportRow | undefined
}

/** A report written through the API (no import key). */
export type StatusReportValues = Omit<NewStatusReport, 'importKey'>

/** Inserts one report; returns its id. */
export async function insertStatusReport(db: Executor, report: StatusReportValues): Promise<number> {
  const row = await db
    .insertInto('village_status_reports')
    .values({
      village_id: report.villageId, reported_on: report.reportedOn, observed_status: report.observedStatus, operator_id: report.operatorId,
      technology: report.technology, source: report.source, verified: report.verified, note: report.note,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Updates the given fields of one report; returns false when it does not exist. */
export async function updateStatusReport(db: Executor, id: number, changes: Partial<StatusReportValues>): Promise<boolean> {
  const set = definedOnly({
    village_id: changes.villageId,
    reported_on: changes.reportedOn,
    observed_status: changes.observedStatus,
    operator_id: changes.operatorId,
    technology: changes.technology,
    source: changes.source,
    verified: changes.verified,
    note: changes.note,
  })
  if (Object.keys(set).length === 0) return (await db.selectFrom('village_status_reports').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  const result = await db.updateTable('village_status_reports').set(set).where('id', '=', id).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Deletes one report; returns false when it does not exist. */
export async function deleteStatusReport(db: Executor, id: number): Promise<boolean> {
  const result = await db.deleteFrom('village_status_reports').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
