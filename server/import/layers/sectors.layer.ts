import type { Technology } from '../../db/database.ts'
import { upsertSectors, type NewSector } from '../../repositories/sectors.repository.ts'
import type { LayerDefinition } from '../layer-definition.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseEnum, parseNumber, parseText } from '../values.ts'
import { OPERATOR_ALIASES, takeOperator } from './operator-field.ts'

export const TECHNOLOGY_WORDS: Record<Technology, readonly string[]> = {
  '2G': ['gsm', '2g gsm', 'edge'], '3G': ['umts', 'wcdma', 'hspa', '3g umts'], '4G': ['lte', '4g lte', 'lte a'], '5G': ['nr', '5g nr'],
}

const fields = {
  siteCode: { aliases: ['ma tram', 'site code', 'site', 'site id', 'siteid'], required: true },
  operator: { aliases: OPERATOR_ALIASES, required: true },
  label: { aliases: ['sector', 'sector id', 'sector name', 'cell', 'cell name', 'cell id', 'ma cell', 'ten cell'] },
  technology: { aliases: ['cong nghe', 'tech', 'radio', 'rat'], required: true },
  frequencyMhz: { aliases: ['tan so', 'frequency', 'freq', 'frequency mhz', 'bang tan', 'band mhz'], required: true },
  azimuthDeg: { aliases: ['azimuth', 'huong', 'goc phuong vi', 'azimuth deg', 'az'] },
  beamwidthDeg: { aliases: ['beamwidth', 'do rong bup song', 'hbw', 'horizontal beamwidth'] },
  electricalTiltDeg: { aliases: ['electrical tilt', 'e tilt', 'etilt', 'goc ngang dien'] },
  mechanicalTiltDeg: { aliases: ['mechanical tilt', 'm tilt', 'mtilt', 'goc ngang co'] },
  heightM: { aliases: ['do cao anten', 'chieu cao', 'chieu cao anten', 'height', 'antenna height', 'agl'], required: true },
  eirpDbm: { aliases: ['eirp', 'eirp dbm', 'cong suat phat'], required: true },
  gainDbi: { aliases: ['gain', 'antenna gain', 'do loi', 'gain dbi'] },
} as const
type K = keyof typeof fields

/**
 * Sectors (antennas) of existing sites, found by (operator, site code) and
 * upserted by (site, label); an unlabelled sector is labelled
 * `<technology>-<azimuth>` (e.g. '4G-120') so a re-import finds it again.
 */
export const sectorsLayer: LayerDefinition<K, NewSector> = {
  name: 'sectors',
  geometry: null,
  fields,
  ignoredFields: ['id', 'siteId'],
  references: ['sites'],
  build({ values }, ctx) {
    const b = new RowBuilder()
    const siteCode = b.take('siteCode', values.siteCode, parseText, { required: true, label: 'site code' })
    const operator = takeOperator(b, 'operator', values.operator, ctx.refs, true)
    const siteId = siteCode !== null && operator !== null ? ctx.refs.sites.get(`${operator.code}:${siteCode}`) : undefined
    if (siteCode !== null && operator !== null && siteId === undefined) b.problem('siteCode', siteCode, `no ${operator.code} site has code ${siteCode} (import the sites first)`)
    const technology = b.take('technology', values.technology, (v) => parseEnum(v, TECHNOLOGY_WORDS), { required: true })
    const frequencyMhz = b.take('frequencyMhz', values.frequencyMhz, parseNumber, { required: true, min: 400, max: 6000 })
    const azimuthDeg = b.take('azimuthDeg', values.azimuthDeg, parseNumber, { min: 0, max: 359.999 })
    const beamwidthDeg = b.take('beamwidthDeg', values.beamwidthDeg, parseNumber, { min: 1, max: 360 }) ?? (azimuthDeg === null ? 360 : 65)
    if (beamwidthDeg < 360 && azimuthDeg === null) b.problem('azimuthDeg', null, 'a directional sector needs an azimuth')
    const electricalTiltDeg = b.take('electricalTiltDeg', values.electricalTiltDeg, parseNumber, { min: -10, max: 20 }) ?? 0
    const mechanicalTiltDeg = b.take('mechanicalTiltDeg', values.mechanicalTiltDeg, parseNumber, { min: -10, max: 20 }) ?? 0
    const heightM = b.take('heightM', values.heightM, parseNumber, { required: true, min: 0.5, max: 200 })
    const eirpDbm = b.take('eirpDbm', values.eirpDbm, parseNumber, { required: true, min: 0, max: 90 })
    const gainDbi = b.take('gainDbi', values.gainDbi, parseNumber, { min: -10, max: 30 }) ?? 0
    const label = b.take('label', values.label, parseText) ?? (technology ? `${technology}-${azimuthDeg ?? 'omni'}` : null)
    if (!b.ok || siteId === undefined || technology === null || frequencyMhz === null || heightM === null || eirpDbm === null) return { problems: b.problems }
    return { row: { siteId, label, technology, frequencyMhz, azimuthDeg, beamwidthDeg, electricalTiltDeg, mechanicalTiltDeg, heightM, eirpDbm, gainDbi } }
  },
  key: (row) => `${row.siteId}:${row.label}`,
  describe: (row) => `sector ${row.label} of site #${row.siteId}`,
  write: (tx, rows) => upsertSectors(tx, rows),
}
