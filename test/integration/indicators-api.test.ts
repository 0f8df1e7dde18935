import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { insertProvince } from '../../server/repositories/communes.repository.ts'
import { SUMMARY_COLUMNS, summaryColumnLabel, VILLAGE_COLUMN_LABELS, VILLAGE_COLUMNS } from '../../server/services/indicators/indicator-labels.ts'
import type { CommuneVillagesView, IndicatorReportView } from '../../server/services/indicators/indicator-report.service.ts'
import type { IndicatorFigure } from '../../server/services/indicators/indicators.service.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'
import { square } from '../helpers/world.ts'
import { buildIndicatorWorld } from '../helpers/indicator-world.ts'
import type { DemStore } from '../../server/services/dem/dem-store.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-indicators-api-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * The world of test/helpers/indicator-world.ts (a tilted-plane 3″ DEM, omni antennas at 30 m,
 * 1800 MHz, EIRP 30 dBm, a 9 km radius; 500 m → good, 2 km → weak, 8 km → none, beyond 9 km →
 * unknown):
 *
 * Commune A 04001 "Chiềng Sơn": site S1 (viettel, since 2019), villages A1 (500 m, 100 people),
 * A2 (2 km, 200), A3 (8 km NE, 300, no grid power), A4 (9.7 km N, beyond the radius, 400); a
 * fibre route crosses it. Commune B 04002 "Mường Bú": site S2 (vnpt, from 2024-06-01), villages
 * B1 (500 m, 50) and B2 (2 km, 50), grid power unknown.
 *
 * Plus two field reports dated 2024-12-01: A3 "good" from the commune office, verified (it
 * overrides the prediction "none" under the default rule), and A2 "none" from a citizen,
 * unverified (observed, but the official status stays the predicted "weak").
 * On 2024-11-01 (S2 on air, no report yet) the figures are the predictions alone.
 */

const figure = (figures: readonly IndicatorFigure[], key: IndicatorFigure['key']) => {
  const f = figures.find((x) => x.key === key)
  if (!f) throw new Error(`no figure ${key}`)
  return f
}

/** The cells of a worksheet row as plain values (index 0 = column A). */
function rowValues(ws: ExcelJS.Worksheet, n: number): unknown[] {
  const values = ws.getRow(n).values as unknown[]
  return Array.isArray(values) ? values.slice(1) : []
}

/** The number of the first row whose first cell is `text`. */
function rowStarting(ws: ExcelJS.Worksheet, text: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === text) return r
  throw new Error(`no row starts with ${text} in ${ws.name}`)
}

