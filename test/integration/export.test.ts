import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { spawnSync } from 'node:child_process'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../server/db/database.ts'
import type { LayerName } from '../../server/import/layer-definition.ts'
import { exportStream, type ExportFormat } from '../../server/services/export.service.ts'
import { runImport } from '../../server/services/import.service.ts'
import { enginesUnderTest, resetData } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'
import { createWorld } from '../helpers/world.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const write = (name: string, content: string) => {
  const p = path.join(dir, `${++n}-${name}`)
  writeFileSync(p, content)
  return p
}

const VILLAGES = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [103.951234, 21.354321] }, properties: { code: 'A1', name: 'Bản Nà Tấu', communeCode: '04001', population: 420, households: 88, hasGridPower: true, 'Dân tộc': 'Thái' } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [104.05, 21.35] }, properties: { code: 'B1', name: 'Bản Huổi "Một", Hai', communeCode: '04002', population: null, hasGridPower: false } },
  ],
})
const SITES = 'code,operator,status,lon,lat\nS1,viettel,existing,103.95,21.35\nS2,mobifone,planned,104.05,21.36\n'
const FIBRE = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35], [104.02, 21.35]] }, properties: { code: 'F1', owner: 'VNPT', status: 'planned' } }] })

/** The export as text, with the volatile id column/field removed. */
async function exported(db: Db, layer: LayerName, format: ExportFormat, filter = {}): Promise<string> {
  const body = await text(exportStream(db, layer, format, filter))
  if (format === 'geojson') {
    const fc = JSON.parse(body) as { features: Array<{ id?: unknown; properties: Record<string, unknown> }> }
    return JSON.stringify(fc.features.map(({ id: _id, properties: { id: _pid, ...p }, ...f }) => ({ ...f, properties: p })))
  }
  if (format === 'csv') {
    const lines = body.split(/\r?\n/)
    const header = lines[0]!.replace(/^\ufeff/, '').split(',')
    const idIndex = header.indexOf('id')
    return lines.map((l) => l.replace(/^\ufeff/, '').split(',').filter((_, i) => i !== idIndex).join(',')).join('\n')
  }
  return body
}

