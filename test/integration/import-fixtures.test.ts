import { readdirSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import type { LayerName } from '../../server/import/layer-definition.ts'
import { SourceFormatError } from '../../server/import/readers/types.ts'
import { ImportRejectedError, runImport, type ImportOptions } from '../../server/services/import.service.ts'
import { loadSampleIfEmpty } from '../../server/services/sample-data.service.ts'
import { snapshotData } from '../helpers/db-snapshot.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'

/**
 * The real-shaped file corpus of test/fixtures/import/ (see its README)
 * through the whole pipeline, on a database holding the real Sơn La communes.
 */
const FIXTURES = path.resolve('test/fixtures/import')
const fixture = (name: string) => path.join(FIXTURES, name)
const BAD_FILES = readdirSync(FIXTURES).filter((f) => /^(bad-|empty\.|bom-only\.)/.test(f) || f === 'villages-cp1258-no-cpg.zip' || f === 'villages-cp1258.csv' || f === 'two-layers.zip')

describe.each(enginesUnderTest())('the import fixture corpus on the %s engine', (engine) => {
  let h: DatabaseHandle
  beforeAll(async () => {
    h = await sharedDatabase(engine)
    await resetData(h.db)
    await loadSampleIfEmpty(h.db, loadConfig({}).sampleDir)
  })
  const run = (o: Omit<ImportOptions, 'actor' | 'path'> & { file: string }) => runImport(h.db, { actor: 'test', path: fixture(o.file), ...o })

  it.each(BAD_FILES)('refuses %s with a clear error and leaves the database byte-for-byte unchanged', async (file) => {
    const before = await snapshotData(h.db)
    const err = await run({ layer: 'villages', file }).then(() => null, (e: unknown) => e)
    expect(err, `${file} should be refused`).not.toBeNull()
    if (err instanceof ImportRejectedError) {
      expect(err.report.problems.filter((p) => p.severity === 'error').every((p) => p.reason.length > 10 && (p.row ?? p.feature) !== undefined)).toBe(true)
    } else {
      expect(err, String(err)).toBeInstanceOf(SourceFormatError)
      expect((err as Error).message.length).toBeGreaterThan(30)
    }
    expect(await snapshotData(h.db)).toEqual(before)
  })

  it.each([
    ['villages.geojson', {}, 5],
    ['villages.geojsonl', {}, 5],
    ['villages-rs.geojsons', {}, 5],
    ['villages-semicolon-vi.csv', {}, 5],
    ['villages-bom.csv', {}, 5],
    ['villages-utf16.csv', {}, 5],
    ['villages-cp1258.csv', { encoding: 'windows-1258' }, 5],
    ['villages-cp1258-cpg.zip', {}, 5],
    ['villages-shp.zip', {}, 5],
    ['villages-no-prj.zip', {}, 5],
    ['villages-vn2000-utm48n.geojson', {}, 5],
    ['villages-nested.kmz', {}, 4],
  ] as Array<[string, Partial<ImportOptions>, number]>)('reads %s: every village lands in a real Sơn La commune (dry run)', async (file, options, rows) => {
    const report = await run({ layer: 'villages', file, dryRun: true, ...options })
    expect(report).toMatchObject({ errorCount: 0, rows, added: rows, committed: false })
  })

  it('places villages of a former (pre-2025) commune by position, with a warning, and all formats agree on the positions', async () => {
    const geojson = await run({ layer: 'villages', file: 'villages.geojson' })
    expect(geojson.problems).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'warning', field: 'xa', value: 'Chiềng Ngần' })]))
    const positions = async () => (await sql<{ code: string; lon: number; lat: number; commune: string }>`
      SELECT v.code, round(ST_X(v.geom)::numeric, 4)::float8 AS lon, round(ST_Y(v.geom)::numeric, 4)::float8 AS lat, c.name AS commune
      FROM villages v JOIN communes c ON c.id = v.commune_id WHERE v.code IN ('MB01', 'MB02', 'CN01', 'CS01', 'SC01') ORDER BY v.code`.execute(h.db)).rows
    const fromGeojson = await positions()
    expect(fromGeojson).toHaveLength(5)
    expect(fromGeojson.find((v) => v.code === 'MB01')?.commune).toBe('Mường Bú')
    // The VN-2000 UTM 48N shapefile (.prj) holds the same villages: re-importing it changes nothing beyond 1e-4°.
    const shp = await run({ layer: 'villages', file: 'villages-shp.zip', update: true })
    expect(shp.errorCount).toBe(0)
    expect(await positions()).toEqual(fromGeojson)
  })

  it('turns OpenCelliD and MLS files into sites with sectors', async () => {
    const report = await run({ layer: 'sites', file: 'opencellid-452.csv' })
    expect(report).toMatchObject({ committed: true, format: 'opencellid-csv' })
    expect(report.added).toBeGreaterThan(0)
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM sectors x JOIN sites s ON s.id = x.site_id WHERE s.code LIKE 'OCID-%'`.execute(h.db)
    expect(Number(rows[0]!.n)).toBe(8)
  })

  it('refuses a cell file for another layer, and a file for an unknown layer name is impossible to pass', async () => {
    await expect(run({ layer: 'villages' as LayerName, file: 'opencellid-452.csv' })).rejects.toThrow(/sites layer/)
  })
})
