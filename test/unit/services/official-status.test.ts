import { describe, expect, it } from 'vitest'
import {
  DEFAULT_OFFICIAL_STATUS_RULE, officialStatus, officialStatusRule, type OfficialStatusInput, type StatusReportForRule,
} from '../../../server/services/village-status/official-status.ts'

/** A verified commune-office report for any operator and technology; fields replaced by `over`. */
function report(reportedOn: string, observedStatus: StatusReportForRule['observedStatus'], over: Partial<StatusReportForRule> = {}): StatusReportForRule {
  return { reportedOn, observedStatus, verified: true, source: 'commune_office', operator: null, technology: null, ...over }
}

function input(over: Partial<OfficialStatusInput>): OfficialStatusInput {
  return { predicted: 'good', reports: [], onDate: '2025-06-30', operator: 'viettel', technology: '4G', ...over }
}

describe('officialStatus, the default rule', () => {
  it('a recent verified report overrides the prediction', () => {
    const r = report('2025-05-10', 'none')
    expect(officialStatus(input({ reports: [r] }))).toEqual({ official: 'none', basis: 'report', report: r, predicted: 'good', observed: 'none' })
  })

  it('the latest accepted report wins over older ones', () => {
    const older = report('2025-01-10', 'none', { id: 1 })
    const newer = report('2025-04-02', 'intermittent', { id: 2 })
    const result = officialStatus(input({ reports: [newer, older] }))
    expect(result).toMatchObject({ official: 'intermittent', basis: 'report', observed: 'intermittent' })
    expect(result.report).toBe(newer)
  })

  it('without any report the prediction is official', () => {
    expect(officialStatus(input({ predicted: 'weak' }))).toEqual({ official: 'weak', basis: 'prediction', predicted: 'weak', observed: null })
  })

  it('a report older than reportMaxAgeDays does not count; one exactly that old does', () => {
    // 2024-06-30 → 2025-06-30 is 365 days; 2024-06-29 is 366.
    const tooOld = report('2024-06-29', 'none')
    expect(officialStatus(input({ reports: [tooOld] }))).toEqual({ official: 'good', basis: 'prediction', predicted: 'good', observed: 'none' })
    expect(officialStatus(input({ reports: [report('2024-06-30', 'none')] }))).toMatchObject({ official: 'none', basis: 'report' })
  })

  it('an unverified report is observed but does not override', () => {
    const unverified = report('2025-06-01', 'none', { verified: false, source: 'citizen' })
    expect(officialStatus(input({ reports: [unverified] }))).toEqual({ official: 'good', basis: 'prediction', predicted: 'good', observed: 'none' })
  })

  it('an older verified report is used when the latest is unverified', () => {
    const verified = report('2025-03-01', 'weak', { id: 1 })
    const unverified = report('2025-06-01', 'good', { id: 2, verified: false })
    const result = officialStatus(input({ predicted: 'none', reports: [verified, unverified] }))
    expect(result).toMatchObject({ official: 'weak', basis: 'report', observed: 'good' })
    expect(result.report).toBe(verified)
  })

  it('a report dated after the date of interest does not exist yet', () => {
    const future = report('2025-07-01', 'none')
    expect(officialStatus(input({ reports: [future] }))).toEqual({ official: 'good', basis: 'prediction', predicted: 'good', observed: null })
    expect(officialStatus(input({ reports: [future], onDate: '2025-07-01' }))).toMatchObject({ official: 'none', basis: 'report' })
  })

  it('a report for another operator is ignored; one naming no operator applies', () => {
    const vnpt = report('2025-05-01', 'none', { operator: 'vnpt' })
    expect(officialStatus(input({ reports: [vnpt] }))).toEqual({ official: 'good', basis: 'prediction', predicted: 'good', observed: null })
    expect(officialStatus(input({ reports: [vnpt], operator: 'vnpt' }))).toMatchObject({ official: 'none', basis: 'report' })
    expect(officialStatus(input({ reports: [report('2025-05-01', 'weak')] }))).toMatchObject({ official: 'weak', basis: 'report' })
  })

  it('a report for another technology is ignored', () => {
    const twoG = report('2025-05-01', 'good', { technology: '2G' })
    expect(officialStatus(input({ predicted: 'none', reports: [twoG] }))).toMatchObject({ official: 'none', basis: 'prediction', observed: null })
    expect(officialStatus(input({ predicted: 'none', reports: [twoG], technology: null }))).toMatchObject({ official: 'good', basis: 'report' })
  })

  it('no prediction and no report: unknown', () => {
    expect(officialStatus(input({ predicted: null }))).toEqual({ official: 'unknown', basis: 'none', predicted: null, observed: null })
  })

  it('no prediction but an accepted report: the report', () => {
    expect(officialStatus(input({ predicted: null, reports: [report('2025-06-30', 'intermittent')] }))).toMatchObject({ official: 'intermittent', basis: 'report', predicted: null })
  })

  it('a report from an untrusted source does not override', () => {
    const rule = officialStatusRule({ sourcesTrusted: ['commune_office', 'community_digital_team'] })
    const citizen = report('2025-06-01', 'none', { source: 'citizen' })
    expect(officialStatus(input({ reports: [citizen] }), rule)).toMatchObject({ official: 'good', basis: 'prediction', observed: 'none' })
    expect(officialStatus(input({ reports: [citizen] }))).toMatchObject({ official: 'none', basis: 'report' })
  })
})

