import type { Db } from '../db/database.ts'
import { listOperators } from '../repositories/operators.repository.ts'

export async function listOperatorSummaries(db: Db) {
  return (await listOperators(db)).map((o) => ({ id: o.id, code: o.code, name: o.name, mcc: o.mcc, mnc: o.mnc }))
}
