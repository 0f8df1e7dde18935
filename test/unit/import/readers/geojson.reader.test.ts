import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixture, readAll, readError } from './reader-test-helpers.ts'

describe('GeoJSON reader: good files', () => {
  it('streams a FeatureCollection feature by feature, numbering features from 1', async () => {
    const { source, records } = await readAll(fixture('villages.geojson'))
    expect(source.format).toBe('geojson')
    expect(source.crsHint).toEqual({})
    expect(records).toHaveLength(5)
    expect(records[0]).toEqual({
      position: { kind: 'feature', index: 1 },
      geometry: { type: 'Point', coordinates: [104.1312, 21.4105] },
      properties: { ma_ban: 'MB01', ten_ban: 'Bản Nà Tấu', xa: 'Mường Bú', dan_so: 412 },
    })
    expect(records.map((r) => r.position.index)).toEqual([1, 2, 3, 4, 5])
  })

  it('reads the legacy crs member into crsHint.name and leaves coordinates untouched', async () => {
    const { source, records } = await readAll(fixture('villages-vn2000-utm48n.geojson'))
    expect(source.crsHint.name).toBe('urn:ogc:def:crs:EPSG::3405')
    expect(records[0]!.geometry).toEqual({ type: 'Point', coordinates: [409758.61, 2367937.26] })
  })

  it('finds a crs member written after the features (second pass over the tokens)', async () => {
    const { source, records } = await readAll(fixture('villages-crs-after-features.geojson'))
    expect(source.crsHint.name).toBe('urn:ogc:def:crs:EPSG::3405')
    expect(records).toHaveLength(2)
  })

  it('reads a single Feature as one record', async () => {
    const { source, records } = await readAll(fixture('village-feature.geojson'))
    expect(source.notes[0]).toMatch(/single GeoJSON Feature/)
    expect(records).toHaveLength(1)
    expect(records[0]!.properties.ten_ban).toBe('Bản Nà Tấu')
  })

  it('reads a bare geometry as one record without properties', async () => {
    const { records } = await readAll(fixture('commune-boundary-geometry.geojson'))
    expect(records).toHaveLength(1)
    expect(records[0]!.geometry?.type).toBe('Polygon')
    expect(records[0]!.properties).toEqual({})
  })

  it('reads newline-delimited features and RS-separated GeoJSON text sequences', async () => {
    for (const name of ['villages.geojsonl', 'villages-rs.geojsons']) {
      const { source, records } = await readAll(fixture(name))
      expect(source.notes[0], name).toMatch(/text sequence/)
      expect(records.map((r) => r.properties.ma_ban), name).toEqual(['MB01', 'MB02', 'CN01', 'CS01', 'SC01'])
      expect(records[4]!.position, name).toEqual({ kind: 'feature', index: 5 })
    }
  })
})

