import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { VectorTile } from '@mapbox/vector-tile'
import { sql } from 'kysely'
import { PbfReader } from 'pbf'
import { Compression, PMTiles, TileType } from 'pmtiles'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import type { Db } from '../../server/db/database.ts'
import { exportPublicPmtiles, PmtilesExportError, tileRange } from '../../server/services/tiles/pmtiles-export.service.ts'
import { NodeFileSource } from '../../server/services/tiles/pmtiles-writer.ts'
import { TILE_LAYER_NAMES, TILE_LAYERS } from '../../server/services/tiles/tile-layers.ts'
import { defaultEncoder, renderCombinedTile, type TileEncoder } from '../../server/services/tiles/tiles.service.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { tileOf } from '../helpers/vector-tiles.ts'
import { createWorld, square } from '../helpers/world.ts'

/** Villages and sites in the world's communes (every status), and a current 4G coverage polygon. */
async function addNetwork(db: Db, communeA: number, communeB: number): Promise<void> {
  const village = (code: string, name: string, communeId: number, lon: number, lat: number) => sql`
    INSERT INTO villages (code, name, name_search, commune_id, population, geom)
    VALUES (${code}, ${name}, ${name.toLowerCase()}, ${communeId}, 120, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`.execute(db)
  const site = (code: string, operator: string, status: string, lon: number, lat: number) => sql`
    INSERT INTO sites (operator_id, code, name, status, geom)
    VALUES ((SELECT id FROM operators WHERE code = ${operator}), ${code}, ${`Trạm ${code}`}, ${status}::site_status, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`.execute(db)
  await village('A-1', 'Bản Nà Tấu', communeA, 103.95, 21.35)
  await village('B-1', 'Bản Huổi Một', communeB, 104.05, 21.35)
  await site('VTL-1', 'viettel', 'existing', 103.951, 21.351)
  await site('VTL-2', 'viettel', 'decommissioned', 104.052, 21.352)
  await site('VNP-P', 'vnpt', 'planned', 103.953, 21.353)
  await site('VNP-C', 'vnpt', 'candidate', 104.054, 21.354)
  const { rows: [run] } = await sql<{ id: number }>`INSERT INTO coverage_runs (kind, status, model, requested_by, is_current, technology, params)
    VALUES ('full', 'done', 'fast', 'test', true, '4G', '{"technology":"4G"}') RETURNING id`.execute(db)
  await sql`INSERT INTO coverage_polygons (run_id, operator_id, technology, class, model, geom, area_km2)
    VALUES (${run!.id}, NULL, '4G', 'good'::coverage_class, 'fast', ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(square(103.92, 21.32, 0.05))}), 4326), 25)`.execute(db)
}

