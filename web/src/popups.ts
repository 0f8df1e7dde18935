// Popup contents for a clicked feature, built as DOM nodes (never innerHTML:
// names come from data).
import type { CommuneProperties, FibreProperties, PowerLineProperties, Sector, SiteProperties, VillageProperties } from './api.ts'
import { formatDate, formatNumber, t } from './i18n.ts'
import type { MessageKey } from './i18n.ts'

export type PopupKind = 'commune' | 'village' | 'site' | 'fibre' | 'powerLine'

/** Which popup a style layer opens. */
export const POPUP_KIND_BY_LAYER: Record<string, PopupKind> = {
  'communes-fill': 'commune',
  villages: 'village',
  sites: 'site',
  fibre: 'fibre',
  'fibre-planned': 'fibre',
  'power-lines': 'powerLine',
}

type Row = [MessageKey, string]

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

function card(kindKey: MessageKey, title: string, rows: Row[], synthetic: boolean): HTMLElement {
  const root = el('div', 'popup')
  root.dataset.testid = 'popup'
  root.append(el('p', 'popup-kind', t(kindKey)))
  const heading = el('h2', 'popup-title', title)
  heading.dataset.testid = 'popup-title'
  root.append(heading)
  const list = el('dl', 'popup-fields')
  for (const [label, value] of rows) {
    list.append(el('dt', undefined, t(label)), el('dd', undefined, value))
  }
  root.append(list)
  root.append(el('p', synthetic ? 'badge badge-synthetic' : 'badge badge-real', t(synthetic ? 'syntheticBadge' : 'realBadge')))
  return root
}

const num = (value: number | null | undefined, digits = 0): string =>
  typeof value === 'number' && Number.isFinite(value) ? formatNumber(value, digits) : t('unknown')

const text = (value: string | null | undefined): string => (value ? value : t('unknown'))

function communeType(type: string | null | undefined): string {
  const key = (type ?? '').normalize('NFC').toLowerCase()
  if (key === 'xã' || key === 'xa' || key === 'commune') return t('typeCommune')
  if (key === 'phường' || key === 'phuong' || key === 'ward') return t('typeWard')
  if (key === 'đặc khu' || key === 'dac khu' || key === 'special_zone') return t('typeSpecialZone')
  return text(type)
}

function status(value: string | null | undefined): string {
  switch (value) {
    case 'existing':
      return t('statusExisting')
    case 'planned':
      return t('statusPlanned')
    case 'candidate':
      return t('statusCandidate')
    case 'decommissioned':
      return t('statusDecommissioned')
    case 'under_construction':
      return t('statusUnderConstruction')
    default:
      return text(value)
  }
}

/** "4G × 3, 2G × 1": sector count per technology, most first. */
export function sectorsByTechnology(sectors: Sector[] | null | undefined): string {
  if (!sectors || sectors.length === 0) return t('none')
  const counts = new Map<string, number>()
  for (const sector of sectors) {
    const tech = sector.technology || '?'
    counts.set(tech, (counts.get(tech) ?? 0) + 1)
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([tech, n]) => `${tech} × ${n}`)
    .join(', ')
}

/**
 * Vector-tiled GeoJSON properties arrive flattened: nested arrays and objects
 * (site sectors) come back as JSON strings.
 */
function parseJsonArray<T>(value: unknown): T[] | null {
  if (Array.isArray(value)) return value as T[]
  if (typeof value !== 'string') return null
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) ? (parsed as T[]) : null
  } catch {
    return null
  }
}

export function popupContent(kind: PopupKind, properties: Record<string, unknown>): HTMLElement {
  switch (kind) {
    case 'commune': {
      const p = properties as unknown as CommuneProperties
      return card('popupCommune', text(p.name), [
        ['fieldType', communeType(p.type)],
        ['fieldPopulation', num(p.population)],
        ['fieldArea', typeof p.areaKm2 === 'number' ? `${num(p.areaKm2, 1)} km²` : t('unknown')],
      ], Boolean(p.synthetic))
    }
    case 'village': {
      const p = properties as unknown as VillageProperties
      const power = p.hasGridPower === true ? t('yes') : p.hasGridPower === false ? t('no') : t('unknown')
      return card('popupVillage', text(p.name), [
        ['fieldCommune', text(p.communeName)],
        ['fieldPopulation', num(p.population)],
        ['fieldHouseholds', num(p.households)],
        ['fieldGridPower', power],
      ], p.synthetic !== false)
    }
    case 'site': {
      const p = properties as unknown as SiteProperties
      const rows: Row[] = [
        ['fieldCode', text(p.code)],
        ['fieldOperator', text(p.operatorName ?? p.operatorCode)],
        ['fieldStatus', status(p.status)],
        ['fieldCommissioned', p.commissionedOn ? formatDate(p.commissionedOn) : t('unknown')],
      ]
      if (p.decommissionedOn) rows.push(['fieldDecommissioned', formatDate(p.decommissionedOn)])
      rows.push(['fieldSectors', sectorsByTechnology(parseJsonArray<Sector>(p.sectors))])
      return card('popupSite', p.name ? p.name : text(p.code), rows, p.synthetic !== false)
    }
    case 'fibre': {
      const p = properties as unknown as FibreProperties
      return card('popupFibre', text(p.code), [
        ['fieldOwner', text(p.ownerName ?? p.ownerCode)],
        ['fieldStatus', status(p.status)],
        ['fieldLength', typeof p.lengthKm === 'number' ? `${num(p.lengthKm, 1)} km` : t('unknown')],
      ], p.synthetic !== false)
    }
    case 'powerLine': {
      const p = properties as unknown as PowerLineProperties
      return card('popupPowerLine', text(p.code), [
        ['fieldOwner', text(p.owner)],
        ['fieldVoltage', typeof p.voltageKv === 'number' ? `${num(p.voltageKv, 1)} kV` : t('unknown')],
        ['fieldStatus', status(p.status)],
        ['fieldLength', typeof p.lengthKm === 'number' ? `${num(p.lengthKm, 1)} km` : t('unknown')],
      ], p.synthetic !== false)
    }
  }
}
