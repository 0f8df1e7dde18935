import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import type { CommuneType, Db, ObservedStatus, ReportSource } from '../../db/database.ts'
import type { OfficialStatus, OfficialStatusBasis } from '../village-status/official-status.ts'
import {
  BASIS_LABELS, COMMUNE_TYPE_LABELS, DENOMINATOR_LABELS, indicatorLabel, NO_REPORT_LABEL, REPORT_SOURCE_LABELS, ruleDescription, STATUS_LABELS,
  SUMMARY_COLUMNS, summaryColumnLabel, VILLAGE_COLUMN_LABELS, VILLAGE_COLUMNS, YES_NO_LABELS,
  type BasisKey, type CommuneTypeKey, type DenominatorKey, type IndicatorKeyName, type Label, type ReportSourceKey, type StatusKey, type SummaryColumn,
  type VillageColumn,
} from './indicator-labels.ts'
import { indicatorReport, indicatorReportWithVillages, type IndicatorReportView, type IndicatorRequest, type VillageStatusView } from './indicator-report.service.ts'
import type { Denominator, IndicatorFigure, IndicatorKey } from './indicators.service.ts'

/**
 * The indicators as files for provincial reports, in Vietnamese:
 *
 * - CSV: the summary table (one row per commune, then the total row), UTF-8
 *   with a BOM so Excel shows Vietnamese, written by csv-stringify like the
 *   layer exports (services/export.service.ts);
 * - XLSX: a sheet "Tổng hợp" with a header block (date, technology, operator,
 *   the rule, where the predictions come from and whether the terrain was
 *   synthetic) above the same table, and the change since an earlier date
 *   when asked; then one sheet per commune listing each village with its
 *   predicted, observed and official status, what that rests on and the report.
 */

export const INDICATOR_EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type IndicatorExportFormat = (typeof INDICATOR_EXPORT_FORMATS)[number]

export const INDICATOR_EXPORT_CONTENT_TYPES: Record<IndicatorExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export const SUMMARY_SHEET_NAME = 'Tổng hợp'

// The labels module mirrors the server's unions without importing them; these
// assignments fail the typecheck if either side gains a value the other lacks.
const statusKeys: Record<OfficialStatus, StatusKey> & Record<StatusKey, OfficialStatus> = { good: 'good', weak: 'weak', intermittent: 'intermittent', none: 'none', unknown: 'unknown' }
const basisKeys: Record<OfficialStatusBasis, BasisKey> & Record<BasisKey, OfficialStatusBasis> = { report: 'report', prediction: 'prediction', none: 'none' }
const sourceKeys: Record<ReportSource, ReportSourceKey> & Record<ReportSourceKey, ReportSource> = {
  commune_office: 'commune_office', community_digital_team: 'community_digital_team', operator: 'operator', citizen: 'citizen',
}
const denominatorKeys: Record<Denominator, DenominatorKey> & Record<DenominatorKey, Denominator> = {
  villages: 'villages', population: 'population', communes: 'communes', 'villages with known grid power': 'villages with known grid power',
}
const communeTypeKeys: Record<CommuneType, CommuneTypeKey> & Record<CommuneTypeKey, CommuneType> = { commune: 'commune', ward: 'ward', special_zone: 'special_zone' }
const indicatorKeys: Record<IndicatorKey, IndicatorKeyName> & Record<IndicatorKeyName, IndicatorKey> = {
  villages_total: 'villages_total', villages_good: 'villages_good', villages_weak: 'villages_weak', villages_intermittent: 'villages_intermittent',
  villages_none: 'villages_none', villages_unknown: 'villages_unknown', villages_covered: 'villages_covered',
  villages_weak_or_intermittent: 'villages_weak_or_intermittent', population_covered: 'population_covered',
  villages_without_grid_power: 'villages_without_grid_power', communes_reached_by_fibre: 'communes_reached_by_fibre',
}

type CellValue = string | number | Date | null