describe('GeoJSON reader: broken files', () => {
  it('reports a broken geometry on its record and still reads the others', async () => {
    const { records } = await readAll(fixture('bad-feature-geometries.geojson'))
    expect(records).toHaveLength(6)
    const errors = Object.fromEntries(records.filter((r) => r.geometryError).map((r) => [r.position.index, r.geometryError]))
    expect(Object.keys(errors).map(Number)).toEqual([2, 3, 4, 5])
    expect(errors[2]).toMatch(/Pointt.*type must be one of/)
    expect(errors[3]).toMatch(/Polygon.*first and last positions must be equivalent/)
    expect(errors[4]).toMatch(/only contain numbers/)
    expect(errors[5]).toMatch(/no "geometry" member/)
    for (const r of records.filter((r) => r.geometryError)) expect(r.geometry).toBeNull()
    expect(records[5]!.geometry).toEqual({ type: 'Point', coordinates: [103.5124, 20.8917] })
    expect(records[1]!.properties.ten_ban).toBe('Bản Hua Đán')
  })

  it('says a truncated file ends too early, with line and column', async () => {
    const err = await readError(fixture('bad-truncated.geojson'))
    expect(err.code).toBe('truncated-json')
    expect(err.position).toEqual({ feature: 3, line: 7, column: 80 })
    expect(err.message).toMatch(/ends in the middle.*feature 3, line 7, column 80.*download or export it again/s)
  })

  it('yields the complete features before the truncation error', async () => {
    const { openSource } = await import('../../../../server/import/readers/open-source.ts')
    const source = await openSource(fixture('bad-truncated.geojson'))
    const seen: number[] = []
    await expect(async () => {
      for await (const r of source.records) seen.push(r.position.index)
    }).rejects.toMatchObject({ code: 'truncated-json' })
    expect(seen).toEqual([1, 2])
  })

  it('points at the line and column of a syntax error', async () => {
    const err = await readError(fixture('bad-syntax.geojson'))
    expect(err.code).toBe('bad-json')
    expect(err.position).toEqual({ line: 6, column: 89 })
    expect(err.message).toMatch(/not valid JSON: expected ','.*line 6, column 89/)
  })

  it('refuses JSON that is not GeoJSON, naming what it has', async () => {
    const err = await readError(fixture('bad-not-geojson.json'))
    expect(err.code).toBe('not-geojson')
    expect(err.message).toMatch(/not GeoJSON: it has "status", "count", "data" but no GeoJSON "type"/)
    expect(err.hint).toMatch(/FeatureCollection/)
  })

  it('recognises Esri JSON and says how to get GeoJSON', async () => {
    const err = await readError(fixture('bad-esri.json'))
    expect(err.code).toBe('not-geojson')
    expect(err.message).toMatch(/Esri JSON/)
  })

  it('says an empty file is empty', async () => {
    const err = await readError(fixture('empty.geojson'))
    expect(err.code).toBe('empty-file')
    expect(err.message).toMatch(/GeoJSON file is empty \(0 bytes\)/)
  })
})

describe('GeoJSON reader: generated edge cases', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'phusong-geojson-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  async function file(name: string, text: string | Buffer): Promise<string> {
    const path = join(dir, name)
    await writeFile(path, text)
    return path
  }

  it('drops a UTF-8 BOM and normalises text to NFC (decomposed input from macOS)', async () => {
    const decomposed = 'Bản Nà Tấu'.normalize('NFD')
    const path = await file('bom.geojson', `\ufeff{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ten":" ${decomposed} "},"geometry":null}]}`)
    const { source, records } = await readAll(path)
    expect(source.notes).toContain('byte-order mark (BOM) at the start of the file ignored')
    expect(records[0]!.properties.ten).toBe('Bản Nà Tấu')
    expect(records[0]!.geometry).toBeNull()
    expect(records[0]!.geometryError).toBeUndefined()
  })

  it('keeps a feature id as the "id" property when the properties have none', async () => {
    const path = await file('id.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature","id":"MB01","properties":{},"geometry":null}]}')
    const { records } = await readAll(path)
    expect(records[0]!.properties).toEqual({ id: 'MB01' })
  })

  it('reads an "EPSG" type crs member (GeoJSON 2008)', async () => {
    const path = await file('epsg.geojson', '{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":3405}},"features":[]}')
    const { source, records } = await readAll(path)
    expect(source.crsHint.name).toBe('EPSG:3405')
    expect(records).toHaveLength(0)
  })

  it('refuses a top-level list, TopoJSON and a FeatureCollection without features', async () => {
    expect((await readError(await file('list.json', '[{"type":"Feature"}]'))).message).toMatch(/JSON list, not GeoJSON/)
    expect((await readError(await file('topo.json', '{"type":"Topology","objects":{}}'))).message).toMatch(/TopoJSON/)
    expect((await readError(await file('nofeatures.geojson', '{"type":"FeatureCollection"}'))).message).toMatch(/no "features" list/)
  })

  it('refuses text that is not UTF-8, with the line of the first bad byte', async () => {
    const path = await file('latin.geojson', Buffer.concat([Buffer.from('{"type":"FeatureCollection",\n"features":[{"type":"Feature","properties":{"ten":"B'), Buffer.from([0xe3, 0xcc]), Buffer.from('n"},"geometry":null}]}')]))
    const err = await readError(path)
    expect(err.code).toBe('encoding')
    expect(err.position?.line).toBe(2)
    expect(err.message).toMatch(/not UTF-8/)
  })

  it('treats a file of only white space as empty', async () => {
    expect((await readError(await file('blank.geojson', '  \n\t\n'))).code).toBe('empty-file')
  })
})
