import type { Point } from 'geojson'
import type { Technology } from '../db/database.ts'
import type { SourceRecord } from './readers/types.ts'

/**
 * Groups OpenCelliD / Mozilla Location Service cells (one row per cell) into
 * BTS sites with one sector per cell. MCC 452 networks map to Vietnamese
 * operators (MNC 1 MobiFone, 2 VNPT, 4 Viettel, 5 Vietnamobile, 7 Gmobile,
 * 8/9 Itel). LTE cells of one eNodeB (cell id >> 8) and NR cells of one gNodeB
 * (cell id >> 12, the common 24-bit gNB id) form a site; GSM and UMTS cells,
 * whose ids say nothing of the site, are grouped by network and position
 * (cells within ~150 m). Cell positions are crowd-sourced estimates, so the
 * site position is their mean. Radio parameters the data set does not have
 * (azimuth, height, power) get stated defaults, listed in the site's
 * attributes so nobody mistakes them for surveyed values.
 */

export const MNC_OPERATORS: Record<number, string> = { 1: 'mobifone', 2: 'vnpt', 4: 'viettel', 5: 'vietnamobile', 7: 'gmobile', 8: 'itel', 9: 'itel' }

const RADIO: Record<string, Technology> = { GSM: '2G', UMTS: '3G', CDMA: '3G', LTE: '4G', NR: '5G' }
/** Default downlink frequencies in Vietnam by technology (MHz): a stated assumption, not data. */
const DEFAULT_FREQUENCY: Record<Technology, number> = { '2G': 900, '3G': 2100, '4G': 1800, '5G': 3500 }
export const CELL_DEFAULTS = { heightM: 30, eirpDbm: 58, beamwidthDeg: 360 } as const

export interface CellSector {
  label: string
  technology: Technology
  frequencyMhz: number
}

export interface GroupedSites {
  /** One site record per group, in the shape the sites layer reads. */
  sites: SourceRecord[]
  /** `<operator>:<site code>` → the sectors (one per cell). */
  sectors: Map<string, CellSector[]>
  /** Rows skipped (not MCC 452, unknown network, no position), with why. */
  skipped: Array<{ row: number; reason: string }>
}

export async function groupCellsIntoSites(cells: AsyncIterable<SourceRecord>): Promise<GroupedSites> {
  interface Group { operator: string; code: string; rows: number[]; lon: number; lat: number; n: number; area: Set<number>; sectors: CellSector[]; radios: Set<string> }
  const groups = new Map<string, Group>()
  const skipped: GroupedSites['skipped'] = []
  for await (const rec of cells) {
    const p = rec.properties
    const row = rec.position.index
    const mcc = Number(p.mcc)
    const net = Number(p.net)
    const cell = Number(p.cell)
    const radio = String(p.radio ?? '').toUpperCase()
    const technology = RADIO[radio]
    const operator = MNC_OPERATORS[net]
    const point = rec.geometry?.type === 'Point' ? (rec.geometry as Point).coordinates : null
    if (mcc !== 452) { skipped.push({ row, reason: `MCC ${p.mcc} is not Vietnam (452)` }); continue }
    if (!operator) { skipped.push({ row, reason: `MNC ${p.net} is not a known Vietnamese network` }); continue }
    if (!technology) { skipped.push({ row, reason: `unknown radio '${p.radio}'` }); continue }
    if (!point || !Number.isFinite(point[0]) || !Number.isFinite(point[1]) || !Number.isFinite(cell)) { skipped.push({ row, reason: 'no position or cell id' }); continue }
    const [lon, lat] = [point[0]!, point[1]!]
    const nodeId = technology === '4G' ? Math.floor(cell / 256) : technology === '5G' ? Math.floor(cell / 4096) : null
    const key = nodeId !== null
      ? `${net}:${technology}:${nodeId}`
      : `${net}:${technology}:${Math.round(lat / 0.0015)}:${Math.round(lon / 0.0015)}`
    let g = groups.get(key)
    if (!g) {
      const code = nodeId !== null ? `OCID-${technology === '4G' ? 'ENB' : 'GNB'}-${nodeId}` : `OCID-${technology}-${p.area}-${cell}`
      g = { operator, code, rows: [], lon: 0, lat: 0, n: 0, area: new Set(), sectors: [], radios: new Set() }
      groups.set(key, g)
    }
    g.rows.push(row)
    g.lon += lon
    g.lat += lat
    g.n++
    g.area.add(Number(p.area))
    g.radios.add(radio)
    g.sectors.push({ label: `cell-${radio}-${cell}`, technology, frequencyMhz: DEFAULT_FREQUENCY[technology] })
  }
  const sites: SourceRecord[] = []
  const sectors = new Map<string, CellSector[]>()
  for (const g of groups.values()) {
    sites.push({
      position: { kind: 'row', index: g.rows[0]! },
      geometry: { type: 'Point', coordinates: [Number((g.lon / g.n).toFixed(6)), Number((g.lat / g.n).toFixed(6))] },
      properties: {
        code: g.code, operator: g.operator, status: 'existing',
        source: 'opencellid', cells: g.n, area_codes: [...g.area].join(','), source_rows: g.rows.slice(0, 20).join(','),
        defaults: `sectors are omni with height ${CELL_DEFAULTS.heightM} m and EIRP ${CELL_DEFAULTS.eirpDbm} dBm, frequency by technology: not surveyed`,
      },
    })
    sectors.set(`${g.operator}:${g.code}`, g.sectors)
  }
  return { sites, sectors, skipped }
}
