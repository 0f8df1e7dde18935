import type { Db, ObservedStatus, ReportSource, Technology } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import type { Page } from '../repositories/paging.ts'
import {
  deleteStatusReport, findStatusReportById, insertStatusReport, listStatusReports, updateStatusReport,
  type StatusReportFilter, type StatusReportRow, type StatusReportValues,
} from '../repositories/status-reports.repository.ts'
import { findVillageById } from '../repositories/villages.repository.ts'
import { resolveOperator } from './operator-refs.ts'
import { visibilityOf, type Viewer } from './access/viewer.ts'
import type { WriteContext } from './write-context.ts'
import { todayInVietnam } from '../lib/vietnam-time.ts'

/**
 * Field status reports: what commune offices, community digital teams,
 * operators and citizens observed in a village on a date. Kept apart from
 * predictions; services/village-status/official-status.ts is the rule that
 * combines the two. Every write is recorded in the audit log with the report
 * before and after.
 */

/** Earliest report date accepted: an older date is a mistyped year. */
export const EARLIEST_REPORT_DATE = '2000-01-01'

export function reportProperties(r: StatusReportRow) {
  return {
    id: r.id,
    villageId: r.village_id,
    villageCode: r.village_code,
    villageName: r.village_name,
    communeCode: r.commune_code,
    reportedOn: r.reported_on,
    observedStatus: r.observed_status,
    operatorCode: r.operator_code,
    technology: r.technology,
    source: r.source,
    verified: r.verified,
    note: r.note,
    createdAt: new Date(r.created_at).toISOString(),
  }
}

export type StatusReport = ReturnType<typeof reportProperties>

export interface ReportList {
  numberMatched: number
  numberReturned: number
  reports: StatusReport[]
}

function toList(result: { rows: StatusReportRow[]; total: number }): ReportList {
  return { numberMatched: result.total, numberReturned: result.rows.length, reports: result.rows.map(reportProperties) }
}

export interface ReportQuery {
  commune?: string
  village?: number
  from?: string
  to?: string
  source?: ReportSource[]
  verified?: boolean
}

/** The `verified` filter of every read by a viewer: verified reports only for the public (true), none for an admin. */
export function visibleReportsFilter(viewer: Viewer): true | undefined {
  return visibilityOf(viewer).unverifiedReports ? undefined : true
}

/**
 * The `verified` filter a viewer's listing applies: the public sees verified
 * reports only (asking it for unverified ones gives nothing); an admin, what it asked.
 * Returns null when nothing can match.
 */
function verifiedFilterFor(viewer: Viewer, asked: boolean | undefined): boolean | undefined | null {
  if (visibilityOf(viewer).unverifiedReports) return asked
  return asked === false ? null : true
}

const EMPTY_LIST: ReportList = { numberMatched: 0, numberReturned: 0, reports: [] }

/** Reports matching the filter that the viewer may see, latest first (by report date, then by when they were recorded). */
export async function listReports(db: Db, query: ReportQuery, page: Page, viewer: Viewer): Promise<ReportList> {
  if (query.from && query.to && query.from > query.to) {
    throw new AppError('validation-failed', `from (${query.from}) is after to (${query.to})`, [
      { field: 'from', location: 'querystring', value: query.from, reason: 'must not be after to' },
    ])
  }
  const verified = verifiedFilterFor(viewer, query.verified)
  if (verified === null) return EMPTY_LIST
  const filter: StatusReportFilter = {
    communeCode: query.commune, villageId: query.village, from: query.from, to: query.to, sources: query.source, verified,
  }
  return toList(await listStatusReports(db, filter, page, { latestFirst: true }))
}

async function assertVillageExists(db: Db, villageId: number): Promise<void> {
  if (!(await findVillageById(db, villageId))) throw new AppError('not-found', `Village ${villageId} does not exist`)
}

/** The reports of one village the viewer may see, latest first; 404 when the village does not exist. */
export async function listVillageReports(db: Db, villageId: number, page: Page, viewer: Viewer): Promise<ReportList> {
  await assertVillageExists(db, villageId)
  return toList(await listStatusReports(db, { villageId, verified: visibleReportsFilter(viewer) }, page, { latestFirst: true }))
}

