import { sql } from 'kysely'
import type { Executor, SiteStatus, Technology } from '../db/database.ts'
import { bboxOverlaps, stMakeEnvelope } from '../db/postgis.ts'
import type { CoverageSectorRow } from './coverage.repository.ts'
import type { Bbox } from './paging.ts'

/*
 * The optimiser's reads (services/planning/candidate-coverage.service.ts): an operator's sites of
 * some statuses in a box (the candidates, the existing sites a microwave hop may reach, and for
 * candidates.service.ts the sites a generated candidate must keep its distance from), and
 * the sectors of given sites (a candidate may carry planned sectors of its own).
 */

export interface OptimiseSiteRow {
  id: number
  code: string
  name: string | null
  lon: number
  lat: number
  ground_elevation_m: number | null
  attributes: Record<string, unknown>
}

/** An operator's sites with one of `statuses` whose point lies in a box, by id. */
export async function listOperatorSitesInBbox(db: Executor, operatorId: number, bbox: Bbox, statuses: readonly SiteStatus[]): Promise<OptimiseSiteRow[]> {
  const rows = await db.selectFrom('sites as s')
    .select(['s.id', 's.code', 's.name', 's.ground_elevation_m', 's.attributes'])
    .select([sql<number>`ST_X(s.geom)`.as('lon'), sql<number>`ST_Y(s.geom)`.as('lat')])
    .where('s.operator_id', '=', operatorId)
    .where('s.status', 'in', [...statuses])
    .where(bboxOverlaps(sql.ref('s.geom'), stMakeEnvelope(bbox)))
    .orderBy('s.id')
    .execute()
  return rows.map((r) => ({
    id: r.id, code: r.code, name: r.name, lon: Number(r.lon), lat: Number(r.lat),
    ground_elevation_m: r.ground_elevation_m === null ? null : Number(r.ground_elevation_m),
    attributes: attributesObject(r.attributes),
  }))
}

/** A sector's radio, with the columns the coverage engine reads (`CoverageSectorRow`). */
export type OptimiseSectorRow = Pick<CoverageSectorRow,
  'site_id' | 'frequency_mhz' | 'azimuth_deg' | 'beamwidth_deg' | 'electrical_tilt_deg' | 'mechanical_tilt_deg' | 'height_m' | 'eirp_dbm' | 'gain_dbi'>

/** The sectors of a technology at some sites, by site then sector id. */
export async function listSectorsOfSites(db: Executor, siteIds: readonly number[], technology: Technology): Promise<OptimiseSectorRow[]> {
  if (siteIds.length === 0) return []
  const rows = await db.selectFrom('sectors as x')
    .select(['x.site_id', 'x.frequency_mhz', 'x.azimuth_deg', 'x.beamwidth_deg', 'x.electrical_tilt_deg', 'x.mechanical_tilt_deg', 'x.height_m', 'x.eirp_dbm', 'x.gain_dbi'])
    .where('x.site_id', 'in', [...siteIds])
    .where('x.technology', '=', technology)
    .orderBy('x.site_id').orderBy('x.id')
    .execute()
  return rows.map((r) => ({
    site_id: r.site_id, frequency_mhz: Number(r.frequency_mhz), azimuth_deg: r.azimuth_deg === null ? null : Number(r.azimuth_deg),
    beamwidth_deg: Number(r.beamwidth_deg), electrical_tilt_deg: Number(r.electrical_tilt_deg), mechanical_tilt_deg: Number(r.mechanical_tilt_deg),
    height_m: Number(r.height_m), eirp_dbm: Number(r.eirp_dbm), gain_dbi: Number(r.gain_dbi),
  }))
}

function attributesObject(value: unknown): Record<string, unknown> {
  const v = typeof value === 'string' ? (JSON.parse(value) as unknown) : value
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}
