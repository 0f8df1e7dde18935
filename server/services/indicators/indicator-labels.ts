/**
 * The words of the indicators, in Vietnamese as provincial reports write them
 * and in English: village statuses, what a status rests on, report sources,
 * denominators, the indicator names and the column headings of the exports.
 *
 * Self-contained on purpose (no imports, not even types): the web app can take
 * this file as it is. The unions below mirror the server's types
 * (`OfficialStatus`, `OfficialStatusBasis`, `ReportSource`, `IndicatorKey`,
 * `Denominator`, `CommuneType`); the export service assigns the server's types
 * to them, so a value added on one side and not the other fails the typecheck.
 */

export interface Label {
  vi: string
  en: string
}
export type Lang = keyof Label

export type StatusKey = 'good' | 'weak' | 'intermittent' | 'none' | 'unknown'
export type BasisKey = 'report' | 'prediction' | 'none'
export type ReportSourceKey = 'commune_office' | 'community_digital_team' | 'operator' | 'citizen'
export type DenominatorKey = 'villages' | 'population' | 'communes' | 'villages with known grid power'
export type CommuneTypeKey = 'commune' | 'ward' | 'special_zone'
export type IndicatorKeyName =
  | 'villages_total' | 'villages_good' | 'villages_weak' | 'villages_intermittent' | 'villages_none' | 'villages_unknown'
  | 'villages_covered' | 'villages_weak_or_intermittent' | 'population_covered' | 'villages_without_grid_power'
  | 'communes_reached_by_fibre'

/** Official, observed and predicted statuses of a village (predicted classes are good, weak or none). */
export const STATUS_LABELS: Readonly<Record<StatusKey, Label>> = {
  good: { vi: 'Sóng tốt', en: 'Good signal' },
  weak: { vi: 'Sóng yếu', en: 'Weak signal' },
  intermittent: { vi: 'Chập chờn', en: 'Intermittent signal' },
  none: { vi: 'Chưa có sóng', en: 'No signal' },
  unknown: { vi: 'Chưa xác định', en: 'Unknown' },
}

/** A village without any field report (the "observed" column). */
export const NO_REPORT_LABEL: Label = { vi: 'Chưa có báo cáo', en: 'No report' }

/** What a village's official status rests on. */
export const BASIS_LABELS: Readonly<Record<BasisKey, Label>> = {
  report: { vi: 'Báo cáo', en: 'Field report' },
  prediction: { vi: 'Dự báo', en: 'Prediction' },
  none: { vi: 'Không có dữ liệu', en: 'No data' },
}

/** Who made a field report. */
export const REPORT_SOURCE_LABELS: Readonly<Record<ReportSourceKey, Label>> = {
  commune_office: { vi: 'UBND xã', en: 'Commune office' },
  community_digital_team: { vi: 'Tổ công nghệ số cộng đồng', en: 'Community digital team' },
  operator: { vi: 'Nhà mạng', en: 'Operator' },
  citizen: { vi: 'Người dân', en: 'Citizen' },
}

/** What a share is a share of, as it is written after the figure ("77,3 % số thôn/bản"). */
export const DENOMINATOR_LABELS: Readonly<Record<DenominatorKey, Label>> = {
  villages: { vi: '% số thôn/bản', en: '% of villages' },
  population: { vi: '% dân số', en: '% of population' },
  communes: { vi: '% số xã', en: '% of communes' },
  'villages with known grid power': { vi: '% số thôn/bản có thông tin điện lưới', en: '% of villages with known grid power' },
}

/** The word before a commune's name (2025 two-level structure: xã, phường, đặc khu). */
export const COMMUNE_TYPE_LABELS: Readonly<Record<CommuneTypeKey, Label>> = {
  commune: { vi: 'Xã', en: 'Commune' },
  ward: { vi: 'Phường', en: 'Ward' },
  special_zone: { vi: 'Đặc khu', en: 'Special zone' },
}

export const YES_NO_LABELS: Readonly<Record<'yes' | 'no', Label>> = {
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
}