/** One report; an unverified report is answered as absent (404) to the public. */
export async function getReport(db: Db, id: number, viewer: Viewer): Promise<StatusReport> {
  const row = await findStatusReportById(db, id, { verified: visibleReportsFilter(viewer) })
  if (!row) throw new AppError('not-found', `Report ${id} does not exist`)
  return reportProperties(row)
}

export interface ReportInput {
  reportedOn: string
  observedStatus: ObservedStatus
  source: ReportSource
  operatorCode?: string | null
  technology?: Technology | null
  verified?: boolean
  note?: string | null
}

export type ReportPatch = Partial<ReportInput>

/** A report date is a real day, not in the future (in Vietnam) and not before EARLIEST_REPORT_DATE. */
function assertReportDate(reportedOn: string, now: Date): void {
  const fail = (reason: string) => new AppError('validation-failed', `reportedOn: ${reason}`, [{ field: 'reportedOn', location: 'body', value: reportedOn, reason }])
  const today = todayInVietnam(now)
  if (reportedOn > today) throw fail(`is in the future (today is ${today} in Vietnam)`)
  if (reportedOn < EARLIEST_REPORT_DATE) throw fail(`is before ${EARLIEST_REPORT_DATE}; check the year`)
}

function trimmedNote(note: string | null | undefined): string | null | undefined {
  if (note === undefined || note === null) return note
  const t = note.trim()
  return t === '' ? null : t
}

/** Records a report for a village: 404 for an unknown village, 400 for a date in the future or an unknown operator. */
export async function createVillageReport(db: Db, villageId: number, input: ReportInput, ctx: WriteContext, now: Date = new Date()): Promise<StatusReport> {
  assertReportDate(input.reportedOn, now)
  // References before the transaction: on the embedded engine a query on `db` inside it would wait for it.
  await assertVillageExists(db, villageId)
  const operatorId = input.operatorCode ? await resolveOperator(db, input.operatorCode, 'operatorCode') : null
  const values: StatusReportValues = {
    villageId,
    reportedOn: input.reportedOn,
    observedStatus: input.observedStatus,
    operatorId,
    technology: input.technology ?? null,
    source: input.source,
    verified: input.verified ?? false,
    note: trimmedNote(input.note) ?? null,
  }
  return db.transaction().execute(async (tx) => {
    const id = await insertStatusReport(tx, values)
    const after = await findStatusReportById(tx, id)
    if (!after) throw new Error('inserted report not found')
    const report = reportProperties(after)
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'create', entity: 'village_status_report', entityId: String(id), details: { before: null, after: report } })
    return report
  })
}

/** Changes some fields of a report (e.g. `{ verified: true }`); 404 when it does not exist. */
export async function patchReport(db: Db, id: number, patch: ReportPatch, ctx: WriteContext, now: Date = new Date()): Promise<StatusReport> {
  if (patch.reportedOn !== undefined) assertReportDate(patch.reportedOn, now)
  const operatorId = patch.operatorCode === undefined ? undefined : patch.operatorCode === null ? null : await resolveOperator(db, patch.operatorCode, 'operatorCode')
  const changes: Partial<StatusReportValues> = {
    reportedOn: patch.reportedOn,
    observedStatus: patch.observedStatus,
    operatorId,
    technology: patch.technology,
    source: patch.source,
    verified: patch.verified,
    note: trimmedNote(patch.note),
  }
  return db.transaction().execute(async (tx) => {
    const before = await findStatusReportById(tx, id)
    if (!before || !(await updateStatusReport(tx, id, changes))) throw new AppError('not-found', `Report ${id} does not exist`)
    const after = await findStatusReportById(tx, id)
    if (!after) throw new Error('updated report not found')
    const report = reportProperties(after)
    await insertAuditEntry(tx, {
      actor: ctx.actor, action: 'update', entity: 'village_status_report', entityId: String(id),
      details: { fields: Object.keys(patch), before: reportProperties(before), after: report },
    })
    return report
  })
}

/** Deletes a report, keeping it in the audit entry; 404 when it does not exist. */
export async function deleteReport(db: Db, id: number, ctx: WriteContext): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const before = await findStatusReportById(tx, id)
    if (!before || !(await deleteStatusReport(tx, id))) throw new AppError('not-found', `Report ${id} does not exist`)
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'delete', entity: 'village_status_report', entityId: String(id), details: { before: reportProperties(before), after: null } })
  })
}
