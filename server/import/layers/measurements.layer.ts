import { createHash } from 'node:crypto'
import type { Point } from 'geojson'
import type { MeasurementSource } from '../../db/database.ts'
import { upsertMeasurements, type NewMeasurement } from '../../repositories/measurements.repository.ts'
import type { LayerDefinition } from '../layer-definition.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseEnum, parseNumber, parseText, parseTimestamp } from '../values.ts'
import { OPERATOR_ALIASES, takeOperator } from './operator-field.ts'
import { TECHNOLOGY_WORDS } from './sectors.layer.ts'

const SOURCE_WORDS: Record<MeasurementSource, readonly string[]> = {
  drive_test: ['drive test', 'do kiem', 'dt'], field_team: ['to cong tac', 'khao sat', 'field', 'survey'],
  crowdsourced: ['cong dong', 'crowd', 'app'], operator: ['nha mang', 'doanh nghiep'],
}

const fields = {
  measuredAt: { aliases: ['thoi gian', 'thoi diem', 'ngay gio', 'time', 'timestamp', 'datetime', 'date time'], required: true },
  operator: { aliases: OPERATOR_ALIASES },
  technology: { aliases: ['cong nghe', 'tech', 'radio', 'rat', 'network type'], required: true },
  rsrpDbm: { aliases: ['rsrp', 'rsrp dbm'] },
  rsrqDb: { aliases: ['rsrq', 'rsrq db'] },
  sinrDb: { aliases: ['sinr', 'sinr db', 'snr'] },
  source: { aliases: ['nguon', 'source'] },
  device: { aliases: ['thiet bi', 'device', 'phone', 'model'] },
} as const
type K = keyof typeof fields

/** Field measurements (RSRP/RSRQ/SINR samples); a re-imported sample is recognised by its time, place, operator and values. */
export const measurementsLayer: LayerDefinition<K, NewMeasurement> = {
  name: 'measurements',
  geometry: { types: ['Point'], required: true },
  fields,
  ignoredFields: ['id'],
  references: ['operators'],
  build({ values, extra, geometry }, ctx) {
    const b = new RowBuilder()
    const measuredAt = b.take('measuredAt', values.measuredAt, parseTimestamp, { required: true, label: 'time' })
    const operator = takeOperator(b, 'operator', values.operator, ctx.refs, false)
    const technology = b.take('technology', values.technology, (v) => parseEnum(v, TECHNOLOGY_WORDS), { required: true })
    const rsrpDbm = b.take('rsrpDbm', values.rsrpDbm, parseNumber, { min: -160, max: -20 })
    const rsrqDb = b.take('rsrqDb', values.rsrqDb, parseNumber, { min: -45, max: 20 })
    const sinrDb = b.take('sinrDb', values.sinrDb, parseNumber, { min: -30, max: 60 })
    if (rsrpDbm === null && rsrqDb === null && sinrDb === null && b.ok) b.problem('rsrpDbm', null, 'a measurement needs RSRP, RSRQ or SINR')
    const source = b.take('source', values.source, (v) => parseEnum(v, SOURCE_WORDS)) ?? 'field_team'
    const device = b.take('device', values.device, parseText)
    if (!b.ok || measuredAt === null || technology === null) return { problems: b.problems }
    const point = geometry as Point
    const importKey = createHash('sha256')
      .update(JSON.stringify([measuredAt, point.coordinates[0]?.toFixed(6), point.coordinates[1]?.toFixed(6), operator?.code ?? null, technology, device]))
      .digest('hex').slice(0, 32)
    return { row: { importKey, measuredAt, operatorId: operator?.id ?? null, technology, rsrpDbm, rsrqDb, sinrDb, source, device, attributes: extra, geometry: point } }
  },
  key: (row) => row.importKey,
  write: (tx, rows) => upsertMeasurements(tx, rows),
}
