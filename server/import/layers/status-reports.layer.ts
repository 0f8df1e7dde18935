import { createHash } from 'node:crypto'
import type { ObservedStatus, ReportSource } from '../../db/database.ts'
import { upsertStatusReports, type NewStatusReport } from '../../repositories/status-reports.repository.ts'
import type { LayerDefinition } from '../layer-definition.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseBoolean, parseDate, parseEnum, parseText } from '../values.ts'
import { OPERATOR_ALIASES, takeOperator } from './operator-field.ts'
import { TECHNOLOGY_WORDS } from './sectors.layer.ts'

/** The words staff write in reports: trắng sóng (no signal), lõm sóng (weak pocket), chập chờn (intermittent). */
export const OBSERVED_STATUS_WORDS: Record<ObservedStatus, readonly string[]> = {
  none: ['trang song', 'khong co song', 'mat song', 'no signal', 'no coverage', 'khong'],
  weak: ['lom song', 'song yeu', 'yeu', 'weak signal'],
  intermittent: ['chap chon', 'khong on dinh', 'intermittent', 'unstable'],
  good: ['tot', 'co song', 'on dinh', 'song tot', 'covered', 'ok'],
}

const SOURCE_WORDS: Record<ReportSource, readonly string[]> = {
  commune_office: ['ubnd xa', 'xa', 'commune', 'uy ban xa', 'van phong xa'],
  community_digital_team: ['to cong nghe so cong dong', 'to cnscd', 'digital team', 'to cong nghe so'],
  operator: ['nha mang', 'doanh nghiep'],
  citizen: ['nguoi dan', 'cong dan', 'public'],
}

const fields = {
  villageCode: { aliases: ['ma ban', 'ma thon', 'village code', 'village', 'ma'], required: true },
  reportedOn: { aliases: ['ngay', 'ngay bao cao', 'ngay khao sat', 'date', 'reported on'], required: true },
  observedStatus: { aliases: ['tinh trang', 'tinh trang song', 'trang thai', 'status', 'observed status'], required: true },
  operator: { aliases: OPERATOR_ALIASES },
  technology: { aliases: ['cong nghe', 'tech'] },
  source: { aliases: ['nguon', 'don vi bao cao', 'source'], required: true },
  verified: { aliases: ['da xac minh', 'xac minh', 'verified'] },
  note: { aliases: ['ghi chu', 'note', 'notes', 'mo ta'] },
} as const
type K = keyof typeof fields

/** Field status reports per village (observed, kept apart from predictions). */
export const statusReportsLayer: LayerDefinition<K, NewStatusReport> = {
  name: 'status-reports',
  geometry: null,
  fields,
  ignoredFields: ['id', 'villageName', 'communeCode'],
  references: ['villages', 'operators'],
  build({ values }, ctx) {
    const b = new RowBuilder()
    const villageCode = b.take('villageCode', values.villageCode, parseText, { required: true, label: 'village code' })
    const villageId = villageCode === null ? undefined : ctx.refs.villages.get(villageCode)
    if (villageCode !== null && villageId === undefined) b.problem('villageCode', villageCode, `unknown village ${villageCode}`)
    const reportedOn = b.take('reportedOn', values.reportedOn, parseDate, { required: true, label: 'report date' })
    const observedStatus = b.take('observedStatus', values.observedStatus, (v) => parseEnum(v, OBSERVED_STATUS_WORDS), { required: true, label: 'observed status' })
    const operator = takeOperator(b, 'operator', values.operator, ctx.refs, false)
    const technology = b.take('technology', values.technology, (v) => parseEnum(v, TECHNOLOGY_WORDS))
    const source = b.take('source', values.source, (v) => parseEnum(v, SOURCE_WORDS), { required: true, label: 'source' })
    const verified = b.take('verified', values.verified, parseBoolean) ?? false
    const note = b.take('note', values.note, parseText)
    if (!b.ok || villageId === undefined || reportedOn === null || observedStatus === null || source === null) return { problems: b.problems }
    const importKey = createHash('sha256').update(JSON.stringify([villageCode, reportedOn, operator?.code ?? null, technology, source])).digest('hex').slice(0, 32)
    return { row: { importKey, villageId, reportedOn, observedStatus, operatorId: operator?.id ?? null, technology, source, verified, note } }
  },
  key: (row) => row.importKey,
  write: (tx, rows) => upsertStatusReports(tx, rows),
}