describe('officialStatus, ties and "any operator"', () => {
  it('on the same day, a report naming the operator beats one naming none', () => {
    const general = report('2025-05-01', 'good', { id: 9 })
    const specific = report('2025-05-01', 'weak', { id: 3, operator: 'viettel' })
    expect(officialStatus(input({ reports: [general, specific] })).report).toBe(specific)
  })

  it('on the same day with the same specificity, the one recorded last wins', () => {
    const first = report('2025-05-01', 'none', { id: 1, createdAt: '2025-05-02T01:00:00Z' })
    const correction = report('2025-05-01', 'good', { id: 2, createdAt: '2025-05-03T01:00:00Z' })
    expect(officialStatus(input({ reports: [correction, first] })).report).toBe(correction)
  })

  it('for any operator, reports naming any operator count and the best status of the latest day wins', () => {
    const viettelNone = report('2025-05-01', 'none', { operator: 'viettel' })
    const vnptWeak = report('2025-05-01', 'weak', { operator: 'vnpt' })
    const olderGood = report('2025-01-01', 'good')
    const result = officialStatus(input({ operator: null, predicted: 'good', reports: [olderGood, viettelNone, vnptWeak] }))
    expect(result).toMatchObject({ official: 'weak', basis: 'report', observed: 'weak' })
    expect(result.report).toBe(vnptWeak)
  })

  it('for any operator, a single operator-specific report still overrides (the documented choice)', () => {
    const viettelNone = report('2025-05-01', 'none', { operator: 'viettel' })
    expect(officialStatus(input({ operator: null, reports: [viettelNone] }))).toMatchObject({ official: 'none', basis: 'report' })
  })
})

describe('officialStatusRule', () => {
  it('defaults: one year, verified only, every source', () => {
    expect(officialStatusRule()).toEqual({ reportMaxAgeDays: 365, requireVerified: true, sourcesTrusted: ['commune_office', 'community_digital_team', 'operator', 'citizen'] })
    expect(DEFAULT_OFFICIAL_STATUS_RULE.reportMaxAgeDays).toBe(365)
  })

  it('requireVerified false lets an unverified report override', () => {
    const rule = officialStatusRule({ requireVerified: false })
    expect(officialStatus(input({ reports: [report('2025-06-01', 'none', { verified: false })] }), rule)).toMatchObject({ official: 'none', basis: 'report' })
  })

  it('a shorter window: reportMaxAgeDays 30', () => {
    const rule = officialStatusRule({ reportMaxAgeDays: 30 })
    expect(officialStatus(input({ reports: [report('2025-05-30', 'none')] }), rule)).toMatchObject({ basis: 'prediction' })
    expect(officialStatus(input({ reports: [report('2025-05-31', 'none')] }), rule)).toMatchObject({ basis: 'report' })
  })

  it('refuses nonsense settings and dates', () => {
    expect(() => officialStatusRule({ reportMaxAgeDays: -1 })).toThrow(RangeError)
    expect(() => officialStatusRule({ reportMaxAgeDays: 1.5 })).toThrow(RangeError)
    expect(() => officialStatusRule({ sourcesTrusted: ['neighbour' as never] })).toThrow(/unknown source neighbour/)
    expect(() => officialStatus(input({ onDate: '30/06/2025' }))).toThrow(/onDate/)
  })
})
