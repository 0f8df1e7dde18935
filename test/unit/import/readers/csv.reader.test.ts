import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { normalizeHeader, parseCoordinate, parseGeometryCell } from '../../../../server/import/readers/csv-geometry.ts'
import { fixture, readAll, readError } from './reader-test-helpers.ts'

describe('CSV reader: good files', () => {
  it('reads UTF-8 with a BOM, keeps header names and numbers rows from 2 (the header is row 1)', async () => {
    const { source, records } = await readAll(fixture('villages-bom.csv'))
    expect(source.format).toBe('csv')
    expect(source.notes).toContain('UTF-8 with a byte-order mark (BOM)')
    expect(source.fields).toEqual(['code', 'name', 'commune', 'lon', 'lat', 'population'])
    expect(source.geometryColumns).toEqual({ x: 'lon', y: 'lat' })
    expect(records[0]).toEqual({
      position: { kind: 'row', index: 2 },
      geometry: { type: 'Point', coordinates: [104.1312, 21.4105] },
      properties: { code: 'MB01', name: 'Bản Nà Tấu', commune: 'Mường Bú', lon: '104.1312', lat: '21.4105', population: '412' },
    })
    expect(records.map((r) => r.position.index)).toEqual([2, 3, 4, 5, 6])
  })

  it('reads semicolons, decimal commas and Vietnamese headers (Kinh độ / Vĩ độ)', async () => {
    const { source, records } = await readAll(fixture('villages-semicolon-vi.csv'))
    expect(source.notes).toContain('delimiter: semicolon')
    expect(source.fields).toEqual(['Mã bản', 'Tên bản', 'Xã', 'Kinh độ', 'Vĩ độ', 'Dân số'])
    expect(source.geometryColumns).toEqual({ x: 'Kinh độ', y: 'Vĩ độ' })
    expect(records[3]!.geometry).toEqual({ type: 'Point', coordinates: [104.6391, 20.8462] })
    expect(records[3]!.properties['Tên bản']).toBe('Bản Pá Chiến')
    expect(records[3]!.properties['Kinh độ']).toBe('104,6391')
  })

  it('reads WKT geometry (quoted polygons too); an empty WKT cell is a record without geometry', async () => {
    const { source, records } = await readAll(fixture('villages-wkt.csv'))
    expect(source.geometryColumns).toEqual({ wkt: 'WKT' })
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [104.1312, 21.4105] })
    expect(records[3]!.geometry?.type).toBe('Polygon')
    expect(records[4]!.geometry).toBeNull()
    expect(records[4]!.geometryError).toBeUndefined()
  })

  it('reads projected X/Y (easting, northing) in a tab-separated file as they are', async () => {
    const { source, records } = await readAll(fixture('villages-utm-xy.csv'))
    expect(source.notes).toContain('delimiter: tab')
    expect(source.geometryColumns).toEqual({ x: 'X', y: 'Y' })
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [409758.61, 2367937.26] })
  })

  it('recognises the Vietnamese survey convention (Tọa độ X = northing) and swaps the axes, saying so', async () => {
    const { source, records } = await readAll(fixture('villages-vn2000-toado.csv'))
    expect(source.geometryColumns).toEqual({ x: 'Tọa độ Y', y: 'Tọa độ X' })
    expect(source.notes.some((n) => /survey convention X = north/.test(n))).toBe(true)
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [409758.61, 2367937.26] })
  })

  it('decodes UTF-16 with a BOM (Excel "Unicode Text") automatically', async () => {
    const { source, records } = await readAll(fixture('villages-utf16.csv'))
    expect(source.notes[0]).toMatch(/UTF-16 little-endian/)
    expect(records[0]!.properties['Tên bản']).toBe('Bản Nà Tấu')
  })

  it('decodes Windows-1258 when asked, into NFC text', async () => {
    const { records } = await readAll(fixture('villages-cp1258.csv'), { encoding: 'windows-1258' })
    expect(records).toHaveLength(5)
    expect(records[0]!.properties['Tên bản']).toBe('Bản Nà Tấu')
    expect(records[2]!.properties['Xã']).toBe('Chiềng Ngần')
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [104.1312, 21.4105] })
  })
})