/** One summary row's values, by column, from a commune's (or the total's) figures. */
function summaryValues(figures: readonly IndicatorFigure[], head: { code: string; name: string; fibre: string }): Record<SummaryColumn, CellValue> {
  const f = (key: IndicatorKey) => {
    const found = figures.find((x) => x.key === key)
    if (!found) throw new Error(`indicator ${key} missing`)
    return found
  }
  return {
    communeCode: head.code,
    communeName: head.name,
    villagesTotal: f('villages_total').value,
    villagesCovered: f('villages_covered').value,
    villagesCoveredPercent: f('villages_covered').percent,
    villagesGood: f('villages_good').value,
    villagesWeakOrIntermittent: f('villages_weak_or_intermittent').value,
    villagesWeakOrIntermittentPercent: f('villages_weak_or_intermittent').percent,
    villagesNone: f('villages_none').value,
    villagesNonePercent: f('villages_none').percent,
    villagesUnknown: f('villages_unknown').value,
    population: f('population_covered').denominator?.value ?? null,
    populationCovered: f('population_covered').value,
    populationCoveredPercent: f('population_covered').percent,
    villagesWithoutGridPower: f('villages_without_grid_power').value,
    villagesWithoutGridPowerPercent: f('villages_without_grid_power').percent,
    reachedByFibre: head.fibre,
    villagesCoveredByReport: f('villages_covered').basis?.report ?? null,
    villagesCoveredByPrediction: f('villages_covered').basis?.prediction ?? null,
    villagesGoodByReport: f('villages_good').basis?.report ?? null,
    villagesGoodByPrediction: f('villages_good').basis?.prediction ?? null,
    villagesWeakOrIntermittentByReport: f('villages_weak_or_intermittent').basis?.report ?? null,
    villagesWeakOrIntermittentByPrediction: f('villages_weak_or_intermittent').basis?.prediction ?? null,
    villagesNoneByReport: f('villages_none').basis?.report ?? null,
    villagesNoneByPrediction: f('villages_none').basis?.prediction ?? null,
  }
}

const TOTAL_LABEL = 'Tổng cộng'

/** The summary table: headings, then one row per commune, then the total row. */
export function summaryTable(report: IndicatorReportView): { headings: string[]; rows: CellValue[][]; percentColumns: number[] } {
  const headings = SUMMARY_COLUMNS.map((c) => summaryColumnLabel(c, report.technology).vi)
  const yes = YES_NO_LABELS.yes.vi
  const no = YES_NO_LABELS.no.vi
  const rows = report.communes.map((c) => summaryValues(c.figures, { code: c.code, name: c.name, fibre: c.reachedByFibre ? yes : no }))
  const fibre = report.total.find((x) => x.key === 'communes_reached_by_fibre')!
  rows.push(summaryValues(report.total, { code: TOTAL_LABEL, name: `${report.communes.length} xã`, fibre: `${fibre.value}/${fibre.denominator?.value ?? 0} xã` }))
  const percentColumns = SUMMARY_COLUMNS.flatMap((c, i) => (c.endsWith('Percent') ? [i] : []))
  return { headings, rows: rows.map((r) => SUMMARY_COLUMNS.map((c) => r[c])), percentColumns }
}

/** The summary table as CSV (UTF-8 with BOM). */
export function summaryCsv(report: IndicatorReportView): string {
  const { headings, rows } = summaryTable(report)
  return stringify([headings, ...rows.map((r) => r.map((v) => (v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : v)))], { bom: true })
}

/** dd/mm/yyyy, as Vietnamese documents write dates. */
function viDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-')
  return `${d}/${m}/${y}`
}

function excelDay(isoDay: string): Date {
  return new Date(`${isoDay}T00:00:00Z`)
}

function scopeText(report: IndicatorReportView): string {
  const n = report.communes.length
  if (report.province) return `${report.province.name} (mã ${report.province.code}), ${n} xã`
  if (n <= 5) return `${n} xã: ${report.communes.map((c) => `${c.code} ${c.name}`).join('; ')}`
  return `${n} xã`
}

function operatorText(report: IndicatorReportView): string {
  return report.operator ? `${report.operator.name} (${report.operator.code})` : 'Tất cả các nhà mạng (thôn/bản tính theo nhà mạng có sóng tốt nhất)'
}

