import { Type } from 'typebox'
import { CommuneCodeQuery, Nullable, PagingQuery } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

export const REPORT_SOURCES = ['commune_office', 'community_digital_team', 'operator', 'citizen'] as const
export const ObservedStatusSchema = Type.Union([Type.Literal('none'), Type.Literal('weak'), Type.Literal('intermittent'), Type.Literal('good')], {
  description: 'What was observed: none (trắng sóng), weak (lõm sóng), intermittent (chập chờn), good',
})
export const ReportSourceSchema = Type.Union([Type.Literal('commune_office'), Type.Literal('community_digital_team'), Type.Literal('operator'), Type.Literal('citizen')], {
  description: 'Who reported: commune office (UBND xã), community digital team (Tổ công nghệ số cộng đồng), operator, citizen',
})
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' })

export const Report = Type.Object({
  id: Type.Integer(),
  villageId: Type.Integer(),
  villageCode: Type.String(),
  villageName: Type.String(),
  communeCode: Type.String(),
  reportedOn: Type.String({ description: 'The day observed, YYYY-MM-DD' }),
  observedStatus: ObservedStatusSchema,
  operatorCode: Nullable(Type.String({ description: 'null: the report is about the village whatever the operator' })),
  technology: Nullable(TechnologySchema),
  source: ReportSourceSchema,
  verified: Type.Boolean({ description: 'Checked by provincial staff; by default only verified reports override the prediction' }),
  note: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time', description: 'When the report was recorded' }),
})

export const ReportList = Type.Object({
  numberMatched: Type.Integer({ description: 'Reports matching the filter, all pages' }),
  numberReturned: Type.Integer({ description: 'Reports in this page' }),
  reports: Type.Array(Report, { description: 'Latest first: by report date, then by when recorded' }),
})

export const ReportListQuery = Type.Object({
  ...CommuneCodeQuery,
  village: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Village id', examples: [42] })),
  from: Type.Optional(Type.String({ format: 'date', description: 'Reports dated on or after this day (YYYY-MM-DD)', examples: ['2025-01-01'] })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Reports dated on or before this day (YYYY-MM-DD)', examples: ['2025-06-30'] })),
  source: Type.Optional(Type.String({ maxLength: 200, description: `Comma-separated: ${REPORT_SOURCES.join(', ')}`, examples: ['commune_office,community_digital_team'] })),
  verified: Type.Optional(Type.Boolean({ description: 'true: verified reports only; false: unverified only', examples: [true] })),
  ...PagingQuery,
})

export const VillageReportListQuery = Type.Object({
  limit: Type.With(PagingQuery.limit, { examples: [20] }),
  offset: Type.With(PagingQuery.offset, { examples: [0] }),
})

const writable = {
  reportedOn: Type.String({ format: 'date', description: 'The day observed, YYYY-MM-DD; not in the future (Vietnam time), not before 2000' }),
  observedStatus: ObservedStatusSchema,
  source: ReportSourceSchema,
  operatorCode: Type.Optional(Nullable(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 32, description: 'Operator code; absent or null: any operator' }))),
  technology: Type.Optional(Nullable(TechnologySchema)),
  verified: Type.Optional(Type.Boolean({ description: 'Default false on create' })),
  note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
}

export const ReportCreateBody = Type.Object(writable, {
  additionalProperties: false,
  examples: [{
    reportedOn: '2025-06-30',
    observedStatus: 'weak',
    source: 'community_digital_team',
    operatorCode: 'viettel',
    technology: '4G',
    verified: false,
    note: 'Chỉ có sóng ở sân nhà văn hoá bản Nà Tấu; trong nhà mất sóng.',
  }],
})

// Type.Partial keeps only the options given to it, so additionalProperties is given here.
export const ReportPatchBody = Type.Partial(Type.Object(writable), {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ verified: true }, { observedStatus: 'none', note: 'Mất sóng hoàn toàn sau sạt lở tháng 6/2025.' }],
})
