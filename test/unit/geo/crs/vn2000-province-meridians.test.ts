import { describe, expect, it } from 'vitest'
import {
  VN2000_PROVINCE_MERIDIANS,
  VN2000_TM3_MERIDIANS,
  findProvinceMeridian,
  foldProvinceName,
  formatMeridian,
  provincesUsingMeridian,
} from '../../../../server/geo/crs/vn2000-province-meridians.ts'
import { VN2000_TM3_EPSG } from '../../../../server/geo/crs/crs-spec.ts'

describe('VN2000_PROVINCE_MERIDIANS', () => {
  it('holds the 63 provinces of 2008–2025 and Hà Tây, no two of them sharing a folded name', () => {
    expect(VN2000_PROVINCE_MERIDIANS).toHaveLength(64)
    const owner = new Map<string, string>()
    for (const p of VN2000_PROVINCE_MERIDIANS) {
      for (const key of [p.name, ...(p.aliases ?? [])].map(foldProvinceName)) {
        expect(owner.get(key) ?? p.name, key).toBe(p.name)
        owner.set(key, p.name)
      }
    }
  })

  it('finds provinces by aliases and prefixed names', () => {
    expect(findProvinceMeridian('Thành phố Hà Nội')?.name).toBe('Hà Nội')
    expect(findProvinceMeridian('TP.HCM')?.name).toBe('Hồ Chí Minh')
    expect(findProvinceMeridian('Huế')?.name).toBe('Thừa Thiên Huế')
    expect(findProvinceMeridian('Atlantis')).toBeNull()
  })

  it('merges every absorbed province into a province of the table that kept its name', () => {
    for (const p of VN2000_PROVINCE_MERIDIANS) {
      if (p.mergedInto) expect(findProvinceMeridian(p.mergedInto)?.mergedInto, p.name).toBeUndefined()
    }
    const kept = new Set(VN2000_PROVINCE_MERIDIANS.filter((p) => !p.mergedInto).map((p) => p.name))
    expect(kept.size).toBe(34) // the provinces and cities since 12 June 2025
  })

  it('uses the merged province name for the meridian of the province whose name it kept', () => {
    expect(findProvinceMeridian('Tuyên Quang')?.centralMeridian).toBe(106) // not Hà Giang's 105°30′
    expect(findProvinceMeridian('Phú Thọ')?.centralMeridian).toBe(104.75)
    expect(findProvinceMeridian('Bắc Ninh')?.centralMeridian).toBe(105.5)
  })

  it('has an EPSG TM-3 system for every northern mountain province meridian', () => {
    for (const name of ['Lai Châu', 'Điện Biên', 'Sơn La', 'Lào Cai', 'Yên Bái', 'Hà Giang', 'Tuyên Quang', 'Cao Bằng', 'Bắc Kạn', 'Thái Nguyên', 'Lạng Sơn', 'Hòa Bình', 'Phú Thọ', 'Quảng Ninh', 'Bắc Giang']) {
      const cm = findProvinceMeridian(name)?.centralMeridian ?? Number.NaN
      expect(VN2000_TM3_EPSG.get(cm), name).toBeDefined()
    }
  })

  it('lists meridians in quarter degrees from 103°00′ to 108°30′', () => {
    expect(VN2000_TM3_MERIDIANS[0]).toBe(103)
    expect(VN2000_TM3_MERIDIANS.at(-1)).toBe(108.5)
    for (const cm of VN2000_TM3_MERIDIANS) expect(Number.isInteger(cm * 4)).toBe(true)
  })

  it('formats and looks up meridians', () => {
    expect(formatMeridian(104.75)).toBe('104°45′')
    expect(formatMeridian(105)).toBe('105°00′')
    expect(provincesUsingMeridian(103)).toEqual(['Lai Châu', 'Điện Biên'])
    expect(foldProvinceName('Thành phố Hồ Chí Minh')).toBe('hochiminh')
  })
})
