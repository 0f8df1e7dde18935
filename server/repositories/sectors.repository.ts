import { sql } from 'kysely'
import type { Point } from 'geojson'
import type { Executor, SiteStatus, Technology, Tx } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stCovers, stMakeEnvelope } from '../db/postgis.ts'
import type { Bbox, Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'
import { definedOnly } from './write-helpers.ts'

export interface SectorRow {
  id: number
  site_id: number
  site_code: string
  operator_code: string
  label: string | null
  technology: Technology
  frequency_mhz: number
  azimuth_deg: number | null
  beamwidth_deg: number
  electrical_tilt_deg: number
  mechanical_tilt_deg: number
  height_m: number
  eirp_dbm: number
  gain_dbi: number
  /** The site's position: a sector has no geometry of its own. */
  geometry: Point
}

export interface SectorFilter {
  bbox?: Bbox
  /** Sectors of the sites inside this commune. */
  communeCode?: string
  siteId?: number
  operatorCode?: string
  technology?: Technology
  /** Only sectors of sites with these statuses; an empty list matches none. */
  siteStatuses?: readonly SiteStatus[]
}

function filteredSectors(db: Executor, filter: SectorFilter) {
  let q = db
    .selectFrom('sectors as x')
    .innerJoin('sites as s', 's.id', 'x.site_id')
    .innerJoin('operators as o', 'o.id', 's.operator_id')
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('s.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.siteId !== undefined) q = q.where('x.site_id', '=', filter.siteId)
  if (filter.operatorCode) q = q.where('o.code', '=', filter.operatorCode)
  if (filter.technology) q = q.where('x.technology', '=', filter.technology)
  if (filter.siteStatuses) q = filter.siteStatuses.length > 0 ? q.where('s.status', 'in', [...filter.siteStatuses]) : q.where(sql<boolean>`false`)
  if (filter.communeCode) {
    const code = filter.communeCode
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('communes as c').select(sql.lit(1).as('one')).where('c.code', '=', code).where(stCovers(sql.ref('c.geom'), sql.ref('s.geom')))),
    )
  }
  return q
}

function withColumns(q: ReturnType<typeof filteredSectors>) {
  return q
    .select([
      'x.id', 'x.site_id', 's.code as site_code', 'o.code as operator_code', 'x.label', 'x.technology', 'x.frequency_mhz',
      'x.azimuth_deg', 'x.beamwidth_deg', 'x.electrical_tilt_deg', 'x.mechanical_tilt_deg', 'x.height_m', 'x.eirp_dbm', 'x.gain_dbi',
    ])
    .select(stAsGeoJSON(sql.ref('s.geom')).as('geometry'))
}

export async function listSectors(db: Executor, filter: SectorFilter, page: Page): Promise<{ rows: SectorRow[]; total: number }> {
  const { count } = await filteredSectors(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await withColumns(filteredSectors(db, filter)).orderBy('x.site_id').orderBy('x.id').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as SectorRow[], total: Number(count) }
}

/** One sector; with `siteStatuses`, a sector of a site of another status reads as absent. */
export async function findSectorById(db: Executor, id: number, siteStatuses?: readonly SiteStatus[]): Promise<SectorRow | undefined> {
  return (await withColumns(filteredSectors(db, { siteStatuses })).where('x.id', '=', id).executeTakeFirst()) as SectorRow | undefined
}

export async function siteExists(db: Executor, siteId: number): Promise<boolean> {
  return (await db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst()) !== undefined
}

export interface NewSector {
  siteId: number
  label: string | null
  technology: Technology
  frequencyMhz: number
  azimuthDeg: number | null
  beamwidthDeg: number
  electricalTiltDeg: number
  mechanicalTiltDeg: number
  heightM: number
  eirpDbm: number
  gainDbi: number
}

function toValues(x: NewSector) {
  return {
    site_id: x.siteId, label: x.label, technology: x.technology, frequency_mhz: x.frequencyMhz, azimuth_deg: x.azimuthDeg,
    beamwidth_deg: x.beamwidthDeg, electrical_tilt_deg: x.electricalTiltDeg, mechanical_tilt_deg: x.mechanicalTiltDeg,
    height_m: x.heightM, eirp_dbm: x.eirpDbm, gain_dbi: x.gainDbi,
  }
}

/** Inserts sectors in batches of 1000; returns their ids in input order. */
export async function insertSectors(db: Executor, sectors: readonly NewSector[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < sectors.length; i += 1000) {
    const rows = await db.insertInto('sectors').values(sectors.slice(i, i + 1000).map(toValues)).returning('id').execute()
    ids.push(...rows.map((r) => r.id))
  }
  return ids
}

export async function updateSector(db: Executor, id: number, changes: Partial<NewSector>): Promise<boolean> {
  const set = definedOnly({
    site_id: changes.siteId, label: changes.label, technology: changes.technology, frequency_mhz: changes.frequencyMhz,
    azimuth_deg: changes.azimuthDeg, beamwidth_deg: changes.beamwidthDeg, electrical_tilt_deg: changes.electricalTiltDeg,
    mechanical_tilt_deg: changes.mechanicalTiltDeg, height_m: changes.heightM, eirp_dbm: changes.eirpDbm, gain_dbi: changes.gainDbi,
  })
  const result = await db.updateTable('sectors').set({ ...set, updated_at: sql<string>`now()` }).where('id', '=', id).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Adds new sectors and changes those whose (site, label) exists and whose values differ (imports). */
export function upsertSectors(tx: Tx, sectors: readonly NewSector[]): Promise<UpsertResult> {
  return upsertRows<NewSector>(tx, {
    table: 'sectors', conflict: ['site_id', 'label'], keyExpression: "site_id || ':' || label", touchUpdatedAt: true,
    columns: [
      { name: 'site_id', array: 'int4', value: (x) => x.siteId },
      { name: 'label', array: 'text', value: (x) => x.label },
      { name: 'technology', array: 'text', cast: 'technology', value: (x) => x.technology },
      { name: 'frequency_mhz', array: 'float8', cast: 'real', value: (x) => x.frequencyMhz },
      { name: 'azimuth_deg', array: 'float8', cast: 'real', value: (x) => x.azimuthDeg },
      { name: 'beamwidth_deg', array: 'float8', cast: 'real', value: (x) => x.beamwidthDeg },
      { name: 'electrical_tilt_deg', array: 'float8', cast: 'real', value: (x) => x.electricalTiltDeg },
      { name: 'mechanical_tilt_deg', array: 'float8', cast: 'real', value: (x) => x.mechanicalTiltDeg },
      { name: 'height_m', array: 'float8', cast: 'real', value: (x) => x.heightM },
      { name: 'eirp_dbm', array: 'float8', cast: 'real', value: (x) => x.eirpDbm },
      { name: 'gain_dbi', array: 'float8', cast: 'real', value: (x) => x.gainDbi },
    ],
    geometries: [],
    update: ['technology', 'frequency_mhz', 'azimuth_deg', 'beamwidth_deg', 'electrical_tilt_deg', 'mechanical_tilt_deg', 'height_m', 'eirp_dbm', 'gain_dbi'],
  }, sectors)
}