/** The name of each indicator; `technology` is 2G…5G (4G by default). */
export function indicatorLabel(key: IndicatorKeyName, technology = '4G'): Label {
  const t = technology
  const labels: Record<IndicatorKeyName, Label> = {
    villages_total: { vi: 'Tổng số thôn/bản', en: 'Villages' },
    villages_good: { vi: 'Số thôn/bản sóng tốt', en: 'Villages with good signal' },
    villages_weak: { vi: 'Số thôn/bản sóng yếu', en: 'Villages with weak signal' },
    villages_intermittent: { vi: 'Số thôn/bản sóng chập chờn', en: 'Villages with intermittent signal' },
    villages_none: { vi: 'Số thôn/bản chưa có sóng', en: 'Villages without signal' },
    villages_unknown: { vi: 'Số thôn/bản chưa xác định', en: 'Villages with unknown status' },
    villages_covered: { vi: `Số thôn/bản có sóng ${t}`, en: `Villages with ${t} signal` },
    villages_weak_or_intermittent: { vi: 'Số thôn/bản sóng yếu hoặc chập chờn', en: 'Villages with weak or intermittent signal' },
    population_covered: { vi: `Dân số được phủ sóng ${t}`, en: `Population covered by ${t}` },
    villages_without_grid_power: { vi: 'Số thôn/bản chưa có điện lưới', en: 'Villages without grid power' },
    communes_reached_by_fibre: { vi: 'Số xã có cáp quang đến xã', en: 'Communes reached by fibre' },
  }
  return labels[key]
}

/** The columns of the summary table (one row per commune and a total row), in order. */
export const SUMMARY_COLUMNS = [
  'communeCode', 'communeName', 'villagesTotal',
  'villagesCovered', 'villagesCoveredPercent', 'villagesGood',
  'villagesWeakOrIntermittent', 'villagesWeakOrIntermittentPercent',
  'villagesNone', 'villagesNonePercent', 'villagesUnknown',
  'population', 'populationCovered', 'populationCoveredPercent',
  'villagesWithoutGridPower', 'villagesWithoutGridPowerPercent', 'reachedByFibre',
  'villagesCoveredByReport', 'villagesCoveredByPrediction',
  'villagesGoodByReport', 'villagesGoodByPrediction',
  'villagesWeakOrIntermittentByReport', 'villagesWeakOrIntermittentByPrediction',
  'villagesNoneByReport', 'villagesNoneByPrediction',
] as const
export type SummaryColumn = (typeof SUMMARY_COLUMNS)[number]

/**
 * The heading of a summary column. Every share names its denominator in
 * brackets; "căn cứ báo cáo" / "căn cứ dự báo" split a count by what the
 * villages' official status rests on.
 */
export function summaryColumnLabel(column: SummaryColumn, technology = '4G'): Label {
  const t = technology
  const byReport = (l: Label): Label => ({ vi: `${l.vi}: căn cứ báo cáo`, en: `${l.en}: on a field report` })
  const byPrediction = (l: Label): Label => ({ vi: `${l.vi}: căn cứ dự báo`, en: `${l.en}: on the prediction` })
  const covered = indicatorLabel('villages_covered', t)
  const good = indicatorLabel('villages_good', t)
  const weakOr = indicatorLabel('villages_weak_or_intermittent', t)
  const none = indicatorLabel('villages_none', t)
  const labels: Record<SummaryColumn, Label> = {
    communeCode: { vi: 'Mã xã', en: 'Commune code' },
    communeName: { vi: 'Tên xã', en: 'Commune' },
    villagesTotal: indicatorLabel('villages_total', t),
    villagesCovered: covered,
    villagesCoveredPercent: { vi: `Tỷ lệ thôn/bản có sóng ${t} (% số thôn/bản)`, en: `Villages with ${t} signal (% of villages)` },
    villagesGood: good,
    villagesWeakOrIntermittent: weakOr,
    villagesWeakOrIntermittentPercent: { vi: 'Tỷ lệ thôn/bản sóng yếu hoặc chập chờn (% số thôn/bản)', en: 'Villages with weak or intermittent signal (% of villages)' },
    villagesNone: none,
    villagesNonePercent: { vi: 'Tỷ lệ thôn/bản chưa có sóng (% số thôn/bản)', en: 'Villages without signal (% of villages)' },
    villagesUnknown: indicatorLabel('villages_unknown', t),
    population: { vi: 'Dân số các thôn/bản có số liệu dân số', en: 'Population of the villages with a known population' },
    populationCovered: indicatorLabel('population_covered', t),
    populationCoveredPercent: { vi: `Tỷ lệ dân số được phủ sóng ${t} (% dân số)`, en: `Population covered by ${t} (% of population)` },
    villagesWithoutGridPower: indicatorLabel('villages_without_grid_power', t),
    villagesWithoutGridPowerPercent: {
      vi: 'Tỷ lệ thôn/bản chưa có điện lưới (% số thôn/bản có thông tin điện lưới)',
      en: 'Villages without grid power (% of villages with known grid power)',
    },
    reachedByFibre: { vi: 'Có cáp quang đến xã', en: 'Reached by fibre' },
    villagesCoveredByReport: byReport(covered),
    villagesCoveredByPrediction: byPrediction(covered),
    villagesGoodByReport: byReport(good),
    villagesGoodByPrediction: byPrediction(good),
    villagesWeakOrIntermittentByReport: byReport(weakOr),
    villagesWeakOrIntermittentByPrediction: byPrediction(weakOr),
    villagesNoneByReport: byReport(none),
    villagesNoneByPrediction: byPrediction(none),
  }
  return labels[column]
}

