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
