import { sql } from 'kysely'
import type { Point } from 'geojson'
import type { Executor, SiteStatus, Technology, Tx } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stCovers, stGeomFromGeoJSON, stMakeEnvelope } from '../db/postgis.ts'
import type { Bbox, Page } from './paging.ts'
import { upsertRows, type UpsertResult } from './upsert.repository.ts'
import { definedOnly } from './write-helpers.ts'

/** The sectors of a site as they come embedded in a site row. */
export interface SiteSectorSummary {
  id: number
  label: string | null
  technology: Technology
  frequency_mhz: number
  azimuth_deg: number | null
  beamwidth_deg: number
  height_m: number
  eirp_dbm: number
}

export interface SiteRow {
  id: number
  code: string
  name: string | null
  operator_code: string
  operator_name: string
  status: SiteStatus
  ground_elevation_m: number | null
  commissioned_on: string | null
  decommissioned_on: string | null
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: Point
  sectors: SiteSectorSummary[]
}

export interface SiteFilter {
  bbox?: Bbox
  communeCode?: string
  operatorCode?: string
  /** Only these statuses; an empty list matches no site (a viewer may see none of those asked). */
  statuses?: readonly SiteStatus[]
  /**
   * Only sites in service at some day of this interval (YYYY-MM-DD, null = open):
   * commissioned on or before its end (or undated) and not decommissioned on or
   * before its start — the rule the coverage engine uses for "in service on a day".
   */
  inServiceDuring?: { start: string | null; end: string | null }
}

function filteredSites(db: Executor, filter: SiteFilter) {
  let q = db.selectFrom('sites as s').innerJoin('operators as o', 'o.id', 's.operator_id')
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('s.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.operatorCode) q = q.where('o.code', '=', filter.operatorCode)
  if (filter.statuses) q = filter.statuses.length > 0 ? q.where('s.status', 'in', [...filter.statuses]) : q.where(sql<boolean>`false`)
  const during = filter.inServiceDuring
  if (during?.end) q = q.where((eb) => eb.or([eb('s.commissioned_on', 'is', null), eb('s.commissioned_on', '<=', during.end!)]))
  if (during?.start) q = q.where((eb) => eb.or([eb('s.decommissioned_on', 'is', null), eb('s.decommissioned_on', '>', during.start!)]))
  if (filter.communeCode) {
    const code = filter.communeCode
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('communes as c').select(sql.lit(1).as('one')).where('c.code', '=', code).where(stCovers(sql.ref('c.geom'), sql.ref('s.geom')))),
    )
  }
  return q
}

/** Sector summaries of the site `s` as a JSON array (ordered by technology, then azimuth). */
const sectorsJson = sql<SiteSectorSummary[]>`(
  SELECT coalesce(json_agg(json_build_object(
    'id', x.id, 'label', x.label, 'technology', x.technology, 'frequency_mhz', x.frequency_mhz,
    'azimuth_deg', x.azimuth_deg, 'beamwidth_deg', x.beamwidth_deg, 'height_m', x.height_m, 'eirp_dbm', x.eirp_dbm
  ) ORDER BY x.technology, x.azimuth_deg, x.id), '[]'::json)
  FROM sectors x WHERE x.site_id = s.id)`

function withColumns(q: ReturnType<typeof filteredSites>) {
  return q
    .select([
      's.id', 's.code', 's.name', 'o.code as operator_code', 'o.name as operator_name', 's.status',
      's.ground_elevation_m', 's.commissioned_on', 's.decommissioned_on', 's.attributes', 's.synthetic',
    ])
    .select(stAsGeoJSON(sql.ref('s.geom')).as('geometry'))
    .select(sectorsJson.as('sectors'))
}

export async function listSites(db: Executor, filter: SiteFilter, page: Page): Promise<{ rows: SiteRow[]; total: number }> {
  const { count } = await filteredSites(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await withColumns(filteredSites(db, filter)).orderBy('o.code').orderBy('s.code').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as SiteRow[], total: Number(count) }
}

