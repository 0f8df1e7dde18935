import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { ImportRejectedError, runImport, type ImportOptions, type ImportReport } from '../../server/services/import.service.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { snapshotData } from '../helpers/db-snapshot.ts'
import { createWorld } from '../helpers/world.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let fileNo = 0
/** Writes a file for one test and returns its path. */
function file(name: string, content: string | object): string {
  const p = path.join(dir, `${++fileNo}-${name}`)
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content))
  return p
}
const fc = (features: object[]) => ({ type: 'FeatureCollection', features })
const village = (code: string, lon: number, lat: number, props: Record<string, unknown> = {}) => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code, name: `Bản ${code}`, communeCode: '04001', population: 100, ...props },
})

describe.each(enginesUnderTest())('the import pipeline on the %s engine', (engine) => {
  let h: DatabaseHandle
  beforeAll(async () => {
    h = await sharedDatabase(engine)
  })
  beforeEach(async () => {
    await resetData(h.db)
    await createWorld(h.db)
  })
  const run = (o: Omit<ImportOptions, 'actor'>) => runImport(h.db, { actor: 'test', ...o })
  const rejected = async (o: Omit<ImportOptions, 'actor'>): Promise<ImportReport> => {
    const before = await snapshotData(h.db)
    const err = await run(o).then(() => null, (e: unknown) => e)
    expect(err, 'the import should have been refused').toBeInstanceOf(ImportRejectedError)
    expect(await snapshotData(h.db), 'the database must be unchanged').toEqual(before)
    return (err as ImportRejectedError).report
  }
  const count = async (table: 'villages' | 'sites' | 'sectors' | 'fibre_routes' | 'measurements' | 'village_status_reports') =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(h.db)).rows[0]!.n)

  it('imports GeoJSON villages, records the import in the audit log, and is idempotent', async () => {
    const p = file('villages.geojson', fc([village('A1', 103.95, 21.35), village('A2', 103.96, 21.36), village('B1', 104.05, 21.35, { communeCode: '04002' })]))
    const first = await run({ layer: 'villages', path: p })
    expect(first).toMatchObject({ committed: true, rows: 3, added: 3, changed: 0, unchanged: 0, errorCount: 0, format: 'geojson' })
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/)
    const audit = await sql<{ actor: string; details: { file: string; sha256: string; added: number; outcome: string } }>`
      SELECT actor, details FROM audit_log WHERE action = 'import'`.execute(h.db)
    expect(audit.rows).toHaveLength(1)
    expect(audit.rows[0]).toMatchObject({ actor: 'test', details: { sha256: first.sha256, added: 3, outcome: 'committed' } })
    const again = await run({ layer: 'villages', path: p })
    expect(again).toMatchObject({ committed: true, added: 0, changed: 0, unchanged: 3 })
    expect(await count('villages')).toBe(3)
  })

  it('refuses changed values without --update, and changes them with it', async () => {
    await run({ layer: 'villages', path: file('v1.geojson', fc([village('A1', 103.95, 21.35), village('A2', 103.96, 21.36)])) })
    const changedFile = file('v2.geojson', fc([village('A1', 103.95, 21.35, { population: 250 }), village('A2', 103.96, 21.36), village('A3', 103.97, 21.37)]))
    const refused = await rejected({ layer: 'villages', path: changedFile })
    expect(refused.problems.find((p) => p.severity === 'error')).toMatchObject({ feature: 1, reason: expect.stringMatching(/A1 already exists with different values.*--update/) })
    const updated = await run({ layer: 'villages', path: changedFile, update: true })
    expect(updated).toMatchObject({ added: 1, changed: 1, unchanged: 1 })
    expect(Number((await sql<{ p: number }>`SELECT population AS p FROM villages WHERE code = 'A1'`.execute(h.db)).rows[0]!.p)).toBe(250)
  })

  it('writes nothing on a dry run but reports what it would do', async () => {
    const before = await snapshotData(h.db)
    const report = await run({ layer: 'villages', path: file('v.geojson', fc([village('A1', 103.95, 21.35)])), dryRun: true })
    expect(report).toMatchObject({ committed: false, dryRun: true, added: 1 })
    expect(await snapshotData(h.db)).toEqual(before)
  })

  it('reports every bad row with its position, field and reason, and writes nothing', async () => {
    const report = await rejected({
      layer: 'villages',
      path: file('bad.geojson', fc([
        village('A1', 103.95, 21.35),
        village('A2', 21.35, 103.95),
        village('A3', 103.96, 21.36, { communeCode: '09999' }),
        village('A1', 103.97, 21.37),
        { type: 'Feature', geometry: { type: 'Point', coordinates: [103.98, 21.38] }, properties: { code: 'A5', communeCode: '04001', population: -4 } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.9, 21.3], [103.95, 21.35]] }, properties: { code: 'A6', name: 'Bản Sáu', communeCode: '04001' } },
      ])),
    })
    const errors = report.problems.filter((p) => p.severity === 'error')
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ feature: 2, field: 'geometry', reason: expect.stringMatching(/swapped/) }),
      expect.objectContaining({ feature: 3, field: 'communeCode', value: '09999', reason: expect.stringMatching(/unknown commune/) }),
      expect.objectContaining({ feature: 4, reason: expect.stringMatching(/duplicate A1 \(already at feature 1\)/) }),
      expect.objectContaining({ feature: 5, field: 'name', reason: expect.stringMatching(/missing/) }),
      expect.objectContaining({ feature: 5, field: 'population', reason: expect.stringMatching(/at least 0/) }),
      expect.objectContaining({ feature: 6, field: 'geometry', reason: expect.stringMatching(/must be Point, not LineString/) }),
    ]))
    expect(report.errorCount).toBe(6)
  })

  it('reads a Vietnamese CSV (BOM, semicolons, comma decimals, Vietnamese headers) and finds communes by position', async () => {
    const csv = '\ufeffMã bản;Tên bản;Kinh độ;Vĩ độ;Dân số;Số hộ;Điện lưới;Dân tộc\n' +
      'NT-1;Bản Nà Tấu;103,955;21,355;420;88;có;Thái\n' +
      'NT-2;Bản Huổi Một;104,05;21,35;310;60;không;Mông\n'
    const report = await run({ layer: 'villages', path: file('ban.csv', csv) })
    expect(report).toMatchObject({ committed: true, added: 2, format: 'csv' })
    const { rows } = await sql<{ code: string; commune: string; has_grid_power: boolean; attributes: Record<string, unknown> }>`
      SELECT v.code, c.code AS commune, v.has_grid_power, v.attributes FROM villages v JOIN communes c ON c.id = v.commune_id ORDER BY v.code`.execute(h.db)
    expect(rows).toEqual([
      { code: 'NT-1', commune: '04001', has_grid_power: true, attributes: { 'Dân tộc': 'Thái' } },
      { code: 'NT-2', commune: '04002', has_grid_power: false, attributes: { 'Dân tộc': 'Mông' } },
    ])
  })

  it('takes --commune for rows that name none, and refuses points in no commune', async () => {
    const ok = await run({ layer: 'villages', commune: '04002', path: file('c.csv', 'code,name,lon,lat\nX1,Bản Một,103.95,21.35\n') })
    expect(ok.added).toBe(1)
    expect((await sql<{ c: string }>`SELECT c.code AS c FROM villages v JOIN communes c ON c.id = v.commune_id`.execute(h.db)).rows[0]!.c).toBe('04002')
    const report = await rejected({ layer: 'villages', path: file('far.csv', 'code,name,lon,lat\nX2,Bản Xa,105.5,21.0\n') })
    expect(report.problems[0]).toMatchObject({ row: 2, field: 'communeCode', reason: expect.stringMatching(/lies in no known commune/) })
  })

  it('reads VN-2000 UTM 48N (EPSG:3405) coordinates given with --crs', async () => {
    // 103.95 E, 21.35 N in VN-2000 / UTM 48N, from PROJ 9.1.1: echo "21.35 103.95" | cs2cs -f %.2f EPSG:4326 EPSG:3405
    const csv = 'code,name,x,y\nU1,Bản UTM,390931.34,2361355.03\n'
    const report = await run({ layer: 'villages', path: file('utm.csv', csv), crs: 'EPSG:3405' })
    expect(report.crs).toMatch(/3405|UTM/)
    const { rows } = await sql<{ lon: number; lat: number }>`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM villages`.execute(h.db)
    expect(rows[0]!.lon).toBeCloseTo(103.95, 3)
    expect(rows[0]!.lat).toBeCloseTo(21.35, 3)
  })

  it('names the cause when projected coordinates are imported as degrees', async () => {
    const report = await rejected({ layer: 'villages', path: file('utm-as-deg.csv', 'code,name,x,y\nU1,Bản UTM,390931.34,2361355.03\n') })
    expect(report.problems[0]).toMatchObject({ row: 2, field: 'geometry', reason: expect.stringMatching(/projected|metres/i) })
  })

  it('imports sites, then their sectors by site code, with ranges checked', async () => {
    const sites = await run({ layer: 'sites', path: file('sites.csv', 'Mã trạm,Nhà mạng,Trạng thái,lon,lat,Ngày phát sóng\nSLA001,Viettel,đang hoạt động,103.95,21.35,15/03/2019\nSLA002,VinaPhone,quy hoạch,104.05,21.35,\n') })
    expect(sites.added).toBe(2)
    const sectorsCsv = 'site code,operator,technology,frequency,azimuth,height,eirp\n' +
      'SLA001,viettel,LTE,1800,0,30,60\nSLA001,viettel,LTE,1800,120,30,60\nSLA001,viettel,4G,1800,240,30,60\n'
    expect(await run({ layer: 'sectors', path: file('sectors.csv', sectorsCsv) })).toMatchObject({ added: 3 })
    expect(await run({ layer: 'sectors', path: file('sectors2.csv', sectorsCsv) })).toMatchObject({ added: 0, unchanged: 3 })
    const bad = await rejected({ layer: 'sectors', path: file('bad-sectors.csv', 'site code,operator,technology,frequency,azimuth,height,eirp\nSLA001,viettel,LTE,1800,400,30,120\nNOPE,viettel,LTE,1800,0,30,60\n') })
    expect(bad.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 2, field: 'azimuth', value: 400 }),
      expect.objectContaining({ row: 2, field: 'eirp', value: 120 }),
      expect.objectContaining({ row: 3, field: 'site code', reason: expect.stringMatching(/no viettel site has code NOPE/) }),
    ]))
    expect(await count('sectors')).toBe(3)
  })

  it('groups OpenCelliD cells of MCC 452 into sites with one sector per cell', async () => {
    const cells = 'radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal\n' +
      'LTE,452,4,10501,25856001,0,103.9501,21.3501,1000,12,1,1500000000,1600000000,0\n' +
      'LTE,452,4,10501,25856002,0,103.9503,21.3499,1000,8,1,1500000000,1600000000,0\n' +
      'GSM,452,2,2001,3301,0,104.0500,21.3500,1500,3,1,1500000000,1600000000,0\n' +
      'LTE,310,260,1,1,0,-122.0,37.0,1000,1,1,1500000000,1600000000,0\n'
    const report = await run({ layer: 'sites', path: file('cells.csv', cells) })
    expect(report).toMatchObject({ committed: true, added: 2, format: 'opencellid-csv' })
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ row: 5, severity: 'warning', reason: expect.stringMatching(/MCC 310/) })]))
    const { rows } = await sql<{ code: string; operator: string; sectors: number }>`
      SELECT s.code, o.code AS operator, count(x.id) AS sectors FROM sites s JOIN operators o ON o.id = s.operator_id
      LEFT JOIN sectors x ON x.site_id = s.id GROUP BY s.code, o.code ORDER BY s.code`.execute(h.db)
    expect(rows.map((r) => ({ ...r, sectors: Number(r.sectors) }))).toEqual([
      { code: 'OCID-2G-2001-3301', operator: 'vnpt', sectors: 1 },
      { code: 'OCID-ENB-101000', operator: 'viettel', sectors: 2 },
    ])
  })

  it('imports fibre lines and repairs a self-intersecting commune polygon with a warning', async () => {
    const fibre = await run({ layer: 'fibre', path: file('fibre.geojson', fc([{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35], [104.02, 21.35]] }, properties: { code: 'F1', owner: 'Viettel' } }])) })
    expect(fibre.added).toBe(1)
    const bowtie = { type: 'Polygon', coordinates: [[[103.85, 21.45], [103.95, 21.55], [103.95, 21.45], [103.85, 21.55], [103.85, 21.45]]] }
    const communes = await run({ layer: 'communes', path: file('communes.geojson', fc([{ type: 'Feature', geometry: bowtie, properties: { code: '04003', name: 'Xã Nơ', provinceCode: '14', type: 'Xã' } }])) })
    expect(communes).toMatchObject({ committed: true, added: 1, warningCount: 1 })
    expect(communes.problems[0]).toMatchObject({ feature: 1, severity: 'warning', reason: expect.stringMatching(/repaired with ST_MakeValid: Self-intersection/) })
    const { rows } = await sql<{ valid: boolean }>`SELECT ST_IsValid(geom) AS valid FROM communes WHERE code = '04003'`.execute(h.db)
    expect(rows[0]!.valid).toBe(true)
  })

  it('imports measurements and village status reports with Vietnamese words', async () => {
    await run({ layer: 'villages', path: file('v.geojson', fc([village('A1', 103.95, 21.35)])) })
    const m = await run({ layer: 'measurements', path: file('m.csv', 'thời gian,nhà mạng,công nghệ,rsrp,sinr,lon,lat\n2025-09-01 08:30,Viettel,LTE,-112,3.5,103.951,21.351\n') })
    expect(m.added).toBe(1)
    const r = await run({ layer: 'status-reports', path: file('r.csv', 'Mã bản,Ngày,Tình trạng sóng,Nhà mạng,Nguồn\nA1,05/09/2025,lõm sóng,Viettel,UBND xã\n') })
    expect(r.added).toBe(1)
    const { rows } = await sql<{ observed_status: string; source: string; reported_on: string }>`SELECT observed_status, source, reported_on FROM village_status_reports`.execute(h.db)
    expect(rows).toEqual([{ observed_status: 'weak', source: 'commune_office', reported_on: '2025-09-05' }])
    expect(await run({ layer: 'status-reports', path: file('r2.csv', 'Mã bản,Ngày,Tình trạng sóng,Nhà mạng,Nguồn\nA1,05/09/2025,lõm sóng,Viettel,UBND xã\n') })).toMatchObject({ added: 0, unchanged: 1 })
  })
})
