import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Db } from '../../server/db/database.ts'
import type { TileLayerName } from '../../server/repositories/tiles.repository.ts'
import { renderTile } from '../../server/services/tiles/tiles.service.ts'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'
import { decode, features, tileOf } from '../helpers/vector-tiles.ts'
import { square } from '../helpers/world.ts'

/** A current 4G coverage run with class polygons: any operator (good, west commune) and Viettel (weak, east). */
async function insertCoverage(db: Db): Promise<void> {
  const { rows: [run] } = await sql<{ id: number }>`INSERT INTO coverage_runs (kind, status, model, requested_by, is_current, technology, params)
    VALUES ('full', 'done', 'fast', 'test', true, '4G', '{"technology":"4G"}') RETURNING id`.execute(db)
  const { rows: [old] } = await sql<{ id: number }>`INSERT INTO coverage_runs (kind, status, model, requested_by, is_current, technology, params)
    VALUES ('full', 'done', 'fast', 'test', false, '4G', '{"technology":"4G"}') RETURNING id`.execute(db)
  const poly = (runId: number, operator: string | null, cls: string, minLon: number) => sql`
    INSERT INTO coverage_polygons (run_id, operator_id, technology, class, model, geom, area_km2)
    VALUES (${runId}, (SELECT id FROM operators WHERE code = ${operator}), '4G', ${cls}::coverage_class, 'fast',
      ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(square(minLon, 21.32, 0.05))}), 4326), 25)`.execute(db)
  await poly(run!.id, null, 'good', 103.92)
  await poly(run!.id, 'viettel', 'weak', 104.02)
  await poly(old!.id, 'vnpt', 'none', 103.92)
}

