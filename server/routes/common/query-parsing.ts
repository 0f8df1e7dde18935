import { AppError } from '../../errors/error-catalogue.ts'
import type { Bbox } from '../../repositories/paging.ts'
import { DEFAULT_LIMIT, MAX_BBOX_SPAN_DEG } from './schemas.ts'

/** Parses `minLon,minLat,maxLon,maxLat`, checking order, ranges and size. */
export function parseBbox(value: string | undefined): Bbox | undefined {
  if (value === undefined) return undefined
  const parts = value.split(',').map((s) => Number(s.trim()))
  const fail = (reason: string, code: 'validation-failed' | 'bbox-too-large' = 'validation-failed') =>
    new AppError(code, `bbox: ${reason}`, [{ field: 'bbox', location: 'querystring', value, reason }])
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw fail('expected four numbers minLon,minLat,maxLon,maxLat')
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number]
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) throw fail('longitudes must be within ±180 and latitudes within ±90')
  if (minLon >= maxLon || minLat >= maxLat) throw fail('min must be less than max (order is minLon,minLat,maxLon,maxLat)')
  if (maxLon - minLon > MAX_BBOX_SPAN_DEG || maxLat - minLat > MAX_BBOX_SPAN_DEG) {
    throw fail(`each side must be at most ${MAX_BBOX_SPAN_DEG}° (page through with limit/offset for more)`, 'bbox-too-large')
  }
  return [minLon, minLat, maxLon, maxLat]
}

/** Parses a comma-separated list of enum values (`status=existing,planned`). */
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

export function pageOf(query: { limit?: number; offset?: number }) {
  return { limit: query.limit ?? DEFAULT_LIMIT, offset: query.offset ?? 0 }
}

/** Vietnam time has no daylight saving: a day there runs from 00:00+07:00. */
const VIETNAM_OFFSET = '+07:00'

/**
 * Parses a `from`/`to` bound on timestamps: a day YYYY-MM-DD (in Vietnam
 * time; `to` then means up to the end of that day) or an ISO date-time with
 * its offset. Returns the instant and whether `to` includes it.
 */
export function parseTimeBound(value: string | undefined, field: 'from' | 'to'): { at: string; inclusive: boolean } | undefined {
  if (value === undefined) return undefined
  const fail = (reason: string) => new AppError('validation-failed', `${field}: ${reason}`, [{ field, location: 'querystring', value, reason }])
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (day) {
    const start = Date.parse(`${value}T00:00:00${VIETNAM_OFFSET}`)
    // Date.parse rolls 2025-02-30 over to March: a real day reads back unchanged.
    if (!Number.isFinite(start) || new Date(start + 7 * 3_600_000).toISOString().slice(0, 10) !== value) throw fail('not a real day (YYYY-MM-DD)')
    if (field === 'from') return { at: new Date(start).toISOString(), inclusive: true }
    return { at: new Date(start + 86_400_000).toISOString(), inclusive: false }
  }
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value)) throw fail(`give a day YYYY-MM-DD or a date-time with its offset, e.g. 2025-05-01T08:00:00${VIETNAM_OFFSET}`)
  const at = Date.parse(value)
  if (!Number.isFinite(at)) throw fail('not a date-time')
  return { at: new Date(at).toISOString(), inclusive: true }
}
