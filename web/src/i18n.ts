// User-facing text in Vietnamese (default) and English. The language comes from
// `?lang=`, then localStorage, then Vietnamese; `setLanguage` keeps the choice.

export type Lang = 'vi' | 'en'

const vi = {
  appTitle: 'Phủ sóng 4G · Sơn La',
  appSubtitle: 'Bản đồ hạ tầng viễn thông',
  syntheticNotice: 'Dữ liệu mô phỏng',
  syntheticDetail:
    'Bản/thôn, trạm BTS, sector, tuyến cáp quang và đường điện là dữ liệu mô phỏng, không phải số liệu thật. Ranh giới xã/phường là dữ liệu thật (sau 1/7/2025).',
  panelToggleShow: 'Hiện bảng chú giải',
  panelToggleHide: 'Ẩn bảng chú giải',
  panelLabel: 'Lớp bản đồ và chú giải',
  languageLabel: 'Ngôn ngữ',
  layersHeading: 'Lớp bản đồ',
  layerCommunes: 'Xã/phường',
  layerVillages: 'Bản/thôn',
  layerSites: 'Trạm BTS',
  layerFibre: 'Cáp quang',
  layerPowerLines: 'Đường điện',
  legendVillagePopulation: 'Cỡ và màu theo dân số',
  legendExisting: 'đang hoạt động',
  legendPlanned: 'Kế hoạch / ứng viên (rỗng)',
  legendDecommissioned: 'Đã ngừng',
  legendFibrePlanned: 'Kế hoạch (nét đứt)',
  unitKm: 'km',
  statusHeading: 'Máy chủ',
  statusLoading: 'Đang tải dữ liệu…',
  statusOk: 'Hoạt động',
  statusUnavailable: 'Không khả dụng',
  engineEmbedded: 'CSDL nhúng (PGlite)',
  engineServer: 'Máy chủ PostgreSQL',
  sourcesHeading: 'Nguồn dữ liệu',
  sourceBoundaries: 'Ranh giới: gis.vn qua lamngockhuong/vietnam-3d-map',
  sourceElevation: 'Dữ liệu độ cao: NASA SRTM',
  sourceSynthetic: 'Bản/thôn, trạm, cáp quang, đường điện: mô phỏng (phusong)',
  errorTitle: 'Không tải được dữ liệu bản đồ.',
  errorDetail: 'Máy chủ không trả lời hoặc trả lỗi. Kiểm tra kết nối rồi thử lại.',
  retry: 'Thử lại',
  popupCommune: 'Xã/phường',
  popupVillage: 'Bản/thôn',
  popupSite: 'Trạm BTS',
  popupFibre: 'Tuyến cáp quang',
  popupPowerLine: 'Đường điện',
  fieldType: 'Loại',
  fieldPopulation: 'Dân số',
  fieldArea: 'Diện tích',
  fieldCommune: 'Xã/phường',
  fieldHouseholds: 'Số hộ',
  fieldGridPower: 'Điện lưới',
  fieldCode: 'Mã',
  fieldOperator: 'Nhà mạng',
  fieldStatus: 'Trạng thái',
  fieldCommissioned: 'Ngày phát sóng',
  fieldDecommissioned: 'Ngày ngừng',
  fieldSectors: 'Sector',
  fieldOwner: 'Chủ sở hữu',
  fieldLength: 'Chiều dài',
  fieldVoltage: 'Điện áp',
  yes: 'Có',
  no: 'Không',
  unknown: 'Không rõ',
  none: 'Không có',
  syntheticBadge: 'Mô phỏng',
  realBadge: 'Dữ liệu thật',
  typeCommune: 'Xã',
  typeWard: 'Phường',
  typeSpecialZone: 'Đặc khu',
  statusExisting: 'Đang hoạt động',
  statusPlanned: 'Kế hoạch',
  statusCandidate: 'Ứng viên',
  statusDecommissioned: 'Đã ngừng',
  statusUnderConstruction: 'Đang xây dựng',
  mapLabel: 'Bản đồ Sơn La: xã/phường, bản/thôn, trạm BTS, cáp quang và đường điện',
  zoomIn: 'Phóng to',
  zoomOut: 'Thu nhỏ',
  closePopup: 'Đóng thông tin',
  errorWebgl: 'Trình duyệt này không hiển thị được bản đồ (cần WebGL).',
} as const

export type MessageKey = keyof typeof vi
type Messages = Record<MessageKey, string>

