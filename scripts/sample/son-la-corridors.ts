/**
 * The main road corridors of Sơn La, approximated as polylines through the seats of the communes
 * they serve (names are post-2025 communes). Approximate on purpose: no road data could be brought
 * (see data/README.md), so the sample's roads, fibre and power lines are SYNTHETIC and follow these.
 *
 * `start` / `end` extend a corridor from its first / last seat towards the neighbouring province or
 * the border along a bearing (degrees, 0 = north) until just inside the province.
 */
export interface CorridorSpec {
  id: string
  name: string
  waypoints: readonly string[]
  start?: { bearingDeg: number; maxKm: number }
  end?: { bearingDeg: number; maxKm: number }
}

export const SON_LA_CORRIDORS: readonly CorridorSpec[] = [
  {
    // Hà Nội – Hòa Bình – Mộc Châu – Yên Châu – Hát Lót – Sơn La city – Thuận Châu – Tuần Giáo
    id: 'QL6',
    name: 'Quốc lộ 6',
    waypoints: ['Vân Hồ', 'Vân Sơn', 'Mộc Sơn', 'Mộc Châu', 'Chiềng Hặc', 'Yên Châu', 'Mai Sơn', 'Chiềng Mung', 'Chiềng Sinh', 'Tô Hiệu', 'Thuận Châu', 'Bình Thuận'],
    start: { bearingDeg: 115, maxKm: 30 },
    end: { bearingDeg: 285, maxKm: 30 },
  },
  {
    // Cò Nòi – Tạ Khoa – Bắc Yên – Phù Yên – towards Yên Bái
    id: 'QL37',
    name: 'Quốc lộ 37',
    waypoints: ['Mai Sơn', 'Tạ Khoa', 'Bắc Yên', 'Gia Phù', 'Phù Yên', 'Mường Cơi'],
    end: { bearingDeg: 35, maxKm: 30 },
  },
  {
    // Phù Yên – Mộc Châu – Lóng Sập (Pa Háng border gate)
    id: 'QL43',
    name: 'Quốc lộ 43',
    waypoints: ['Gia Phù', 'Kim Bon', 'Tân Yên', 'Mộc Châu', 'Lóng Sập'],
    end: { bearingDeg: 200, maxKm: 20 },
  },
  {
    // Than Uyên (Lai Châu) – Quỳnh Nhai – Tuần Giáo (Điện Biên)
    id: 'QL279',
    name: 'Quốc lộ 279',
    waypoints: ['Mường Giôn', 'Quỳnh Nhai'],
    start: { bearingDeg: 50, maxKm: 30 },
    end: { bearingDeg: 250, maxKm: 30 },
  },
  {
    // Sơn La city – Mường La (Ít Ong, Sơn La hydropower) – towards Than Uyên
    id: 'QL279D',
    name: 'Quốc lộ 279D',
    waypoints: ['Tô Hiệu', 'Chiềng An', 'Mường Bú', 'Mường La'],
    end: { bearingDeg: 345, maxKm: 25 },
  },
  {
    // Sơn La – Sông Mã – Sốp Cộp – towards the Lao border
    id: 'QL4G',
    name: 'Quốc lộ 4G',
    waypoints: ['Chiềng Sinh', 'Chiềng Mai', 'Chiềng Khương', 'Sông Mã', 'Sốp Cộp'],
    end: { bearingDeg: 235, maxKm: 20 },
  },
  {
    // Thuận Châu – Quỳnh Nhai
    id: 'QL6B',
    name: 'Quốc lộ 6B',
    waypoints: ['Thuận Châu', 'Chiềng La', 'Mường Sại', 'Quỳnh Nhai'],
  },
]
