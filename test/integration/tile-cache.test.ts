// The vector tile cache stays exact: a change to the data under a tile drops
// that tile (its bytes and ETag change), the others stay cached with their
// ETag — whether the change comes through the API, straight through SQL (as
// another process or psql would), or from a promoted coverage run. Also: the
// combined source, the style, visibility by layer and generalisation by zoom.
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { insertTileInvalidations } from '../../server/repositories/tile-invalidations.repository.ts'
import { TILE_LAYER_NAMES } from '../../server/services/tiles/tile-layers.ts'
import { renderCombinedTile, tileBoundsWithBuffer } from '../../server/services/tiles/tiles.service.ts'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'
import { decode, features, tileOf } from '../helpers/vector-tiles.ts'
import { square } from '../helpers/world.ts'

describe.each(enginesUnderTest())('tile cache and public layers on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)
  const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: AUTH, payload })
  const getTile = (layer: string, [z, x, y]: readonly number[], headers: Record<string, string> = {}) =>
    ctx.app.inject({ url: `/tiles/${layer}/${z}/${x}/${y}.mvt`, headers })
  const village = async (code: string, communeCode: string, lon: number, lat: number) => {
    const res = await post('/api/villages', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code, name: `Bản ${code}`, communeCode, population: 100 } })
    expect(res.statusCode).toBe(201)
    return res.json<{ id: number }>().id
  }
  const codesIn = async (layer: string, tile: readonly number[], source = layer) => {
    const res = await getTile(layer, tile)
    return res.statusCode === 204 ? [] : features(decode(res.rawPayload).layers[source]).map((f) => f.properties['code'])
  }

  /** Applies the invalidations the test's own SQL set-up recorded, so the cache starts clean. */
  const settle = async () => {
    ctx.app.tiles.markDirty()
    await ctx.app.tiles.sync()
  }

  // Two villages about 11 km apart: different z12 and z14 tiles.
  const WEST = [103.95, 21.35] as const
  const EAST = [104.05, 21.35] as const

  it('drops exactly the tiles under a village changed through the API; the others keep their ETag and stay cached', async () => {
    const westId = await village('W', '04001', ...WEST)
    await village('E', '04002', ...EAST)
    const tiles = [tileOf(...WEST, 12), tileOf(...EAST, 12), tileOf(...WEST, 14), tileOf(...EAST, 14)]
    const before = []
    for (const t of tiles) {
      const first = await getTile('villages', t)
      expect(first.statusCode).toBe(200)
      expect((await getTile('villages', t)).headers['x-cache']).toBe('hit')
      before.push(first.headers['etag'])
    }
    const patch = await ctx.app.inject({ method: 'PATCH', url: `/api/villages/${westId}`, headers: AUTH, payload: { properties: { population: 250 } } })
    expect(patch.statusCode).toBe(200)

    const after = await Promise.all(tiles.map((t) => getTile('villages', t)))
    // West tiles: rendered again, new bytes and ETag, the new population in them.
    for (const i of [0, 2]) {
      expect(after[i]!.headers['x-cache']).toBe('miss')
      expect(after[i]!.headers['etag']).not.toBe(before[i])
      expect(features(decode(after[i]!.rawPayload).layers.villages)[0]!.properties['population']).toBe(250)
    }
    // East tiles: still cached, same ETag.
    for (const i of [1, 3]) {
      expect(after[i]!.headers['x-cache']).toBe('hit')
      expect(after[i]!.headers['etag']).toBe(before[i])
    }
    // A client holding the east ETag gets 304; one holding the old west ETag gets the new tile.
    expect((await getTile('villages', tiles[1]!, { 'if-none-match': before[1]! })).statusCode).toBe(304)
    expect((await getTile('villages', tiles[0]!, { 'if-none-match': before[0]! })).statusCode).toBe(200)
  })

  it('sees a change made by another process (straight SQL) within the poll interval, and moves a village out of its old tile', async () => {
    await village('W', '04001', ...WEST)
    await settle()
    const west = tileOf(...WEST, 12)
    const east = tileOf(...EAST, 12)
    expect(await codesIn('villages', west)).toEqual(['W'])
    expect(await codesIn('villages', east)).toEqual([])
    expect((await getTile('villages', east)).headers['x-cache']).toBe('hit')
    // Another process moves the village east: no request of this app knows.
    await sql`UPDATE villages SET geom = ST_SetSRID(ST_MakePoint(${EAST[0]}, ${EAST[1]}), 4326) WHERE code = 'W'`.execute(ctx.db)
    await new Promise((r) => setTimeout(r, ctx.app.tiles.pollMs + 50))
    expect(await codesIn('villages', west)).toEqual([])
    expect(await codesIn('villages', east)).toEqual(['W'])
  })

  it('drops combined tiles under a change of any layer, and only those', async () => {
    await village('W', '04001', ...WEST)
    await village('E', '04002', ...EAST)
    const west = tileOf(...WEST, 13)
    const east = tileOf(...EAST, 13)
    const eastBefore = await getTile('public', east)
    expect(eastBefore.statusCode).toBe(200)
    await getTile('public', west)
    const site = await post('/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [WEST[0] + 0.001, WEST[1]] }, properties: { code: 'VTL-9', operatorCode: 'viettel', status: 'existing' } })
    expect(site.statusCode).toBe(201)
    const westAfter = await getTile('public', west)
    expect(westAfter.headers['x-cache']).toBe('miss')
    expect(features(decode(westAfter.rawPayload).layers.sites).map((f) => f.properties['code'])).toEqual(['VTL-9'])
    const eastAfter = await getTile('public', east)
    expect(eastAfter.headers['x-cache']).toBe('hit')
    expect(eastAfter.headers['etag']).toBe(eastBefore.headers['etag'])
  })

  it('drops coverage tiles in the areas a promoted run recorded, and the whole layer for a NULL extent', async () => {
    const { rows: [run] } = await sql<{ id: number }>`INSERT INTO coverage_runs (kind, status, model, requested_by, is_current, technology, params)
      VALUES ('full', 'done', 'fast', 'test', true, '4G', '{"technology":"4G"}') RETURNING id`.execute(ctx.db)
    const poly = (minLon: number) => sql`INSERT INTO coverage_polygons (run_id, operator_id, technology, class, model, tile, geom, area_km2)
      VALUES (${run!.id}, NULL, '4G', 'good', 'fast', ${`t${minLon}`}, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(square(minLon, 21.32, 0.05))}), 4326), 25)`.execute(ctx.db)
    await poly(103.92)
    await poly(104.02)
    await settle()
    const west = tileOf(103.94, 21.34, 12)
    const east = tileOf(104.04, 21.34, 12)
    for (const t of [west, east]) {
      expect((await getTile('coverage-4g', t)).statusCode).toBe(200)
      expect((await getTile('coverage-4g', t)).headers['x-cache']).toBe('hit')
    }
    // What the recompute does in its promoting transaction: record the rebuilt composite tiles.
    await insertTileInvalidations(ctx.db, 'coverage-4g', [[103.92, 21.32, 103.97, 21.37]])
    ctx.app.tiles.markDirty()
    expect((await getTile('coverage-4g', west)).headers['x-cache']).toBe('miss')
    expect((await getTile('coverage-4g', east)).headers['x-cache']).toBe('hit')
    await insertTileInvalidations(ctx.db, 'coverage-4g', [null])
    ctx.app.tiles.markDirty()
    expect((await getTile('coverage-4g', east)).headers['x-cache']).toBe('miss')
  })

  it('keeps private data out of every layer and the combined tile: planned and candidate sites, operator-owned fibre', async () => {
    for (const [code, status] of [['EX', 'existing'], ['PL', 'planned'], ['CA', 'candidate']] as const) {
      expect((await post('/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [103.951, 21.351] }, properties: { code, operatorCode: 'vnpt', status } })).statusCode).toBe(201)
    }
    const line = (lon: number) => JSON.stringify({ type: 'MultiLineString', coordinates: [[[lon, 21.31], [lon, 21.39]]] })
    await sql`INSERT INTO fibre_routes (code, owner_operator_id, owner_name, status, geom) VALUES
      ('F-VNPT', (SELECT id FROM operators WHERE code = 'vnpt'), NULL, 'existing', ST_SetSRID(ST_GeomFromGeoJSON(${line(103.95)}), 4326)),
      ('F-EVN', NULL, 'EVN', 'existing', ST_SetSRID(ST_GeomFromGeoJSON(${line(103.951)}), 4326))`.execute(ctx.db)
    for (const z of [8, 10, 12, 14, 16]) {
      const t = tileOf(103.951, 21.351, z)
      expect(await codesIn('sites', t)).toEqual(['EX'])
      expect(await codesIn('fibre', t)).toEqual(['F-EVN'])
      expect(await codesIn('public', t, 'sites')).toEqual(['EX'])
      expect(await codesIn('public', t, 'fibre')).toEqual(['F-EVN'])
    }
    // An admin asking gets the same public tile: tiles are the public map for everyone.
    const t = tileOf(103.951, 21.351, 12)
    const asAdmin = await getTile('sites', t, AUTH)
    expect(features(decode(asAdmin.rawPayload).layers.sites).map((f) => f.properties['code'])).toEqual(['EX'])
  })

  it('leaves a polygon smaller than a screen pixel out of low-zoom tiles, keeps it where it can be seen', async () => {
    // A 20 m coverage polygon: under a pixel at z8 (≈ 600 m) and z10, several pixels at z14.
    const { rows: [run] } = await sql<{ id: number }>`INSERT INTO coverage_runs (kind, status, model, requested_by, is_current, technology, params)
      VALUES ('full', 'done', 'fast', 'test', true, '4G', '{"technology":"4G"}') RETURNING id`.execute(ctx.db)
    await sql`INSERT INTO coverage_polygons (run_id, operator_id, technology, class, model, geom, area_km2)
      VALUES (${run!.id}, NULL, '4G', 'weak', 'fast', ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(square(103.95, 21.35, 0.0002))}), 4326), 0.0004)`.execute(ctx.db)
    const count = async (z: number) => {
      const res = await getTile('coverage-4g', tileOf(103.9501, 21.3501, z))
      return res.statusCode === 204 ? 0 : features(decode(res.rawPayload).layers['coverage-4g']).length
    }
    expect(await count(8)).toBe(0)
    expect(await count(10)).toBe(0)
    expect(await count(14)).toBe(1)
  })

  it('serves a combined TileJSON and a style that uses only its own sources', async () => {
    await village('W', '04001', ...WEST)
    const tj = await ctx.app.inject({ url: '/tiles/public.json' })
    expect(tj.statusCode).toBe(200)
    const json = tj.json<{ tiles: string[]; vector_layers: Array<{ id: string }>; minzoom: number; maxzoom: number; bounds: number[] }>()
    expect(json.tiles).toEqual(['http://localhost:80/tiles/public/{z}/{x}/{y}.mvt'])
    expect(json.vector_layers.map((l) => l.id)).toEqual(TILE_LAYER_NAMES)
    expect(json.minzoom).toBe(6)
    expect(json.bounds[0]).toBeLessThanOrEqual(103.9)
    const style = (await ctx.app.inject({ url: '/tiles/style.json' })).json<{ version: number; sources: Record<string, { url: string }>; layers: Array<{ source?: string; 'source-layer'?: string }> }>()
    expect(style.version).toBe(8)
    expect(Object.values(style.sources).map((s) => s.url)).toEqual(['http://localhost:80/tiles/public.json', 'http://localhost:80/tiles/terrain.json'])
    expect(JSON.stringify(style)).not.toMatch(/glyphs|sprite/)
    for (const l of style.layers) if (l['source-layer']) expect(TILE_LAYER_NAMES).toContain(l['source-layer'])
    // The combined tile is the layers' tiles one after the other.
    const t = tileOf(...WEST, 12)
    const combined = await getTile('public', t)
    expect(Buffer.compare(combined.rawPayload, Buffer.from(await renderCombinedTile(ctx.db, ctx.app.tiles.encoder, ...t)))).toBe(0)
    expect(Object.keys(decode(combined.rawPayload).layers).sort()).toEqual(['communes', 'villages'])
  })
})

describe('tile bounds', () => {
  it('widens a tile by its buffer (64/4096 of its side) on every side', () => {
    const [w, s, e, n] = tileBoundsWithBuffer(1, 1, 0)
    expect(w).toBeCloseTo(-360 / 2 / 64, 9)
    expect(e).toBeCloseTo(180 + 360 / 2 / 64, 9)
    expect(n).toBeGreaterThan(85.05)
    expect(s).toBeLessThan(0)
  })
})
