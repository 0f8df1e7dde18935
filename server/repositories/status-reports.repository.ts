import type { Executor, ObservedStatus, ReportSource, Technology, Tx } from '../db/database.ts'
import type { Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'

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

function reportValues(r: NewStatusReport) {
  return {
    import_key: r.importKey, village_id: r.villageId, reported_on: r.reportedOn, observed_status: r.observedStatus,
    operator_id: r.operatorId, technology: r.technology, source: r.source, verified: r.verified, note: r.note,
  }
}

/** Adds reports not seen before (by import key); a re-imported report whose values changed is updated. */
export function upsertStatusReports(tx: Tx, rows: readonly NewStatusReport[]): Promise<UpsertResult> {
  return upsertRows(tx, {
    table: 'village_status_reports', conflict: ['import_key'], keyExpression: 'import_key', touchUpdatedAt: false,
    update: ['village_id', 'reported_on', 'observed_status', 'operator_id', 'technology', 'source', 'verified', 'note'],
  }, rows.map(reportValues))
}

export interface StatusReportRow {
  id: number
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
}

export async function listStatusReports(db: Executor, filter: { communeCode?: string }, page: Page): Promise<{ rows: StatusReportRow[]; total: number }> {
  const base = () => {
    let q = db
      .selectFrom('village_status_reports as r')
      .innerJoin('villages as v', 'v.id', 'r.village_id')
      .innerJoin('communes as c', 'c.id', 'v.commune_id')
      .leftJoin('operators as o', 'o.id', 'r.operator_id')
    if (filter.communeCode) q = q.where('c.code', '=', filter.communeCode)
    return q
  }
  const { count } = await base().select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await base()
    .select([
      'r.id', 'v.code as village_code', 'v.name as village_name', 'c.code as commune_code', 'r.reported_on', 'r.observed_status',
      'o.code as operator_code', 'r.technology', 'r.source', 'r.verified', 'r.note',
    ])
    .orderBy('r.reported_on').orderBy('r.id').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as StatusReportRow[], total: Number(count) }
}
