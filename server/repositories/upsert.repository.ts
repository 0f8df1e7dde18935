import { sql, type RawBuilder } from 'kysely'
import type { Geometry } from 'geojson'
import type { Database, Tx } from '../db/database.ts'
import { SRID } from '../db/postgis.ts'

/** What one upsert batch did: the keys it added and the keys whose stored values changed. */
export interface UpsertResult {
  added: string[]
  changed: string[]
}

/** One column of a bulk upsert: how to read it from a row and the SQL type to cast it to. */
export interface BulkColumn<Row> {
  name: string
  /** Array element type the values travel as: text, int4, float8 or bool. */
  array: 'text' | 'int4' | 'float8' | 'bool'
  /** Cast applied in the SELECT, when the column type differs (jsonb, date, an enum…). */
  cast?: string
  value: (row: Row) => unknown
}

/** The geometry column of a bulk upsert. Points travel as two float8 arrays, others as GeoJSON text. */
export interface BulkGeometry<Row> {
  name: string
  /** 'multi' wraps the geometry in ST_Multi (MultiPolygon / MultiLineString columns). */
  kind: 'point' | 'geometry' | 'multi'
  value: (row: Row) => Geometry | null
}

export interface UpsertSpec<Row> {
  table: keyof Database
  /** Columns of the unique key the conflict is detected on. */
  conflict: readonly string[]
  /** SQL expression (over the table's columns) giving a row's import key, e.g. `code`. */
  keyExpression: string
  columns: ReadonlyArray<BulkColumn<Row>>
  geometries: ReadonlyArray<BulkGeometry<Row>>
  /** Columns copied from the new row when it differs (the others stay, e.g. the key). */
  update: readonly string[]
  /** Set updated_at = now() on a changed row (tables that have the column). */
  touchUpdatedAt: boolean
}

/**
 * Bulk INSERT … SELECT FROM unnest(arrays) … ON CONFLICT DO UPDATE that
 * changes a row only when its values differ (IS DISTINCT FROM), returning
 * which keys were added and which changed; rows not returned were unchanged.
 * One statement with one array parameter per column, whatever the number of
 * rows: no per-row SQL to build or parse, which is what makes imports fast.
 * The caller owns the transaction and decides whether changes are allowed.
 */
export async function upsertRows<Row>(tx: Tx, spec: UpsertSpec<Row>, rows: readonly Row[]): Promise<UpsertResult> {
  if (rows.length === 0) return { added: [], changed: [] }
  const params: RawBuilder<unknown>[] = []
  const aliases: string[] = []
  const selects: RawBuilder<unknown>[] = []
  const names: string[] = []
  spec.columns.forEach((c, i) => {
    const alias = `c${i}`
    params.push(sql`${rows.map((r) => c.value(r) ?? null)}::${sql.raw(c.array)}[]`)
    aliases.push(alias)
    selects.push(c.cast ? sql`${sql.ref(`t.${alias}`)}::${sql.raw(c.cast)}` : sql.ref(`t.${alias}`))
    names.push(c.name)
  })
  spec.geometries.forEach((g, i) => {
    const values = rows.map((r) => g.value(r))
    if (g.kind === 'point') {
      params.push(sql`${values.map((v) => (v?.type === 'Point' ? v.coordinates[0] : null))}::float8[]`)
      params.push(sql`${values.map((v) => (v?.type === 'Point' ? v.coordinates[1] : null))}::float8[]`)
      aliases.push(`gx${i}`, `gy${i}`)
      selects.push(sql`CASE WHEN ${sql.ref(`t.gx${i}`)} IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(${sql.ref(`t.gx${i}`)}, ${sql.ref(`t.gy${i}`)}), ${sql.lit(SRID)}) END`)
    } else {
      params.push(sql`${values.map((v) => (v ? JSON.stringify(v) : null))}::text[]`)
      aliases.push(`gj${i}`)
      const geom = sql`ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${sql.ref(`t.gj${i}`)}), ${sql.lit(SRID)}))`
      selects.push(g.kind === 'multi' ? sql`ST_Multi(${geom})` : geom)
    }
    names.push(g.name)
  })
  const target = sql.table(spec.table)
  const current = sql.join(spec.update.map((c) => sql`${target}.${sql.ref(c)}`))
  const incoming = sql.join(spec.update.map((c) => sql`excluded.${sql.ref(c)}`))
  const assignments = sql.join([
    ...spec.update.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
    ...(spec.touchUpdatedAt ? [sql`updated_at = now()`] : []),
  ])
  const { rows: result } = await sql<{ key: string; inserted: boolean }>`
    INSERT INTO ${target} (${sql.join(names.map((n) => sql.ref(n)))})
    SELECT ${sql.join(selects)}
    FROM unnest(${sql.join(params)}) AS t(${sql.join(aliases.map((a) => sql.ref(a)))})
    ON CONFLICT (${sql.join(spec.conflict.map((c) => sql.ref(c)))}) DO UPDATE SET ${assignments}
    WHERE (${current}) IS DISTINCT FROM (${incoming})
    RETURNING ${sql.raw(spec.keyExpression)} AS key, (xmax = 0) AS inserted`.execute(tx)
  const added: string[] = []
  const changed: string[] = []
  for (const r of result) (r.inserted ? added : changed).push(String(r.key))
  return { added, changed }
}