const en: Messages = {
  appTitle: '4G coverage · Sơn La',
  appSubtitle: 'Telecom infrastructure map',
  syntheticNotice: 'Synthetic sample data',
  syntheticDetail:
    'Villages, BTS sites, sectors, fibre routes and power lines are synthetic sample data, not real records. Commune/ward boundaries are real (after 1 July 2025).',
  panelToggleShow: 'Show legend panel',
  panelToggleHide: 'Hide legend panel',
  panelLabel: 'Map layers and legend',
  languageLabel: 'Language',
  layersHeading: 'Map layers',
  layerCommunes: 'Communes/wards',
  layerVillages: 'Villages',
  layerSites: 'BTS sites',
  layerFibre: 'Fibre',
  layerPowerLines: 'Power lines',
  legendVillagePopulation: 'Size and colour by population',
  legendExisting: 'on air',
  legendPlanned: 'Planned / candidate (hollow)',
  legendDecommissioned: 'Decommissioned',
  legendFibrePlanned: 'Planned (dashed)',
  unitKm: 'km',
  statusHeading: 'Server',
  statusLoading: 'Loading data…',
  statusOk: 'Running',
  statusUnavailable: 'Unavailable',
  engineEmbedded: 'embedded database (PGlite)',
  engineServer: 'PostgreSQL server',
  sourcesHeading: 'Data sources',
  sourceBoundaries: 'Boundaries: gis.vn via lamngockhuong/vietnam-3d-map',
  sourceElevation: 'Elevation data: NASA SRTM',
  sourceSynthetic: 'Villages, sites, fibre, power lines: synthetic (phusong)',
  errorTitle: 'The map data could not be loaded.',
  errorDetail: 'The server did not answer or returned an error. Check the connection and try again.',
  retry: 'Try again',
  popupCommune: 'Commune/ward',
  popupVillage: 'Village',
  popupSite: 'BTS site',
  popupFibre: 'Fibre route',
  popupPowerLine: 'Power line',
  fieldType: 'Type',
  fieldPopulation: 'Population',
  fieldArea: 'Area',
  fieldCommune: 'Commune',
  fieldHouseholds: 'Households',
  fieldGridPower: 'Grid power',
  fieldCode: 'Code',
  fieldOperator: 'Operator',
  fieldStatus: 'Status',
  fieldCommissioned: 'On air since',
  fieldDecommissioned: 'Decommissioned on',
  fieldSectors: 'Sectors',
  fieldOwner: 'Owner',
  fieldLength: 'Length',
  fieldVoltage: 'Voltage',
  yes: 'Yes',
  no: 'No',
  unknown: 'Unknown',
  none: 'None',
  syntheticBadge: 'Synthetic',
  realBadge: 'Real data',
  typeCommune: 'Commune',
  typeWard: 'Ward',
  typeSpecialZone: 'Special zone',
  statusExisting: 'On air',
  statusPlanned: 'Planned',
  statusCandidate: 'Candidate',
  statusDecommissioned: 'Decommissioned',
  statusUnderConstruction: 'Under construction',
  mapLabel: 'Map of Sơn La: communes, villages, BTS sites, fibre and power lines',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  closePopup: 'Close details',
  errorWebgl: 'This browser cannot draw the map (WebGL is needed).',
}

const messages: Record<Lang, Messages> = { vi, en }
const STORAGE_KEY = 'phusong.lang'

let current: Lang = 'vi'

function isLang(value: unknown): value is Lang {
  return value === 'vi' || value === 'en'
}

function readStoredLang(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null // storage blocked (private mode, file://)
  }
}

/** Picks the start-up language: `?lang=` first, then the stored choice, then Vietnamese. */
export function initialLanguage(search: string = location.search): Lang {
  const fromQuery = new URLSearchParams(search).get('lang')
  if (isLang(fromQuery)) return fromQuery
  const stored = readStoredLang()
  return isLang(stored) ? stored : 'vi'
}

export function getLanguage(): Lang {
  return current
}

/** Switches the language, remembers it and updates `<html lang>`. */
export function setLanguage(lang: Lang, remember = true): void {
  current = lang
  document.documentElement.lang = lang
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang)
    } catch {
      // not remembered; the switch still works for this page
    }
  }
}

export function t(key: MessageKey): string {
  return messages[current][key]
}

/** Number formatting for the current language (vi: 1.234,5 · en: 1,234.5). */
export function formatNumber(value: number, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(current === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits }).format(value)
}

/** Formats an ISO date (yyyy-mm-dd) as a calendar date without a time zone shift. */
export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!match) return iso
  const [, y, m, d] = match
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  return new Intl.DateTimeFormat(current === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(date)
}

/**
 * Rewrites every element carrying `data-i18n` (text), `data-i18n-aria-label` or
 * `data-i18n-title` under `root`.
 */
export function translateDom(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n as MessageKey)
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel as MessageKey))
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) {
    el.title = t(el.dataset.i18nTitle as MessageKey)
  }
}