/** One site; `statuses` (when given) are those the caller may see: another status reads as absent. */
export async function findSiteById(db: Executor, id: number, statuses?: readonly SiteStatus[]): Promise<SiteRow | undefined> {
  return (await withColumns(filteredSites(db, { statuses })).where('s.id', '=', id).executeTakeFirst()) as SiteRow | undefined
}

export interface NewSite {
  operatorId: number
  code: string
  name: string | null
  status: SiteStatus
  groundElevationM: number | null
  commissionedOn: string | null
  decommissionedOn: string | null
  attributes: Record<string, unknown>
  synthetic: boolean
  geometry: Point
}

function siteValues(s: NewSite) {
  return {
    operator_id: s.operatorId, code: s.code, name: s.name, status: s.status,
    ground_elevation_m: s.groundElevationM, commissioned_on: s.commissionedOn, decommissioned_on: s.decommissionedOn,
    attributes: JSON.stringify(s.attributes), synthetic: s.synthetic, geom: stGeomFromGeoJSON(s.geometry),
  }
}

/** Inserts sites in batches of 500; returns their ids in input order. */
export async function insertSites(db: Executor, sites: readonly NewSite[]): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < sites.length; i += 500) {
    const rows = await db
      .insertInto('sites')
      .values(sites.slice(i, i + 500).map(siteValues))
      .returning('id')
      .execute()
    ids.push(...rows.map((r) => r.id))
  }
  return ids
}

/** Updates the given fields of one site; returns false when it does not exist. */
export async function updateSite(db: Executor, id: number, changes: Partial<NewSite>): Promise<boolean> {
  const set = definedOnly({
    operator_id: changes.operatorId,
    code: changes.code,
    name: changes.name,
    status: changes.status,
    ground_elevation_m: changes.groundElevationM,
    commissioned_on: changes.commissionedOn,
    decommissioned_on: changes.decommissionedOn,
    attributes: changes.attributes && JSON.stringify(changes.attributes),
    geom: changes.geometry && stGeomFromGeoJSON(changes.geometry),
  })
  const result = await db.updateTable('sites').set({ ...set, updated_at: sql<string>`now()` }).where('id', '=', id).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Every site as `<operator code>:<site code>` → id. */
export async function listSiteKeys(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('sites as s').innerJoin('operators as o', 'o.id', 's.operator_id').select(['s.id', 's.code', 'o.code as operator_code']).execute()
  return new Map(rows.map((r) => [`${r.operator_code}:${r.code}`, r.id]))
}

/** Adds new sites and changes those whose (operator, code) exists and whose values differ (imports). */
export function upsertSites(tx: Tx, sites: readonly NewSite[]): Promise<UpsertResult> {
  return upsertRows<NewSite>(tx, {
    table: 'sites', conflict: ['operator_id', 'code'], keyExpression: "operator_id || ':' || code", touchUpdatedAt: true,
    columns: [
      { name: 'operator_id', array: 'int4', value: (s) => s.operatorId },
      { name: 'code', array: 'text', value: (s) => s.code },
      { name: 'name', array: 'text', value: (s) => s.name },
      { name: 'status', array: 'text', cast: 'site_status', value: (s) => s.status },
      { name: 'ground_elevation_m', array: 'float8', cast: 'real', value: (s) => s.groundElevationM },
      { name: 'commissioned_on', array: 'text', cast: 'date', value: (s) => s.commissionedOn },
      { name: 'decommissioned_on', array: 'text', cast: 'date', value: (s) => s.decommissionedOn },
      { name: 'attributes', array: 'text', cast: 'jsonb', value: (s) => JSON.stringify(s.attributes) },
      { name: 'synthetic', array: 'bool', value: (s) => s.synthetic },
    ],
    geometries: [{ name: 'geom', kind: 'point', value: (s) => s.geometry }],
    update: ['name', 'status', 'ground_elevation_m', 'commissioned_on', 'decommissioned_on', 'attributes', 'synthetic', 'geom'],
  }, sites)
}
