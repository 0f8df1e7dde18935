// A real GIS client against the OGC API – Features: GDAL's OAPIF driver (the
// one ogr2ogr uses; QGIS's own provider reads the same documents) pointed at
// the landing page must list the layers and load every feature, paging
// through the `next` links. GDAL comes from Debian's gdal-bin (.ci/run
// installs it); the test fails, not skips, when it is missing.
import { execFile } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'

const run = promisify(execFile)

describe.each(enginesUnderTest())('OGC API – Features read by GDAL on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)
  let landing = ''
  beforeAll(async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    landing = `OAPIF:http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}/ogc`
  })

  async function addData() {
    for (let i = 0; i < 23; i++) {
      const res = await ctx.app.inject({
        method: 'POST', url: '/api/villages', headers: AUTH,
        payload: { type: 'Feature', geometry: { type: 'Point', coordinates: [103.91 + i * 0.003, 21.35] }, properties: { code: `V${i}`, name: `Bản ${i}`, communeCode: '04001', population: 100 + i } },
      })
      expect(res.statusCode).toBe(201)
    }
    for (const [code, status] of [['EX', 'existing'], ['PL', 'planned'], ['CA', 'candidate']]) {
      const res = await ctx.app.inject({
        method: 'POST', url: '/api/sites', headers: AUTH,
        payload: { type: 'Feature', geometry: { type: 'Point', coordinates: [103.95, 21.36] }, properties: { code, operatorCode: 'viettel', status } },
      })
      expect(res.statusCode).toBe(201)
    }
    await sql`INSERT INTO fibre_routes (code, owner_operator_id, status, geom) VALUES
      ('F-VTL', (SELECT id FROM operators WHERE code = 'viettel'), 'existing', ST_SetSRID(ST_GeomFromText('MULTILINESTRING((103.92 21.31, 103.98 21.38))'), 4326))`.execute(ctx.db)
  }

  it('lists the layers from the landing page', async () => {
    await addData()
    const { stdout } = await run('ogrinfo', ['-ro', '-q', landing], { timeout: 60_000 })
    for (const layer of ['communes', 'villages', 'sites', 'sectors', 'fibre', 'dead-zones', 'commune-indicators']) {
      expect(stdout, layer).toMatch(new RegExp(`^\\d+: ${layer} `, 'm'))
    }
  })

  it('loads every village through pages of 10 and only public sites', async () => {
    await addData()
    const load = async (layer: string) => {
      const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', landing, layer, '-oo', 'PAGE_SIZE=10'], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 })
      return JSON.parse(stdout) as { features: Array<{ properties: Record<string, unknown>; geometry: { type: string; coordinates: number[] } }> }
    }
    const villages = await load('villages')
    expect(villages.features.map((f) => f.properties['code']).sort()).toEqual(Array.from({ length: 23 }, (_, i) => `V${i}`).sort())
    const v7 = villages.features.find((f) => f.properties['code'] === 'V7')!
    expect(v7.geometry.type).toBe('Point')
    expect(v7.geometry.coordinates[0]).toBeCloseTo(103.931, 6)
    expect(v7.properties['population']).toBe(107)
    const sites = await load('sites')
    expect(sites.features.map((f) => f.properties['code'])).toEqual(['EX'])
    const communes = await load('communes')
    expect(communes.features.map((f) => f.properties['code']).sort()).toEqual(['04001', '04002'])
    // Operator-owned fibre is not public: the layer loads, empty.
    expect((await load('fibre')).features).toEqual([])
  })
})
