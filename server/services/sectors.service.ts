import type { Db, Technology } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import type { Bbox, Page } from '../repositories/paging.ts'
import { findSectorById, insertSectors, listSectors, siteExists, updateSector, type NewSector, type SectorRow } from '../repositories/sectors.repository.ts'
import { toFeature, toFeatureCollection } from './feature-collection.ts'
import { ADMIN_VIEWER, visibleSiteStatuses, type Viewer } from './access/viewer.ts'
import type { WriteContext } from './write-context.ts'

export function sectorProperties(r: SectorRow) {
  return {
    id: r.id,
    siteId: r.site_id,
    siteCode: r.site_code,
    operatorCode: r.operator_code,
    label: r.label,
    technology: r.technology,
    frequencyMhz: r.frequency_mhz,
    azimuthDeg: r.azimuth_deg,
    beamwidthDeg: r.beamwidth_deg,
    electricalTiltDeg: r.electrical_tilt_deg,
    mechanicalTiltDeg: r.mechanical_tilt_deg,
    heightM: r.height_m,
    eirpDbm: r.eirp_dbm,
    gainDbi: r.gain_dbi,
  }
}

const toSectorFeature = (r: SectorRow) => toFeature(r.id, r.geometry, sectorProperties(r))

/** Sectors of the sites the viewer may see (a planned or candidate site's sectors are as hidden as the site). */
export async function listSectorFeatures(db: Db, query: { bbox?: Bbox; commune?: string; site?: number; operator?: string; technology?: Technology }, page: Page, viewer: Viewer) {
  const result = await listSectors(db, {
    bbox: query.bbox, communeCode: query.commune, siteId: query.site, operatorCode: query.operator, technology: query.technology,
    siteStatuses: visibleSiteStatuses(viewer),
  }, page)
  return toFeatureCollection(result, toSectorFeature)
}

/** One sector; a sector of a site the viewer may not see is answered as absent (404). */
export async function getSectorFeature(db: Db, id: number, viewer: Viewer) {
  const row = await findSectorById(db, id, visibleSiteStatuses(viewer))
  if (!row) throw new AppError('not-found', `Sector ${id} does not exist`)
  return toSectorFeature(row)
}

export interface SectorInput {
  siteId: number
  label?: string | null
  technology: Technology
  frequencyMhz: number
  azimuthDeg?: number | null
  beamwidthDeg?: number
  electricalTiltDeg?: number
  mechanicalTiltDeg?: number
  heightM: number
  eirpDbm: number
  gainDbi?: number
}

async function assertSiteExists(db: Db, siteId: number) {
  if (!(await siteExists(db, siteId))) {
    throw new AppError('unknown-reference', `siteId: no site has id ${siteId}`, [{ field: 'siteId', location: 'body', value: siteId, reason: 'unknown site' }])
  }
}

/** A directional sector (beamwidth < 360°) needs an azimuth; an omni antenna does not. */
function assertAzimuth(beamwidthDeg: number, azimuthDeg: number | null) {
  if (beamwidthDeg < 360 && azimuthDeg === null) {
    throw new AppError('validation-failed', 'azimuthDeg is required for a directional sector (beamwidthDeg < 360)', [
      { field: 'azimuthDeg', location: 'body', reason: 'required when beamwidthDeg < 360' },
    ])
  }
}

export async function createSector(db: Db, input: SectorInput, ctx: WriteContext) {
  await assertSiteExists(db, input.siteId)
  const sector: NewSector = {
    siteId: input.siteId,
    label: input.label ?? null,
    technology: input.technology,
    frequencyMhz: input.frequencyMhz,
    azimuthDeg: input.azimuthDeg ?? null,
    beamwidthDeg: input.beamwidthDeg ?? 65,
    electricalTiltDeg: input.electricalTiltDeg ?? 0,
    mechanicalTiltDeg: input.mechanicalTiltDeg ?? 0,
    heightM: input.heightM,
    eirpDbm: input.eirpDbm,
    gainDbi: input.gainDbi ?? 0,
  }
  assertAzimuth(sector.beamwidthDeg, sector.azimuthDeg)
  const id = await db.transaction().execute(async (tx) => {
    const [newId] = await insertSectors(tx, [sector])
    if (newId === undefined) throw new Error('insert returned no id')
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'create', entity: 'sector', entityId: String(newId), details: { siteId: sector.siteId } })
    return newId
  })
  return getSectorFeature(db, id, ADMIN_VIEWER)
}

export async function patchSector(db: Db, id: number, patch: Partial<SectorInput>, ctx: WriteContext) {
  const current = await findSectorById(db, id)
  if (!current) throw new AppError('not-found', `Sector ${id} does not exist`)
  if (patch.siteId !== undefined) await assertSiteExists(db, patch.siteId)
  assertAzimuth(patch.beamwidthDeg ?? current.beamwidth_deg, patch.azimuthDeg === undefined ? current.azimuth_deg : patch.azimuthDeg)
  await db.transaction().execute(async (tx) => {
    await updateSector(tx, id, {
      siteId: patch.siteId,
      label: patch.label,
      technology: patch.technology,
      frequencyMhz: patch.frequencyMhz,
      azimuthDeg: patch.azimuthDeg,
      beamwidthDeg: patch.beamwidthDeg,
      electricalTiltDeg: patch.electricalTiltDeg,
      mechanicalTiltDeg: patch.mechanicalTiltDeg,
      heightM: patch.heightM,
      eirpDbm: patch.eirpDbm,
      gainDbi: patch.gainDbi,
    })
    await insertAuditEntry(tx, { actor: ctx.actor, action: 'update', entity: 'sector', entityId: String(id), details: { fields: Object.keys(patch) } })
  })
  return getSectorFeature(db, id, ADMIN_VIEWER)
}