describe('CSV reader: broken files', () => {
  it('refuses Windows-1258 without the encoding option, naming the encoding and the fix', async () => {
    const err = await readError(fixture('villages-cp1258.csv'))
    expect(err.code).toBe('encoding')
    expect(err.message).toMatch(/not UTF-8 text.*probably Windows-1258/)
    expect(err.message).toMatch(/CSV UTF-8.*--encoding windows-1258/)
    expect(err.position).toMatchObject({ line: 1 })
  })

  it('says a file mixes encodings, at the line where the other encoding starts', async () => {
    const err = await readError(fixture('bad-mixed-encoding.csv'))
    expect(err.code).toBe('encoding')
    expect(err.message).toMatch(/mixes text encodings/)
    expect(err.position?.line).toBe(4)
  })

  it('stops at a ragged row with its row number', async () => {
    const err = await readError(fixture('bad-ragged.csv'))
    expect(err.code).toBe('ragged-row')
    expect(err.position).toEqual({ row: 4 })
    expect(err.message).toMatch(/row has 7 cells but the header has 6 columns \(row 4\)/)
    expect(err.hint).toMatch(/decimal comma/)
  })

  it('marks a bad coordinate on its record only, naming the column and the value', async () => {
    const { records } = await readAll(fixture('bad-coordinates.csv'))
    expect(records).toHaveLength(5)
    expect(records[0]!.geometry).not.toBeNull()
    expect(records[1]).toMatchObject({ position: { index: 3 }, geometry: null, geometryError: "column 'lon' has 'abc', which is not a number" })
    expect(records[2]!.geometryError).toMatch(/degrees-minutes-seconds/)
    expect(records[3]).toMatchObject({ geometry: null })
    expect(records[3]!.geometryError).toBeUndefined()
    expect(records[4]!.geometryError).toBe("column 'lat' is empty while 'lon' has '103.5124'")
  })

  it('says a file with only a BOM and blank lines is empty', async () => {
    const err = await readError(fixture('bom-only.csv'))
    expect(err.code).toBe('empty-file')
  })
})