function predictionText(report: Pick<IndicatorReportView, 'prediction' | 'technology' | 'thresholds'>): string[] {
  const p = report.prediction
  const t = report.thresholds
  if (p.runId === null) {
    return [`Dự báo: chưa có lần tính vùng phủ sóng ${report.technology} nào; thôn/bản không có báo cáo thực tế được tính là "${STATUS_LABELS.unknown.vi}".`]
  }
  const lines = [
    `Dự báo: tính bằng mô hình lan truyền sóng (lần tính số ${p.runId}, mô hình ${p.model ?? '?'}${p.computedAt ? `, tính xong ${viDate(p.computedAt.slice(0, 10))}` : ''}), `
      + `KHÔNG phải số liệu đo thực tế. Ngưỡng RSRP tại điểm thôn/bản: ${STATUS_LABELS.good.vi} ≥ ${t.goodDbm} dBm; ${STATUS_LABELS.weak.vi} từ ${t.weakDbm} đến dưới ${t.goodDbm} dBm; `
      + `dưới ${t.weakDbm} dBm: ${STATUS_LABELS.none.vi}.`,
  ]
  const d = p.dem
  const missing = d && d.missing > 0 ? ` ${d.missing} ô 1° không có dữ liệu độ cao (trạm ở đó tính theo bán kính, không theo địa hình).` : ''
  if (p.demSynthetic === 'none') lines.push(`Địa hình (DEM) của lần tính: dữ liệu thực (${d!.real} ô 1°).${missing}`)
  else if (p.demSynthetic === 'all') lines.push(`Địa hình (DEM) của lần tính: TỔNG HỢP (synthetic, không phải địa hình thực) — chỉ để thử, không dùng để lập kế hoạch.${missing}`)
  else if (p.demSynthetic === 'partly') lines.push(`Địa hình (DEM) của lần tính: MỘT PHẦN TỔNG HỢP (${d!.synthetic}/${d!.real + d!.synthetic} ô 1° là synthetic, không phải địa hình thực).${missing}`)
  else lines.push('Địa hình (DEM) của lần tính: không rõ (lần tính không ghi lại).')
  if (p.calibration.length > 0) {
    const offsets = p.calibration.map((c) => `${c.operator} ${c.offsetDb > 0 ? '+' : ''}${c.offsetDb.toFixed(1)} dB`).join('; ')
    lines.push(`Hiệu chỉnh theo số liệu đo thực tế đã áp dụng cho RSRP dự báo tại thôn/bản: ${offsets}.`)
  }
  return lines
}

function headerBlock(report: IndicatorReportView, generatedOn: string): string[] {
  const lines = [
    `BÁO CÁO CHỈ TIÊU PHỦ SÓNG ${report.technology}`,
    `Phạm vi: ${scopeText(report)}`,
    `Ngày số liệu: ${viDate(report.date)}`,
    `Công nghệ: ${report.technology}`,
    `Nhà mạng: ${operatorText(report)}`,
    `Quy tắc xác định trạng thái chính thức: ${ruleDescription(report.rule, 'vi')}`,
    ...predictionText(report),
    `Cáp quang đến xã: có tuyến cáp quang hiện có cắt qua xã hoặc cách điểm trung tâm xã không quá ${report.fibreDistanceM} m (tuyến cáp chưa có ngày đưa vào sử dụng: tuyến hiện có được tính cho mọi ngày số liệu).`,
    'Mỗi cột tỷ lệ ghi mẫu số trong ngoặc; dân số chỉ tính các thôn/bản có số liệu dân số. '
      + '"Căn cứ báo cáo" / "căn cứ dự báo": số thôn/bản có trạng thái chính thức dựa trên báo cáo thực tế / dựa trên dự báo của mô hình.',
    `Lập bởi phusong ngày ${viDate(generatedOn)}.`,
  ]
  return lines
}

const HEADING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } }

function addTable(ws: ExcelJS.Worksheet, headings: string[], rows: CellValue[][], formats: Record<number, string>, widths: number[]): { headingRow: number } {
  const heading = ws.addRow(headings)
  heading.font = { bold: true }
  heading.alignment = { wrapText: true, vertical: 'middle' }
  heading.eachCell((cell) => {
    cell.fill = HEADING_FILL
  })
  for (const r of rows) ws.addRow(r)
  for (const [index, numFmt] of Object.entries(formats)) ws.getColumn(Number(index) + 1).numFmt = numFmt
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w
  })
  return { headingRow: heading.number }
}

