import { AppError } from '../errors/error-catalogue.ts'

/** A comma-separated query value as a list of allowed values; a value not allowed is a 400 naming the field. */
export function parseEnumList<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((s) => s.trim()).filter(Boolean)
  const bad = items.find((s) => !(allowed as readonly string[]).includes(s))
  if (bad !== undefined) {
    throw new AppError('validation-failed', `${field}: '${bad}' is not one of ${allowed.join(', ')}`, [
      { field, location: 'querystring', value: bad, reason: `must be one of ${allowed.join(', ')}` },
    ])
  }
  return items as T[]
}
