import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import type { DatabaseHandle } from '../../server/db/connect.ts'

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789'
export const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }

/** The real app on a shared test database, sample loading off, writes allowed with TEST_ADMIN_TOKEN. */
export function buildTestApp(database: DatabaseHandle, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ LOG_LEVEL: 'silent', LOAD_SAMPLE: 'false', ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...env })
  return buildApp(config, { database })
}