describe('CSV reader: generated edge cases', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'phusong-csv-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  async function file(name: string, text: string | Buffer): Promise<string> {
    const path = join(dir, name)
    await writeFile(path, text)
    return path
  }

  it('counts blank lines as rows and keeps a multi-line quoted cell in one row', async () => {
    const path = await file('rows.csv', 'ten,lon,lat\nA,104,21\n\n"B\nsecond line",104.1,21.1\nC,104.2,21.2\n')
    const { records } = await readAll(path)
    expect(records.map((r) => [r.properties.ten, r.position.index])).toEqual([['A', 2], ['B\nsecond line', 4], ['C', 5]])
  })

  it('turns empty cells into null, trims cells and renames empty or repeated headers', async () => {
    const path = await file('cells.csv', 'ten, ten ,,lon,lat\n  A  ,,x,104,21\n')
    const { source, records } = await readAll(path)
    expect(source.fields).toEqual(['ten', 'ten (2)', 'column 3', 'lon', 'lat'])
    expect(records[0]!.properties).toEqual({ 'ten': 'A', 'ten (2)': null, 'column 3': 'x', 'lon': '104', 'lat': '21' })
  })

  it('ignores empty cells beyond the header (trailing delimiters) with a note', async () => {
    const path = await file('trailing.csv', 'ten;lon;lat\nA;104;21;;\n')
    const { source, records } = await readAll(path)
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [104, 21] })
    expect(source.notes.some((n) => /beyond the header/.test(n))).toBe(true)
  })

  it('reports a row with fewer cells than the header', async () => {
    const err = await readError(await file('short.csv', 'ten,lon,lat\nA,104,21\nB,104\n'))
    expect(err).toMatchObject({ code: 'ragged-row', position: { row: 3 } })
    expect(err.hint).toMatch(/delimiter is probably missing/)
  })

  it('reports a quote that is never closed', async () => {
    const err = await readError(await file('quote.csv', 'ten,lon,lat\nA,104,21\n"B,104.1,21.1\nC,104.2,21.2\n'))
    expect(err).toMatchObject({ code: 'bad-csv', position: { row: 3 } })
  })

  it('follows Excel\'s "sep=;" first line', async () => {
    const { source, records } = await readAll(await file('sep.csv', 'sep=;\nten;lon;lat\nA;104,5;21,25\n'))
    expect(source.fields).toEqual(['ten', 'lon', 'lat'])
    expect(records[0]).toMatchObject({ position: { index: 2 }, geometry: { coordinates: [104.5, 21.25] } })
  })

  it('reads EWKT and takes its SRID as the CRS hint', async () => {
    const { source, records } = await readAll(await file('ewkt.csv', 'ten,geom\nA,SRID=3405;POINT(409758.61 2367937.26)\n'))
    expect(source.crsHint.name).toBe('EPSG:3405')
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [409758.61, 2367937.26] })
  })

  it('marks bad WKT on its record', async () => {
    const { records } = await readAll(await file('badwkt.csv', 'ten,WKT\nA,"POLYGON ((104 21, 104.1 21, 104.1 21.1"\n'))
    expect(records[0]!.geometryError).toMatch(/column 'WKT' is not valid WKT.*ends too early/)
  })

  it('has no geometry without coordinate columns, unless geometry is required', async () => {
    const path = await file('nogeom.csv', 'ma_xa,ten_xa\n03646,Mường Bú\n')
    const { source, records } = await readAll(path)
    expect(source.geometryColumns).toBeUndefined()
    expect(records[0]!.geometry).toBeNull()
    const err = await readError(path, { requireGeometry: true })
    expect(err.code).toBe('no-geometry-columns')
    expect(err.hint).toMatch(/ma_xa, ten_xa/)
  })

  it('refuses a lone coordinate column', async () => {
    const err = await readError(await file('lone.csv', 'ten,Kinh độ\nA,104\n'))
    expect(err.code).toBe('no-geometry-columns')
    expect(err.message).toMatch(/'Kinh độ' coordinate column but no matching y\/latitude column/)
  })

  it('uses the geometry columns given in the options', async () => {
    const path = await file('named.csv', 'ten,Đông,Bắc\nA,104,21\n')
    const { source, records } = await readAll(path, { geometryColumns: { x: 'Đông', y: 'Bắc' } })
    expect(source.geometryColumns).toEqual({ x: 'Đông', y: 'Bắc' })
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [104, 21] })
    expect((await readError(path, { geometryColumns: { x: 'lon', y: 'Bắc' } })).code).toBe('no-geometry-columns')
  })

  it('refuses an unknown encoding name', async () => {
    const err = await readError(await file('a.csv', 'ten,lon,lat\nA,104,21\n'), { encoding: 'vni-windows' })
    expect(err.code).toBe('encoding')
    expect(err.message).toMatch(/'vni-windows' is not a text encoding/)
  })

  it('finds an invalid byte far after the first 64 KiB, with its line', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `B${i},Bản ${i},104.1,21.1`).join('\n')
    const path = await file('late.csv', Buffer.concat([Buffer.from(`ma,ten,lon,lat\n${rows}\n`), Buffer.from([0x42, 0xe3, 0xcc, 0x6e, 0x2c, 0x31, 0x2c, 0x32, 0x2c, 0x33, 0x0a])]))
    const err = await readError(path)
    expect(err.code).toBe('encoding')
    expect(err.position?.line).toBe(3002)
  })
})

describe('CSV geometry helpers', () => {
  it('normalises headers without diacritics, case, units or separators', () => {
    expect(normalizeHeader('Kinh độ (°)')).toBe('kinhdo')
    expect(normalizeHeader('Tọa độ X')).toBe('toadox')
    expect(normalizeHeader('VĨ_ĐỘ')).toBe('vido')
    expect(normalizeHeader('the_geom')).toBe('thegeom')
  })

  it('reads decimal commas only when asked, and thousands separators', () => {
    expect(parseCoordinate('21,3456', true)).toBe(21.3456)
    expect(parseCoordinate('21,3456', false)).toBeNaN()
    expect(parseCoordinate('21.3456', true)).toBe(21.3456)
    expect(parseCoordinate('2.367.937,26', true)).toBe(2367937.26)
    expect(parseCoordinate('2 367 937.26', false)).toBe(2367937.26)
    expect(parseCoordinate('0x10', false)).toBeNaN()
    expect(parseCoordinate('Infinity', false)).toBeNaN()
  })

  it('reads WKT in any case, EMPTY, and GeoJSON geometry text', () => {
    expect(parseGeometryCell('g', 'point(104 21)')).toEqual({ geometry: { type: 'Point', coordinates: [104, 21] } })
    expect(parseGeometryCell('g', 'POINT Z (104 21 300)')).toEqual({ geometry: { type: 'Point', coordinates: [104, 21, 300] } })
    expect(parseGeometryCell('g', 'POINT EMPTY')).toEqual({ geometry: null })
    expect(parseGeometryCell('g', '{"type":"Point","coordinates":[104,21]}')).toEqual({ geometry: { type: 'Point', coordinates: [104, 21] } })
  })
})