describe.each(enginesUnderTest())('indicators API on the %s engine', (engine) => {
  let h: DatabaseHandle
  let app: FastifyInstance
  let dem: DemStore

  beforeAll(async () => {
    h = await sharedDatabase(engine)
    await resetData(h.db)
    await sql`DELETE FROM calibration_offsets`.execute(h.db) // resetData leaves them; an applied one would move the predictions
    ;({ dem } = await buildIndicatorWorld(h.db, path.join(dir, engine), async () => {
      // A second province without communes: for a commune outside the province asked for, and an empty scope.
      await h.db.transaction().execute((tx) => insertProvince(tx, { code: '15', name: 'Lào Cai', type: 'province', population: null, areaKm2: null, geometry: square(103.8, 22.2, 0.3) }))
    }))
    await sql`INSERT INTO village_status_reports (village_id, reported_on, observed_status, source, verified)
      SELECT id, DATE '2024-12-01', 'good'::observed_status, 'commune_office'::report_source, true FROM villages WHERE code = 'A3'
      UNION ALL SELECT id, DATE '2024-12-01', 'none'::observed_status, 'citizen'::report_source, false FROM villages WHERE code = 'A2'`.execute(h.db)
    app = await buildTestApp(h)
  })
  afterAll(async () => {
    await app?.close()
    await dem?.close()
  })

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
  const json = async <T>(url: string, headers: Record<string, string> = {}): Promise<T> => {
    const res = await get(url, headers)
    expect(res.statusCode, res.body).toBe(200)
    return res.json<T>()
  }

  it('gives a commune\'s figures from the predictions alone, with denominators, codes and names', async () => {
    const r = await json<IndicatorReportView>('/api/indicators?commune=04001&date=2024-11-01')
    expect(r).toMatchObject({ date: '2024-11-01', technology: '4G', operator: null, province: null, fibreDistanceM: 2000 })
    expect(r.rule).toMatchObject({ reportMaxAgeDays: 365, requireVerified: true })
    expect(r.prediction).toMatchObject({ model: 'fast', demSynthetic: 'none', dem: { real: 2, synthetic: 0 }, calibration: [] })
    expect(r.prediction.runId).toBeGreaterThan(0)
    expect(r.communes.map((c) => [c.code, c.name, c.type, c.reachedByFibre])).toEqual([['04001', 'Chiềng Sơn', 'commune', true]])
    const a = r.communes[0]!.figures
    expect(figure(a, 'villages_total').value).toBe(4)
    expect(figure(a, 'villages_covered')).toEqual({ key: 'villages_covered', value: 2, denominator: { of: 'villages', value: 4 }, percent: 50, basis: { report: 0, prediction: 2 } })
    expect(figure(a, 'villages_weak_or_intermittent')).toMatchObject({ value: 1, percent: 25 })
    expect(figure(a, 'villages_none')).toMatchObject({ value: 1, percent: 25 })
    expect(figure(a, 'villages_unknown').value).toBe(1)
    expect(figure(a, 'population_covered')).toMatchObject({ value: 300, denominator: { of: 'population', value: 1000 }, percent: 30 })
    expect(figure(a, 'villages_without_grid_power')).toMatchObject({ value: 1, denominator: { of: 'villages with known grid power', value: 4 }, percent: 25 })
    expect(r.total).toEqual(a)
  })

  it('lets the verified report override the prediction on a later date, and compares with an earlier date', async () => {
    const r = await json<IndicatorReportView>('/api/indicators?province=14&date=2025-01-01&since=2024-01-01')
    expect(r.province).toEqual({ code: '14', name: 'Sơn La' })
    expect(r.communes.map((c) => c.code)).toEqual(['04001', '04002'])
    expect(figure(r.communes[0]!.figures, 'villages_covered')).toMatchObject({ value: 3, percent: 75, basis: { report: 1, prediction: 2 } })
    expect(figure(r.total, 'villages_covered')).toMatchObject({ value: 5, denominator: { value: 6 }, percent: 83.3, basis: { report: 1, prediction: 4 } })
    expect(figure(r.total, 'population_covered')).toMatchObject({ value: 700, denominator: { value: 1100 }, percent: 63.6 })
    expect(figure(r.total, 'communes_reached_by_fibre')).toMatchObject({ value: 1, denominator: { of: 'communes', value: 2 }, percent: 50 })
    // 2024-01-01: S2 not on air yet (B1, B2 unknown) and no report: A1 and A2 covered.
    expect(r.since?.date).toBe('2024-01-01')
    expect(figure(r.since!.total, 'villages_covered').value).toBe(2)
    expect(r.since!.change.find((c) => c.key === 'villages_covered')).toEqual({ key: 'villages_covered', value: 3, percentPoints: 50 })
  })

  it('applies the rule and the operator given in the query', async () => {
    // Unverified reports count (for the admin: the public's figures never rest on them, visibility.test.ts):
    // A2's citizen report "none" now overrides its predicted "weak".
    const loose = await json<IndicatorReportView>('/api/indicators?commune=04001&date=2025-01-01&requireVerified=false', AUTH)
    expect(loose.rule.requireVerified).toBe(false)
    expect(figure(loose.total, 'villages_none')).toMatchObject({ value: 1, basis: { report: 1, prediction: 0 } })
    // Reports at most 14 days old: the 2024-12-01 reports no longer count.
    const strict = await json<IndicatorReportView>('/api/indicators?commune=04001&date=2025-01-01&reportMaxAgeDays=14')
    expect(figure(strict.total, 'villages_covered')).toMatchObject({ value: 2, basis: { report: 0, prediction: 2 } })
    // Only citizens trusted: the commune office's report no longer counts (the citizen's is unverified).
    const citizens = await json<IndicatorReportView>('/api/indicators?commune=04001&date=2025-01-01&trustedSources=citizen')
    expect(citizens.rule.sourcesTrusted).toEqual(['citizen'])
    expect(figure(citizens.total, 'villages_covered').value).toBe(2)
    // vnpt covers commune B only; for viettel commune B is beyond S1's radius.
    const vnpt = await json<IndicatorReportView>('/api/indicators?date=2024-11-01&operator=vnpt')
    expect(vnpt.operator).toMatchObject({ code: 'vnpt' })
    expect(vnpt.communes.map((c) => figure(c.figures, 'villages_covered').value)).toEqual([0, 2])
    const viettel = await json<IndicatorReportView>('/api/indicators?date=2024-11-01&operator=viettel')
    expect(viettel.communes.map((c) => figure(c.figures, 'villages_unknown').value)).toEqual([1, 2])
    // A fibre distance of 0 m: only routes crossing the commune count (still commune A).
    const fibre = await json<IndicatorReportView>('/api/indicators?date=2024-11-01&fibreDistanceM=0')
    expect(fibre.communes.map((c) => c.reachedByFibre)).toEqual([true, false])
  })

  it('says which calibration offsets the village predictions carry', async () => {
    await sql`INSERT INTO calibration_offsets (technology, operator_id, model, offset_db, n, applied, applied_by)
      SELECT '4G', id, 'fast', 2.5, 12, true, 'test' FROM operators WHERE code = 'viettel'`.execute(h.db)
    try {
      const any = await json<IndicatorReportView>('/api/indicators?commune=04001&date=2024-11-01')
      expect(any.prediction.calibration).toEqual([{ operator: 'viettel', offsetDb: 2.5 }])
      const vnpt = await json<CommuneVillagesView>('/api/indicators/villages?commune=04002&date=2024-11-01&operator=vnpt')
      expect(vnpt.prediction.calibration).toEqual([])
      const res = await get('/api/indicators/export?format=xlsx&commune=04001&date=2024-11-01')
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
      const summary = wb.getWorksheet('Tổng hợp')!
      expect(rowStarting(summary, 'Hiệu chỉnh theo số liệu đo thực tế đã áp dụng cho RSRP dự báo tại thôn/bản: viettel +2.5 dB.')).toBeGreaterThan(1)
    } finally {
      await sql`DELETE FROM calibration_offsets`.execute(h.db)
    }
  })

  it('answers a province without communes with zero counts and no shares', async () => {
    const r = await json<IndicatorReportView>('/api/indicators?province=15&date=2025-01-01')
    expect(r.communes).toEqual([])
    expect(figure(r.total, 'villages_total').value).toBe(0)
    expect(figure(r.total, 'villages_covered')).toMatchObject({ value: 0, denominator: { of: 'villages', value: 0 }, percent: null })
  })

  it.each([
    ['/api/indicators?commune=04001,09999', 'unknown-reference', 'commune', '09999'],
    ['/api/indicators?province=99', 'unknown-reference', 'province', '99'],
    ['/api/indicators?operator=nope', 'unknown-reference', 'operator', 'nope'],
    ['/api/indicators/villages?commune=09999', 'unknown-reference', 'commune', '09999'],
    ['/api/indicators/export?format=csv&operator=nope', 'unknown-reference', 'operator', 'nope'],
    ['/api/indicators?date=2025-01-01&since=2025-01-01', 'validation-failed', 'since', '2025-01-01'],
    ['/api/indicators?trustedSources=commune_office,neighbour', 'validation-failed', 'trustedSources', 'neighbour'],
    ['/api/indicators?province=15&commune=04001', 'validation-failed', 'commune', '04001'],
  ])('refuses %s with a 400 %s naming %s', async (url, code, field, value) => {
    const res = await get(url)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    const problem = res.json<{ code: string; detail: string; errors: Array<{ field: string; location: string; value: unknown }> }>()
    expect(problem.code).toBe(code)
    expect(problem.errors[0]).toMatchObject({ field, location: 'querystring', value })
    expect(problem.detail).toContain(field)
  })

  it.each([
    ['/api/indicators?commune=4001', 'commune'],
    ['/api/indicators?date=2025-02-30', 'date'],
    ['/api/indicators?reportMaxAgeDays=-1', 'reportMaxAgeDays'],
    ['/api/indicators/villages', 'commune'],
    ['/api/indicators/export?format=pdf', 'format'],
  ])('refuses the malformed %s naming %s', async (url, field) => {
    const res = await get(url)
    expect(res.statusCode).toBe(400)
    expect(res.json<{ code: string; errors: Array<{ field: string }> }>()).toMatchObject({ code: 'validation-failed', errors: [{ field }] })
  })

  it('lists the villages of a commune with predicted, observed and official status, basis and the report used', async () => {
    // As the admin sees it: A2's unverified report shows as observed (the public does not see it: visibility.test.ts).
    const r = await json<CommuneVillagesView>('/api/indicators/villages?commune=04001&date=2025-01-01', AUTH)
    expect(r.commune).toMatchObject({ code: '04001', name: 'Chiềng Sơn', type: 'commune' })
    expect(r.villages.map((v) => [v.code, v.predicted, v.observed, v.official, v.basis])).toEqual([
      ['A1', 'good', null, 'good', 'prediction'],
      ['A2', 'weak', 'none', 'weak', 'prediction'],
      ['A3', 'none', 'good', 'good', 'report'],
      ['A4', null, null, 'unknown', 'none'],
    ])
    const [a1, a2, a3, a4] = r.villages
    expect(a1!.predictedRsrpDbm).toBeGreaterThan(-100)
    expect(a1!.servingSite).toMatchObject({ code: 'S1', operator: 'viettel' })
    expect(a2!.predictedRsrpDbm).toBeLessThan(-100)
    expect(a2!.report).toBeNull()
    expect(a3!.report).toMatchObject({ reportedOn: '2024-12-01', source: 'commune_office', verified: true })
    expect(a3).toMatchObject({ population: 300, hasGridPower: false })
    expect(a4).toMatchObject({ predictedRsrpDbm: null, servingSite: null, report: null })
  })

  it('documents the three routes, their responses and the export\'s media types in /docs', async () => {
    const doc = await json<{ paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }> }>('/docs/json')
    for (const p of ['/api/indicators/', '/api/indicators/villages', '/api/indicators/export']) expect(Object.keys(doc.paths[p]?.get?.responses ?? {})).toEqual(['200', '400', '503'])
    expect(Object.keys(doc.paths['/api/indicators/export']!.get!.responses['200']!.content!)).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv',
    ])
  })

  it('exports the summary table as CSV: BOM, Vietnamese headings naming denominators, one row per commune and the total', async () => {
    const res = await get('/api/indicators/export?format=csv&province=14&date=2025-01-01')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv/)
    expect(res.headers['content-disposition']).toBe('attachment; filename="phusong-chi-tieu-4G-14-2025-01-01.csv"')
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    const lines = res.body.replace(/^\ufeff/, '').trim().split('\n')
    expect(lines).toHaveLength(4)
    const headings = lines[0]!.split(',')
    expect(headings.slice(0, 5)).toEqual(['Mã xã', 'Tên xã', 'Tổng số thôn/bản', 'Số thôn/bản có sóng 4G', 'Tỷ lệ thôn/bản có sóng 4G (% số thôn/bản)'])
    expect(headings).toContain('Tỷ lệ dân số được phủ sóng 4G (% dân số)')
    expect(headings).toContain('Có cáp quang đến xã')
    for (const h of headings.filter((x) => x.startsWith('Tỷ lệ'))) expect(h).toMatch(/\(% [^)]+\)$/)
    const cells = lines.map((l) => l.split(','))
    const col = (name: string) => headings.indexOf(name)
    expect(cells[1]!.slice(0, 5)).toEqual(['04001', 'Chiềng Sơn', '4', '3', '75'])
    expect(cells[2]!.slice(0, 2)).toEqual(['04002', 'Mường Bú'])
    expect(cells[2]![col('Tỷ lệ thôn/bản chưa có điện lưới (% số thôn/bản có thông tin điện lưới)')]).toBe('') // no grid power known
    const total = cells[3]!
    expect(total.slice(0, 5)).toEqual(['Tổng cộng', '2 xã', '6', '5', '83.3'])
    expect(total[col('Dân số được phủ sóng 4G')]).toBe('700')
    expect(total[col('Tỷ lệ dân số được phủ sóng 4G (% dân số)')]).toBe('63.6')
    expect(total[col('Số thôn/bản có sóng 4G: căn cứ báo cáo')]).toBe('1')
    expect(total[col('Số thôn/bản có sóng 4G: căn cứ dự báo')]).toBe('4')
    expect(total[col('Có cáp quang đến xã')]).toBe('1/2 xã')
  })

  it('exports an XLSX workbook whose summary and commune sheets hold the JSON\'s values', async () => {
    const query = 'province=14&date=2025-01-01&since=2024-01-01'
    // The admin's workbook (its village sheets show unverified reports as observed, as the admin's JSON does).
    const report = await json<IndicatorReportView>(`/api/indicators?${query}`, AUTH)
    const villagesA = await json<CommuneVillagesView>('/api/indicators/villages?commune=04001&date=2025-01-01', AUTH)
    const res = await get(`/api/indicators/export?format=xlsx&${query}`, AUTH)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(res.headers['content-disposition']).toBe('attachment; filename="phusong-chi-tieu-4G-14-2025-01-01.xlsx"')

    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Tổng hợp', 'Xã Chiềng Sơn', 'Xã Mường Bú'])

    const summary = wb.getWorksheet('Tổng hợp')!
    const header = Array.from({ length: 14 }, (_, i) => String(summary.getRow(i + 1).getCell(1).value ?? '')).join('\n')
    expect(header).toContain('Ngày số liệu: 01/01/2025')
    expect(header).toContain('Công nghệ: 4G')
    expect(header).toContain('Nhà mạng: Tất cả các nhà mạng')
    expect(header).toContain('Quy tắc xác định trạng thái chính thức: Báo cáo thực tế gần nhất đã xác minh, không quá 365 ngày')
    expect(header).toMatch(/Dự báo: tính bằng mô hình .*KHÔNG phải số liệu đo thực tế/)
    expect(header).toContain('Địa hình (DEM) của lần tính: dữ liệu thực')

    const headingRow = rowStarting(summary, 'Mã xã')
    expect(rowValues(summary, headingRow)).toEqual(SUMMARY_COLUMNS.map((c) => summaryColumnLabel(c, '4G').vi))
    const col = (c: (typeof SUMMARY_COLUMNS)[number]) => SUMMARY_COLUMNS.indexOf(c)
    const rowA = rowValues(summary, headingRow + 1)
    const total = rowValues(summary, headingRow + 3)
    expect(rowA.slice(0, 2)).toEqual(['04001', 'Chiềng Sơn'])
    expect(total[0]).toBe('Tổng cộng')
    const a = report.communes[0]!.figures
    expect(rowA[col('villagesCovered')]).toBe(figure(a, 'villages_covered').value)
    expect(rowA[col('villagesCoveredPercent')]).toBe(figure(a, 'villages_covered').percent)
    expect(rowA[col('reachedByFibre')]).toBe('Có')
    expect(total[col('villagesTotal')]).toBe(figure(report.total, 'villages_total').value)
    expect(total[col('villagesCoveredPercent')]).toBe(figure(report.total, 'villages_covered').percent)
    expect(total[col('villagesWeakOrIntermittent')]).toBe(figure(report.total, 'villages_weak_or_intermittent').value)
    expect(total[col('villagesNone')]).toBe(figure(report.total, 'villages_none').value)
    expect(total[col('population')]).toBe(figure(report.total, 'population_covered').denominator!.value)
    expect(total[col('populationCoveredPercent')]).toBe(figure(report.total, 'population_covered').percent)
    expect(total[col('villagesCoveredByReport')]).toBe(figure(report.total, 'villages_covered').basis!.report)
    expect(total[col('villagesWithoutGridPowerPercent')]).toBe(figure(report.total, 'villages_without_grid_power').percent)
    // The change since 2024-01-01, below the table.
    const sinceRow = rowStarting(summary, 'Thay đổi so với ngày 01/01/2024')
    const covered = rowStarting(summary, 'Số thôn/bản có sóng 4G')
    expect(covered).toBeGreaterThan(sinceRow)
    expect(rowValues(summary, covered).slice(0, 4)).toEqual(['Số thôn/bản có sóng 4G', 2, 5, 3])

    const sheetA = wb.getWorksheet('Xã Chiềng Sơn')!
    expect(String(sheetA.getRow(1).getCell(1).value)).toBe('Xã Chiềng Sơn (mã 04001): danh sách thôn/bản')
    const h = rowStarting(sheetA, 'Mã thôn/bản')
    expect(rowValues(sheetA, h)).toEqual(VILLAGE_COLUMNS.map((c) => VILLAGE_COLUMN_LABELS[c].vi))
    expect(rowValues(sheetA, h).slice(0, 3)).toEqual(['Mã thôn/bản', 'Tên thôn/bản', 'Dân số'])
    const rows = villagesA.villages.map((_, i) => rowValues(sheetA, h + 1 + i))
    const vcol = (c: (typeof VILLAGE_COLUMNS)[number]) => VILLAGE_COLUMNS.indexOf(c)
    expect(rows.map((r) => [r[vcol('villageCode')], r[vcol('predicted')], r[vcol('observed')], r[vcol('official')], r[vcol('basis')]])).toEqual([
      ['A1', 'Sóng tốt', 'Chưa có báo cáo', 'Sóng tốt', 'Dự báo'],
      ['A2', 'Sóng yếu', 'Chưa có sóng', 'Sóng yếu', 'Dự báo'],
      ['A3', 'Chưa có sóng', 'Sóng tốt', 'Sóng tốt', 'Báo cáo'],
      ['A4', 'Chưa xác định', 'Chưa có báo cáo', 'Chưa xác định', 'Không có dữ liệu'],
    ])
    villagesA.villages.forEach((v, i) => {
      expect(rows[i]![vcol('population')]).toBe(v.population)
      expect(rows[i]![vcol('predictedRsrpDbm')] ?? null).toBe(v.predictedRsrpDbm)
    })
    const a3 = rows[2]!
    expect((a3[vcol('reportedOn')] as Date).toISOString().slice(0, 10)).toBe('2024-12-01')
    expect(a3[vcol('reportSource')]).toBe('UBND xã')
    expect(a3[vcol('reportVerified')]).toBe('Có')
    expect(rows[0]![vcol('reportedOn')] ?? null).toBeNull()
    expect(sheetA.rowCount).toBe(h + 4)
  })
})
