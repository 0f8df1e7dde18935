import type { ObservedStatus, ReportSource, Technology } from '../../db/database.ts'

/**
 * The official status of a village for one operator (or for "any operator")
 * on a date: the rule that combines what is *predicted* (the coverage class at
 * the village) with what is *observed* (field status reports). Pure: no
 * database, no clock; the caller gives the reports and the date.
 *
 * The rule (defaults in brackets, see DEFAULT_OFFICIAL_STATUS_RULE):
 *
 * 1. A report *applies* when
 *    - it is dated on or before the date of interest (a later report does not
 *      exist yet on that date);
 *    - its operator fits: for one operator, reports naming that operator or
 *      naming none (a report without an operator speaks for the village as a
 *      whole); for "any operator" (`operator: null`), reports naming any
 *      operator or none (see 4 for how those are weighed);
 *    - its technology fits: when a technology is asked for, reports naming it
 *      or naming none; a 2G report says nothing about 4G.
 * 2. An applying report is *accepted* when it is at most `reportMaxAgeDays`
 *    old on the date [365; a report exactly that old still counts], verified
 *    when `requireVerified` [true], and from a source in `sourcesTrusted`
 *    [all four: commune_office, community_digital_team, operator, citizen].
 * 3. The latest accepted report overrides the prediction: `official` is its
 *    observed status (good, weak, intermittent or none) and `basis` is
 *    'report'. Without one, `official` is the predicted class and `basis`
 *    'prediction'; with neither, `official` is 'unknown' and `basis` 'none'.
 * 4. Several accepted reports on the latest date: the most specific first
 *    (one naming the operator asked for, then one naming the technology asked
 *    for); for "any operator", the best observed status first (good >
 *    intermittent > weak > none: the village has whatever signal its best
 *    operator gives); then the one recorded last (`createdAt`, then `id`, then
 *    the later position in the input).
 *
 * Choice for "any operator": every report counts, with or without an
 * operator. A report is what commune staff last wrote about the village, and
 * most name no operator; a report naming one operator is still the only
 * observation there is. The consequence to know: a recent verified report
 * "none" that names Viettel makes the any-operator status 'none' even where
 * VNPT is predicted to cover — the report outranks the prediction, as the
 * default rule says. Callers that want otherwise pass only the reports
 * without an operator.
 *
 * `observed` is what was last reported, kept apart from the official status:
 * the status of the latest applying report (step 1, the ordering of step 4)
 * whether or not step 2 accepts it (an unverified citizen report still shows
 * as observed, but does not make the official status). `predicted` is the
 * input class, unchanged.
 */

export type PredictedClass = 'good' | 'weak' | 'none'
export type OfficialStatus = ObservedStatus | 'unknown'
export type OfficialStatusBasis = 'report' | 'prediction' | 'none'
export type OperatorKey = string | number

export const REPORT_SOURCES: readonly ReportSource[] = ['commune_office', 'community_digital_team', 'operator', 'citizen']

/** One field report as the rule reads it. */
export interface StatusReportForRule {
  id?: number
  /** YYYY-MM-DD */
  reportedOn: string
  observedStatus: ObservedStatus
  verified: boolean
  source: ReportSource
  /** null: the report names no operator and applies to every operator. */
  operator: OperatorKey | null
  /** null: the report names no technology and applies to every technology. */
  technology: Technology | null
  /** When the report was recorded (ISO timestamp or Date); breaks ties between reports of the same day. */
  createdAt?: string | Date
}

export interface OfficialStatusRule {
  /** Oldest report that still counts, in days before the date of interest (0 = only reports of that day). */
  reportMaxAgeDays: number
  /** Only verified reports override the prediction. */
  requireVerified: boolean
  /** Only reports from these sources override the prediction. */
  sourcesTrusted: readonly ReportSource[]
}

export const DEFAULT_OFFICIAL_STATUS_RULE: Readonly<OfficialStatusRule> = Object.freeze({
  reportMaxAgeDays: 365,
  requireVerified: true,
  sourcesTrusted: REPORT_SOURCES,
})

