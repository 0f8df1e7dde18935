import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database, Tx } from '../db/database.ts'

/** What one upsert batch did: the keys it added and the keys whose stored values changed. */
export interface UpsertResult {
  added: string[]
  changed: string[]
}

export interface UpsertSpec {
  table: keyof Database
  /** Columns of the unique key the conflict is detected on. */
  conflict: readonly string[]
  /** SQL expression (over the table's columns) giving a row's import key, e.g. `code`. */
  keyExpression: string
  /** Columns copied from the new row when it differs (the others stay). */
  update: readonly string[]
  /** Set updated_at = now() on a changed row (tables that have the column). */
  touchUpdatedAt: boolean
}

/**
 * Multi-row INSERT … ON CONFLICT DO UPDATE that changes a row only when its
 * values differ (IS DISTINCT FROM), returning which keys were added and which
 * changed; rows not returned were unchanged. The caller owns the transaction
 * and decides whether changes are allowed (an import without --update rolls
 * back when `changed` is not empty).
 */
export async function upsertRows(tx: Tx, spec: UpsertSpec, rows: ReadonlyArray<Record<string, unknown>>): Promise<UpsertResult> {
  if (rows.length === 0) return { added: [], changed: [] }
  // Kysely<any>: the table and its columns are chosen at run time by the
  // import layer, so they cannot be checked against the Database type here.
  const db = tx as unknown as Kysely<any>
  const target = sql.table(spec.table)
  const current = sql.join(spec.update.map((c) => sql`${target}.${sql.ref(c)}`))
  const incoming = sql.join(spec.update.map((c) => sql`excluded.${sql.ref(c)}`))
  const result = await db
    .insertInto(spec.table)
    .values(rows as Array<Record<string, unknown | RawBuilder<unknown>>>)
    .onConflict((oc) =>
      oc
        .columns(spec.conflict as string[])
        .doUpdateSet(Object.fromEntries([
          ...spec.update.map((c) => [c, sql.ref(`excluded.${c}`)]),
          ...(spec.touchUpdatedAt ? [['updated_at', sql`now()`]] : []),
        ]))
        .where(sql<boolean>`(${current}) IS DISTINCT FROM (${incoming})`),
    )
    .returning([sql<string>`${sql.raw(spec.keyExpression)}`.as('key'), sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute()
  const added: string[] = []
  const changed: string[] = []
  for (const r of result as Array<{ key: string; inserted: boolean }>) (r.inserted ? added : changed).push(String(r.key))
  return { added, changed }
}
