import { sql } from 'kysely'
import type { Point } from 'geojson'
import type { Executor, PlanSectorJson } from '../db/database.ts'
import { stAsGeoJSON, stGeomFromGeoJSON } from '../db/postgis.ts'

export interface PlanRow {
  id: number
  operator_id: number
  operator_code: string
  name: string
  description: string | null
  created_by: string
  created_at: Date
  updated_at: Date
  site_count: number
}

export interface PlanSiteRow {
  id: number
  position: number
  label: string | null
  candidate_site_id: number | null
  height_m: number
  sectors: PlanSectorJson[]
  notes: string | null
  geometry: Point
}

export interface NewPlanSite {
  label: string | null
  candidateSiteId: number | null
  heightM: number
  sectors: PlanSectorJson[]
  notes: string | null
  geometry: Point
}

const planColumns = sql`p.id, p.operator_id, o.code AS operator_code, p.name, p.description, p.created_by, p.created_at, p.updated_at,
  (SELECT count(*)::integer FROM plan_sites s WHERE s.plan_id = p.id) AS site_count`

export async function listPlans(db: Executor, filter: { operatorCode?: string }, page: { limit: number; offset: number }): Promise<{ rows: PlanRow[]; total: number }> {
  const where = filter.operatorCode === undefined ? sql`TRUE` : sql`o.code = ${filter.operatorCode}`
  const { rows } = await sql<PlanRow & { total: number }>`
    SELECT ${planColumns}, count(*) OVER ()::integer AS total
    FROM plans p JOIN operators o ON o.id = p.operator_id
    WHERE ${where} ORDER BY p.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db)
  return { rows, total: rows[0]?.total ?? 0 }
}

export async function findPlan(db: Executor, id: number): Promise<PlanRow | undefined> {
  const { rows } = await sql<PlanRow>`SELECT ${planColumns} FROM plans p JOIN operators o ON o.id = p.operator_id WHERE p.id = ${id}`.execute(db)
  return rows[0]
}

export async function findPlansByIds(db: Executor, ids: readonly number[]): Promise<PlanRow[]> {
  if (ids.length === 0) return []
  const { rows } = await sql<PlanRow>`SELECT ${planColumns} FROM plans p JOIN operators o ON o.id = p.operator_id
    WHERE p.id = ANY(${`{${ids.join(',')}}`}::int[]) ORDER BY p.id`.execute(db)
  return rows
}

export async function listPlanSites(db: Executor, planId: number): Promise<PlanSiteRow[]> {
  return db.selectFrom('plan_sites')
    .select(['id', 'position', 'label', 'candidate_site_id', 'height_m', 'sectors', 'notes', stAsGeoJSON(sql.ref('geom'), 7).as('geometry')])
    .where('plan_id', '=', planId).orderBy('position').execute() as Promise<PlanSiteRow[]>
}

export async function insertPlan(db: Executor, plan: { operatorId: number; name: string; description: string | null; createdBy: string }): Promise<number> {
  const row = await db.insertInto('plans')
    .values({ operator_id: plan.operatorId, name: plan.name, description: plan.description, created_by: plan.createdBy })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function updatePlan(db: Executor, id: number, changes: { name?: string; description?: string | null }): Promise<void> {
  await db.updateTable('plans').set({ ...changes, updated_at: sql<string>`now()` as unknown as string }).where('id', '=', id).execute()
}

/** Replaces the plan's sites (positions 1…n in the given order). */
export async function replacePlanSites(db: Executor, planId: number, sites: readonly NewPlanSite[]): Promise<void> {
  await db.deleteFrom('plan_sites').where('plan_id', '=', planId).execute()
  if (sites.length === 0) return
  await db.insertInto('plan_sites').values(sites.map((s, i) => ({
    plan_id: planId,
    position: i + 1,
    label: s.label,
    candidate_site_id: s.candidateSiteId,
    height_m: s.heightM,
    sectors: JSON.stringify(s.sectors),
    notes: s.notes,
    geom: stGeomFromGeoJSON(s.geometry),
  }))).execute()
}

export async function deletePlan(db: Executor, id: number): Promise<boolean> {
  const r = await db.deleteFrom('plans').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** The candidate sites (status 'candidate') among ids, with their operator: plan sites may only point at those. */
export async function findCandidateSites(db: Executor, ids: readonly number[]): Promise<Array<{ id: number; operator_id: number }>> {
  if (ids.length === 0) return []
  return db.selectFrom('sites').select(['id', 'operator_id']).where('id', 'in', [...ids]).where('status', '=', 'candidate').execute()
}
