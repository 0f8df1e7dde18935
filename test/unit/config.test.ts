import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'

describe('loadConfig', () => {
  it('defaults to the embedded engine in ./.phusong with the sample on', () => {
    const c = loadConfig({})
    expect(c.database).toEqual({ engine: 'embedded', dataDir: path.resolve('.phusong', 'pgdata') })
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', loadSample: true, adminToken: undefined })
  })
  it('uses the server engine when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/phusong', DATABASE_SCHEMA: 'coverage', PORT: '8080', LOAD_SAMPLE: 'false' })
    expect(c.database).toEqual({ engine: 'server', url: 'postgres://u@db:5432/phusong', schema: 'coverage' })
    expect(c).toMatchObject({ port: 8080, loadSample: false })
  })
  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN/],
    [{ DATABASE_SCHEMA: 'x; drop table y' }, /DATABASE_SCHEMA/],
  ])('rejects %o naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name)
  })
})