export interface OfficialStatusInput<R extends StatusReportForRule = StatusReportForRule> {
  /** The village's predicted class for this operator (or any operator); null when nothing is predicted there. */
  predicted: PredictedClass | null
  /** The village's reports, in any order; reports dated after `onDate` are ignored. */
  reports: readonly R[]
  /** The date of interest, YYYY-MM-DD. */
  onDate: string
  /** The operator in question; null = any operator. */
  operator: OperatorKey | null
  /** The technology in question (reports for another technology are ignored); absent or null = every report applies whatever its technology. */
  technology?: Technology | null
}

export interface OfficialStatusResult<R extends StatusReportForRule = StatusReportForRule> {
  official: OfficialStatus
  basis: OfficialStatusBasis
  /** The report that made the official status (basis 'report'). */
  report?: R
  predicted: PredictedClass | null
  observed: ObservedStatus | null
}

/** The default rule with some settings replaced; throws a RangeError on a setting that makes no sense. */
export function officialStatusRule(overrides: Partial<OfficialStatusRule> = {}): OfficialStatusRule {
  const rule = { ...DEFAULT_OFFICIAL_STATUS_RULE, ...overrides }
  if (!Number.isInteger(rule.reportMaxAgeDays) || rule.reportMaxAgeDays < 0) {
    throw new RangeError(`reportMaxAgeDays must be a whole number of days ≥ 0, got ${rule.reportMaxAgeDays}`)
  }
  const unknown = rule.sourcesTrusted.filter((s) => !REPORT_SOURCES.includes(s))
  if (unknown.length > 0) throw new RangeError(`sourcesTrusted: unknown source ${unknown.join(', ')} (known: ${REPORT_SOURCES.join(', ')})`)
  return rule
}

const STATUS_RANK: Record<ObservedStatus, number> = { none: 0, weak: 1, intermittent: 2, good: 3 }
const DAY_MS = 86_400_000
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumber(date: string, what: string): number {
  const ms = ISO_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${date}`)
  return Math.round(ms / DAY_MS)
}

/** When a report was recorded, ms; a report without a (readable) time counts as the earliest. */
function createdMs(r: StatusReportForRule): number {
  const EARLIEST = -8.64e15
  if (r.createdAt === undefined) return EARLIEST
  const ms = r.createdAt instanceof Date ? r.createdAt.getTime() : Date.parse(r.createdAt)
  return Number.isFinite(ms) ? ms : EARLIEST
}

/** Applies the rule to one village (see the file header). */
export function officialStatus<R extends StatusReportForRule>(
  input: OfficialStatusInput<R>,
  rule: OfficialStatusRule = DEFAULT_OFFICIAL_STATUS_RULE,
): OfficialStatusResult<R> {
  const onDay = dayNumber(input.onDate, 'onDate')
  const operator = input.operator
  const technology = input.technology ?? null
  const trusted = new Set(rule.sourcesTrusted)

  type Candidate = { report: R; day: number; position: number }
  const applying: Candidate[] = []
  input.reports.forEach((report, position) => {
    const day = dayNumber(report.reportedOn, `report ${report.id ?? position} reportedOn`)
    if (day > onDay) return
    if (operator !== null && report.operator !== null && report.operator !== operator) return
    if (technology !== null && report.technology !== null && report.technology !== technology) return
    applying.push({ report, day, position })
  })

  // Latest first, then most specific, then (any operator) best status, then recorded last.
  const specificity = (r: R) => (operator !== null && r.operator === operator ? 2 : 0) + (technology !== null && r.technology === technology ? 1 : 0)
  applying.sort((a, b) =>
    b.day - a.day
    || specificity(b.report) - specificity(a.report)
    || (operator === null ? STATUS_RANK[b.report.observedStatus] - STATUS_RANK[a.report.observedStatus] : 0)
    || createdMs(b.report) - createdMs(a.report)
    || (b.report.id ?? 0) - (a.report.id ?? 0)
    || b.position - a.position)

  const accepted = applying.find(({ report, day }) =>
    onDay - day <= rule.reportMaxAgeDays
    && (!rule.requireVerified || report.verified)
    && trusted.has(report.source))

  const observed = applying[0]?.report.observedStatus ?? null
  if (accepted) {
    return { official: accepted.report.observedStatus, basis: 'report', report: accepted.report, predicted: input.predicted, observed }
  }
  if (input.predicted !== null) return { official: input.predicted, basis: 'prediction', predicted: input.predicted, observed }
  return { official: 'unknown', basis: 'none', predicted: null, observed }
}
