import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import type { DatabaseHandle, Engine } from '../../server/db/connect.ts'
import type { Db } from '../../server/db/database.ts'
import { resetData, sharedDatabase } from './engines.ts'
import { createWorld } from './world.ts'

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789'
export const AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }

/** The real app on a shared test database, sample loading off, writes allowed with TEST_ADMIN_TOKEN, rate limiting off (tests send thousands of requests from one address; test/integration/security.test.ts turns it on). */
export function buildTestApp(database: DatabaseHandle, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ LOG_LEVEL: 'silent', LOAD_SAMPLE: 'false', ADMIN_TOKEN: TEST_ADMIN_TOKEN, RATE_LIMIT_MAX: '0', ...env })
  return buildApp(config, { database })
}

/**
 * The usual setup of an API test file on one engine: the shared database and
 * an app over it for the whole describe block; before each test, an empty
 * database with the small hand-built world (test/helpers/world.ts).
 * Returns live accessors (the values exist once beforeAll has run).
 */
export function useAppOnWorld(engine: Engine): { readonly db: Db; readonly app: FastifyInstance } {
  let handle: DatabaseHandle | undefined
  let app: FastifyInstance | undefined
  beforeAll(async () => {
    handle = await sharedDatabase(engine)
    app = await buildTestApp(handle)
  })
  afterAll(async () => app?.close())
  beforeEach(async () => {
    await resetData(handle!.db)
    await createWorld(handle!.db)
  })
  return {
    get db() { return handle!.db },
    get app() { return app! },
  }
}
