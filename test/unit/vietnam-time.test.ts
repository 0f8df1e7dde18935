import { describe, expect, it } from 'vitest'
import { todayInVietnam } from '../../server/lib/vietnam-time.ts'

describe('todayInVietnam', () => {
  it('is the date at UTC+07:00, which turns at 17:00 UTC', () => {
    expect(todayInVietnam(new Date('2025-05-01T16:59:59Z'))).toBe('2025-05-01')
    expect(todayInVietnam(new Date('2025-05-01T17:00:00Z'))).toBe('2025-05-02')
    expect(todayInVietnam(new Date('2025-12-31T18:00:00Z'))).toBe('2026-01-01')
  })
})
