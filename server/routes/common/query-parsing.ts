import { AppError } from '../../errors/error-catalogue.ts'
import type { Bbox } from '../../repositories/paging.ts'
import type { DayInterval } from '../../services/ogc/ogc-collections.ts'
import { DEFAULT_LIMIT, MAX_BBOX_SPAN_DEG, OGC_MAX_BBOX_SPAN_DEG } from './schemas.ts'
import { dayInVietnam } from '../../lib/vietnam-time.ts'

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

/**
 * Parses an OGC API – Features `bbox` (Part 1 §7.15.3): `minLon,minLat,maxLon,maxLat`
 * or with heights `minLon,minLat,minH,maxLon,maxLat,maxH` (heights ignored: the data is 2D),
 * in CRS84. 400 validation-failed with the reason for: not 4 or 6 numbers, a longitude
 * outside ±180 or a latitude outside ±90, minLon > maxLon (crossing the antimeridian is not
 * supported), minLat > maxLat, or a side longer than OGC_MAX_BBOX_SPAN_DEG. A degenerate
 * bbox (min = max) is accepted.
 */
export function parseOgcBbox(value: string | undefined): Bbox | undefined {
  if (value === undefined) return undefined
  const parts = value.split(',').map((s) => Number(s.trim()))
  const fail = (reason: string) => new AppError('validation-failed', `bbox: ${reason}`, [{ field: 'bbox', location: 'querystring', value, reason }])
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((n) => !Number.isFinite(n))) {
    throw fail('expected 4 numbers minLon,minLat,maxLon,maxLat (or 6 with heights minLon,minLat,minH,maxLon,maxLat,maxH)')
  }
  const [minLon, minLat, maxLon, maxLat] = (parts.length === 6 ? [parts[0], parts[1], parts[3], parts[4]] : parts) as [number, number, number, number]
  if (minLon < -180 || maxLon > 180 || minLon > 180 || maxLon < -180) throw fail('longitudes must be within −180..180')
  if (minLat < -90 || maxLat > 90 || minLat > 90 || maxLat < -90) throw fail('latitudes must be within −90..90')
  if (minLon > maxLon) throw fail('minLon is greater than maxLon (a bbox crossing the antimeridian is not supported)')
  if (minLat > maxLat) throw fail('minLat is greater than maxLat (order is minLon,minLat,maxLon,maxLat)')
  if (maxLon - minLon > OGC_MAX_BBOX_SPAN_DEG || maxLat - minLat > OGC_MAX_BBOX_SPAN_DEG) {
    throw fail(`the bbox is ${round(maxLon - minLon)}° wide and ${round(maxLat - minLat)}° tall; each side must be at most ${OGC_MAX_BBOX_SPAN_DEG}°`)
  }
  return [minLon, minLat, maxLon, maxLat]
}

const round = (x: number) => Math.round(x * 1000) / 1000

/**
 * Parses an OGC API – Features `datetime` (Part 1 §7.15.4) into days: an instant
 * (`2025-06-01` or an RFC 3339 date-time with its offset, `2025-06-01T00:00:00Z`) gives
 * `{start: day, end: day}`; an interval `a/b`, `../b`, `a/..` (or an empty end) gives its
 * days, `..` open. A date-time is read in Vietnam time (UTC+07:00), where the data's days
 * are. 400 validation-failed naming `datetime` for anything else or a start after the end.
 */
export function parseOgcDatetime(value: string | undefined): DayInterval | undefined {
  if (value === undefined) return undefined
  const fail = (reason: string) => new AppError('validation-failed', `datetime: ${reason}`, [{ field: 'datetime', location: 'querystring', value, reason }])
  const parts = value.trim().split('/')
  if (parts.length > 2) throw fail('expected an instant (2025-06-01 or 2025-06-01T00:00:00Z) or an interval a/b, ../b or a/..')
  const dayOf = (part: string, open: boolean): string | null => {
    if (open && (part === '..' || part === '')) return null
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(part)
    if (date) {
      const t = Date.parse(`${part}T00:00:00Z`)
      if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== part) throw fail(`'${part}' is not a real day (YYYY-MM-DD)`)
      return part
    }
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(part)) {
      throw fail(`'${part}' is not a date (YYYY-MM-DD) or an RFC 3339 date-time with its offset (2025-06-01T00:00:00Z)${open ? ' or ..' : ''}`)
    }
    const t = Date.parse(part)
    if (!Number.isFinite(t)) throw fail(`'${part}' is not a valid date-time`)
    return dayInVietnam(t)
  }
  if (parts.length === 1) {
    const day = dayOf(parts[0]!, false)
    return { start: day, end: day }
  }
  const start = dayOf(parts[0]!, true)
  const end = dayOf(parts[1]!, true)
  if (start !== null && end !== null && start > end) throw fail(`the interval starts (${start}) after it ends (${end})`)
  return { start, end }
}


// Comma-separated enum values (`status=existing,planned`): in server/lib, since services parse them too.
export { parseEnumList } from '../../lib/parse-enum-list.ts'

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
    if (!Number.isFinite(start) || dayInVietnam(start) !== value) throw fail('not a real day (YYYY-MM-DD)')
    if (field === 'from') return { at: new Date(start).toISOString(), inclusive: true }
    return { at: new Date(start + 86_400_000).toISOString(), inclusive: false }
  }
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value)) throw fail(`give a day YYYY-MM-DD or a date-time with its offset, e.g. 2025-05-01T08:00:00${VIETNAM_OFFSET}`)
  const at = Date.parse(value)
  if (!Number.isFinite(at)) throw fail('not a date-time')
  return { at: new Date(at).toISOString(), inclusive: true }
}
