import { describe, expect, it } from 'vitest'
import { sheetName } from '../../../server/services/indicators/indicator-export.service.ts'
import { ruleDescription, SUMMARY_COLUMNS, summaryColumnLabel } from '../../../server/services/indicators/indicator-labels.ts'

describe('sheetName', () => {
  it('keeps a short name as it is', () => {
    expect(sheetName('Xã Chiềng Sơn', '04001', new Set())).toBe('Xã Chiềng Sơn')
  })

  it('cuts a long name to Excel\'s 31 characters', () => {
    const name = sheetName('Phường Một Tên Rất Dài Của Phường Ở Sơn La', '03646', new Set())
    expect([...name]).toHaveLength(31)
    expect(name).toBe('Phường Một Tên Rất Dài Của Phườ')
  })

  it('replaces the characters Excel refuses and trims apostrophes', () => {
    expect(sheetName("'Xã A/B: [C]?*'", '1', new Set())).toBe('Xã A B C')
  })

  it('tells apart two communes of the same name by their code, ignoring case, and still within 31 characters', () => {
    const taken = new Set<string>()
    expect(sheetName('Xã Tân Lập', '01234', taken)).toBe('Xã Tân Lập')
    expect(sheetName('XÃ TÂN LẬP', '05678', taken)).toBe('XÃ TÂN LẬP 05678')
    const long = 'Xã Một Tên Rất Dài Của Một Xã Ở Miền Núi'
    expect(sheetName(long, '01111', taken)).toHaveLength(31)
    const second = sheetName(long, '02222', taken)
    expect(second.endsWith(' 02222')).toBe(true)
    expect([...second]).toHaveLength(31)
  })
})

describe('indicator labels', () => {
  it('names the denominator of every share column', () => {
    for (const c of SUMMARY_COLUMNS.filter((x) => x.endsWith('Percent'))) {
      expect(summaryColumnLabel(c, '4G').vi).toMatch(/\(% [^)]+\)$/)
      expect(summaryColumnLabel(c, '4G').en).toMatch(/\(% of [^)]+\)$/)
    }
  })

  it('says which sources the rule trusts when not all of them', () => {
    expect(ruleDescription({ reportMaxAgeDays: 90, requireVerified: false, sourcesTrusted: ['commune_office'] }, 'vi'))
      .toBe('Báo cáo thực tế gần nhất, không quá 90 ngày trước ngày số liệu, chỉ từ: UBND xã, thay thế dự báo; thôn/bản không có báo cáo như vậy lấy theo dự báo của mô hình.')
  })
})
