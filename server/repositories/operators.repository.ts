import type { Executor } from '../db/database.ts'

export interface OperatorRow {
  id: number
  code: string
  name: string
  mcc: number | null
  mnc: number | null
}

export async function listOperators(db: Executor): Promise<OperatorRow[]> {
  return db.selectFrom('operators').selectAll().orderBy('code').execute()
}

/** Operator ids by code ('viettel', 'vnpt', 'mobifone'…), for resolving references. */
export async function findOperatorIdsByCodes(db: Executor, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map()
  const rows = await db.selectFrom('operators').select(['id', 'code']).where('code', 'in', [...new Set(codes)]).execute()
  return new Map(rows.map((r) => [r.code, r.id]))
}
