import type { DatabaseHandle } from '../db/connect.ts'
import { findPostgisVersion, findPostgresVersion, findSchemaVersion } from '../repositories/system.repository.ts'

export interface Health {
  status: 'ok' | 'unavailable'
  engine: 'embedded' | 'server'
  postgres?: string
  postgis?: string
  schemaVersion?: string | null
  reason?: string
}

/** Asks the database for its versions; any failure means the database is unavailable. */
export async function getHealth(handle: DatabaseHandle, timeoutMs = 3_000): Promise<Health> {
  const probe = async () => ({
    postgres: await findPostgresVersion(handle.db),
    postgis: await findPostgisVersion(handle.db),
    schemaVersion: await findSchemaVersion(handle.db),
  })
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    })
    const versions = await Promise.race([probe(), timeout])
    return { status: 'ok', engine: handle.engine, ...versions }
  } catch (err) {
    void err // details stay in the server: a health check tells only that the database is unreachable
    return { status: 'unavailable', engine: handle.engine, reason: 'database unreachable' }
  } finally {
    clearTimeout(timer)
  }
}
