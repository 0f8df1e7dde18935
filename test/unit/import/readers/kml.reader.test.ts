import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encodeWindows1258 } from '../../../fixtures/import/windows-1258.ts'
import { fixture, readAll, readError } from './reader-test-helpers.ts'

describe('KML and KMZ reader', () => {
  it('reads placemarks with name, description and ExtendedData, and the folder each sits in', async () => {
    const { source, records } = await readAll(fixture('villages.kml'))
    expect(source.format).toBe('kml')
    expect(source.notes).toContain('KML document "Bản tỉnh Sơn La"')
    expect(records).toHaveLength(4)
    expect(records[0]).toEqual({
      position: { kind: 'feature', index: 1, folder: ['Xã Mường Bú'] },
      geometry: { type: 'Point', coordinates: [104.1312, 21.4105, 0] },
      properties: { name: 'Bản Nà Tấu', description: '<b>Bản Nà Tấu</b>, xã Mường Bú', ma_ban: 'MB01', dan_so: 412 },
    })
    expect(records[2]!.position.folder).toEqual(['Xã Chiềng Ngần'])
  })

  it('gives a placemark without geometry a null geometry and no folder at the top level', async () => {
    const { records } = await readAll(fixture('villages.kml'))
    expect(records[3]).toEqual({ position: { kind: 'feature', index: 4 }, geometry: null, properties: { name: 'Điểm chưa có tọa độ' } })
  })

  it('reads the doc.kml of a KMZ with nested folders', async () => {
    const { source, records } = await readAll(fixture('villages-nested.kmz'))
    expect(source.format).toBe('kmz')
    expect(source.notes[0]).toMatch(/KMZ: read doc.kml \(1 other file in the archive ignored\)/)
    expect(records.map((r) => [r.properties.ma_ban, r.position.folder])).toEqual([
      ['MB01', ['Huyện Mường La (cũ)', 'Xã Mường Bú', 'Bản']],
      ['MB02', ['Huyện Mường La (cũ)', 'Xã Mường Bú', 'Bản']],
      ['CS01', ['Xã Chiềng Sơn']],
      ['SC01', undefined],
    ])
  })

  it('refuses XML that is not well-formed, with the line', async () => {
    const err = await readError(fixture('bad-kml.kml'))
    expect(err.code).toBe('bad-kml')
    expect(err.message).toMatch(/not well-formed XML: Opening and ending tag mismatch: "Placemark" != "Folder"/)
    expect(err.position?.line).toBe(24)
  })

  it('refuses XML that is not KML', async () => {
    const err = await readError(fixture('bad-not-kml.kml'))
    expect(err.code).toBe('bad-kml')
    expect(err.message).toMatch(/root element is <gpx>/)
  })
})

describe('KML reader: generated edge cases', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'phusong-kml-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('refuses a KML larger than maxXmlBytes before reading it', async () => {
    const path = join(dir, 'big.kml')
    await writeFile(path, `<kml><Document>${' '.repeat(5000)}</Document></kml>`)
    const err = await readError(path, { limits: { maxXmlBytes: 1000 } })
    expect(err.code).toBe('file-too-large')
  })

  it('decodes the encoding named in the XML declaration', async () => {
    const path = join(dir, 'latin.kml')
    await writeFile(path, encodeWindows1258('<?xml version="1.0" encoding="windows-1258"?><kml><Document><Placemark><name>Bản Mòng</name></Placemark></Document></kml>'))
    const { source, records } = await readAll(path)
    expect(source.notes.some((n) => /windows-1258 \(from the XML declaration\)/.test(n))).toBe(true)
    expect(records[0]!.properties.name).toBe('Bản Mòng')
  })

  it('refuses bytes that are not UTF-8 when nothing declares another encoding', async () => {
    const path = join(dir, 'bad.kml')
    await writeFile(path, Buffer.concat([Buffer.from('<kml>\n<Document><name>B'), Buffer.from([0xe3, 0xcc]), Buffer.from('n</name></Document></kml>')]))
    const err = await readError(path)
    expect(err).toMatchObject({ code: 'encoding', position: { line: 2 } })
  })
})
