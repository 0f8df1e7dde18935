import { describe, expect, it } from 'vitest'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'

describe.each(enginesUnderTest())('read API on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)

  const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: AUTH, payload })
  const village = (code: string, name: string, communeCode: string, lon: number, lat: number) =>
    post('/api/villages', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { code, name, communeCode, population: 100 } })

  it('lists communes as a GeoJSON FeatureCollection with counts', async () => {
    const res = await ctx.app.inject('/api/communes')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const body = res.json()
    expect(body).toMatchObject({ type: 'FeatureCollection', numberMatched: 2, numberReturned: 2 })
    expect(body.features[0]).toMatchObject({
      type: 'Feature',
      geometry: { type: 'MultiPolygon' },
      properties: { code: '04001', name: 'Chiềng Sơn', type: 'commune', provinceCode: '14', provinceName: 'Sơn La', historicalDistrictCode: null },
    })
    expect(body.features[0].id).toBe(body.features[0].properties.id)
  })

  it('filters communes by bbox and by a name typed without diacritics', async () => {
    const east = (await ctx.app.inject('/api/communes?bbox=104.02,21.32,104.05,21.35')).json()
    expect(east.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['04002'])
    const byCode = (await ctx.app.inject('/api/communes?commune=04001')).json()
    expect(byCode.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['Chiềng Sơn'])
    const byName = (await ctx.app.inject('/api/communes?q=muong')).json()
    expect(byName.features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['Mường Bú'])
  })

  it('pages with limit and offset while numberMatched stays the total', async () => {
    for (let i = 0; i < 5; i++) expect((await village(`V${i}`, `Bản ${i}`, '04001', 103.91 + i * 0.01, 21.35)).statusCode).toBe(201)
    const page = (await ctx.app.inject('/api/villages?limit=2&offset=3')).json()
    expect(page).toMatchObject({ numberMatched: 5, numberReturned: 2 })
    expect(page.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['V3', 'V4'])
  })

  it('filters villages by commune, bbox and name prefix', async () => {
    await village('A-1', 'Bản Nà Tấu', '04001', 103.95, 21.35)
    await village('B-1', 'Bản Huổi Một', '04002', 104.05, 21.35)
    const inB = (await ctx.app.inject('/api/villages?commune=04002')).json()
    expect(inB.features.map((f: { properties: { code: string; communeName: string } }) => [f.properties.code, f.properties.communeName])).toEqual([['B-1', 'Mường Bú']])
    const inBox = (await ctx.app.inject('/api/villages?bbox=103.9,21.3,104.0,21.4')).json()
    expect(inBox.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['A-1'])
    const byName = (await ctx.app.inject('/api/villages?q=ban%20na%20tau')).json()
    expect(byName.features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['A-1'])
  })

  it('returns one feature by id, and 404 problem+json for a missing one', async () => {
    const created = (await village('A-1', 'Bản Nà Tấu', '04001', 103.95, 21.35)).json()
    const one = await ctx.app.inject(`/api/villages/${created.id}`)
    expect(one.statusCode).toBe(200)
    expect(one.json()).toMatchObject({ id: created.id, geometry: { type: 'Point', coordinates: [103.95, 21.35] }, properties: { code: 'A-1', synthetic: false } })
    const missing = await ctx.app.inject('/api/villages/999999')
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(missing.json()).toMatchObject({ code: 'not-found', status: 404, type: 'urn:phusong:problem:not-found' })
  })

  it('lists sites with their sectors, filtered by operator, status and commune', async () => {
    const site = (code: string, operatorCode: string, status: string, lon: number) =>
      post('/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 21.35] }, properties: { code, operatorCode, status } })
    const s1 = (await site('VTL-1', 'viettel', 'existing', 103.95)).json()
    await site('VNP-1', 'vnpt', 'planned', 104.05)
    for (const az of [0, 120, 240]) {
      expect((await post('/api/sectors', { siteId: s1.id, technology: '4G', frequencyMhz: 1800, azimuthDeg: az, heightM: 30, eirpDbm: 60, gainDbi: 17 })).statusCode).toBe(201)
    }
    const viettel = (await ctx.app.inject('/api/sites?operator=viettel')).json()
    expect(viettel.numberMatched).toBe(1)
    expect(viettel.features[0].properties).toMatchObject({ code: 'VTL-1', operatorName: 'Viettel', status: 'existing' })
    expect(viettel.features[0].properties.sectors.map((x: { azimuthDeg: number }) => x.azimuthDeg)).toEqual([0, 120, 240])
    // Planned sites are for the admin (the public sees none: visibility.test.ts).
    const admin = (url: string) => ctx.app.inject({ url, headers: AUTH })
    expect((await admin('/api/sites?status=planned,candidate')).json().features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['VNP-1'])
    expect((await admin('/api/sites?commune=04002')).json().features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(['VNP-1'])
    expect((await ctx.app.inject('/api/sectors?commune=04002')).json().numberMatched).toBe(0)
    expect((await ctx.app.inject('/api/sectors?commune=04001&operator=viettel')).json().numberMatched).toBe(3)
    const sectors = (await ctx.app.inject(`/api/sectors?site=${s1.id}&technology=4G`)).json()
    expect(sectors).toMatchObject({ numberMatched: 3 })
    expect(sectors.features[0]).toMatchObject({ geometry: { type: 'Point', coordinates: [103.95, 21.35] }, properties: { siteCode: 'VTL-1', operatorCode: 'viettel', eirpDbm: 60 } })
  })

  it('gives fibre routes their length on the spheroid and filters by commune crossing', async () => {
    // 0.1° of longitude at 21.35° N: (π/180)·N·cos φ·0.1 with N = a/√(1−e²sin²φ) = 10.373 km on WGS84.
    const created = await post('/api/fibre', {
      type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35], [104.02, 21.35]] }, properties: { code: 'F-1', ownerCode: 'viettel' },
    })
    expect(created.statusCode).toBe(201)
    const f = created.json()
    expect(f.geometry.type).toBe('MultiLineString')
    expect(f.properties.lengthKm).toBeCloseTo(10.373, 1)
    expect(f.properties).toMatchObject({ ownerCode: 'viettel', ownerName: 'Viettel', status: 'existing' })
    // Operator-owned fibre is for the admin (the public sees none: visibility.test.ts).
    expect((await ctx.app.inject({ url: '/api/fibre?commune=04002', headers: AUTH })).json().numberMatched).toBe(1)
    expect((await ctx.app.inject({ url: '/api/fibre?bbox=104.05,21.3,104.1,21.4', headers: AUTH })).json().numberMatched).toBe(0)
  })

  it('lists power lines (read-only here) with an empty result on an empty layer', async () => {
    const res = await ctx.app.inject('/api/power-lines?status=existing')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ type: 'FeatureCollection', numberMatched: 0, features: [] })
  })

  it.each([
    ['/api/villages?bbox=104,21,103,22', 'validation-failed', /min must be less than max/],
    ['/api/villages?bbox=100,10,110,20', 'bbox-too-large', /at most 8°/],
    ['/api/villages?bbox=abc', 'validation-failed', /bbox/],
    ['/api/villages?limit=5001', 'validation-failed', /limit/],
    ['/api/villages?limit=0', 'validation-failed', /limit/],
    ['/api/villages?commune=123', 'validation-failed', /commune/],
    ['/api/sites?status=active', 'validation-failed', /'active' is not one of/],
    ['/api/villages/abc', 'validation-failed', /id/],
  ])('rejects %s with 400 %s', async (url, code, detail) => {
    const res = await ctx.app.inject(url)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json().code).toBe(code)
    expect(res.json().detail).toMatch(detail)
  })
})