describe.each(enginesUnderTest())('vector tiles on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)
  const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: AUTH, payload })
  const village = (code: string, name: string, communeCode: string, lon: number, lat: number) =>
    post('/api/villages', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code, name, communeCode, population: 120 } })
  const site = (code: string, operatorCode: string, status: string, lon: number, lat: number) =>
    post('/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code, name: `Trạm ${code}`, operatorCode, status } })
  const getTile = (layer: string, [z, x, y]: number[], headers: Record<string, string> = {}, operator?: string) =>
    ctx.app.inject({ url: `/tiles/${layer}/${z}/${x}/${y}.mvt${operator === undefined ? '' : `?operator=${encodeURIComponent(operator)}`}`, headers })

  async function addNetwork() {
    expect((await village('A-1', 'Bản Nà Tấu', '04001', 103.95, 21.35)).statusCode).toBe(201)
    expect((await village('B-1', 'Bản Huổi Một', '04002', 104.05, 21.35)).statusCode).toBe(201)
    expect((await site('VTL-1', 'viettel', 'existing', 103.951, 21.351)).statusCode).toBe(201)
    expect((await site('VTL-2', 'viettel', 'decommissioned', 103.952, 21.352)).statusCode).toBe(201)
    expect((await site('VNP-P', 'vnpt', 'planned', 103.953, 21.353)).statusCode).toBe(201)
    expect((await site('VNP-C', 'vnpt', 'candidate', 103.954, 21.354)).statusCode).toBe(201)
  }

  it('puts a village in the tile that contains it, with its attributes, and nowhere else', async () => {
    await addNetwork()
    const res = await getTile('villages', tileOf(103.95, 21.35, 12))
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile')
    const layer = decode(res.rawPayload).layers.villages
    expect(layer?.extent).toBe(4096)
    const fs = features(layer)
    expect(fs.map((f) => f.properties)).toEqual([{ code: 'A-1', name: 'Bản Nà Tấu', population: 120 }])
    expect(fs[0]!.type).toBe(1)
    // The point lands where it should inside the tile (4096 units a side).
    const [z, x, y] = tileOf(103.95, 21.35, 12)
    const gj = layer!.feature(0).toGeoJSON(x, y, z)
    expect(gj.geometry).toMatchObject({ type: 'Point' })
    const [lon, lat] = (gj.geometry as { coordinates: number[] }).coordinates
    expect(lon).toBeCloseTo(103.95, 4)
    expect(lat).toBeCloseTo(21.35, 4)
    // The neighbouring village is in the next tile east, not in this one.
    const east = features(decode((await getTile('villages', tileOf(104.05, 21.35, 12))).rawPayload).layers.villages)
    expect(east.map((f) => f.properties.code)).toEqual(['B-1'])
    // A far tile is empty: 204, no body.
    const far = await getTile('villages', tileOf(105.5, 22.5, 12))
    expect(far.statusCode).toBe(204)
    expect(far.rawPayload.byteLength).toBe(0)
  })

  it('serves existing and decommissioned sites only, never planned or candidate ones', async () => {
    await addNetwork()
    for (const z of [8, 10, 12, 14, 16]) {
      const fs = features(decode((await getTile('sites', tileOf(103.952, 21.352, z))).rawPayload).layers.sites)
      expect(fs.map((f) => f.properties)).toEqual([
        { code: 'VTL-1', name: 'Trạm VTL-1', operator: 'viettel', status: 'existing' },
        { code: 'VTL-2', name: 'Trạm VTL-2', operator: 'viettel', status: 'decommissioned' },
      ])
    }
  })

  it('serves communes as polygons with code, name and type', async () => {
    const res = await getTile('communes', tileOf(104.0, 21.35, 8))
    expect(res.statusCode).toBe(200)
    const fs = features(decode(res.rawPayload).layers.communes)
    expect(fs.map((f) => [f.type, f.properties])).toEqual([
      [3, { code: '04001', name: 'Chiềng Sơn', type: 'commune' }],
      [3, { code: '04002', name: 'Mường Bú', type: 'commune' }],
    ])
  })

  it('serves the current 4G run\'s class polygons for any operator, or one operator\'s, on a grid coarser at low zooms', async () => {
    await insertCoverage(ctx.db)
    const t10 = tileOf(104.0, 21.35, 10)
    const any = decode((await getTile('coverage-4g', t10)).rawPayload).layers['coverage-4g']
    expect(features(any).map((f) => [f.type, f.properties])).toEqual([[3, { class: 'good', operator: 'any' }]])
    expect((await getTile('coverage-4g', t10, {}, 'any')).rawPayload).toEqual((await getTile('coverage-4g', t10)).rawPayload)
    const viettel = decode((await getTile('coverage-4g', t10, {}, 'viettel')).rawPayload).layers['coverage-4g']
    expect(features(viettel).map((f) => [f.type, f.properties])).toEqual([[3, { class: 'weak', operator: 'viettel' }]])
    // Coverage is drawn on 512 units a side up to z10, 1024 at z11–12, 4096 beyond; other layers 4096.
    expect(any?.extent).toBe(512)
    expect(decode((await getTile('coverage-4g', tileOf(103.95, 21.345, 12))).rawPayload).layers['coverage-4g']?.extent).toBe(1024)
    expect(decode((await getTile('coverage-4g', tileOf(103.95, 21.345, 13))).rawPayload).layers['coverage-4g']?.extent).toBe(4096)
    // The operator of a coverage tile must exist; other layers take none.
    const unknown = await getTile('coverage-4g', t10, {}, 'nobody')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/)
    expect((await getTile('villages', t10, {}, 'viettel')).statusCode).toBe(400)
    expect((await getTile('coverage-4g', t10, {}, 'Viet tel')).statusCode).toBe(400)
  })

  it('answers 204 outside a layer\'s zooms, 400 outside the pyramid, 404 for an unknown layer', async () => {
    await addNetwork()
    expect((await getTile('villages', tileOf(103.95, 21.35, 9))).statusCode).toBe(204)
    expect((await getTile('villages', tileOf(103.95, 21.35, 17))).statusCode).toBe(204)
    expect((await getTile('sites', tileOf(103.95, 21.35, 7))).statusCode).toBe(204)
    expect((await getTile('communes', tileOf(103.95, 21.35, 5))).statusCode).toBe(204)
    expect((await getTile('communes', tileOf(103.95, 21.35, 6))).statusCode).toBe(200)
    const outside = await getTile('villages', [4, 16, 3])
    expect(outside.statusCode).toBe(400)
    expect(outside.json()).toMatchObject({ code: 'validation-failed' })
    expect((await getTile('villages', [23, 0, 0])).statusCode).toBe(400)
    const unknown = await getTile('planned-sites', [12, 3230, 1790])
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('sends an ETag and Cache-Control, and 304 for a matching If-None-Match', async () => {
    await addNetwork()
    const t = tileOf(103.95, 21.35, 12)
    const first = await getTile('villages', t)
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    expect(first.headers['cache-control']).toMatch(/max-age=\d+/)
    const again = await getTile('villages', t, { 'if-none-match': first.headers.etag as string })
    expect(again.statusCode).toBe(304)
    expect(again.rawPayload.byteLength).toBe(0)
    expect(again.headers.etag).toBe(first.headers.etag)
    const other = await getTile('villages', t, { 'if-none-match': '"something-else"' })
    expect(other.statusCode).toBe(200)
    expect(Buffer.compare(other.rawPayload, first.rawPayload)).toBe(0)
  })

  it('describes each layer in TileJSON 3.0.0', async () => {
    await addNetwork()
    const res = await ctx.app.inject({ url: '/tiles/villages.json', headers: { host: 'tiles.example' } })
    expect(res.statusCode).toBe(200)
    const tj = res.json()
    expect(tj).toMatchObject({
      tilejson: '3.0.0', tiles: ['http://tiles.example/tiles/villages/{z}/{x}/{y}.mvt'], minzoom: 10, maxzoom: 16,
      vector_layers: [{ id: 'villages', minzoom: 10, maxzoom: 16, fields: { code: 'String', name: 'String', population: 'Number' } }],
    })
    expect(tj.bounds[0]).toBeCloseTo(103.95, 5)
    expect(tj.bounds[2]).toBeCloseTo(104.05, 5)
    expect((await ctx.app.inject('/tiles/sites.json')).json().vector_layers[0].fields).toEqual({ code: 'String', name: 'String', operator: 'String', status: 'String' })
    expect((await ctx.app.inject('/tiles/coverage-4g.json')).json()).toMatchObject({ minzoom: 8, maxzoom: 14 })
    expect((await ctx.app.inject('/tiles/nope.json')).statusCode).toBe(404)
  })

  it('documents the tile routes in OpenAPI', async () => {
    const doc = (await ctx.app.inject('/docs/json')).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/tiles/{layer}/{z}/{x}/{y}.mvt', '/tiles/{layer}.json']))
    expect(doc.paths['/tiles/{layer}/{z}/{x}/{y}.mvt'].get.responses).toHaveProperty('204')
  })

  // Declared only on the server engine (PGlite's PostGIS has no ST_AsMVT): never a skip.
  if (engine === 'server') it('gives the same features from ST_AsMVT and from the Node encoder', async () => {
    await addNetwork()
    await insertCoverage(ctx.db)
    const cases: [TileLayerName, [number, number, number], string?][] = [
      ['communes', tileOf(104.0, 21.35, 8)],
      ['communes', tileOf(103.95, 21.35, 12)], // clipped: the commune is larger than the tile
      ['communes', tileOf(104.0, 21.4, 14)], // a corner of both communes
      ['villages', tileOf(103.95, 21.35, 12)],
      ['sites', tileOf(103.95, 21.35, 14)],
      ['coverage-4g', tileOf(104.0, 21.35, 10)],
      ['coverage-4g', tileOf(104.0, 21.35, 10), 'viettel'],
      ['coverage-4g', tileOf(103.95, 21.345, 12)],
      ['coverage-4g', tileOf(103.95, 21.345, 13)],
    ]
    for (const [layer, [z, x, y], operator] of cases) {
      const postgis = features(decode(await renderTile(ctx.db, 'postgis', layer, z, x, y, { operator })).layers[layer])
      const node = features(decode(await renderTile(ctx.db, 'node', layer, z, x, y, { operator })).layers[layer])
      expect(postgis.length, `${layer} ${z}/${x}/${y}`).toBeGreaterThan(0)
      expect(node.map((f) => [f.id, f.type, f.properties]), `${layer} ${z}/${x}/${y}`).toEqual(postgis.map((f) => [f.id, f.type, f.properties]))
      node.forEach((f, i) => {
        const p = postgis[i]!
        f.bbox.forEach((v, k) => expect(Math.abs(v - p.bbox[k]!), `${layer} ${z}/${x}/${y} bbox`).toBeLessThanOrEqual(1))
        // Same rings, same orientation (exterior positive), areas within 1 %.
        expect(f.ringAreas.map(Math.sign)).toEqual(p.ringAreas.map(Math.sign))
        f.ringAreas.forEach((a, k) => expect(Math.abs(a - p.ringAreas[k]!)).toBeLessThanOrEqual(Math.abs(p.ringAreas[k]!) * 0.01 + 4))
      })
    }
    // A commune larger than the tile is clipped to the tile plus its 64-unit buffer.
    const [cz, cx, cy] = tileOf(103.95, 21.35, 12)
    const clipped = features(decode(await renderTile(ctx.db, 'node', 'communes', cz, cx, cy)).layers.communes)
    expect(clipped[0]!.bbox[0]).toBeGreaterThanOrEqual(-64)
    expect(clipped[0]!.bbox[2]).toBeLessThanOrEqual(4096 + 64)
    expect((await renderTile(ctx.db, 'postgis', 'villages', 12, 3200, 1790)).byteLength).toBe(0)
    expect((await renderTile(ctx.db, 'node', 'villages', 12, 3200, 1790)).byteLength).toBe(0)
  })
})
