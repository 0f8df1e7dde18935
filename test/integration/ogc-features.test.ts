import { describe, expect, it } from 'vitest'
import { finishCoverageRun, insertCoveragePolygons, insertCoverageRun, promoteCoverageRun } from '../../server/repositories/coverage.repository.ts'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'

interface Link { href: string; rel: string; type?: string }
interface Fc { numberMatched: number; numberReturned: number; timeStamp: string; links: Link[]; features: Array<{ id: number; properties: Record<string, unknown> }> }

const square = (lon: number, lat: number, d: number) => ({
  type: 'MultiPolygon' as const,
  coordinates: [[[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]],
})

describe.each(enginesUnderTest())('OGC API – Features on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)
  const get = (url: string) => ctx.app.inject({ url, headers: { host: 'gis.example' } })
  const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: AUTH, payload })
  const village = async (code: string, communeCode: string, lon: number, lat: number) =>
    expect((await post('/api/villages', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code, name: `Bản ${code}`, communeCode } })).statusCode).toBe(201)
  const site = async (code: string, operatorCode: string, status: string, lon: number) => {
    const res = await post('/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 21.35] }, properties: { code, operatorCode, status } })
    expect(res.statusCode).toBe(201)
    const id = res.json().id as number
    expect((await post('/api/sectors', { siteId: id, technology: '4G', frequencyMhz: 1800, azimuthDeg: 0, heightM: 30, eirpDbm: 60, gainDbi: 17 })).statusCode).toBe(201)
    return id
  }
  const codes = (fc: Fc) => fc.features.map((f) => f.properties['code'])

  it('serves a landing page linking the OpenAPI document, conformance and collections', async () => {
    const res = await get('/ogc')
    expect(res.statusCode).toBe(200)
    const links = res.json().links as Link[]
    const href = (rel: string) => links.find((l) => l.rel === rel)?.href
    expect(href('self')).toBe('http://gis.example/ogc')
    expect(href('service-desc')).toBe('http://gis.example/docs/json')
    expect(href('conformance')).toBe('http://gis.example/ogc/conformance')
    expect(href('data')).toBe('http://gis.example/ogc/collections')
    expect((await get('/docs/json')).statusCode).toBe(200)
  })

  it('declares the Core, OpenAPI 3.0 and GeoJSON conformance classes', async () => {
    const body = (await get('/ogc/conformance')).json()
    expect(body.conformsTo).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
    ]))
  })

  it('lists the collections with extents and links; coverage once a run is current', async () => {
    await village('A', '04001', 103.95, 21.35)
    let body = (await get('/ogc/collections')).json()
    expect(body.collections.map((c: { id: string }) => c.id)).toEqual(['communes', 'villages', 'sites', 'sectors', 'fibre'])
    const villages = body.collections[1]
    expect(villages).toMatchObject({ itemType: 'feature', crs: ['http://www.opengis.net/def/crs/OGC/1.3/CRS84'] })
    expect(villages.extent.spatial.bbox[0]).toEqual([103.95, 21.35, 103.95, 21.35])
    expect(villages.links.map((l: Link) => [l.rel, l.href])).toEqual([
      ['self', 'http://gis.example/ogc/collections/villages'],
      ['items', 'http://gis.example/ogc/collections/villages/items'],
    ])
    expect(body.collections[2].extent.spatial.bbox).toEqual([])

    const runId = await insertCoverageRun(ctx.db, { kind: 'full', model: 'fast', technology: '4G', params: {}, requestedBy: 'test' })
    const viettel = await ctx.db.selectFrom('operators').select('id').where('code', '=', 'viettel').executeTakeFirstOrThrow()
    await insertCoveragePolygons(ctx.db, [
      { runId, operatorId: null, technology: '4G', className: 'good', model: 'fast', tile: null, geometry: square(103.9, 21.3, 0.02) },
      { runId, operatorId: viettel.id, technology: '4G', className: 'weak', model: 'fast', tile: null, geometry: square(104.0, 21.3, 0.02) },
    ])
    await finishCoverageRun(ctx.db, runId, 'done')
    await ctx.db.transaction().execute((tx) => promoteCoverageRun(tx, runId, '4G'))
    body = (await get('/ogc/collections')).json()
    expect(body.collections.map((c: { id: string }) => c.id)).toContain('coverage-4g')
    const coverage = (await get('/ogc/collections/coverage-4g')).json()
    expect(coverage.extent.spatial.bbox[0].map((n: number) => Math.round(n * 100) / 100)).toEqual([103.9, 21.3, 104.02, 21.32])
    const any = (await get('/ogc/collections/coverage-4g/items?operator=any')).json() as Fc
    expect(any.features.map((f) => [f.properties['class'], f.properties['operator'], f.properties['model']])).toEqual([['good', 'any', 'fast']])
    const weak = (await get('/ogc/collections/coverage-4g/items?class=weak')).json() as Fc
    expect(weak.features.map((f) => f.properties['operator'])).toEqual(['viettel'])
    expect((await get('/ogc/collections/coverage-5g/items')).statusCode).toBe(404)
  })

  it('pages items with numberMatched, numberReturned and next links that keep the query', async () => {
    for (let i = 0; i < 5; i++) await village(`V${i}`, '04001', 103.91 + i * 0.01, 21.35)
    await village('B0', '04002', 104.05, 21.35)
    const first = await get('/ogc/collections/villages/items?commune=04001&limit=2')
    expect(first.statusCode).toBe(200)
    expect(first.headers['content-type']).toMatch(/^application\/geo\+json/)
    const page1 = first.json() as Fc
    expect(page1).toMatchObject({ type: 'FeatureCollection', numberMatched: 5, numberReturned: 2 })
    expect(Number.isFinite(Date.parse(page1.timeStamp))).toBe(true)
    expect(codes(page1)).toEqual(['V0', 'V1'])
    const next = page1.links.find((l) => l.rel === 'next')
    expect(next).toBeDefined()
    const nextUrl = new URL(next!.href)
    expect(Object.fromEntries(nextUrl.searchParams)).toEqual({ commune: '04001', limit: '2', offset: '2' })
    const last = (await get('/ogc/collections/villages/items?commune=04001&limit=2&offset=4')).json() as Fc
    expect(last).toMatchObject({ numberMatched: 5, numberReturned: 1 })
    expect(last.links.some((l) => l.rel === 'next')).toBe(false)
    expect(last.links.find((l) => l.rel === 'self')?.href).toContain('offset=4')
    const defaults = (await get('/ogc/collections/villages/items')).json() as Fc
    expect(defaults).toMatchObject({ numberMatched: 6, numberReturned: 6 })
    expect(defaults.links.some((l) => l.rel === 'next')).toBe(false)
  })

  it('filters items by bbox and by properties', async () => {
    await village('A', '04001', 103.95, 21.35)
    await village('B', '04002', 104.05, 21.35)
    expect(codes((await get('/ogc/collections/villages/items?bbox=103.9,21.3,104.0,21.4')).json())).toEqual(['A'])
    expect(codes((await get('/ogc/collections/villages/items?commune=04002')).json())).toEqual(['B'])
    expect(codes((await get('/ogc/collections/communes/items?bbox=104.02,21.32,104.05,21.35')).json())).toEqual(['04002'])
    expect((await get('/ogc/collections/communes/items?province=14')).json().numberMatched).toBe(2)
    expect((await get('/ogc/collections/communes/items?province=99')).json().numberMatched).toBe(0)
    await site('VTL-1', 'viettel', 'existing', 103.95)
    await site('VNP-1', 'vnpt', 'existing', 104.05)
    expect(codes((await get('/ogc/collections/sites/items?operator=vnpt')).json())).toEqual(['VNP-1'])
    const sectors = (await get('/ogc/collections/sectors/items?operator=viettel&technology=4G')).json() as Fc
    expect(sectors.features.map((f) => f.properties['siteCode'])).toEqual(['VTL-1'])
    expect((await get('/ogc/collections/sectors/items?technology=5G')).json().numberMatched).toBe(0)
    const wrongFilter = await get('/ogc/collections/villages/items?operator=viettel')
    expect(wrongFilter.statusCode).toBe(400)
    expect(wrongFilter.json()).toMatchObject({ code: 'validation-failed' })
    expect((await get('/ogc/collections/villages/items?bbox=104,21,103,22')).statusCode).toBe(400)
  })

  it('refuses a limit above 10,000 and accepts 10,000', async () => {
    const res = await get('/ogc/collections/villages/items?limit=10001')
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect((await get('/ogc/collections/villages/items?limit=10000')).statusCode).toBe(200)
  })

  it('answers one item with links, and 404 problem+json for unknown collections and items', async () => {
    await village('A', '04001', 103.95, 21.35)
    const list = (await get('/ogc/collections/villages/items')).json() as Fc
    const id = list.features[0]!.id
    const one = await get(`/ogc/collections/villages/items/${id}`)
    expect(one.statusCode).toBe(200)
    expect(one.headers['content-type']).toMatch(/^application\/geo\+json/)
    expect(one.json()).toMatchObject({ type: 'Feature', id, properties: { code: 'A' } })
    expect(one.json().links.map((l: Link) => [l.rel, l.href])).toEqual([
      ['self', `http://gis.example/ogc/collections/villages/items/${id}`],
      ['collection', 'http://gis.example/ogc/collections/villages'],
    ])
    for (const url of ['/ogc/collections/nothing', '/ogc/collections/nothing/items', '/ogc/collections/villages/items/999999', '/ogc/collections/villages/items/abc']) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code: 'not-found', status: 404 })
    }
  })

  it('never shows planned or candidate sites, nor their sectors', async () => {
    const existing = await site('VTL-1', 'viettel', 'existing', 103.95)
    const planned = await site('VTL-2', 'viettel', 'planned', 103.96)
    await site('VTL-3', 'viettel', 'candidate', 103.97)
    await site('VTL-4', 'viettel', 'decommissioned', 103.98)
    const sites = (await get('/ogc/collections/sites/items')).json() as Fc
    expect(codes(sites)).toEqual(['VTL-1', 'VTL-4'])
    expect(sites.numberMatched).toBe(2)
    expect((await get('/ogc/collections/sites/items?status=planned')).json()).toMatchObject({ numberMatched: 0, features: [] })
    expect(codes((await get('/ogc/collections/sites/items?status=planned,existing')).json())).toEqual(['VTL-1'])
    expect((await get(`/ogc/collections/sites/items/${planned}`)).statusCode).toBe(404)
    expect((await get(`/ogc/collections/sites/items/${existing}`)).statusCode).toBe(200)
    const sectors = (await get('/ogc/collections/sectors/items')).json() as Fc
    expect(sectors.features.map((f) => f.properties['siteCode'])).toEqual(['VTL-1', 'VTL-4'])
    const plannedSector = (await ctx.app.inject(`/api/sectors?site=${planned}`)).json().features[0].id as number
    expect((await get(`/ogc/collections/sectors/items/${plannedSector}`)).statusCode).toBe(404)
    const collection = (await get('/ogc/collections/sites')).json()
    expect(collection.extent.spatial.bbox[0]).toEqual([103.95, 21.35, 103.98, 21.35])
  })
})