describe.each(enginesUnderTest())('export on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)
  beforeEach(async () => {
    const load = (layer: LayerName, name: string, content: string) => runImport(ctx.db, { layer, path: write(name, content), actor: 'test' })
    await load('villages', 'v.geojson', VILLAGES)
    await load('sites', 's.csv', SITES)
    await load('fibre', 'f.geojson', FIBRE)
  })

  it.each([
    ['villages', 'geojson'], ['villages', 'csv'], ['sites', 'geojson'], ['sites', 'csv'], ['fibre', 'geojson'], ['fibre', 'csv'],
  ] as const)('round-trips %s through %s: export, import into an empty database, export again gives the same file', async (layer, format) => {
    const first = await exported(ctx.db, layer, format)
    const file = write(`${layer}.${format}`, await text(exportStream(ctx.db, layer, format, {})))
    expect((await runImport(ctx.db, { layer, path: file, actor: 'test' })).unchanged, 'importing its own export changes nothing').toBeGreaterThan(0)
    await resetData(ctx.db)
    await createWorld(ctx.db)
    const again = await runImport(ctx.db, { layer, path: file, actor: 'test' })
    expect(again.errorCount).toBe(0)
    expect(await exported(ctx.db, layer, format)).toBe(first)
  })

  it('writes CSV as UTF-8 with a BOM and Vietnamese intact, lon/lat for points and WKT for lines', async () => {
    const villages = await text(exportStream(ctx.db, 'villages', 'csv', {}))
    expect(villages.startsWith('\ufefflon,lat,')).toBe(true)
    expect(villages).toContain('Bản Nà Tấu')
    expect(villages).toContain('"Bản Huổi ""Một"", Hai"')
    expect(villages).toContain('Dân tộc')
    const fibre = await text(exportStream(ctx.db, 'fibre', 'csv', {}))
    expect(fibre).toMatch(/^\ufeffwkt,/)
    expect(fibre).toContain('LINESTRING')
  })

  it('filters by commune and status', async () => {
    expect(JSON.parse(await exported(ctx.db, 'villages', 'geojson', { commune: '04002' })).map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['B1'])
    expect(JSON.parse(await exported(ctx.db, 'sites', 'geojson', { status: ['planned'] })).map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['S2'])
  })

  it('writes KML that Google Earth reads: one Placemark per feature with its name', async () => {
    const kml = await text(exportStream(ctx.db, 'villages', 'kml', {}))
    expect(kml).toMatch(/^<\?xml/)
    expect(kml.match(/<Placemark[ >]/g)).toHaveLength(2)
    expect(kml).toContain('<name>Bản Nà Tấu</name>')
  })

  it('serves exports over HTTP with a file name and content type', async () => {
    const res = await ctx.app.inject('/api/export/villages?format=csv&commune=04001')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="phusong-villages-04001-\d{4}-\d{2}-\d{2}\.csv"/)
    expect(res.body.split('\n').filter(Boolean)).toHaveLength(2)
    expect((await ctx.app.inject('/api/export/towers?format=csv')).statusCode).toBe(400)
    expect((await ctx.app.inject('/api/export/villages?format=xlsx')).statusCode).toBe(400)
  })

  it('accepts an upload on POST /api/imports (multipart) and refuses a bad one with 422 and row numbers', async () => {
    const boundary = '----phusong'
    const form = (name: string, content: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`
    const headers = { ...AUTH, 'content-type': `multipart/form-data; boundary=${boundary}` }
    const ok = await ctx.app.inject({ method: 'POST', url: '/api/imports?layer=villages', headers, payload: form('ban.csv', 'code,name,communeCode,lon,lat\nU1,Bản Tải Lên,04001,103.93,21.33\n') })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json()).toMatchObject({ committed: true, added: 1, fileName: 'ban.csv', format: 'csv' })
    const dry = await ctx.app.inject({ method: 'POST', url: '/api/imports?layer=villages&dryRun=true', headers, payload: form('ban.csv', 'code,name,communeCode,lon,lat\nU2,Bản Thử,04001,103.93,21.33\n') })
    expect(dry.statusCode).toBe(200)
    expect(dry.json()).toMatchObject({ committed: false, dryRun: true, added: 1 })
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/imports?layer=villages', headers, payload: form('bad.csv', 'code,name,communeCode,lon,lat\nU3,,04001,21.33,103.93\n') })
    expect(bad.statusCode).toBe(422)
    expect(bad.headers['content-type']).toMatch(/problem\+json/)
    expect(bad.json()).toMatchObject({ code: 'import-rejected', errors: expect.arrayContaining([expect.objectContaining({ row: 2, field: 'name' })]) })
    const noToken = await ctx.app.inject({ method: 'POST', url: '/api/imports?layer=villages', headers: { 'content-type': headers['content-type'] }, payload: form('x.csv', 'a\n1\n') })
    expect(noToken.statusCode).toBe(401)
    const empty = await ctx.app.inject({ method: 'POST', url: '/api/imports?layer=villages', headers, payload: form('empty.csv', '') })
    expect(empty.statusCode).toBe(422)
    expect(empty.json().code).toBe('unreadable-file')
  })
})

describe('npm run import', () => {
  it('exits 1 on a bad file, listing the rows, and 0 on a dry run of a good one', () => {
    const tsx = path.resolve('node_modules/.bin/tsx')
    const dataDir = mkdtempSync(path.join(tmpdir(), 'phusong-cli-'))
    try {
      const env = { ...process.env, DATABASE_URL: '', PHUSONG_DATA_DIR: dataDir }
      const bad = spawnSync(tsx, ['scripts/import.ts', '--layer', 'villages', write('bad.csv', 'code,name,lon,lat\nZ1,Bản A,21.3,103.9\nZ2,,103.9,21.3\n')], { env, encoding: 'utf8', timeout: 120_000 })
      expect(bad.status, bad.stderr).toBe(1)
      expect(bad.stderr).toMatch(/row 2 .*swapped/)
      expect(bad.stderr).toMatch(/REFUSED/)
      const good = spawnSync(tsx, ['scripts/import.ts', '--layer', 'power-lines', '--dry-run', write('good.csv', 'code,voltage,wkt\nPL1,35,"LINESTRING(103.9 21.3, 104 21.4)"\n')], { env, encoding: 'utf8', timeout: 120_000 })
      expect(good.status, good.stderr).toBe(0)
      expect(good.stdout).toMatch(/DRY RUN: would add 1/)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
