import { toSearchForm } from '../lib/search-form.ts'

/**
 * Parsers for attribute values as they come in provincial and operator files:
 * numbers with a comma decimal separator, Vietnamese yes/no words, dates as
 * DD/MM/YYYY or ISO. Each returns the value, or throws a ValueError whose
 * message says what was expected; an empty cell is `null`.
 */
export class ValueError extends Error {
  override name = 'ValueError'
}

const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '')

export function parseText(v: unknown): string | null {
  if (isEmpty(v)) return null
  return String(v).trim()
}

/** Dot as thousands separator (Vietnamese): "1.234.567", "1.234,5"; a single group "1.234" is ambiguous. */
const DOT_THOUSANDS = /^-?\d{1,3}(\.\d{3})+(,\d+)?$/
const DOT_THOUSANDS_CERTAIN = /^-?\d{1,3}((\.\d{3}){2,}(,\d+)?|(\.\d{3})+,\d+)$/
const COMMA_THOUSANDS = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/

/**
 * A decimal number as people type it: "21.3456", "21,3456" (decimal comma), "1.234.567,5"
 * (Vietnamese thousands dots), "1,234,567.5". A single dot followed by exactly three digits
 * ("103.950", "-63.125") is read as a decimal point here — coordinates and dBm values are
 * written that way — and as a thousands separator by `parseInteger` ("1.234" people).
 */
export function parseNumber(v: unknown): number | null {
  return parseWith(v, DOT_THOUSANDS_CERTAIN)
}

/** A whole number; "1.234" and "1,234" are one thousand two hundred and thirty-four. */
export function parseInteger(v: unknown): number | null {
  const n = parseWith(v, DOT_THOUSANDS)
  if (n === null) return null
  if (!Number.isInteger(n)) throw new ValueError(`expected a whole number, got '${String(v)}'`)
  return n
}

function parseWith(v: unknown, dotThousands: RegExp): number | null {
  if (isEmpty(v)) return null
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ValueError('expected a number')
    return v
  }
  const s = String(v).trim().replace(/\s/g, '')
  const normalised = dotThousands.test(s) ? s.replace(/\./g, '').replace(',', '.')
    : COMMA_THOUSANDS.test(s) && !/^-?\d{1,3},\d{3}$/.test(s) ? s.replace(/,/g, '')
    : /^-?\d{1,3},\d{3}$/.test(s) && dotThousands === DOT_THOUSANDS ? s.replace(',', '')
    : s.replace(',', '.')
  const n = Number(normalised)
  if (normalised === '' || !Number.isFinite(n)) throw new ValueError(`expected a number, got '${String(v)}'`)
  return n
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'x', 'co', 'dung', 'da co', 'ok'])
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'khong', 'sai', 'chua', 'chua co'])

/** yes/no, true/false, 1/0, có/không, x. */
export function parseBoolean(v: unknown): boolean | null {
  if (isEmpty(v)) return null
  if (typeof v === 'boolean') return v
  const s = toSearchForm(String(v))
  if (TRUE_WORDS.has(s)) return true
  if (FALSE_WORDS.has(s)) return false
  throw new ValueError(`expected yes/no (có/không, 1/0), got '${String(v)}'`)
}

/** 'YYYY-MM-DD', 'DD/MM/YYYY', 'DD-MM-YYYY' or a full ISO timestamp → 'YYYY-MM-DD'. */
export function parseDate(v: unknown): string | null {
  if (isEmpty(v)) return null
  const s = String(v).trim()
  let y: number, m: number, d: number
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s)
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else throw new ValueError(`expected a date (YYYY-MM-DD or DD/MM/YYYY), got '${s}'`)
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new ValueError(`'${s}' is not a calendar date`)
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** A timestamp: ISO 8601, 'YYYY-MM-DD HH:MM[:SS]' (taken as Vietnam time, UTC+7) or epoch seconds. */
export function parseTimestamp(v: unknown): string | null {
  if (isEmpty(v)) return null
  if (typeof v === 'number') return new Date(v * 1000).toISOString()
  const s = String(v).trim()
  if (/^\d{9,10}$/.test(s)) return new Date(Number(s) * 1000).toISOString()
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(s)
  const date = new Date(local ? `${local[1]}T${local[2]}+07:00` : s)
  if (Number.isNaN(date.getTime())) throw new ValueError(`expected a date and time (ISO 8601), got '${s}'`)
  return date.toISOString()
}

/**
 * One of a fixed set of values, matched without case or diacritics through
 * an alias table (e.g. 'trắng sóng' → 'none').
 */
export function parseEnum<T extends string>(v: unknown, aliases: Record<T, readonly string[]>): T | null {
  if (isEmpty(v)) return null
  const s = toSearchForm(String(v))
  for (const [value, words] of Object.entries(aliases) as Array<[T, readonly string[]]>) {
    if (toSearchForm(value) === s || words.some((w) => toSearchForm(w) === s)) return value
  }
  throw new ValueError(`'${String(v)}' is not one of ${Object.keys(aliases).join(', ')}`)
}
