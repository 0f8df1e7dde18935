import { operatorCodeOf, type ReferenceMaps } from '../references.ts'
import type { RowBuilder } from '../row-builder.ts'
import { parseText } from '../values.ts'

export const OPERATOR_ALIASES = ['operator code', 'nha mang', 'doanh nghiep', 'mang', 'operator', 'network', 'carrier', 'mnc', 'net'] as const

/** Reads an operator column ('Viettel', 'VinaPhone', '04'…) into an operator id; reports unknown names. */
export function takeOperator(b: RowBuilder, field: string, value: unknown, refs: ReferenceMaps, required: boolean): { id: number; code: string } | null {
  const text = b.take(field, value, parseText, { required, label: 'operator' })
  if (text === null) return null
  const code = operatorCodeOf(text)
  const id = code === null ? undefined : refs.operators.get(code)
  if (code === null || id === undefined) {
    b.problem(field, text, `unknown operator '${text}' (expected Viettel, VNPT/VinaPhone, MobiFone, Vietnamobile, Gmobile, Itel or their MNC)`)
    return null
  }
  return { id, code }
}
