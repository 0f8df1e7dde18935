import type { Point } from 'geojson'
import type { Db, MeasurementSource, Technology } from '../db/database.ts'
import { AppError, type ErrorCode, type ProblemDetail } from '../errors/error-catalogue.ts'
import { checkVietnamExtent } from '../geo/vietnam-extent.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import {
  deleteMeasurement as deleteMeasurementRow, findMeasurementById, insertMeasurements, listMeasurements,
  type MeasurementFilter, type MeasurementRow, type MeasurementValues,
} from '../repositories/measurements.repository.ts'
import { findOperatorIdsByCodes } from '../repositories/operators.repository.ts'
import type { Page } from '../repositories/paging.ts'
import { toFeature, toFeatureCollection } from './feature-collection.ts'
import type { WriteContext } from './write-context.ts'

/**
 * Field measurements (RSRP/RSRQ/SINR samples with position and time), kept
 * apart from predictions. A batch of up to MAX_MEASUREMENT_BATCH is checked
 * whole before anything is written, then written in one transaction: all or
 * nothing, each problem named by the item's index and field.
 */

export const MAX_MEASUREMENT_BATCH = 5000
/** Problems listed in a refusal; the detail gives the total. */
const MAX_PROBLEMS_LISTED = 100
/** Clock skew tolerated between a field device and the server before a measurement counts as "in the future". */
const FUTURE_TOLERANCE_MS = 5 * 60_000

export function measurementProperties(r: MeasurementRow) {
  return {
    id: r.id,
    measuredAt: new Date(r.measured_at).toISOString(),
    operatorCode: r.operator_code,
    technology: r.technology,
    rsrpDbm: r.rsrp_dbm,
    rsrqDb: r.rsrq_db,
    sinrDb: r.sinr_db,
    source: r.source,
    device: r.device,
    attributes: r.attributes,
  }
}

const toMeasurementFeature = (r: MeasurementRow) => toFeature(r.id, r.geometry, measurementProperties(r))

export async function listMeasurementFeatures(db: Db, filter: MeasurementFilter, page: Page) {
  if (filter.from && filter.to && Date.parse(filter.from) > Date.parse(filter.to.at)) {
    throw new AppError('validation-failed', `from (${filter.from}) is after to (${filter.to.at})`, [
      { field: 'from', location: 'querystring', value: filter.from, reason: 'must not be after to' },
    ])
  }
  return toFeatureCollection(await listMeasurements(db, filter, page), toMeasurementFeature)
}

export async function getMeasurementFeature(db: Db, id: number) {
  const row = await findMeasurementById(db, id)
  if (!row) throw new AppError('not-found', `Measurement ${id} does not exist`)
  return toMeasurementFeature(row)
}

export interface MeasurementInput {
  geometry: Point
  properties: {
    measuredAt: string
    technology: Technology
    operatorCode?: string | null
    rsrpDbm?: number | null
    rsrqDb?: number | null
    sinrDb?: number | null
    source?: MeasurementSource
    device?: string | null
    attributes?: Record<string, unknown>
  }
}

/** One problem of a batch, before it becomes a ProblemDetail. */
interface ItemProblem {
  code: ErrorCode
  index: number
  field: string
  value?: unknown
  reason: string
}

/**
 * Checks every item of a batch (the schema has checked types and ranges):
 * position inside Vietnam, time not in the future, at least one of RSRP,
 * RSRQ and SINR, a known operator. Returns the rows to write, or throws one
 * 400 listing the problems by index and field.
 */
