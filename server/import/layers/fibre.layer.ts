import type { LineString, MultiLineString } from 'geojson'
import { upsertFibreRoutes, type NewFibreRoute } from '../../repositories/fibre.repository.ts'
import type { LayerDefinition } from '../layer-definition.ts'
import { operatorCodeOf } from '../references.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseBoolean, parseEnum, parseText } from '../values.ts'
import { LINE_STATUS_WORDS } from './line-status.ts'

const fields = {
  code: { aliases: ['ma', 'ma tuyen', 'ma tuyen cap', 'route code', 'route id', 'id'], required: true },
  owner: { aliases: ['owner code', 'owner name', 'chu so huu', 'don vi', 'nha mang', 'doanh nghiep', 'owner', 'operator'], required: true },
  status: { aliases: ['trang thai', 'tinh trang'] },
  synthetic: { aliases: ['mo phong', 'du lieu mo phong'] },
} as const
type K = keyof typeof fields

/** Fibre routes; the owner is an operator when its name is one, else kept as a name (EVN, a provincial network). */
export const fibreLayer: LayerDefinition<K, NewFibreRoute> = {
  name: 'fibre',
  geometry: { types: ['LineString', 'MultiLineString'], required: true },
  fields,
  ignoredFields: ['id', 'ownerName', 'lengthKm'],
  references: ['operators'],
  build({ values, extra, geometry }, ctx) {
    const b = new RowBuilder()
    const code = b.take('code', values.code, parseText, { required: true, label: 'route code' })
    const owner = b.take('owner', values.owner, parseText, { required: true, label: 'owner' })
    const status = b.take('status', values.status, (v) => parseEnum(v, LINE_STATUS_WORDS)) ?? 'existing'
    const synthetic = b.take('synthetic', values.synthetic, parseBoolean) ?? false
    if (!b.ok || code === null || owner === null) return { problems: b.problems }
    const operatorCode = operatorCodeOf(owner)
    const ownerOperatorId = operatorCode ? (ctx.refs.operators.get(operatorCode) ?? null) : null
    return {
      row: {
        code, ownerOperatorId, ownerName: ownerOperatorId === null ? owner : null, status,
        attributes: extra, synthetic, geometry: geometry as LineString | MultiLineString,
      },
    }
  },
  key: (row) => row.code,
  write: (tx, rows) => upsertFibreRoutes(tx, rows),
}
