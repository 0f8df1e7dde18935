/**
 * SYNTHETIC village names in the style of Sơn La: "Bản" + one or two syllables drawn from lists of
 * syllables common in Thái, Mông and Kinh place names (Thái: nà = rice field, huổi = stream,
 * pá = forest, phiêng = flat land, co = tree, hua = head, nậm = water, bó = spring, …). Any
 * resemblance to a real bản is by chance: the names are not real data.
 */
import type { Rng } from './create-rng.ts'

export type EthnicGroup = 'Thái' | 'Mông' | 'Kinh' | 'Mường' | 'Dao' | 'Khơ Mú' | 'Xinh Mun' | 'La Ha' | 'Kháng'

const THAI_FIRST = [
  'Nà', 'Huổi', 'Pá', 'Phiêng', 'Co', 'Hua', 'Nậm', 'Bó', 'Lọng', 'Púng', 'Mường', 'Sài', 'Tà', 'Xa',
  'Pha', 'Nong', 'Kéo', 'Hát', 'Pom', 'Khau', 'Noong', 'Pắc', 'Phai', 'Sốp', 'Chiềng', 'Tông', 'Ít',
  'Coóng', 'Pú', 'Lóng', 'Sam', 'Bon', 'Cang', 'Ta', 'Tát',
] as const
const THAI_SECOND = [
  'Cang', 'Hin', 'Lạnh', 'Mòn', 'Tở', 'Nưa', 'Tẩu', 'Hát', 'Pục', 'Khoang', 'Lầu', 'Bon', 'Xôm',
  'Ban', 'Kham', 'Lay', 'Phung', 'Muông', 'Cọ', 'Sẳng', 'Pặt', 'Lếch', 'Mạt', 'Ót', 'Chản', 'Lốm',
  'Pe', 'Kẻ', 'Thẳm', 'Ngoạng', 'Sản', 'Nọi', 'Luông', 'Pàn', 'Tra', 'Cuông', 'Khoai', 'Hẹ', 'Cằm',
  'Pằn', 'Ỏ', 'Mường', 'Lìu', 'Cháy', 'Nghịu', 'Lằn', 'Vạn', 'Đông', 'Tấu', 'Bẩu', 'Mằn', 'Sái',
] as const
const MONG_FIRST = [
  'Háng', 'Sáng', 'Pa', 'Chống', 'Tủa', 'Làng', 'Dề', 'Mỏ', 'Cáo', 'Pàng', 'Lìn', 'Chử', 'Giàng',
  'Tà', 'Xa', 'Phìn', 'Hang', 'Pờ', 'Nhọt', 'Lù',
] as const
const MONG_SECOND = [
  'Đồng', 'Tùng', 'Chú', 'Cóp', 'Chếu', 'Dê', 'Sáng', 'Khúa', 'Pâu', 'Lử', 'Xùa', 'Chông', 'Hua',
  'Phình', 'Sung', 'Tàng', 'Dào', 'Chua', 'Chải', 'Lìn', 'Pao', 'Mua', 'Thàng', 'Vàng',
] as const
const KINH_FIRST = [
  'Tân', 'Hồng', 'Quyết', 'Thống', 'Đoàn', 'Hòa', 'Bình', 'Hưng', 'Thanh', 'Phúc', 'Vĩnh', 'Đồng',
  'Yên', 'Hải', 'Trung', 'Tiền', 'Kim', 'Minh', 'Xuân', 'Quang',
] as const
const KINH_SECOND = [
  'Lập', 'Sơn', 'Thắng', 'Nhất', 'Kết', 'Bình', 'Yên', 'Hà', 'Tiến', 'Phong', 'Thành', 'Xuân', 'Hải',
  'Hưng', 'Tâm', 'Long', 'Minh', 'Quang', 'Tân', 'Lợi',
] as const

/** Syllable style for a group: Mông and Dao villages get Mông-style names, Kinh Kinh-style, others Thái-style. */
function styleOf(group: EthnicGroup): 'thai' | 'mong' | 'kinh' {
  if (group === 'Mông' || group === 'Dao') return 'mong'
  if (group === 'Kinh') return 'kinh'
  return 'thai'
}

/** One candidate name, e.g. "Bản Nà Hát", "Bản Mòn", "Bản Háng Đồng", "Bản Tân Lập". */
export function drawVillageName(group: EthnicGroup, rng: Rng): string {
  const style = styleOf(group)
  if (style === 'kinh') return `Bản ${rng.pick(KINH_FIRST)} ${rng.pick(KINH_SECOND)}`
  if (style === 'mong') {
    const first = rng.pick(MONG_FIRST)
    let second = rng.pick(MONG_SECOND)
    while (second === first) second = rng.pick(MONG_SECOND)
    return `Bản ${first} ${second}`
  }
  if (rng.chance(0.12)) return `Bản ${rng.pick(THAI_SECOND)}` // one-syllable names: Bản Mòn, Bản Cang
  const first = rng.pick(THAI_FIRST)
  let second = rng.pick(THAI_SECOND)
  while (second === first) second = rng.pick(THAI_SECOND)
  return `Bản ${first} ${second}`
}

/**
 * A name not yet in `used` (a commune's names): redraws a few times, then numbers the name
 * ("Bản Nà Hát 2"), which is also how real split villages are named. Adds the result to `used`.
 */
export function drawUniqueVillageName(group: EthnicGroup, rng: Rng, used: Set<string>): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const name = drawVillageName(group, rng)
    if (!used.has(name)) {
      used.add(name)
      return name
    }
  }
  const base = drawVillageName(group, rng)
  for (let n = 2; ; n++) {
    const name = `${base} ${n}`
    if (!used.has(name)) {
      used.add(name)
      return name
    }
  }
}
