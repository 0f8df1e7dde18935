import type { LineString, MultiLineString } from 'geojson'
import type { Db, LineStatus } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import { findFibreRouteById, insertFibreRoutes, listFibreRoutes, updateFibreRoute, type FibreRow, type NewFibreRoute } from '../repositories/fibre.repository.ts'
import type { Bbox, Page } from '../repositories/paging.ts'
import { toFeature, toFeatureCollection } from './feature-collection.ts'
import { assertAcceptableGeometry } from './geometry-checks.ts'
import { resolveOperator } from './operator-refs.ts'
import { ADMIN_VIEWER, visibilityOf, type Viewer } from './access/viewer.ts'
import type { WriteContext } from './write-context.ts'

export function fibreProperties(r: FibreRow) {
  return {
    id: r.id,
    code: r.code,
    ownerCode: r.owner_code,
    ownerName: r.owner_name,
    status: r.status,
    lengthKm: Math.round(r.length_km * 1000) / 1000,
    synthetic: r.synthetic,
    attributes: r.attributes,
  }
}

const toFibreFeature = (r: FibreRow) => toFeature(r.id, r.geometry, fibreProperties(r))

/** Fibre routes the viewer may see: routes an operator owns are not public (services/access/viewer.ts). */
export async function listFibreFeatures(db: Db, query: { bbox?: Bbox; commune?: string; operator?: string; status?: LineStatus[] }, page: Page, viewer: Viewer) {
  const result = await listFibreRoutes(db, {
    bbox: query.bbox, communeCode: query.commune, ownerCode: query.operator, statuses: query.status, operatorOwned: operatorOwnedFor(viewer),
  }, page)
  return toFeatureCollection(result, toFibreFeature)
}

/** undefined: any route; false: only routes no operator owns. */
function operatorOwnedFor(viewer: Viewer): false | undefined {
  return visibilityOf(viewer).operatorFibre ? undefined : false
}

/** One route; a route the viewer may not see is answered as absent (404). */
export async function getFibreFeature(db: Db, id: number, viewer: Viewer) {
  const row = await findFibreRouteById(db, id, { operatorOwned: operatorOwnedFor(viewer) })
  if (!row) throw new AppError('not-found', `Fibre route ${id} does not exist`)
  return toFibreFeature(row)
}

export interface FibreInput {
  geometry: LineString | MultiLineString
  properties: {
    code: string
    /** An operator code, or null with ownerName for another owner (EVN, a provincial network…). */
    ownerCode?: string | null
    ownerName?: string | null
    status?: LineStatus
    attributes?: Record<string, unknown>
  }
}

export interface FibrePatch {
  geometry?: LineString | MultiLineString
  properties?: Partial<FibreInput['properties']>
}

const LINE_TYPES = ['LineString', 'MultiLineString'] as const

export async function createFibreRoute(db: Db, input: FibreInput, ctx: WriteContext) {
  await assertAcceptableGeometry(db, input.geometry, 'geometry', LINE_TYPES)
  const p = input.properties
  if (!p.ownerCode && !p.ownerName) {
    throw new AppError('validation-failed', 'properties: give ownerCode (an operator) or ownerName', [
      { field: 'properties.ownerCode', location: 'body', reason: 'ownerCode or ownerName is required' },
    ])
  }
  const ownerOperatorId = p.ownerCode ? await resolveOperator(db, p.ownerCode, 'properties.ownerCode') : null
  const id = await db.transaction().execute(async (tx) => {
    const route: NewFibreRoute = {
      code: p.code.trim(),
      ownerOperatorId,
      ownerName: p.ownerName ?? null,
      status: p.status ?? 'existing',
      attributes: p.attributes ?? {},
      synthetic: false,
      geometry: input.geometry,
    }
    const [newId] = await insertFibreRoutes(tx, [route])
    if (newId === undefined) throw new Error('insert returned no id')
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'create', entity: 'fibre_route', entityId: String(newId), details: { code: route.code } })
    return newId
  })
  return getFibreFeature(db, id, ADMIN_VIEWER)
}

export async function patchFibreRoute(db: Db, id: number, patch: FibrePatch, ctx: WriteContext) {
  if (patch.geometry) await assertAcceptableGeometry(db, patch.geometry, 'geometry', LINE_TYPES)
  const p = patch.properties ?? {}
  const ownerOperatorId = p.ownerCode === undefined ? undefined : p.ownerCode === null ? null : await resolveOperator(db, p.ownerCode, 'properties.ownerCode')
  await db.transaction().execute(async (tx) => {
    const changes: Partial<NewFibreRoute> = {
      code: p.code?.trim(),
      ownerOperatorId,
      ownerName: p.ownerName,
      status: p.status,
      attributes: p.attributes,
      geometry: patch.geometry,
    }
    if (!(await updateFibreRoute(tx, id, changes))) throw new AppError('not-found', `Fibre route ${id} does not exist`)
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'update', entity: 'fibre_route', entityId: String(id), details: { fields: Object.keys(p).concat(patch.geometry ? ['geometry'] : []) } })
  })
  return getFibreFeature(db, id, ADMIN_VIEWER)
}
