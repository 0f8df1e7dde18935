/**
 * Central meridians of the VN-2000 TM-3 zones, per province.
 *
 * Source: Circular 973/2001/TT-TCĐC (General Department of Land Administration, 20 June 2001),
 * appendix "Kinh tuyến trục theo từng tỉnh, thành phố", for the 64 provinces of that time
 * (Hà Tây merged into Hà Nội in 2008). Checked in November 2026 against:
 *  - the EPSG dataset shipped with PROJ 9.1.1 (`projinfo EPSG:9205` … `EPSG:9218`, `EPSG:5899`):
 *    each "VN-2000 / TM-3 dd-mm" CRS names the provinces that use it in its area of use. Every
 *    province below agrees with EPSG where EPSG names it;
 *  - secondary tables of all 63 provinces (rtk.com.vn, viet-thanh.vn "kinh tuyến trục các tỉnh").
 * EPSG has no province-specific CRS for 105°00′ (Hà Nội, Hà Nam, Ninh Bình, Thanh Hóa, Vĩnh Phúc,
 * Đồng Tháp, Cần Thơ, Hậu Giang, Bạc Liêu) nor 108°00′ (Quảng Ngãi); those rows rest on the
 * secondary tables only (Thanh Hóa, Ninh Bình, Cần Thơ, Hậu Giang, Bạc Liêu on one of them).
 *
 * Since 12 June 2025 (Resolution 202/2025/QH15) 63 provinces became 34; every merged province kept
 * the name of one of its members. Old survey files are named by the old provinces, so all old
 * names stay here with their own meridian and `mergedInto`; a merged province looked up by its
 * (kept) name gets that member's meridian. No new official meridians for the merged provinces
 * were found: files made after 2025 for a former province (e.g. former Hà Giang, now part of
 * Tuyên Quang) may still use the former province's meridian — diagnoseCoordinates suggests it.
 */

export interface ProvinceMeridian {
  /** Province name in Vietnamese, as in the circular (pre-2025 list). */
  name: string
  /** Central meridian of the province's TM-3 zone, degrees east of Greenwich. */
  centralMeridian: number
  /** The 2025 province this one was merged into (absent when it kept its name or was unchanged). */
  mergedInto?: string
  /** Other spellings people use in file names (folded like names, so case, diacritics and a "tỉnh"/"TP" prefix need no alias). */
  aliases?: string[]
}

