import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encodingFromCpg } from '../../../../server/import/readers/shapefile.reader.ts'
import { dbf, makeZip, shpAndShx, type DbfField, type ZipInput } from '../../../fixtures/import/fixture-writers.ts'
import { fixture, readAll, readError, settleDescriptors } from './reader-test-helpers.ts'

describe('zipped shapefile reader', () => {
  it('reads points, DBF fields in order and the .prj as the CRS hint', async () => {
    const { source, records } = await readAll(fixture('villages-shp.zip'))
    expect(source.format).toBe('shapefile-zip')
    expect(source.crsHint.prj).toMatch(/^PROJCS\["VN_2000_UTM_Zone_48N"/)
    expect(source.fields).toEqual(['MA_BAN', 'TEN_BAN', 'XA', 'DAN_SO', 'NGAY_DT'])
    expect(source.notes).toContain('attribute table encoding utf-8 (from the .cpg)')
    expect(records).toHaveLength(5)
    expect(records[0]).toEqual({
      position: { kind: 'feature', index: 1 },
      geometry: { type: 'Point', coordinates: [409758.61, 2367937.26] },
      properties: { MA_BAN: 'MB01', TEN_BAN: 'Bản Nà Tấu', XA: 'Mường Bú', DAN_SO: 412, NGAY_DT: '2024-03-15' },
    })
    expect(records[4]!.properties.NGAY_DT).toBeNull()
  })

  it('notes a missing .prj and reads the DBF as UTF-8 when there is no .cpg', async () => {
    const { source, records } = await readAll(fixture('villages-no-prj.zip'))
    expect(source.crsHint).toEqual({})
    expect(source.notes).toContain('no .prj: coordinate system unknown')
    expect(source.notes.some((n) => /no .cpg/.test(n))).toBe(true)
    expect(records[1]!.properties.TEN_BAN).toBe('Bản Hua Đán')
  })

  it('decodes the attribute table with the encoding of the .cpg (Windows-1258)', async () => {
    const { records } = await readAll(fixture('villages-cp1258-cpg.zip'))
    expect(records[0]!.properties.TEN_BAN).toBe('Bản Nà Tấu')
    expect(records[2]!.properties.XA).toBe('Chiềng Ngần')
  })

  it('refuses a Windows-1258 table without .cpg, and reads it with the encoding option', async () => {
    const err = await readError(fixture('villages-cp1258-no-cpg.zip'))
    expect(err.code).toBe('encoding')
    expect(err.message).toMatch(/\.dbf.*not UTF-8.*Windows-1258.*\.cpg/s)
    const { records } = await readAll(fixture('villages-cp1258-no-cpg.zip'), { encoding: 'windows-1258' })
    expect(records[0]!.properties.TEN_BAN).toBe('Bản Nà Tấu')
  })

  it('lists the layers of a zip with several, and reads the one named', async () => {
    const err = await readError(fixture('two-layers.zip'))
    expect(err.code).toBe('several-layers')
    expect(err.message).toMatch(/2 shapefile layers: ban, xa/)
    const { records } = await readAll(fixture('two-layers.zip'), { layer: 'xa' })
    expect(records).toHaveLength(1)
    expect(records[0]!.geometry?.type).toBe('Polygon')
    expect(records[0]!.properties).toEqual({ TEN_XA: 'Mường Bú' })
    expect((await readError(fixture('two-layers.zip'), { layer: 'thon' })).code).toBe('unknown-layer')
  })

  it('says which files are there when the .shp is missing', async () => {
    const err = await readError(fixture('bad-missing-shp.zip'))
    expect(err.code).toBe('missing-shp')
    expect(err.message).toMatch(/no .shp file \(it holds ban.shx, ban.dbf, ban.prj\)/)
  })

  it('refuses a .shp whose header is not a shapefile header', async () => {
    const err = await readError(fixture('bad-shp-header.zip'))
    expect(err).toMatchObject({ code: 'bad-shapefile', position: { entry: 'ban.shp' } })
  })

  it('maps .cpg contents to encodings', () => {
    expect(encodingFromCpg('UTF-8')).toBe('utf-8')
    expect(encodingFromCpg('65001')).toBe('utf-8')
    expect(encodingFromCpg('1258')).toBe('windows-1258')
    expect(encodingFromCpg('ANSI 1252')).toBe('windows-1252')
    expect(encodingFromCpg('CP1258')).toBe('windows-1258')
    expect(encodingFromCpg('88591')).toBe('windows-1252')
    expect(encodingFromCpg('SYSTEM')).toBeUndefined()
  })
})

describe('zip safety', () => {
  it('refuses an empty .zip as an empty file', async () => {
    const err = await readError(fixture('bad-empty.zip'))
    expect(err.code).toBe('empty-file')
    expect(err.message).toMatch(/zip file is empty \(0 bytes\)/)
  })

  it('refuses a damaged zip', async () => {
    const err = await readError(fixture('bad-corrupt.zip'))
    expect(err.code).toBe('not-a-zip')
    expect(err.message).toMatch(/not a zip archive, or it is damaged/)
  })

  it('refuses an entry over the default 200:1 compression ratio before inflating it', async () => {
    const err = await readError(fixture('bad-zip-bomb.zip'))
    expect(err.code).toBe('zip-bomb')
    expect(err.message).toMatch(/ban.shp unpacks \d+ bytes into 10.0 MiB \(ratio 10\d\d:1, the limit is 200:1\)/)
    expect(err.position).toEqual({ entry: 'ban.shp' })
  })

  it('refuses a zip whose total size is over maxUncompressedBytes', async () => {
    const err = await readError(fixture('bad-zip-bomb.zip'), { limits: { maxUncompressedBytes: 5 * 1024 * 1024 } })
    expect(err.code).toBe('zip-bomb')
    expect(err.message).toMatch(/more than 5.0 MiB/)
  })

  it('refuses many small entries by the ratio of the whole archive', async () => {
    const err = await readError(fixture('bad-zip-bomb-overall.zip'))
    expect(err.code).toBe('zip-bomb')
    expect(err.message).toMatch(/The zip \(\d+ bytes\) unpacks into 11.4 MiB/)
  })

  it('stops inflating an entry that gives more bytes than it declares', async () => {
    const err = await readError(fixture('bad-zip-size-lie.zip'))
    expect(err.code).toBe('zip-bomb')
    expect(err.message).toMatch(/ban.shp unpacks into more bytes than it declares/)
  })

  it('refuses names that climb out of the archive or are absolute', async () => {
    const err = await readError(fixture('bad-zip-traversal.zip'))
    expect(err.code).toBe('zip-unsafe-path')
    expect(err.message).toMatch(/\.\.\/\.\.\/evil\/ban.shp, \/etc\/ban.dbf/)
  })

  it('refuses a zip with more entries than maxZipEntries', async () => {
    const err = await readError(fixture('bad-zip-bomb-overall.zip'), { limits: { maxZipEntries: 5 } })
    expect(err.code).toBe('zip-too-many-entries')
    expect(err.message).toMatch(/holds 12 files; at most 5/)
  })
})

describe('zipped shapefile reader: damaged entries found while streaming', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'phusong-shp-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** A point layer of n features whose .dbf is built by `table`. */
  async function layerZip(n: number, dbfEntry: (table: Buffer) => ZipInput): Promise<string> {
    const { shp, shx } = shpAndShx(Array.from({ length: n }, (_, i) => ({ type: 1 as const, x: 104 + i / n, y: 21 })))
    const fields: DbfField[] = [{ name: 'TEN', type: 'C', length: 200 }]
    const table = dbf(fields, Array.from({ length: n }, (_, i) => [`Bản ${i} ${'x'.repeat(150)}`]), (s) => Buffer.from(s, 'utf8'))
    const path = join(dir, 'layer.zip')
    await writeFile(path, makeZip([{ name: 'ban.shp', data: shp }, { name: 'ban.shx', data: shx }, dbfEntry(table), { name: 'ban.cpg', data: Buffer.from('UTF-8') }]))
    return path
  }

  it('stops with zip-bomb when the .dbf inflates past its declared size after the first megabytes', async () => {
    // 20,000 records × 201 bytes ≈ 4 MiB, declared as 2 MiB: the header check passes, streaming fails.
    const path = await layerZip(20_000, (table) => ({ name: 'ban.dbf', data: table, declaredSize: 2 * 1024 * 1024 }))
    const err = await readError(path)
    expect(err.code).toBe('zip-bomb')
    expect(err.message).toMatch(/ban.dbf unpacks into more bytes than it declares/)
    expect(await settleDescriptors(path)).toBe(0)
  })

  it('refuses a .dbf damaged half way without crashing or hanging, and releases the zip', async () => {
    const path = await layerZip(20_000, (table) => ({ name: 'ban.dbf', data: table }))
    const bytes = await readFile(path)
    // Overwrite part of the deflated .dbf data, well after its start.
    const dbfAt = bytes.indexOf(Buffer.from('ban.dbf')) + 'ban.dbf'.length
    bytes.fill(0xff, dbfAt + 30_000, dbfAt + 30_400)
    await writeFile(path, bytes)
    // Depending on where the damage falls, inflating fails, the CRC check fails at the end of
    // the entry, or the garbage is caught as text that is not UTF-8: all name the .dbf.
    const err = await readError(path)
    expect(['not-a-zip', 'zip-bomb', 'bad-shapefile', 'encoding']).toContain(err.code)
    expect(err.message).toMatch(/\.dbf/)
    expect(await settleDescriptors(path)).toBe(0)
  })
})