function addHeaderLines(ws: ExcelJS.Worksheet, lines: string[]): void {
  lines.forEach((line, i) => {
    const row = ws.addRow([line])
    if (i === 0) row.font = { bold: true, size: 14 }
  })
  ws.addRow([])
}

/** Excel's rules for sheet names: ≤ 31 characters, none of * ? : \ / [ ], no leading or trailing apostrophe, unique ignoring case. */
export function sheetName(base: string, suffix: string, taken: Set<string>): string {
  const clean = (s: string) => s.normalize('NFC').replace(/[*?:\\/[\]]/g, ' ').replace(/\s+/g, ' ').trim().replace(/^'+|'+$/g, '')
  const cut = (s: string, n: number) => [...s].slice(0, n).join('').trim()
  const b = clean(base)
  const candidates = [cut(b, 31), `${cut(b, 31 - suffix.length - 1)} ${suffix}`]
  for (let i = 2; candidates.length < 1000; i++) candidates.push(`${cut(b, 31 - suffix.length - String(i).length - 3)} ${suffix} (${i})`)
  const name = candidates.find((c) => c.length > 0 && !taken.has(c.toLowerCase()))!
  taken.add(name.toLowerCase())
  return name
}

function label(l: Label): string {
  return l.vi
}

function villageValues(v: VillageStatusView): Record<VillageColumn, CellValue> {
  const yes = YES_NO_LABELS.yes.vi
  const no = YES_NO_LABELS.no.vi
  return {
    villageCode: v.code,
    villageName: v.name,
    population: v.population,
    hasGridPower: v.hasGridPower === null ? null : v.hasGridPower ? yes : no,
    predicted: label(STATUS_LABELS[statusKeys[v.predicted ?? 'unknown']]),
    predictedRsrpDbm: v.predictedRsrpDbm,
    observed: v.observed === null ? label(NO_REPORT_LABEL) : label(STATUS_LABELS[statusKeys[v.observed satisfies ObservedStatus]]),
    official: label(STATUS_LABELS[statusKeys[v.official]]),
    basis: label(BASIS_LABELS[basisKeys[v.basis]]),
    reportedOn: v.report ? excelDay(v.report.reportedOn) : null,
    reportSource: v.report ? label(REPORT_SOURCE_LABELS[sourceKeys[v.report.source]]) : null,
    reportVerified: v.report ? (v.report.verified ? yes : no) : null,
  }
}

function addSinceTable(ws: ExcelJS.Worksheet, report: IndicatorReportView): void {
  const since = report.since
  if (!since) return
  ws.addRow([])
  const title = ws.addRow([`Thay đổi so với ngày ${viDate(since.date)}`])
  title.font = { bold: true }
  const headings = ['Chỉ tiêu', `Ngày ${viDate(since.date)}`, `Ngày ${viDate(report.date)}`, 'Thay đổi',
    `Tỷ lệ ngày ${viDate(since.date)}`, `Tỷ lệ ngày ${viDate(report.date)}`, 'Thay đổi tỷ lệ (điểm %)', 'Mẫu số của tỷ lệ']
  const heading = ws.addRow(headings)
  heading.font = { bold: true }
  heading.eachCell((cell) => {
    cell.fill = HEADING_FILL
  })
  for (const now of report.total) {
    const before = since.total.find((f) => f.key === now.key)!
    const change = since.change.find((c) => c.key === now.key)!
    const row = ws.addRow([
      indicatorLabel(indicatorKeys[now.key], report.technology).vi, before.value, now.value, change.value,
      before.percent, now.percent, change.percentPoints, now.denominator ? DENOMINATOR_LABELS[denominatorKeys[now.denominator.of]].vi : null,
    ])
    for (const c of [5, 6, 7]) row.getCell(c).numFmt = '0.0'
  }
}

