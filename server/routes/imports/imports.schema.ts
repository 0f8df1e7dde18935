import { Type } from 'typebox'
import { LAYER_NAMES } from '../../import/layer-definition.ts'
import { Problem as ProblemSchema } from '../common/schemas.ts'


export const ImportQuery = Type.Object({
  layer: Type.String({ enum: [...LAYER_NAMES], description: `Layer: ${LAYER_NAMES.join(', ')}`, examples: ['villages'] }),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'check everything, write nothing', examples: [true] })),
  update: Type.Optional(Type.Boolean({ default: false, description: 'change existing rows whose values differ', examples: [false] })),
  crs: Type.Optional(Type.String({ maxLength: 64, description: 'EPSG:4326 (default), EPSG:4756, EPSG:3405, EPSG:3406, VN2000:TM3:<meridian|province>', examples: ['VN2000:TM3:son-la', 'EPSG:4326'] })),
  commune: Type.Optional(Type.String({ pattern: '^[0-9]{5}$', description: 'commune for rows that name none', examples: ['03868'] })),
  encoding: Type.Optional(Type.String({ maxLength: 32, description: 'text encoding of a non-UTF-8 CSV, e.g. windows-1258', examples: ['windows-1258'] })),
})

const Problem = Type.Object({
  severity: Type.String(),
  row: Type.Optional(Type.Integer()),
  feature: Type.Optional(Type.Integer()),
  folder: Type.Optional(Type.Array(Type.String())),
  field: Type.Optional(Type.String()),
  value: Type.Optional(Type.Unknown()),
  reason: Type.String(),
})

export const ImportReportSchema = Type.Object({
  layer: Type.String(),
  fileName: Type.String(),
  sha256: Type.String(),
  bytes: Type.Integer(),
  format: Type.String(),
  crs: Type.String(),
  notes: Type.Array(Type.String()),
  dryRun: Type.Boolean(),
  update: Type.Boolean(),
  rows: Type.Integer(),
  added: Type.Integer(),
  changed: Type.Integer(),
  unchanged: Type.Integer(),
  errorCount: Type.Integer(),
  warningCount: Type.Integer(),
  problems: Type.Array(Problem),
  committed: Type.Boolean(),
  seconds: Type.Number(),
})

/** 422: the problem+json of a refused import, with the whole report. */
export const ImportRejectedSchema = Type.Object({ ...ProblemSchema.properties, report: Type.Optional(ImportReportSchema) })
