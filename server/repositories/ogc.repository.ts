import { sql } from 'kysely'
import type { CoverageClassName, CoverageModel, Executor, SiteStatus, Technology } from '../db/database.ts'
import { bboxOverlaps, stAsGeoJSON, stIntersects, stMakeEnvelope } from '../db/postgis.ts'
import type { Geometry } from 'geojson'
import type { SectorRow } from './sectors.repository.ts'
import type { Bbox, Page } from './paging.ts'

/**
 * The SQL OGC API – Features needs beyond the resource repositories:
 * collection extents, sectors of public sites only, and the coverage class
 * polygons of the current run of a technology.
 */

/** Site statuses that may be shown to anyone; planned and candidate sites never are. */
export const PUBLIC_SITE_STATUSES: readonly SiteStatus[] = ['existing', 'decommissioned']

export type OgcExtentLayer = 'communes' | 'villages' | 'sites' | 'sectors' | 'fibre' | { coverageTechnology: Technology }

/** The bbox of what a collection holds, or null when it is empty. */
export async function findLayerExtent(db: Executor, layer: OgcExtentLayer): Promise<Bbox | null> {
  const publicStatuses = sql.join(PUBLIC_SITE_STATUSES.map((s) => sql.lit(s)))
  const from = typeof layer === 'object'
    ? sql`coverage_polygons p JOIN coverage_runs r ON r.id = p.run_id WHERE r.is_current AND r.technology = ${layer.coverageTechnology} AND p.technology = ${layer.coverageTechnology}`
    : layer === 'communes' ? sql`communes`
      : layer === 'villages' ? sql`villages`
        : layer === 'sites' ? sql`sites WHERE status IN (${publicStatuses})`
          : layer === 'sectors' ? sql`sites s WHERE s.status IN (${publicStatuses}) AND EXISTS (SELECT 1 FROM sectors x WHERE x.site_id = s.id)`
            : sql`fibre_routes`
  const geomCol = typeof layer === 'object' ? sql`p.geom` : layer === 'sectors' ? sql`s.geom` : sql`geom`
  const { rows } = await sql<{ min_x: number | null; min_y: number | null; max_x: number | null; max_y: number | null }>`
    SELECT ST_XMin(e) AS min_x, ST_YMin(e) AS min_y, ST_XMax(e) AS max_x, ST_YMax(e) AS max_y
    FROM (SELECT ST_Extent(${geomCol})::geometry AS e FROM ${from}) t`.execute(db)
  const r = rows[0]
  if (!r || r.min_x === null || r.min_y === null || r.max_x === null || r.max_y === null) return null
  return [Number(r.min_x), Number(r.min_y), Number(r.max_x), Number(r.max_y)]
}

/** Technologies that have a current (complete) coverage run. */
export async function listCurrentCoverageTechnologies(db: Executor): Promise<Technology[]> {
  const rows = await db.selectFrom('coverage_runs').select('technology').where('is_current', '=', true).orderBy('technology').execute()
  return rows.map((r) => r.technology)
}

export interface PublicSectorFilter {
  bbox?: Bbox
  operatorCode?: string
  technology?: Technology
}

function publicSectorIds(db: Executor, filter: PublicSectorFilter) {
  let q = db.selectFrom('sectors as x').innerJoin('sites as s', 's.id', 'x.site_id').innerJoin('operators as o', 'o.id', 's.operator_id')
    .where('s.status', 'in', [...PUBLIC_SITE_STATUSES])
  if (filter.bbox) q = q.where(bboxOverlaps(sql.ref('s.geom'), stMakeEnvelope(filter.bbox)))
  if (filter.operatorCode) q = q.where('o.code', '=', filter.operatorCode)
  if (filter.technology) q = q.where('x.technology', '=', filter.technology)
  return q
}

/** Sectors of existing and decommissioned sites, shaped and ordered as in the sectors repository. */
export async function listPublicSectors(db: Executor, filter: PublicSectorFilter, page: Page): Promise<{ rows: SectorRow[]; total: number }> {
  const { count } = await publicSectorIds(db, filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  const rows = await sectorColumns(publicSectorIds(db, filter)).orderBy('x.site_id').orderBy('x.id').limit(page.limit).offset(page.offset).execute()
  return { rows: rows as SectorRow[], total: Number(count) }
}

function sectorColumns(q: ReturnType<typeof publicSectorIds>) {
  return q
    .select([
      'x.id', 'x.site_id', 's.code as site_code', 'o.code as operator_code', 'x.label', 'x.technology', 'x.frequency_mhz',
      'x.azimuth_deg', 'x.beamwidth_deg', 'x.electrical_tilt_deg', 'x.mechanical_tilt_deg', 'x.height_m', 'x.eirp_dbm', 'x.gain_dbi',
    ])
    .select(stAsGeoJSON(sql.ref('s.geom')).as('geometry'))
}

export async function isPublicSector(db: Executor, id: number): Promise<boolean> {
  return (await publicSectorIds(db, {}).select('x.id').where('x.id', '=', id).executeTakeFirst()) !== undefined
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
