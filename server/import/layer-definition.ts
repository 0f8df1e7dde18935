import type { Geometry } from 'geojson'
import type { Tx } from '../db/database.ts'
import type { FieldSpec } from './field-mapping.ts'
import type { ReferenceMaps } from './references.ts'

export const LAYER_NAMES = ['communes', 'villages', 'sites', 'sectors', 'fibre', 'power-lines', 'measurements', 'status-reports'] as const
export type LayerName = (typeof LAYER_NAMES)[number]

/** A problem with one value of one record; the pipeline adds the row or feature number. */
export interface FieldProblem {
  field?: string
  value?: unknown
  reason: string
}

export interface BuildInput<K extends string> {
  /** Canonical field → raw value from the file (absent when the file has no such column). */
  values: Partial<Record<K, unknown>>
  /** Source fields that matched no canonical field, with their values: kept as free attributes. */
  extra: Record<string, unknown>
  /** Geometry already transformed to WGS84 and checked against Vietnam's extent. */
  geometry: Geometry | null
}

export interface BuildContext {
  refs: ReferenceMaps
  /** --commune: the commune for rows that name none. */
  defaultCommuneCode?: string
}

export type BuildResult<Row> = { row: Row; problems?: undefined; warnings?: FieldProblem[] } | { row?: undefined; problems: FieldProblem[] }

/**
 * One importable layer: its fields (with the names they go by in files),
 * its geometry, how a record becomes a row, the row's key (for duplicates
 * and upserts), and how a batch of rows is written.
 */
export interface LayerDefinition<K extends string = string, Row = unknown> {
  name: LayerName
  /** Accepted geometry types (after Multi/single normalisation), or null for a layer without geometry. */
  geometry: { types: ReadonlyArray<Geometry['type']>; required: boolean } | null
  fields: Record<K, FieldSpec & { required?: boolean }>
  /** Columns an export writes that are derived, not data (ids, names of referenced objects): ignored on import. */
  ignoredFields?: readonly string[]
  /** Which reference tables the layer resolves (loaded once per import). */
  references: ReadonlyArray<keyof ReferenceMaps>
  build(input: BuildInput<K>, ctx: BuildContext): BuildResult<Row>
  /** The row's key as the database returns it from an upsert (see the repositories' keyExpression). */
  key(row: Row): string
  /** How to name the row to a person when the key is made of ids (e.g. 'viettel site SLA001'). */
  describe?(row: Row): string
  /**
   * Resolves what needs the database for a batch (e.g. the commune of a
   * village from its position). Returns problems by index in the batch.
   */
  prepare?(tx: Tx, rows: Row[]): Promise<Map<number, FieldProblem[]>>
  write(tx: Tx, rows: Row[]): Promise<{ added: string[]; changed: string[] }>
}
