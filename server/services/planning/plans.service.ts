import type { Point } from 'geojson'
import type { Readable } from 'node:stream'
import type { Db, PlanSectorJson } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { insertAuditEntry } from '../../repositories/audit.repository.ts'
import {
  deletePlan, findCandidateSites, findPlan, insertPlan, listPlans, listPlanSites, replacePlanSites, updatePlan,
  type NewPlanSite, type PlanRow, type PlanSiteRow,
} from '../../repositories/plans.repository.ts'
import type { Page } from '../../repositories/paging.ts'
import { featureStream, type AnyFeature, type ExportFormat } from '../export.service.ts'
import { assertAcceptableGeometry } from '../geometry-checks.ts'
import { resolveOperator } from '../operator-refs.ts'
import type { WriteContext } from '../write-context.ts'

/**
 * Planning scenarios (migrations/0009_plans): a named set of proposed sites of
 * one operator, each with its mast height and sectors, optionally taken from a
 * candidate site. Saved, listed, changed (the site list is replaced whole),
 * deleted and exported for the field survey (GeoJSON, KML, CSV); every change
 * is audit-logged. Plans are private to their operator: until accounts exist
 * (issue 8) only the admin token reaches these routes.
 */

export interface PlanSectorInput {
  azimuthDeg?: number | null
  beamwidthDeg?: number
  frequencyMhz?: number
  eirpDbm?: number
  gainDbi?: number
  electricalTiltDeg?: number
  mechanicalTiltDeg?: number
}

export interface PlanSiteInput {
  lon: number
  lat: number
  heightM: number
  sectors: PlanSectorInput[]
  label?: string | null
  candidateSiteId?: number | null
  notes?: string | null
}

export interface PlanInput {
  name: string
  operatorCode: string
  description?: string | null
  sites: PlanSiteInput[]
}

/** Defaults of a planned sector: a 4G macro sector at 1800 MHz (band 3, the usual LTE band in Vietnam). */
export const PLAN_SECTOR_DEFAULTS: Omit<PlanSectorJson, 'azimuthDeg'> = {
  beamwidthDeg: 65, frequencyMhz: 1800, eirpDbm: 60, gainDbi: 17, electricalTiltDeg: 2, mechanicalTiltDeg: 0,
}

function sectorJson(s: PlanSectorInput): PlanSectorJson {
  return {
    azimuthDeg: s.azimuthDeg ?? null,
    beamwidthDeg: s.beamwidthDeg ?? PLAN_SECTOR_DEFAULTS.beamwidthDeg,
    frequencyMhz: s.frequencyMhz ?? PLAN_SECTOR_DEFAULTS.frequencyMhz,
    eirpDbm: s.eirpDbm ?? PLAN_SECTOR_DEFAULTS.eirpDbm,
    gainDbi: s.gainDbi ?? PLAN_SECTOR_DEFAULTS.gainDbi,
    electricalTiltDeg: s.electricalTiltDeg ?? PLAN_SECTOR_DEFAULTS.electricalTiltDeg,
    mechanicalTiltDeg: s.mechanicalTiltDeg ?? PLAN_SECTOR_DEFAULTS.mechanicalTiltDeg,
  }
}

/** Checks positions (in Vietnam), directional sectors (an azimuth), and that candidate ids are the operator's candidate sites. */
async function planSites(db: Db, sites: readonly PlanSiteInput[], operatorId: number): Promise<NewPlanSite[]> {
  const out: NewPlanSite[] = []
  for (const [i, s] of sites.entries()) {
    const geometry: Point = { type: 'Point', coordinates: [s.lon, s.lat] }
    await assertAcceptableGeometry(db, geometry, `sites[${i}]`, ['Point'])
    const sectors = s.sectors.map(sectorJson)
    sectors.forEach((sec, k) => {
      if (sec.beamwidthDeg < 360 && sec.azimuthDeg === null) {
        throw new AppError('validation-failed', `sites[${i}].sectors[${k}]: a directional sector (beamwidth ${sec.beamwidthDeg}°) needs an azimuth`, [
          { field: `sites[${i}].sectors[${k}].azimuthDeg`, location: 'body', reason: 'required when beamwidthDeg < 360' },
        ])
      }
    })
    out.push({ label: s.label ?? null, candidateSiteId: s.candidateSiteId ?? null, heightM: s.heightM, sectors, notes: s.notes ?? null, geometry })
  }
  const wanted = [...new Set(out.map((s) => s.candidateSiteId).filter((id): id is number => id !== null))]
  const found = new Map((await findCandidateSites(db, wanted)).map((c) => [c.id, c.operator_id]))
  out.forEach((s, i) => {
    if (s.candidateSiteId === null) return
    const owner = found.get(s.candidateSiteId)
    if (owner !== operatorId) {
      throw new AppError('unknown-reference', `sites[${i}].candidateSiteId: ${s.candidateSiteId} is not a candidate site of this plan's operator`, [
        { field: `sites[${i}].candidateSiteId`, location: 'body', value: s.candidateSiteId, reason: owner === undefined ? 'no candidate site with this id' : 'a candidate of another operator' },
      ])
    }
  })
  return out
}

