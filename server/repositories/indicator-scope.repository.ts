import type { CommuneType, Executor } from '../db/database.ts'

/** The reference rows the indicators API resolves codes against and names its results with. */

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