/** The workbook: the summary sheet, then one sheet per commune. */
export async function indicatorsWorkbook(report: IndicatorReportView, villages: ReadonlyMap<number, readonly VillageStatusView[]>, generatedOn: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'phusong'
  wb.created = new Date(`${generatedOn}T00:00:00Z`)
  const taken = new Set<string>()

  const summary = wb.addWorksheet(sheetName(SUMMARY_SHEET_NAME, '', taken))
  addHeaderLines(summary, headerBlock(report, generatedOn))
  const table = summaryTable(report)
  const widths = SUMMARY_COLUMNS.map((c) => (c === 'communeName' ? 24 : c === 'communeCode' ? 12 : 16))
  const { headingRow } = addTable(summary, table.headings, table.rows, Object.fromEntries(table.percentColumns.map((i) => [i, '0.0'])), widths)
  summary.getRow(headingRow).height = 75
  summary.getRow(summary.rowCount).font = { bold: true }
  summary.views = [{ state: 'frozen', xSplit: 2, ySplit: headingRow }]
  addSinceTable(summary, report)

  for (const c of report.communes) {
    const typeLabel = COMMUNE_TYPE_LABELS[communeTypeKeys[c.type]].vi
    const ws = wb.addWorksheet(sheetName(`${typeLabel} ${c.name}`, c.code, taken))
    addHeaderLines(ws, [
      `${typeLabel} ${c.name} (mã ${c.code}): danh sách thôn/bản`,
      `Ngày số liệu: ${viDate(report.date)}. Công nghệ: ${report.technology}. Nhà mạng: ${operatorText(report)}.`,
      `"${VILLAGE_COLUMN_LABELS.predicted.vi}", "${VILLAGE_COLUMN_LABELS.predictedRsrpDbm.vi}": tính bằng mô hình tại điểm thôn/bản, không phải đo thực tế. `
        + `"${VILLAGE_COLUMN_LABELS.observed.vi}": trạng thái trong báo cáo gần nhất (kể cả báo cáo chưa xác minh). `
        + `"${VILLAGE_COLUMN_LABELS.official.vi}" theo quy tắc ở trang "${SUMMARY_SHEET_NAME}"; "${VILLAGE_COLUMN_LABELS.reportedOn.vi}", "${VILLAGE_COLUMN_LABELS.reportSource.vi}": của báo cáo làm căn cứ.`,
      ...predictionText(report).slice(1),
    ])
    const list = villages.get(c.id) ?? []
    const rows = list.map((v) => { const values = villageValues(v); return VILLAGE_COLUMNS.map((k) => values[k]) })
    const formats: Record<number, string> = {
      [VILLAGE_COLUMNS.indexOf('predictedRsrpDbm')]: '0.0',
      [VILLAGE_COLUMNS.indexOf('reportedOn')]: 'dd/mm/yyyy',
    }
    const { headingRow: h } = addTable(ws, VILLAGE_COLUMNS.map((k) => VILLAGE_COLUMN_LABELS[k].vi), rows, formats,
      VILLAGE_COLUMNS.map((k) => (k === 'villageName' ? 24 : k === 'observed' || k === 'official' || k === 'predicted' ? 16 : 13)))
    ws.getRow(h).height = 32
    ws.views = [{ state: 'frozen', xSplit: 2, ySplit: h }]
  }
  return Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer)
}

export interface IndicatorExportFile {
  filename: string
  contentType: string
  body: string | Buffer
}

/** `phusong-chi-tieu-4G[-<operator>][-<province or commune>]-<date>.<ext>`: ASCII, with the date. */
function filename(report: IndicatorReportView, format: IndicatorExportFormat): string {
  const scope = report.province ? report.province.code : report.communes.length === 1 ? report.communes[0]!.code : null
  return ['phusong-chi-tieu', report.technology, report.operator?.code, scope, report.date].filter(Boolean).join('-') + `.${format}`
}

/** `GET /api/indicators/export`: the indicators as a CSV or XLSX file. */
export async function indicatorExport(db: Db, req: IndicatorRequest, format: IndicatorExportFormat, generatedOn: string): Promise<IndicatorExportFile> {
  if (format === 'csv') {
    const report = await indicatorReport(db, req)
    return { filename: filename(report, format), contentType: INDICATOR_EXPORT_CONTENT_TYPES.csv, body: summaryCsv(report) }
  }
  const { report, villages } = await indicatorReportWithVillages(db, req)
  return { filename: filename(report, format), contentType: INDICATOR_EXPORT_CONTENT_TYPES.xlsx, body: await indicatorsWorkbook(report, villages, generatedOn) }
}
