import pg from 'pg'
import { TEST_SCHEMA_PREFIX } from './engines.ts'

/** After the integration run, drops the throwaway schemas it made on the PostGIS server. */
export async function teardown(): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) return
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
    const { rows } = await client.query<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${TEST_SCHEMA_PREFIX}%`],
    )
    for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`)
  } catch {
    // The server being gone at teardown was already reported by the tests.
  } finally {
    await client.end().catch(() => {})
  }
}