export const VN2000_PROVINCE_MERIDIANS: readonly ProvinceMeridian[] = Object.freeze([
  // North-west and north-east (the mountainous provinces phusong starts with)
  { name: 'Lai Châu', centralMeridian: 103 },
  { name: 'Điện Biên', centralMeridian: 103 },
  { name: 'Sơn La', centralMeridian: 104 },
  { name: 'Lào Cai', centralMeridian: 104.75 },
  { name: 'Yên Bái', centralMeridian: 104.75, mergedInto: 'Lào Cai' },
  { name: 'Hà Giang', centralMeridian: 105.5, mergedInto: 'Tuyên Quang' },
  { name: 'Tuyên Quang', centralMeridian: 106 },
  { name: 'Phú Thọ', centralMeridian: 104.75 },
  { name: 'Vĩnh Phúc', centralMeridian: 105, mergedInto: 'Phú Thọ' },
  { name: 'Hòa Bình', centralMeridian: 106, mergedInto: 'Phú Thọ' },
  { name: 'Cao Bằng', centralMeridian: 105.75 },
  { name: 'Lạng Sơn', centralMeridian: 107.25 },
  { name: 'Bắc Kạn', centralMeridian: 106.5, mergedInto: 'Thái Nguyên', aliases: ['Bắc Cạn'] },
  { name: 'Thái Nguyên', centralMeridian: 106.5 },
  { name: 'Bắc Giang', centralMeridian: 107, mergedInto: 'Bắc Ninh' },
  { name: 'Bắc Ninh', centralMeridian: 105.5 },
  { name: 'Quảng Ninh', centralMeridian: 107.75 },
  // Red River delta
  { name: 'Hà Nội', centralMeridian: 105, aliases: ['Hanoi'] },
  { name: 'Hà Tây', centralMeridian: 105, mergedInto: 'Hà Nội' }, // merged in 2008
  { name: 'Hải Phòng', centralMeridian: 105.75 },
  { name: 'Hải Dương', centralMeridian: 105.5, mergedInto: 'Hải Phòng' },
  { name: 'Hưng Yên', centralMeridian: 105.5 },
  { name: 'Thái Bình', centralMeridian: 105.5, mergedInto: 'Hưng Yên' },
  { name: 'Hà Nam', centralMeridian: 105, mergedInto: 'Ninh Bình' },
  { name: 'Nam Định', centralMeridian: 105.5, mergedInto: 'Ninh Bình' },
  { name: 'Ninh Bình', centralMeridian: 105 },
  // North Central Coast
  { name: 'Thanh Hóa', centralMeridian: 105 },
  { name: 'Nghệ An', centralMeridian: 104.75 },
  { name: 'Hà Tĩnh', centralMeridian: 105.5 },
  { name: 'Quảng Bình', centralMeridian: 106, mergedInto: 'Quảng Trị' },
  { name: 'Quảng Trị', centralMeridian: 106.25 },
  { name: 'Thừa Thiên Huế', centralMeridian: 107, aliases: ['Huế'] }, // 'thành phố Huế' since 2025,
  // South Central Coast and Central Highlands
  { name: 'Đà Nẵng', centralMeridian: 107.75 },
  { name: 'Quảng Nam', centralMeridian: 107.75, mergedInto: 'Đà Nẵng' },
  { name: 'Quảng Ngãi', centralMeridian: 108 },
  { name: 'Kon Tum', centralMeridian: 107.5, mergedInto: 'Quảng Ngãi' },
  { name: 'Bình Định', centralMeridian: 108.25, mergedInto: 'Gia Lai' },
  { name: 'Gia Lai', centralMeridian: 108.5 },
  { name: 'Phú Yên', centralMeridian: 108.5, mergedInto: 'Đắk Lắk' },
  { name: 'Đắk Lắk', centralMeridian: 108.5, aliases: ['Đắc Lắc'] },
  { name: 'Đắk Nông', centralMeridian: 108.5, mergedInto: 'Lâm Đồng', aliases: ['Đắc Nông'] },
  { name: 'Khánh Hòa', centralMeridian: 108.25 },
  { name: 'Ninh Thuận', centralMeridian: 108.25, mergedInto: 'Khánh Hòa' },
  { name: 'Bình Thuận', centralMeridian: 108.5, mergedInto: 'Lâm Đồng' },
  { name: 'Lâm Đồng', centralMeridian: 107.75 },
  // South-east and Mekong delta
  { name: 'Hồ Chí Minh', centralMeridian: 105.75, aliases: ['HCM', 'TPHCM', 'Sài Gòn'] },
  { name: 'Bình Dương', centralMeridian: 105.75, mergedInto: 'Hồ Chí Minh' },
  { name: 'Bà Rịa - Vũng Tàu', centralMeridian: 107.75, mergedInto: 'Hồ Chí Minh' },
  { name: 'Đồng Nai', centralMeridian: 107.75 },
  { name: 'Bình Phước', centralMeridian: 106.25, mergedInto: 'Đồng Nai' },
  { name: 'Tây Ninh', centralMeridian: 105.5 },
  { name: 'Long An', centralMeridian: 105.75, mergedInto: 'Tây Ninh' },
  { name: 'Đồng Tháp', centralMeridian: 105 },
  { name: 'Tiền Giang', centralMeridian: 105.75, mergedInto: 'Đồng Tháp' },
  { name: 'Vĩnh Long', centralMeridian: 105.5 },
  { name: 'Bến Tre', centralMeridian: 105.75, mergedInto: 'Vĩnh Long' },
  { name: 'Trà Vinh', centralMeridian: 105.5, mergedInto: 'Vĩnh Long' },
  { name: 'Cần Thơ', centralMeridian: 105 },
  { name: 'Hậu Giang', centralMeridian: 105, mergedInto: 'Cần Thơ' },
  { name: 'Sóc Trăng', centralMeridian: 105.5, mergedInto: 'Cần Thơ' },
  { name: 'An Giang', centralMeridian: 104.75 },
  { name: 'Kiên Giang', centralMeridian: 104.5, mergedInto: 'An Giang' },
  { name: 'Cà Mau', centralMeridian: 104.5 },
  { name: 'Bạc Liêu', centralMeridian: 105, mergedInto: 'Cà Mau' },
] satisfies ProvinceMeridian[])

/**
 * The form names are compared in: no diacritics, đ → d, lower case, letters and digits only, and
 * without a leading "tỉnh" / "thành phố" / "TP". "Sơn La", "son-la", "SON_LA", "Tỉnh Sơn La" → "sonla".
 */
export function foldProvinceName(name: string): string {
  const folded = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
  return folded.replace(/^(tinh|thanh pho|tp)\s+/, '').replace(/ /g, '')
}

const BY_FOLDED_NAME: ReadonlyMap<string, ProvinceMeridian> = new Map(
  VN2000_PROVINCE_MERIDIANS.flatMap((p) => [p.name, ...(p.aliases ?? [])].map((n) => [foldProvinceName(n), p] as const)),
)

/** The province entry for a name written with or without diacritics, or null when unknown. */
export function findProvinceMeridian(name: string): ProvinceMeridian | null {
  return BY_FOLDED_NAME.get(foldProvinceName(name)) ?? null
}

/** Names of the provinces (pre-2025 list) whose TM-3 zone uses this central meridian (degrees east). */
export function provincesUsingMeridian(centralMeridian: number): string[] {
  return VN2000_PROVINCE_MERIDIANS.filter((p) => Math.abs(p.centralMeridian - centralMeridian) < 1e-9).map((p) => p.name)
}

/** The distinct province central meridians, west to east (degrees east). */
export const VN2000_TM3_MERIDIANS: readonly number[] = Object.freeze(
  [...new Set(VN2000_PROVINCE_MERIDIANS.map((p) => p.centralMeridian))].sort((a, b) => a - b),
)

/** 104.75 → "104°45′", 105 → "105°00′" (degrees and minutes, rounded to the minute). */
export function formatMeridian(degrees: number): string {
  const totalMinutes = Math.round(degrees * 60)
  const d = Math.trunc(totalMinutes / 60)
  const m = Math.abs(totalMinutes - d * 60)
  return `${d}°${String(m).padStart(2, '0')}′`
}