describe.each(enginesUnderTest())('PMTiles export on the %s engine', (engine) => {
  let handle: DatabaseHandle
  let encoder: TileEncoder
  let dir: string
  const sources: NodeFileSource[] = []

  beforeAll(async () => {
    handle = await sharedDatabase(engine)
    encoder = defaultEncoder(handle.engine)
  })
  beforeEach(async () => {
    await resetData(handle.db)
    const world = await createWorld(handle.db)
    await addNetwork(handle.db, world.communeA.id, world.communeB.id)
    dir = await mkdtemp(path.join(os.tmpdir(), 'pmtiles-export-'))
    return async () => {
      for (const s of sources.splice(0)) await s.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
  afterAll(async () => { await resetData(handle.db) })

  function open(file: string): PMTiles {
    const source = new NodeFileSource(file)
    sources.push(source)
    return new PMTiles(source)
  }

  it('writes every non-empty tile of the province, each equal to the tile /tiles serves, with header and metadata', async () => {
    const out = path.join(dir, 'son-la.pmtiles')
    const progress: number[] = []
    const report = await exportPublicPmtiles(handle.db, encoder, { provinceCode: '14', minZoom: 6, maxZoom: 13, out, onProgress: ({ done }) => progress.push(done) })
    expect(report).toMatchObject({ provinceCode: '14', name: 'phusong Sơn La', minZoom: 6, maxZoom: 13, bounds: [103.8, 21.2, 104.1, 21.5], leafDirectories: 0 })
    expect(progress.at(-1)).toBe(report.candidates)

    const reader = open(out)
    const h = await reader.getHeader()
    expect(h).toMatchObject({
      specVersion: 3, clustered: true, tileType: TileType.Mvt, tileCompression: Compression.Gzip, internalCompression: Compression.Gzip,
      minZoom: 6, maxZoom: 13, minLon: 103.8, minLat: 21.2, maxLon: 104.1, maxLat: 21.5, centerZoom: 8,
      numAddressedTiles: report.tiles, numTileContents: report.uniqueContents,
    })
    expect(h.centerLon).toBeCloseTo(103.95, 6)
    expect(h.centerLat).toBeCloseTo(21.35, 6)
    const metadata = await reader.getMetadata() as { name: string; attribution: string; vector_layers: { id: string; minzoom: number; maxzoom: number; fields: object }[] }
    expect(metadata.name).toBe('phusong Sơn La')
    expect(metadata.attribution).toMatch(/data\/README\.md/)
    // Every public layer, its zooms clamped to the archive's, its fields.
    expect(metadata.vector_layers.map((l) => [l.id, l.minzoom, l.maxzoom])).toEqual(
      TILE_LAYER_NAMES.map((l) => [l, Math.max(6, TILE_LAYERS[l].minzoom), Math.min(13, TILE_LAYERS[l].maxzoom)]))
    expect(metadata.vector_layers.find((l) => l.id === 'villages')?.fields).toEqual({ code: 'String', name: 'String', population: 'Number' })

    // Every tile over the province's box: in the archive exactly when /tiles has something there, with the same bytes.
    let found = 0
    const siteCodes = new Set<string>()
    for (let z = 6; z <= 13; z++) {
      const { x0, x1, y0, y1 } = tileRange(report.bounds, z)
      let atZoom = 0
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          const expected = await renderCombinedTile(handle.db, encoder, z, x, y)
          const got = await reader.getZxy(z, x, y)
          if (expected.byteLength === 0) {
            expect(got, `${z}/${x}/${y} should be absent`).toBeUndefined()
            continue
          }
          expect(got, `${z}/${x}/${y} should be in the archive`).toBeDefined()
          expect(Buffer.from(got!.data).equals(Buffer.from(expected)), `${z}/${x}/${y} equals renderCombinedTile`).toBe(true)
          const sites = new VectorTile(new PbfReader(new Uint8Array(got!.data))).layers.sites
          for (let i = 0; i < (sites?.length ?? 0); i++) siteCodes.add(String(sites!.feature(i).properties.code))
          found++
          atZoom++
        }
      }
      expect(report.perZoom[z], `tiles at z${z}`).toBe(atZoom)
    }
    expect(found).toBe(report.tiles)
    // Only the public sites: planned and candidate ones are in no tile.
    expect([...siteCodes].sort()).toEqual(['VTL-1', 'VTL-2'])
    // Outside the archive's zooms and far away: nothing.
    expect(await reader.getZxy(14, ...tileOf(103.95, 21.35, 14).slice(1) as [number, number])).toBeUndefined()
    expect(await reader.getZxy(...tileOf(105.9, 22.9, 12))).toBeUndefined()
  })

  it('decodes a tile into the expected layers and features', async () => {
    const out = path.join(dir, 'son-la.pmtiles')
    await exportPublicPmtiles(handle.db, encoder, { provinceCode: '14', minZoom: 10, maxZoom: 12, out })
    const [z, x, y] = tileOf(103.95, 21.35, 12)
    const res = await open(out).getZxy(z, x, y)
    expect(res).toBeDefined()
    const tile = new VectorTile(new PbfReader(new Uint8Array(res!.data)))
    expect(Object.keys(tile.layers).sort()).toEqual(['communes', 'coverage-4g', 'sites', 'villages'])
    const props = (name: string) => Array.from({ length: tile.layers[name]!.length }, (_, i) => tile.layers[name]!.feature(i).properties)
    expect(props('communes').map((p) => p.code)).toContain('04001')
    expect(props('villages')).toEqual([{ code: 'A-1', name: 'Bản Nà Tấu', population: 120 }])
    expect(props('sites')).toEqual([{ code: 'VTL-1', name: 'Trạm VTL-1', operator: 'viettel', status: 'existing' }])
    expect(props('coverage-4g')).toEqual([{ class: 'good', operator: 'any' }])
    const village = tile.layers.villages!.feature(0).toGeoJSON(x, y, z).geometry as { coordinates: number[] }
    expect(village.coordinates[0]).toBeCloseTo(103.95, 4)
    expect(village.coordinates[1]).toBeCloseTo(21.35, 4)
  })

  it('covers all communes when no province is named, and refuses an unknown province', async () => {
    const out = path.join(dir, 'all.pmtiles')
    const report = await exportPublicPmtiles(handle.db, encoder, { minZoom: 6, maxZoom: 9, out })
    expect(report).toMatchObject({ provinceCode: null, name: 'phusong', bounds: [103.9, 21.3, 104.1, 21.4] })
    expect(Object.keys(report.perZoom)).toEqual(['6', '7', '8', '9'])
    expect(report.tiles).toBeGreaterThanOrEqual(4)
    const h = await open(out).getHeader()
    expect([h.minLon, h.minLat, h.maxLon, h.maxLat]).toEqual([103.9, 21.3, 104.1, 21.4])
    await expect(exportPublicPmtiles(handle.db, encoder, { provinceCode: '99', minZoom: 6, maxZoom: 9, out: path.join(dir, 'x.pmtiles') }))
      .rejects.toThrow(PmtilesExportError)
    await expect(exportPublicPmtiles(handle.db, encoder, { minZoom: 9, maxZoom: 6, out: path.join(dir, 'y.pmtiles') }))
      .rejects.toThrow(/zooms/)
  })
})
