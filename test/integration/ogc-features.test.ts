import { describe, expect, it } from 'vitest'
import { finishCoverageRun, insertCoveragePolygons, insertCoverageRun, promoteCoverageRun } from '../../server/repositories/coverage.repository.ts'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'
import { square } from '../helpers/world.ts'

interface Link { href: string; rel: string; type?: string }
interface Fc { numberMatched: number; numberReturned: number; timeStamp: string; links: Link[]; features: Array<{ id: number; properties: Record<string, unknown> }> }

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
    expect(body.collections.map((c: { id: string }) => c.id)).toEqual(['communes', 'villages', 'sites', 'sectors', 'fibre', 'dead-zones', 'commune-indicators'])
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
    const plannedSector = (await ctx.app.inject({ url: `/api/sectors?site=${planned}`, headers: AUTH })).json().features[0].id as number
    expect((await get(`/ogc/collections/sectors/items/${plannedSector}`)).statusCode).toBe(404)
    const collection = (await get('/ogc/collections/sites')).json()
    expect(collection.extent.spatial.bbox[0]).toEqual([103.95, 21.35, 103.98, 21.35])
  })
  const asAdmin = (url: string) => ctx.app.inject({ url, headers: { host: 'gis.example', ...AUTH } })
  const datedSite = async (code: string, lon: number, commissionedOn: string | null, decommissionedOn: string | null) => {
    const status = decommissionedOn ? 'decommissioned' : 'existing'
    const res = await post('/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 21.35] }, properties: { code, operatorCode: 'viettel', status, commissionedOn, decommissionedOn } })
    expect(res.statusCode, res.body).toBe(201)
  }
  /** A current 4G run whose any-operator "good" polygon covers the south-west corner of commune A (0.02° square). */
  const currentRun = async () => {
    const runId = await insertCoverageRun(ctx.db, { kind: 'full', model: 'fast', technology: '4G', params: {}, requestedBy: 'test' })
    await insertCoveragePolygons(ctx.db, [{ runId, operatorId: null, technology: '4G', className: 'good', model: 'fast', tile: null, geometry: square(103.9, 21.3, 0.02) }])
    await finishCoverageRun(ctx.db, runId, 'done')
    await ctx.db.transaction().execute((tx) => promoteCoverageRun(tx, runId, '4G'))
    return runId
  }

  it('lists dead-zones and commune-indicators with their links, descriptions and extents', async () => {
    const body = (await get('/ogc/collections')).json()
    for (const id of ['dead-zones', 'commune-indicators']) {
      const c = body.collections.find((x: { id: string }) => x.id === id)
      expect(c, id).toBeDefined()
      expect(c.links.map((l: Link) => [l.rel, l.href])).toEqual([
        ['self', `http://gis.example/ogc/collections/${id}`],
        ['items', `http://gis.example/ogc/collections/${id}/items`],
      ])
      expect(c.description.length).toBeGreaterThan(50)
      expect(c.extent.temporal.interval).toEqual([[null, null]])
      expect((await get(`/ogc/collections/${id}`)).json()).toMatchObject({ id, itemType: 'feature' })
    }
    // No coverage run yet: no dead zone, no extent.
    expect(body.collections.find((x: { id: string }) => x.id === 'dead-zones').extent.spatial.bbox).toEqual([])
    const communesExtent = body.collections.find((x: { id: string }) => x.id === 'commune-indicators').extent.spatial.bbox[0] as number[]
    expect(communesExtent.map((n) => Math.round(n * 1000) / 1000)).toEqual([103.9, 21.3, 104.1, 21.4])
  })

  it('serves the white zones of the current 4G run per commune, with area, villages and population as flat attributes', async () => {
    expect((await get('/ogc/collections/dead-zones/items')).json()).toMatchObject({ numberMatched: 0, features: [] })
    await village('A-IN', '04001', 103.95, 21.35)
    await village('A-COVERED', '04001', 103.91, 21.31)
    const runId = await currentRun()
    const fc = (await get('/ogc/collections/dead-zones/items')).json() as Fc
    expect(fc.numberMatched).toBe(2)
    expect(fc.features.map((f) => [f.properties['communeCode'], f.properties['kind'], f.properties['villages'], f.properties['villageCodes']])).toEqual([
      ['04001', 'white', 1, 'A-IN'], ['04002', 'white', 0, ''],
    ])
    for (const f of fc.features) {
      expect(f.properties['runId']).toBe(runId)
      for (const v of Object.values(f.properties)) expect(v === null || typeof v !== 'object', JSON.stringify(v)).toBe(true)
    }
    // Commune A is 0.1° square less the 0.02° corner: 96 % of its area.
    const [a, b] = fc.features.map((f) => f.properties['areaKm2'] as number)
    expect(a! / b!).toBeCloseTo(0.96, 2)
    const one = await get(`/ogc/collections/dead-zones/items/${fc.features[0]!.id}`)
    expect(one.statusCode).toBe(200)
    expect(one.json().properties).toMatchObject({ communeCode: '04001', villages: 1 })
    expect(codesOf((await get('/ogc/collections/dead-zones/items?bbox=104.05,21.3,104.06,21.31')).json())).toEqual(['04002'])
    expect(codesOf((await get('/ogc/collections/dead-zones/items?commune=04001')).json())).toEqual(['04001'])
    expect((await get('/ogc/collections/dead-zones/items/999999')).statusCode).toBe(404)
    const page = (await get('/ogc/collections/dead-zones/items?limit=1&offset=1')).json() as Fc
    expect(page).toMatchObject({ numberMatched: 2, numberReturned: 1 })
    expect(page.links.some((l) => l.rel === 'prev')).toBe(true)
  })
  const codesOf = (fc: Fc) => fc.features.map((f) => f.properties['communeCode'])

  it('serves each commune\'s indicators as flat attributes on its polygon, paged, on the day datetime gives', async () => {
    await village('A1', '04001', 103.95, 21.35)
    await village('B1', '04002', 104.05, 21.35)
    const first = await get('/ogc/collections/commune-indicators/items?limit=1')
    expect(first.statusCode, first.body).toBe(200)
    const page1 = first.json() as Fc & { features: Array<{ geometry: { type: string } }> }
    expect(page1).toMatchObject({ numberMatched: 2, numberReturned: 1 })
    expect(page1.features[0]!.geometry.type).toBe('MultiPolygon')
    const p = page1.features[0]!.properties
    expect(p).toMatchObject({ code: '04001', name: 'Chiềng Sơn', technology: '4G', operator: 'any', villagesTotal: 1, villagesUnknown: 1, villagesCovered: 0, villagesCoveredPct: 0, reachedByFibre: false })
    expect(p).toHaveProperty('populationCoveredPct')
    expect(p).toHaveProperty('villagesNonePct')
    for (const v of Object.values(p)) expect(v === null || typeof v !== 'object', JSON.stringify(v)).toBe(true)
    const next = page1.links.find((l) => l.rel === 'next')
    expect(next && Object.fromEntries(new URL(next.href).searchParams)).toEqual({ limit: '1', offset: '1' })
    const page2 = (await get(new URL(next!.href).pathname + new URL(next!.href).search)).json() as Fc
    expect(page2.features.map((f) => f.properties['code'])).toEqual(['04002'])
    expect(page2.links.some((l) => l.rel === 'next')).toBe(false)
    expect(page2.links.find((l) => l.rel === 'prev')?.href).toContain('offset=0')
    // datetime: an instant, or the end of an interval; kept in the links.
    const dated = (await get('/ogc/collections/commune-indicators/items?datetime=2024-06-01T20:00:00Z')).json() as Fc
    expect(dated.features.map((f) => f.properties['date'])).toEqual(['2024-06-02', '2024-06-02']) // 03:00 on 2 June in Vietnam
    expect(dated.links.find((l) => l.rel === 'self')?.href).toContain('datetime=2024-06-01T20%3A00%3A00Z')
    expect((await get('/ogc/collections/commune-indicators/items?datetime=2024-01-01/2024-03-01')).json().features[0].properties.date).toBe('2024-03-01')
    expect((await get('/ogc/collections/commune-indicators/items?province=99')).json().numberMatched).toBe(0)
    expect((await get('/ogc/collections/commune-indicators/items?operator=nobody')).json()).toMatchObject({ code: 'unknown-reference', errors: [{ field: 'operator' }] })
    const one = (await get(`/ogc/collections/commune-indicators/items/${page1.features[0]!.id}`)).json()
    expect(one.properties).toMatchObject({ code: '04001', villagesTotal: 1 })
  })

  it('filters sites by datetime: in service on the instant or at some day of the interval', async () => {
    await datedSite('OLD', 103.91, '2010-01-01', '2020-01-01')
    await datedSite('NEW', 103.92, '2024-01-01', null)
    expect((await get('/ogc/collections/sites')).json().extent.temporal.interval).toEqual([['2010-01-01', null]])
    await datedSite('UNDATED', 103.93, null, null)
    const at = async (datetime: string) => codes((await get(`/ogc/collections/sites/items?datetime=${encodeURIComponent(datetime)}`)).json())
    expect(await at('2025-06-01')).toEqual(['NEW', 'UNDATED'])
    expect(await at('2020-01-01')).toEqual(['UNDATED']) // decommissioned that day: no longer in service
    expect(await at('2019-12-31T16:59:59Z')).toEqual(['OLD', 'UNDATED']) // 23:59:59 on 31 December in Vietnam
    expect(await at('2019-01-01/2025-01-01')).toEqual(['NEW', 'OLD', 'UNDATED'])
    expect(await at('../2009-12-31')).toEqual(['UNDATED'])
    expect(await at('2021-01-01/..')).toEqual(['NEW', 'UNDATED'])
    // No temporal dimension: datetime is ignored.
    await village('A', '04001', 103.95, 21.35)
    expect((await get('/ogc/collections/villages/items?datetime=1990-01-01')).json().numberMatched).toBe(1)
  })

  it.each(['2025-13-01', 'yesterday', '2025-06-01T08:00:00', '2025-06-01/2024-01-01', '2024-01-01/2024-06-01/2025-01-01', '../..x'])(
    'refuses datetime=%s with 400 problem+json naming datetime', async (datetime) => {
      const res = await get(`/ogc/collections/sites/items?datetime=${encodeURIComponent(datetime)}`)
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'datetime', location: 'querystring' }] })
    })

  it('checks bbox: 4 or 6 numbers, order, ranges, no antimeridian crossing, at most 45° a side', async () => {
    await village('A', '04001', 103.95, 21.35)
    expect((await get('/ogc/collections/villages/items?bbox=103.9,21.3,0,104.0,21.4,100')).json().numberMatched).toBe(1)
    expect((await get('/ogc/collections/villages/items?bbox=103.95,21.35,103.95,21.35')).json().numberMatched).toBe(1)
    expect((await get('/ogc/collections/villages/items?bbox=80,0,125,45')).json().numberMatched).toBe(1) // 45° exactly
    for (const [bbox, reason] of [
      ['60,0,120,30', /at most 45°/], ['100,0,110,50', /at most 45°/], ['170,10,-170,20', /antimeridian/], ['100,30,110,20', /minLat/],
      ['100,-95,110,20', /latitudes/], ['100,20,110', /4 numbers|pattern/], ['100,20,110,30,40', /4 numbers|pattern/], // the schema's pattern or the parser
    ] as const) {
      const res = await get(`/ogc/collections/villages/items?bbox=${bbox}`)
      expect(res.statusCode, bbox).toBe(400)
      expect(res.json(), bbox).toMatchObject({ code: 'validation-failed', errors: [{ field: 'bbox' }] })
      expect(res.json().errors[0].reason + res.json().detail, bbox).toMatch(reason)
    }
  })

  it('shows the public neither planned sites nor operator-owned fibre; the admin sees them; a wrong token is 401', async () => {
    await site('VTL-1', 'viettel', 'existing', 103.95)
    const planned = await site('VTL-2', 'viettel', 'planned', 103.96)
    const line = (code: string, owner: object) => post('/api/fibre', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35], [103.98, 21.36]] }, properties: { code, ...owner } })
    const opFibre = (await line('F-VTL', { ownerCode: 'viettel' })).json().id as number
    await line('F-EVN', { ownerName: 'EVN' })
    expect(codes((await get('/ogc/collections/fibre/items')).json())).toEqual(['F-EVN'])
    expect((await get(`/ogc/collections/fibre/items/${opFibre}`)).statusCode).toBe(404)
    expect((await get('/ogc/collections/fibre/items?operator=viettel')).json().numberMatched).toBe(0)
    expect((await get('/ogc/collections/fibre')).json().extent.spatial.bbox[0]).toEqual([103.92, 21.35, 103.98, 21.36])
    expect(codes((await asAdmin('/ogc/collections/fibre/items')).json())).toEqual(['F-EVN', 'F-VTL'])
    expect((await asAdmin(`/ogc/collections/fibre/items/${opFibre}`)).statusCode).toBe(200)
    expect(codes((await asAdmin('/ogc/collections/sites/items')).json())).toEqual(['VTL-1', 'VTL-2'])
    expect((await asAdmin(`/ogc/collections/sites/items/${planned}`)).statusCode).toBe(200)
    expect((await asAdmin('/ogc/collections/sectors/items')).json().numberMatched).toBe(2)
    const wrong = await ctx.app.inject({ url: '/ogc/collections/sites/items', headers: { authorization: 'Bearer wrong' } })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
