import type { Point } from 'geojson'
import type { Db, SiteStatus } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import type { Bbox, Page } from '../repositories/paging.ts'
import { findSiteById, insertSites, listSites, updateSite, type NewSite, type SiteRow } from '../repositories/sites.repository.ts'
import { toFeature, toFeatureCollection } from './feature-collection.ts'
import { assertAcceptableGeometry } from './geometry-checks.ts'
import { resolveOperator } from './operator-refs.ts'
import { ADMIN_VIEWER, visibleSiteStatuses, type Viewer } from './access/viewer.ts'
import type { WriteContext } from './write-context.ts'

export function siteProperties(r: SiteRow) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    operatorCode: r.operator_code,
    operatorName: r.operator_name,
    status: r.status,
    groundElevationM: r.ground_elevation_m,
    commissionedOn: r.commissioned_on,
    decommissionedOn: r.decommissioned_on,
    synthetic: r.synthetic,
    attributes: r.attributes,
    sectors: r.sectors.map((x) => ({
      id: x.id,
      label: x.label,
      technology: x.technology,
      frequencyMhz: x.frequency_mhz,
      azimuthDeg: x.azimuth_deg,
      beamwidthDeg: x.beamwidth_deg,
      heightM: x.height_m,
      eirpDbm: x.eirp_dbm,
    })),
  }
}

const toSiteFeature = (r: SiteRow) => toFeature(r.id, r.geometry, siteProperties(r))

export interface SiteQuery {
  bbox?: Bbox
  commune?: string
  operator?: string
  /** Statuses asked for (none or empty: every status the viewer may see). */
  status?: readonly SiteStatus[]
  /** Sites in service at some day of this interval (YYYY-MM-DD, null = open). */
  inServiceDuring?: { start: string | null; end: string | null }
}

/** The sites the viewer may see (services/access/viewer.ts) matching the query: a status it may not see is never listed. */
export async function listSiteFeatures(db: Db, query: SiteQuery, page: Page, viewer: Viewer) {
  const statuses = visibleSiteStatuses(viewer, query.status && query.status.length > 0 ? query.status : undefined)
  const result = await listSites(db, {
    bbox: query.bbox, communeCode: query.commune, operatorCode: query.operator, statuses, inServiceDuring: query.inServiceDuring,
  }, page)
  return toFeatureCollection(result, toSiteFeature)
}

/** One site; a site the viewer may not see is answered as absent (404), never as forbidden. */
export async function getSiteFeature(db: Db, id: number, viewer: Viewer) {
  const row = await findSiteById(db, id, visibleSiteStatuses(viewer))
  if (!row) throw new AppError('not-found', `Site ${id} does not exist`)
  return toSiteFeature(row)
}

export interface SiteInput {
  geometry: Point
  properties: {
    code: string
    operatorCode: string
    name?: string | null
    status?: SiteStatus
    groundElevationM?: number | null
    commissionedOn?: string | null
    decommissionedOn?: string | null
    attributes?: Record<string, unknown>
  }
}

export interface SitePatch {
  geometry?: Point
  properties?: Partial<SiteInput['properties']>
}

function assertDateOrder(commissionedOn: string | null | undefined, decommissionedOn: string | null | undefined) {
  if (commissionedOn && decommissionedOn && decommissionedOn < commissionedOn) {
    throw new AppError('validation-failed', `properties.decommissionedOn (${decommissionedOn}) is before properties.commissionedOn (${commissionedOn})`, [
      { field: 'properties.decommissionedOn', location: 'body', value: decommissionedOn, reason: 'must not be before commissionedOn' },
    ])
  }
}

export async function createSite(db: Db, input: SiteInput, ctx: WriteContext) {
  await assertAcceptableGeometry(db, input.geometry, 'geometry', ['Point'])
  const p = input.properties
  assertDateOrder(p.commissionedOn, p.decommissionedOn)
  const operatorId = await resolveOperator(db, p.operatorCode, 'properties.operatorCode')
  const id = await db.transaction().execute(async (tx) => {
    const site: NewSite = {
      operatorId,
      code: p.code.trim(),
      name: p.name ?? null,
      status: p.status ?? 'existing',
      groundElevationM: p.groundElevationM ?? null,
      commissionedOn: p.commissionedOn ?? null,
      decommissionedOn: p.decommissionedOn ?? null,
      attributes: p.attributes ?? {},
      synthetic: false,
      geometry: input.geometry,
    }
    const [newId] = await insertSites(tx, [site])
    if (newId === undefined) throw new Error('insert returned no id')
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'create', entity: 'site', entityId: String(newId), details: { code: site.code, operator: p.operatorCode } })
    return newId
  })
  return getSiteFeature(db, id, ADMIN_VIEWER)
}

export async function patchSite(db: Db, id: number, patch: SitePatch, ctx: WriteContext) {
  if (patch.geometry) await assertAcceptableGeometry(db, patch.geometry, 'geometry', ['Point'])
  const p = patch.properties ?? {}
  const current = await findSiteById(db, id)
  if (!current) throw new AppError('not-found', `Site ${id} does not exist`)
  assertDateOrder(
    p.commissionedOn === undefined ? current.commissioned_on : p.commissionedOn,
    p.decommissionedOn === undefined ? current.decommissioned_on : p.decommissionedOn,
  )
  const operatorId = p.operatorCode === undefined ? undefined : await resolveOperator(db, p.operatorCode, 'properties.operatorCode')
  await db.transaction().execute(async (tx) => {
    const changes: Partial<NewSite> = {
      operatorId,
      code: p.code?.trim(),
      name: p.name,
      status: p.status,
      groundElevationM: p.groundElevationM,
      commissionedOn: p.commissionedOn,
      decommissionedOn: p.decommissionedOn,
      attributes: p.attributes,
      geometry: patch.geometry,
    }
    if (!(await updateSite(tx, id, changes))) throw new AppError('not-found', `Site ${id} does not exist`)
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'update', entity: 'site', entityId: String(id), details: { fields: Object.keys(p).concat(patch.geometry ? ['geometry'] : []) } })
  })
  return getSiteFeature(db, id, ADMIN_VIEWER)
}
