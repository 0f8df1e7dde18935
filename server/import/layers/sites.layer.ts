import type { Point } from 'geojson'
import type { SiteStatus } from '../../db/database.ts'
import { upsertSites, type NewSite } from '../../repositories/sites.repository.ts'
import type { LayerDefinition } from '../layer-definition.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseBoolean, parseDate, parseEnum, parseNumber, parseText } from '../values.ts'
import { OPERATOR_ALIASES, takeOperator } from './operator-field.ts'

export const SITE_STATUS_WORDS: Record<SiteStatus, readonly string[]> = {
  existing: ['hien huu', 'dang hoat dong', 'hoat dong', 'da phat song', 'active', 'on air', 'in service'],
  planned: ['quy hoach', 'ke hoach', 'du kien', 'plan', 'planned'],
  candidate: ['ung vien', 'de xuat', 'proposed'],
  decommissioned: ['ngung hoat dong', 'da thao do', 'thao do', 'removed', 'inactive', 'off air'],
}

const fields = {
  code: { aliases: ['ma tram', 'ma', 'site code', 'site id', 'site', 'siteid', 'ma site', 'bts code', 'ten tram bts'], required: true },
  operator: { aliases: OPERATOR_ALIASES, required: true },
  name: { aliases: ['ten tram', 'ten', 'site name'] },
  status: { aliases: ['trang thai', 'tinh trang', 'site status'] },
  groundElevationM: { aliases: ['do cao', 'cao do', 'elevation', 'ground elevation', 'altitude', 'do cao mat dat'] },
  commissionedOn: { aliases: ['ngay phat song', 'ngay hoat dong', 'commissioned', 'commissioned on', 'on air date'] },
  decommissionedOn: { aliases: ['ngay ngung', 'ngay thao do', 'decommissioned', 'decommissioned on'] },
  synthetic: { aliases: ['mo phong', 'du lieu mo phong'] },
} as const
type K = keyof typeof fields

/** BTS sites of any operator, upserted by (operator, code). */
export const sitesLayer: LayerDefinition<K, NewSite & { operatorCode: string }> = {
  name: 'sites',
  geometry: { types: ['Point'], required: true },
  fields,
  ignoredFields: ['id', 'operatorName', 'sectors'],
  references: ['operators'],
  build({ values, extra, geometry }, ctx) {
    const b = new RowBuilder()
    const code = b.take('code', values.code, parseText, { required: true, label: 'site code' })
    const operator = takeOperator(b, 'operator', values.operator, ctx.refs, true)
    const name = b.take('name', values.name, parseText)
    const status = b.take('status', values.status, (v) => parseEnum(v, SITE_STATUS_WORDS)) ?? 'existing'
    const groundElevationM = b.take('groundElevationM', values.groundElevationM, parseNumber, { min: -100, max: 3500 })
    const commissionedOn = b.take('commissionedOn', values.commissionedOn, parseDate)
    const decommissionedOn = b.take('decommissionedOn', values.decommissionedOn, parseDate)
    const synthetic = b.take('synthetic', values.synthetic, parseBoolean) ?? false
    if (commissionedOn && decommissionedOn && decommissionedOn < commissionedOn) {
      b.problem('decommissionedOn', decommissionedOn, `is before the commissioning date ${commissionedOn}`)
    }
    if (!b.ok || code === null || operator === null) return { problems: b.problems }
    return {
      row: {
        operatorId: operator.id, operatorCode: operator.code, code, name, status, groundElevationM, commissionedOn, decommissionedOn,
        attributes: extra, synthetic, geometry: geometry as Point,
      },
    }
  },
  key: (row) => `${row.operatorId}:${row.code}`,
  describe: (row) => `${row.operatorCode} site ${row.code}`,
  write: (tx, rows) => upsertSites(tx, rows),
}
