/** Vietnam time is UTC+07:00 all year (no daylight saving): the data's days are days there. */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000

/** The day (YYYY-MM-DD) in Vietnam at an instant (epoch milliseconds). */
export function dayInVietnam(epochMs: number): string {
  return new Date(epochMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)
}

/** The day it is in Vietnam now (or at `now`), YYYY-MM-DD. */
export function todayInVietnam(now: Date = new Date()): string {
  return dayInVietnam(now.getTime())
}
