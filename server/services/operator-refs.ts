import type { Db } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { findOperatorIdsByCodes } from '../repositories/operators.repository.ts'

/** The id of the operator with this code, or a 400 naming the field. */
export async function resolveOperator(db: Db, code: string, field: string): Promise<number> {
  const id = (await findOperatorIdsByCodes(db, [code])).get(code)
  if (id === undefined) {
    throw new AppError('unknown-reference', `${field}: no operator has code ${code}`, [
      { field, location: 'body', value: code, reason: 'unknown operator (see GET /api/operators)' },
    ])
  }
  return id
}