/** The columns of a commune's village list, in order. */
export const VILLAGE_COLUMNS = [
  'villageCode', 'villageName', 'population', 'hasGridPower', 'predicted', 'predictedRsrpDbm',
  'observed', 'official', 'basis', 'reportedOn', 'reportSource', 'reportVerified',
] as const
export type VillageColumn = (typeof VILLAGE_COLUMNS)[number]

export const VILLAGE_COLUMN_LABELS: Readonly<Record<VillageColumn, Label>> = {
  villageCode: { vi: 'Mã thôn/bản', en: 'Village code' },
  villageName: { vi: 'Tên thôn/bản', en: 'Village' },
  population: { vi: 'Dân số', en: 'Population' },
  hasGridPower: { vi: 'Có điện lưới', en: 'Grid power' },
  predicted: { vi: 'Dự báo (mô hình)', en: 'Predicted (model)' },
  predictedRsrpDbm: { vi: 'RSRP dự báo (dBm)', en: 'Predicted RSRP (dBm)' },
  observed: { vi: 'Báo cáo thực tế', en: 'Field report' },
  official: { vi: 'Trạng thái chính thức', en: 'Official status' },
  basis: { vi: 'Căn cứ', en: 'Basis' },
  reportedOn: { vi: 'Ngày báo cáo', en: 'Report date' },
  reportSource: { vi: 'Nguồn báo cáo', en: 'Report source' },
  reportVerified: { vi: 'Báo cáo đã xác minh', en: 'Report verified' },
}

export interface RuleForLabel {
  reportMaxAgeDays: number
  requireVerified: boolean
  sourcesTrusted: readonly ReportSourceKey[]
}

/** The rule that makes a village's official status, in words. */
export function ruleDescription(rule: RuleForLabel, lang: Lang): string {
  const all = rule.sourcesTrusted.length === Object.keys(REPORT_SOURCE_LABELS).length
  const sources = rule.sourcesTrusted.map((s) => REPORT_SOURCE_LABELS[s][lang]).join(', ')
  if (lang === 'vi') {
    return `Báo cáo thực tế gần nhất${rule.requireVerified ? ' đã xác minh' : ''}, không quá ${rule.reportMaxAgeDays} ngày trước ngày số liệu, `
      + `${all ? `từ mọi nguồn (${sources})` : `chỉ từ: ${sources}`}, thay thế dự báo; thôn/bản không có báo cáo như vậy lấy theo dự báo của mô hình.`
  }
  return `The latest field report${rule.requireVerified ? ' that is verified' : ''}, at most ${rule.reportMaxAgeDays} days old on the date, `
    + `${all ? `from any source (${sources})` : `only from: ${sources}`}, overrides the prediction; villages without one take the model's prediction.`
}
