import { sql } from 'kysely'
import type { Db } from '../../server/db/database.ts'

const TABLES = ['provinces', 'communes', 'villages', 'sites', 'sectors', 'fibre_routes', 'power_lines', 'measurements', 'village_status_reports'] as const

/**
 * A fingerprint of every data table: row count and an md5 over the rows'
 * text, ordered. Two equal snapshots mean byte-for-byte equal data.
 * (The audit log is left out: refused imports are recorded there on purpose.)
 */
export async function snapshotData(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of TABLES) {
    const { rows } = await sql<{ n: number; digest: string }>`
      SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${sql.table(table)} t`.execute(db)
    out[table] = `${rows[0]!.n}:${rows[0]!.digest}`
  }
  return out
}
