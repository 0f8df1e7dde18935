import { sql } from 'kysely'
import type { CommuneType, Executor } from '../db/database.ts'

/** The reference rows the indicators API resolves codes against and names its results with, and the field reports the indicators rest on. */

export interface ScopeCommuneRow {
  id: number
  code: string
  name: string
  type: CommuneType
  province_id: number
}

/** The communes with these codes (unknown codes are simply absent), ordered by code. */
export async function listCommunesByCodes(db: Executor, codes: readonly string[]): Promise<ScopeCommuneRow[]> {
  if (codes.length === 0) return []
  return db.selectFrom('communes').select(['id', 'code', 'name', 'type', 'province_id'])
    .where('code', 'in', [...new Set(codes)]).orderBy('code').execute()
}

/** The communes with these ids, ordered by code. */
export async function listCommunesByIds(db: Executor, ids: readonly number[]): Promise<ScopeCommuneRow[]> {
  if (ids.length === 0) return []
  return db.selectFrom('communes').select(['id', 'code', 'name', 'type', 'province_id'])
    .where('id', 'in', [...new Set(ids)]).orderBy('code').execute()
}

export async function findProvinceByCode(db: Executor, code: string): Promise<{ id: number; code: string; name: string } | undefined> {
  return db.selectFrom('provinces').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst()
}

/** Site codes and their operators' codes by site id (a site code is unique per operator). */
export async function listSiteCodesByIds(db: Executor, ids: readonly number[]): Promise<Map<number, { code: string; operatorCode: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('sites as s').innerJoin('operators as o', 'o.id', 's.operator_id')
    .select(['s.id', 's.code', 'o.code as operator_code']).where('s.id', 'in', [...new Set(ids)]).execute()
  return new Map(rows.map((r) => [r.id, { code: r.code, operatorCode: r.operator_code }]))
}

export interface CommuneFibreReach {
  id: number
  code: string
  name: string
  /** An existing fibre route crosses the commune or passes within the distance of its centre (ST_PointOnSurface). */
  reached: boolean
}

/** The communes of a scope (ids, a province, or every commune), ordered by code, with their fibre reach. */
export async function listCommunesWithFibreReach(db: Executor, scope: { communeIds?: readonly number[]; provinceId?: number; fibreDistanceM: number }): Promise<CommuneFibreReach[]> {
  const ids = scope.communeIds
  const { rows } = await sql<CommuneFibreReach>`
    SELECT c.id, c.code, c.name,
      EXISTS (
        SELECT 1 FROM fibre_routes f
        WHERE f.status = 'existing'
          AND (ST_Intersects(f.geom, c.geom) OR ST_DWithin(f.geom::geography, ST_PointOnSurface(c.geom)::geography, ${scope.fibreDistanceM}))
      ) AS reached
    FROM communes c
    WHERE TRUE
      ${ids !== undefined ? sql`AND c.id IN (${sql.join(ids.length > 0 ? ids : [-1])})` : sql``}
      ${scope.provinceId !== undefined ? sql`AND c.province_id = ${scope.provinceId}` : sql``}
    ORDER BY c.code`.execute(db)
  return rows
}

/** The status reports of the villages of these communes made on or before a date (only verified ones with `verifiedOnly`). */
export async function listReportsInCommunesUpTo(db: Executor, communeIds: readonly number[], onDate: string, filter: { verifiedOnly: boolean }) {
  return db.selectFrom('village_status_reports as r').innerJoin('villages as v', 'v.id', 'r.village_id')
    .select(['r.id', 'r.village_id', 'r.reported_on', 'r.observed_status', 'r.operator_id', 'r.technology', 'r.source', 'r.verified', 'r.created_at'])
    .where('v.commune_id', 'in', [...communeIds]).where('r.reported_on', '<=', onDate)
    .$if(filter.verifiedOnly, (q) => q.where('r.verified', '=', true))
    .execute()
}