async function checkBatch(db: Db, items: readonly MeasurementInput[], fieldPrefix: (index: number) => string, now: Date): Promise<MeasurementValues[]> {
  const codes = [...new Set(items.map((m) => m.properties.operatorCode).filter((c): c is string => typeof c === 'string'))]
  const operatorIds = await findOperatorIdsByCodes(db, codes)
  const latest = now.getTime() + FUTURE_TOLERANCE_MS
  const problems: ItemProblem[] = []
  const rows: MeasurementValues[] = []
  items.forEach((item, index) => {
    const at = (field: string) => `${fieldPrefix(index)}${field}`
    const p = item.properties
    const before = problems.length
    const outside = checkVietnamExtent(item.geometry)
    if (outside) problems.push({ code: 'outside-vietnam', index, field: at('geometry'), value: outside.coordinate, reason: outside.reason })
    const measuredMs = Date.parse(p.measuredAt)
    if (!Number.isFinite(measuredMs)) {
      problems.push({ code: 'validation-failed', index, field: at('properties.measuredAt'), value: p.measuredAt, reason: 'not a date-time' })
    } else if (measuredMs > latest) {
      problems.push({ code: 'validation-failed', index, field: at('properties.measuredAt'), value: p.measuredAt, reason: `is in the future (server time ${now.toISOString()})` })
    }
    if (p.rsrpDbm == null && p.rsrqDb == null && p.sinrDb == null) {
      problems.push({ code: 'validation-failed', index, field: at('properties.rsrpDbm'), reason: 'a measurement needs rsrpDbm, rsrqDb or sinrDb' })
    }
    const operatorId = p.operatorCode ? operatorIds.get(p.operatorCode) : null
    if (operatorId === undefined) {
      problems.push({ code: 'unknown-reference', index, field: at('properties.operatorCode'), value: p.operatorCode, reason: 'unknown operator (see GET /api/operators)' })
    }
    if (problems.length > before || operatorId === undefined) return
    rows.push({
      measuredAt: new Date(measuredMs).toISOString(),
      operatorId,
      technology: p.technology,
      rsrpDbm: p.rsrpDbm ?? null,
      rsrqDb: p.rsrqDb ?? null,
      sinrDb: p.sinrDb ?? null,
      source: p.source ?? 'field_team',
      device: p.device?.trim() || null,
      attributes: p.attributes ?? {},
      geometry: { type: 'Point', coordinates: [item.geometry.coordinates[0]!, item.geometry.coordinates[1]!] },
    })
  })
  if (problems.length > 0) {
    const first = problems[0]!
    const codes = new Set(problems.map((x) => x.code))
    const code: ErrorCode = codes.size === 1 ? first.code : 'validation-failed'
    const refused = new Set(problems.map((x) => x.index)).size
    const errors: ProblemDetail[] = problems.slice(0, MAX_PROBLEMS_LISTED).map((x) => ({
      feature: x.index, field: x.field, location: 'body', ...(x.value === undefined ? {} : { value: x.value }), reason: x.reason,
    }))
    throw new AppError(code, `${refused} of ${items.length} measurements refused, nothing written (${problems.length} problems${problems.length > MAX_PROBLEMS_LISTED ? `, first ${MAX_PROBLEMS_LISTED} listed` : ''}); first: item ${first.index}, ${first.field}: ${first.reason}`, errors)
  }
  return rows
}

export interface MeasurementsCreated {
  created: number
  ids: number[]
}

/**
 * Writes a batch of measurements (a single one is a batch of one) in one
 * transaction with one audit entry; nothing is written when any item is refused.
 * `fieldPrefix` says how the caller names an item in errors (`features.3.`, or '' for a lone Feature).
 */
export async function createMeasurements(
  db: Db, items: readonly MeasurementInput[], ctx: WriteContext,
  options: { fieldPrefix?: (index: number) => string; now?: Date } = {},
): Promise<MeasurementsCreated> {
  if (items.length === 0 || items.length > MAX_MEASUREMENT_BATCH) {
    throw new AppError('validation-failed', `a batch holds 1 to ${MAX_MEASUREMENT_BATCH} measurements, got ${items.length}`, [
      { field: 'features', location: 'body', value: items.length, reason: `must hold 1 to ${MAX_MEASUREMENT_BATCH} items` },
    ])
  }
  const rows = await checkBatch(db, items, options.fieldPrefix ?? ((i) => `features.${i}.`), options.now ?? new Date())
  const ids = await db.transaction().execute(async (tx) => {
    const newIds = await insertMeasurements(tx, rows)
    await insertAuditEntry(tx, {
      actor: ctx.actor, action: 'create', entity: 'measurement', entityId: newIds.length === 1 ? String(newIds[0]) : null,
      details: { count: newIds.length, ids: newIds },
    })
    return newIds
  })
  return { created: ids.length, ids }
}

/** Deletes a measurement, keeping it in the audit entry; 404 when it does not exist. */
export async function deleteMeasurement(db: Db, id: number, ctx: WriteContext): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const before = await findMeasurementById(tx, id)
    if (!before || !(await deleteMeasurementRow(tx, id))) throw new AppError('not-found', `Measurement ${id} does not exist`)
    await insertAuditEntry(tx, {
      actor: ctx.actor, action: 'delete', entity: 'measurement', entityId: String(id),
      details: { before: { ...measurementProperties(before), geometry: before.geometry }, after: null },
    })
  })
}
