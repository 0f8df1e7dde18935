import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { openEmbedded } from '../../server/db/connect.ts'

const dataDir = mkdtempSync(path.join(tmpdir(), 'phusong-datadir-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('the embedded engine on disk', () => {
  it('keeps its data across restarts, loads the sample only once, and refuses a second opener', async () => {
    const config = loadConfig({ PHUSONG_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: 'persist-token-0123456789' })
    const first = await buildApp(config)
    const villages = (await first.inject('/api/villages?limit=1')).json().numberMatched
    expect(villages).toBeGreaterThan(1000)
    const created = await first.inject({
      method: 'POST', url: '/api/villages', headers: { authorization: 'Bearer persist-token-0123456789' },
      payload: { type: 'Feature', geometry: { type: 'Point', coordinates: [103.921, 21.3273] }, properties: { code: 'PERSIST-1', name: 'Bản Lưu', communeCode: '03646' } },
    })
    expect(created.statusCode, created.body).toBe(201)
    // A second opener of the same directory, in this process or another, is refused.
    await expect(openEmbedded(config.dataDir + '/pgdata')).rejects.toThrow(/already open in this process/)
    await first.close()

    const second = await buildApp(config)
    try {
      expect((await second.inject('/api/villages?limit=1')).json().numberMatched).toBe(villages + 1)
      expect((await second.inject('/api/villages?q=ban luu')).json().features[0].properties.code).toBe('PERSIST-1')
    } finally {
      await second.close()
    }
  })
})

describe('npm run db:migrate', () => {
  const tsx = path.resolve('node_modules/.bin/tsx')
  it('exits non-zero with the reason when the database cannot be reached', () => {
    const run = spawnSync(tsx, ['scripts/migrate.ts'], {
      env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:9/nowhere' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(/Migration failed: .*ECONNREFUSED|Migration failed: .*connect/)
  })

  it('migrates an embedded data directory and says what it applied', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phusong-migrate-'))
    try {
      const run = spawnSync(tsx, ['scripts/migrate.ts'], {
        env: { ...process.env, DATABASE_URL: '', PHUSONG_DATA_DIR: dir },
        encoding: 'utf8',
        timeout: 120_000,
      })
      expect(run.status, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/Applied 0001_initial_schema, 0002_import_keys, 0003_coverage, 0004_sector_rasters, 0005_village_signal, 0006_calibration, 0007_village_best, 0008_tile_invalidations, 0009_plans on the embedded engine/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