function planSummary(p: PlanRow) {
  return {
    id: p.id, name: p.name, operatorCode: p.operator_code, description: p.description, createdBy: p.created_by,
    createdAt: p.created_at.toISOString(), updatedAt: p.updated_at.toISOString(), siteCount: p.site_count,
  }
}

function siteFeature(plan: PlanRow, s: PlanSiteRow) {
  return {
    type: 'Feature' as const,
    id: s.id,
    geometry: s.geometry,
    properties: {
      position: s.position, label: s.label, heightM: s.height_m, candidateSiteId: s.candidate_site_id, notes: s.notes,
      operatorCode: plan.operator_code, sectors: s.sectors,
    },
  }
}

export async function listPlanSummaries(db: Db, filter: { operatorCode?: string }, page: Page) {
  const { rows, total } = await listPlans(db, filter, page)
  return { total, plans: rows.map(planSummary) }
}

/** A plan with its sites as a GeoJSON FeatureCollection. */
export async function getPlan(db: Db, id: number) {
  const plan = await findPlan(db, id)
  if (!plan) throw new AppError('not-found', `Plan ${id} does not exist`)
  const sites = await listPlanSites(db, id)
  return { ...planSummary(plan), sites: { type: 'FeatureCollection' as const, features: sites.map((s) => siteFeature(plan, s)) } }
}

function duplicateName(err: unknown, name: string): never {
  if (typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505') {
    throw new AppError('duplicate-code', `The operator already has a plan named '${name}'`, [{ field: 'name', location: 'body', value: name, reason: 'unique per operator' }])
  }
  throw err
}

export async function createPlan(db: Db, input: PlanInput, ctx: WriteContext) {
  const operatorId = await resolveOperator(db, input.operatorCode, 'operatorCode')
  const sites = await planSites(db, input.sites, operatorId)
  const name = input.name.trim()
  const id = await db.transaction().execute(async (tx) => {
    const planId = await insertPlan(tx, { operatorId, name, description: input.description ?? null, createdBy: ctx.actor }).catch((e) => duplicateName(e, name))
    await replacePlanSites(tx, planId, sites)
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'create', entity: 'plan', entityId: String(planId), details: { name, operator: input.operatorCode, sites: sites.length } })
    return planId
  })
  return getPlan(db, id)
}

export async function patchPlan(db: Db, id: number, patch: Partial<Omit<PlanInput, 'operatorCode'>>, ctx: WriteContext) {
  const plan = await findPlan(db, id)
  if (!plan) throw new AppError('not-found', `Plan ${id} does not exist`)
  const sites = patch.sites === undefined ? undefined : await planSites(db, patch.sites, plan.operator_id)
  const name = patch.name?.trim()
  await db.transaction().execute(async (tx) => {
    await updatePlan(tx, id, { name, description: patch.description }).catch((e) => duplicateName(e, name ?? plan.name))
    if (sites) await replacePlanSites(tx, id, sites)
    await insertAuditEntry(tx, {
      actor: ctx.actor, action: 'update', entity: 'plan', entityId: String(id),
      details: { before: { name: plan.name, description: plan.description, sites: plan.site_count }, after: { name: name ?? plan.name, description: patch.description === undefined ? plan.description : patch.description, sites: sites?.length ?? plan.site_count } },
    })
  })
  return getPlan(db, id)
}

export async function removePlan(db: Db, id: number, ctx: WriteContext): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const plan = await findPlan(tx, id)
    if (!plan) throw new AppError('not-found', `Plan ${id} does not exist`)
    await deletePlan(tx, id)
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'delete', entity: 'plan', entityId: String(id), details: { name: plan.name, operator: plan.operator_code, sites: plan.site_count } })
  })
}

/**
 * The plan's sites for the field survey: one point per site with its plan, position, label,
 * mast height, sectors in words (azimuths, beamwidth, band, EIRP) and coordinates.
 */
export async function exportPlan(db: Db, id: number, format: ExportFormat): Promise<{ stream: Readable; plan: PlanRow }> {
  const plan = await findPlan(db, id)
  if (!plan) throw new AppError('not-found', `Plan ${id} does not exist`)
  const sites = await listPlanSites(db, id)
  const features: AnyFeature[] = sites.map((s) => ({
    type: 'Feature',
    geometry: s.geometry,
    properties: {
      plan: plan.name,
      operator: plan.operator_code,
      position: s.position,
      name: s.label ?? `${plan.name} #${s.position}`,
      heightM: s.height_m,
      sectorCount: s.sectors.length,
      azimuthsDeg: s.sectors.map((x) => (x.azimuthDeg === null ? 'omni' : String(x.azimuthDeg))).join('/'),
      beamwidthsDeg: s.sectors.map((x) => String(x.beamwidthDeg)).join('/'),
      frequenciesMhz: [...new Set(s.sectors.map((x) => x.frequencyMhz))].join('/'),
      eirpDbm: s.sectors.map((x) => String(x.eirpDbm)).join('/'),
      candidateSiteId: s.candidate_site_id,
      notes: s.notes,
      lonDeg: s.geometry.coordinates[0],
      latDeg: s.geometry.coordinates[1],
      ...(format === 'geojson' ? { sectors: s.sectors } : {}),
    },
  }))
  async function* all() { yield* features }
  return { stream: featureStream(all(), format), plan }
}
