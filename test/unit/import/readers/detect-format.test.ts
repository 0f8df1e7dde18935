import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { detectFormat } from '../../../../server/import/readers/detect-format.ts'
import { openSource } from '../../../../server/import/readers/open-source.ts'
import { DEFAULT_READER_LIMITS, type SourceFormat } from '../../../../server/import/readers/types.ts'
import { fixture, readError } from './reader-test-helpers.ts'

const detect = (path: string) => detectFormat(path, DEFAULT_READER_LIMITS)

describe('detectFormat', () => {
  it('goes by the extension of each good fixture', async () => {
    const expected: Array<[string, SourceFormat]> = [
      ['villages.geojson', 'geojson'], ['villages.geojsonl', 'geojson'], ['bad-not-geojson.json', 'geojson'],
      ['villages-bom.csv', 'csv'], ['villages-utf16.csv', 'csv'], ['opencellid-452.csv', 'opencellid-csv'], ['mls-452-noheader.csv', 'opencellid-csv'],
      ['villages.kml', 'kml'], ['villages-nested.kmz', 'kmz'], ['villages-shp.zip', 'shapefile-zip'], ['bad-missing-shp.zip', 'shapefile-zip'],
    ]
    for (const [name, format] of expected) expect((await detect(fixture(name))).format, name).toBe(format)
  })

  describe('without a telling extension', () => {
    let dir: string
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'phusong-detect-'))
    })
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    async function copyAs(name: string, as: string): Promise<string> {
      const path = join(dir, as)
      await copyFile(fixture(name), path)
      return path
    }

    it('recognises content: zip signature, <kml, {, and delimited text', async () => {
      expect((await detect(await copyAs('villages-shp.zip', 'download'))).format).toBe('shapefile-zip')
      expect((await detect(await copyAs('villages.kml', 'ban.xml'))).format).toBe('kml')
      expect((await detect(await copyAs('villages.geojson', 'ban.dat'))).format).toBe('geojson')
      expect((await detect(await copyAs('villages-semicolon-vi.csv', 'ban.dat'))).format).toBe('csv')
      expect((await detect(await copyAs('opencellid-452.csv', 'cells'))).format).toBe('opencellid-csv')
      expect((await detect(await copyAs('villages.geojson', 'ban.txt'))).format).toBe('geojson')
    })

    it('reads a zip holding a KML as KMZ, whatever its name', async () => {
      const detected = await detect(await copyAs('villages-nested.kmz', 'ban.zip'))
      expect(detected.format).toBe('kmz')
      expect(detected.notes[0]).toMatch(/holds a KML document/)
    })

    it('believes the zip signature over a wrong extension', async () => {
      const detected = await detect(await copyAs('villages-shp.zip', 'ban.geojson'))
      expect(detected).toEqual({ format: 'shapefile-zip', notes: ['the file is a zip archive despite its .geojson extension'] })
    })

    it('refuses bare shapefile parts, Excel workbooks and unknown content with advice', async () => {
      const shp = join(dir, 'ban.shp')
      await writeFile(shp, Buffer.alloc(100))
      expect((await readError(shp)).hint).toMatch(/Zip the layer's .shp, .shx, .dbf, .prj/)
      const xlsx = join(dir, 'ban.xlsx')
      await writeFile(xlsx, 'not really')
      expect((await readError(xlsx)).hint).toMatch(/CSV UTF-8/)
      const odd = join(dir, 'ban.bin')
      await writeFile(odd, 'hello')
      expect((await readError(odd)).code).toBe('unknown-format')
    })
  })
})

describe('openSource', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'phusong-open-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('says "empty-file" for a 0-byte or blank file of every format', async () => {
    const names = ['a.geojson', 'a.json', 'a.csv', 'a.txt', 'a.kml', 'a.kmz', 'a.zip', 'a']
    for (const name of names) {
      const path = join(dir, name)
      await writeFile(path, '')
      const err = await readError(path)
      expect(err.code, name).toBe('empty-file')
      expect(err.message, name).toMatch(/file is empty \(0 bytes\)/)
      await writeFile(path, '\ufeff \r\n\t')
      expect((await readError(path)).code, `${name} (blank)`).toBe('empty-file')
    }
    for (const format of ['geojson', 'csv', 'opencellid-csv', 'kml', 'kmz', 'shapefile-zip'] as const) {
      expect((await readError(join(dir, 'a'), { format })).code, format).toBe('empty-file')
    }
  })

  it('says a missing file or a folder cannot be read', async () => {
    expect((await readError(join(dir, 'nothing.csv'))).code).toBe('unreadable-file')
    await mkdir(join(dir, 'folder.zip'))
    expect((await readError(join(dir, 'folder.zip'))).code).toBe('unreadable-file')
  })

  it('lets the format option override detection', async () => {
    const source = await openSource(fixture('opencellid-452.csv'), { format: 'csv' })
    expect(source.format).toBe('csv')
    expect(source.geometryColumns).toEqual({ x: 'lon', y: 'lat' })
    await source.close()
  })

  it('can be read only once', async () => {
    const source = await openSource(fixture('villages.geojson'))
    for await (const _ of source.records) break
    expect(() => source.records[Symbol.asyncIterator]()).toThrow(/only once/)
  })
})
