import type { LineString, MultiLineString } from 'geojson'
import { upsertPowerLines, type NewPowerLine } from '../../repositories/power-lines.repository.ts'
import type { LayerDefinition } from '../layer-definition.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseBoolean, parseEnum, parseNumber, parseText } from '../values.ts'
import { LINE_STATUS_WORDS } from './line-status.ts'

const fields = {
  code: { aliases: ['ma', 'ma tuyen', 'ma duong day', 'line code', 'id'], required: true },
  owner: { aliases: ['chu so huu', 'don vi quan ly', 'don vi', 'owner'] },
  voltageKv: { aliases: ['dien ap', 'cap dien ap', 'voltage', 'voltage kv', 'kv'] },
  status: { aliases: ['trang thai', 'tinh trang'] },
  synthetic: { aliases: ['mo phong', 'du lieu mo phong'] },
} as const
type K = keyof typeof fields

/** Power lines (EVN by default), with their voltage in kV. */
export const powerLinesLayer: LayerDefinition<K, NewPowerLine> = {
  name: 'power-lines',
  geometry: { types: ['LineString', 'MultiLineString'], required: true },
  fields,
  ignoredFields: ['id', 'lengthKm'],
  references: [],
  build({ values, extra, geometry }) {
    const b = new RowBuilder()
    const code = b.take('code', values.code, parseText, { required: true, label: 'line code' })
    const owner = b.take('owner', values.owner, parseText) ?? 'EVN'
    const voltageKv = b.take('voltageKv', values.voltageKv, (v) => parseNumber(typeof v === 'string' ? v.replace(/\s*kv$/i, '') : v), { min: 0.1, max: 1000 })
    const status = b.take('status', values.status, (v) => parseEnum(v, LINE_STATUS_WORDS)) ?? 'existing'
    const synthetic = b.take('synthetic', values.synthetic, parseBoolean) ?? false
    if (!b.ok || code === null) return { problems: b.problems }
    return { row: { code, owner, voltageKv, status, attributes: extra, synthetic, geometry: geometry as LineString | MultiLineString } }
  },
  key: (row) => row.code,
  write: (tx, rows) => upsertPowerLines(tx, rows),
}
