import { sql } from 'kysely'
import type { CoverageClassName, CoverageModel, Executor, SiteStatus, Technology } from '../db/database.ts'
import { stAsGeoJSON, stIntersects, stMakeEnvelope } from '../db/postgis.ts'
import type { Geometry } from 'geojson'
import type { Bbox, Page } from './paging.ts'

/**
 * The SQL OGC API – Features needs beyond the resource repositories:
 * collection extents (of what the caller may see), the temporal extent of
 * sites, the communes a bbox touches, and the coverage class polygons of the
 * current run of a technology. Which site statuses and whether operator-owned
 * fibre may be seen are decided by services/access/viewer.ts and passed in.
 */

export type OgcExtentLayer = 'communes' | 'villages' | 'sites' | 'sectors' | 'fibre' | { coverageTechnology: Technology }

/** What the caller may see, as far as extents are concerned. */
export interface ExtentVisibility {
  siteStatuses: readonly SiteStatus[]
  operatorFibre: boolean
}

/** The bbox of what a collection holds for the caller, or null when it is empty. */
export async function findLayerExtent(db: Executor, layer: OgcExtentLayer, visible: ExtentVisibility): Promise<Bbox | null> {
  const statuses = visible.siteStatuses.length > 0 ? sql.join(visible.siteStatuses.map((s) => sql.lit(s))) : sql`NULL`
  const from = typeof layer === 'object'
    ? sql`coverage_polygons p JOIN coverage_runs r ON r.id = p.run_id WHERE r.is_current AND r.technology = ${layer.coverageTechnology} AND p.technology = ${layer.coverageTechnology}`
    : layer === 'communes' ? sql`communes`
      : layer === 'villages' ? sql`villages`
        : layer === 'sites' ? sql`sites WHERE status IN (${statuses})`
          : layer === 'sectors' ? sql`sites s WHERE s.status IN (${statuses}) AND EXISTS (SELECT 1 FROM sectors x WHERE x.site_id = s.id)`
            : visible.operatorFibre ? sql`fibre_routes` : sql`fibre_routes WHERE owner_operator_id IS NULL`
  const geomCol = typeof layer === 'object' ? sql`p.geom` : layer === 'sectors' ? sql`s.geom` : sql`geom`
  const { rows } = await sql<{ min_x: number | null; min_y: number | null; max_x: number | null; max_y: number | null }>`
    SELECT ST_XMin(e) AS min_x, ST_YMin(e) AS min_y, ST_XMax(e) AS max_x, ST_YMax(e) AS max_y
    FROM (SELECT ST_Extent(${geomCol})::geometry AS e FROM ${from}) t`.execute(db)
  const r = rows[0]
  if (!r || r.min_x === null || r.min_y === null || r.max_x === null || r.max_y === null) return null
  return [Number(r.min_x), Number(r.min_y), Number(r.max_x), Number(r.max_y)]
}

/**
 * When the sites of these statuses were in service: the earliest commissioning
 * day (null when a site has none: open), and the latest decommissioning day
 * (null while a site is still in service: open). Null when there is no site.
 */
export async function findSitesTemporalExtent(db: Executor, statuses: readonly SiteStatus[]): Promise<[string | null, string | null] | null> {
  if (statuses.length === 0) return null
  const { rows } = await sql<{ n: number | string; undated_start: boolean; first: string | null; open_end: boolean; last: string | null }>`
    SELECT count(*) AS n, bool_or(commissioned_on IS NULL) AS undated_start, min(commissioned_on)::text AS first,
      bool_or(decommissioned_on IS NULL) AS open_end, max(decommissioned_on)::text AS last
    FROM sites WHERE status IN (${sql.join(statuses.map((s) => sql.lit(s)))})`.execute(db)
  const r = rows[0]
  if (!r || Number(r.n) === 0) return null
  return [r.undated_start ? null : r.first, r.open_end ? null : r.last]
}

/** Ids of the communes whose polygon intersects the bbox (every commune without one), by code. */
export async function listCommuneIdsInBbox(db: Executor, bbox: Bbox | undefined): Promise<number[]> {
  let q = db.selectFrom('communes').select('id').orderBy('code')
  if (bbox) q = q.where(stIntersects(sql.ref('geom'), stMakeEnvelope(bbox)))
  return (await q.execute()).map((r) => r.id)
}

/** Technologies that have a current (complete) coverage run. */
export async function listCurrentCoverageTechnologies(db: Executor): Promise<Technology[]> {
  const rows = await db.selectFrom('coverage_runs').select('technology').where('is_current', '=', true).orderBy('technology').execute()
  return rows.map((r) => r.technology)
}

export interface CoveragePolygonRow {
  id: number
  run_id: number
  technology: Technology
  class: CoverageClassName
  operator_code: string | null
  model: CoverageModel
  area_km2: number
  geometry: Geometry
}

export interface CoveragePolygonFilter {
  technology: Technology
  bbox?: Bbox
  classes?: readonly CoverageClassName[]
  /** An operator's code, or 'any' for the all-operator composite. */
  operator?: string
}

function coveragePolygons(db: Executor, filter: CoveragePolygonFilter) {
  let q = db.selectFrom('coverage_polygons as p').innerJoin('coverage_runs as r', 'r.id', 'p.run_id').leftJoin('operators as o', 'o.id', 'p.operator_id')
    .where('r.is_current', '=', true).where('r.technology', '=', filter.technology).where('p.technology', '=', filter.technology)
  if (filter.bbox) q = q.where(stIntersects(sql.ref('p.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.classes && filter.classes.length > 0) q = q.where('p.class', 'in', [...filter.classes])
  if (filter.operator === 'any') q = q.where('p.operator_id', 'is', null)
  else if (filter.operator) q = q.where('o.code', '=', filter.operator)
  return q
}

function coverageColumns(q: ReturnType<typeof coveragePolygons>) {
  return q.select(['p.id', 'p.run_id', 'p.technology', 'p.class', 'o.code as operator_code', 'p.model', 'p.area_km2'])
    .select(stAsGeoJSON(sql.ref('p.geom')).as('geometry'))
}

/** Class polygons of the current run of a technology. */
export async function listCurrentCoveragePolygons(db: Executor, filter: CoveragePolygonFilter, page: Page): Promise<{ rows: CoveragePolygonRow[]; total: number }> {
  const { count } = await coveragePolygons(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await coverageColumns(coveragePolygons(db, filter)).orderBy('p.id').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as CoveragePolygonRow[], total: Number(count) }
}

export async function findCurrentCoveragePolygon(db: Executor, technology: Technology, id: number): Promise<CoveragePolygonRow | undefined> {
  return (await coverageColumns(coveragePolygons(db, { technology })).where('p.id', '=', id).executeTakeFirst()) as CoveragePolygonRow | undefined
}
