// Planning scenarios: saved, listed, changed, deleted and exported for the
// field survey (GeoJSON, KML, CSV), private (admin token until accounts),
// audit-logged, all-or-nothing on bad input.
import { DOMParser } from '@xmldom/xmldom'
import { kml } from '@tmcw/togeojson'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'

const plan = {
  name: 'Tà Xùa 2026',
  operatorCode: 'viettel',
  description: 'Hai trạm trên sống núi',
  sites: [
    { lon: 103.95, lat: 21.35, heightM: 30, label: 'Đỉnh A', sectors: [{ azimuthDeg: 0 }, { azimuthDeg: 120 }, { azimuthDeg: 240 }] },
    { lon: 104.05, lat: 21.36, heightM: 42, sectors: [{ azimuthDeg: null, beamwidthDeg: 360, frequencyMhz: 900, eirpDbm: 58 }] },
  ],
}

describe.each(enginesUnderTest())('plans on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = AUTH) =>
    ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })

  it('saves a plan with defaults filled in, lists it, reads it back as GeoJSON', async () => {
    const res = await call('POST', '/api/plans', plan)
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(res.headers.location).toBe(`/api/plans/${body.id}`)
    expect(body).toMatchObject({ name: 'Tà Xùa 2026', operatorCode: 'viettel', siteCount: 2, createdBy: 'admin-token' })
    const [a, b] = body.sites.features
    expect(a.geometry.coordinates).toEqual([103.95, 21.35])
    expect(a.properties).toMatchObject({ position: 1, label: 'Đỉnh A', heightM: 30 })
    expect(a.properties.sectors[1]).toEqual({ azimuthDeg: 120, beamwidthDeg: 65, frequencyMhz: 1800, eirpDbm: 60, gainDbi: 17, electricalTiltDeg: 2, mechanicalTiltDeg: 0 })
    expect(b.properties.sectors[0]).toMatchObject({ azimuthDeg: null, beamwidthDeg: 360, frequencyMhz: 900, eirpDbm: 58 })
    const list = (await call('GET', '/api/plans?operator=viettel')).json()
    expect(list).toMatchObject({ total: 1, plans: [{ id: body.id, siteCount: 2 }] })
    expect((await call('GET', '/api/plans?operator=vnpt')).json()).toEqual({ total: 0, plans: [] })
    expect((await call('GET', `/api/plans/${body.id}`)).json()).toEqual(body)
  })

  it('renames a plan and replaces its sites; deletes it; every change in the audit log', async () => {
    const id = (await call('POST', '/api/plans', plan)).json().id
    const renamed = await call('PATCH', `/api/plans/${id}`, { name: 'Tà Xùa 2026 v2', sites: [plan.sites[1]] })
    expect(renamed.statusCode).toBe(200)
    expect(renamed.json()).toMatchObject({ name: 'Tà Xùa 2026 v2', siteCount: 1 })
    expect(renamed.json().sites.features[0].properties.position).toBe(1)
    expect((await call('DELETE', `/api/plans/${id}`)).statusCode).toBe(204)
    expect((await call('GET', `/api/plans/${id}`)).statusCode).toBe(404)
    const audit = await sql<{ action: string; details: Record<string, unknown> }>`SELECT action, details FROM audit_log WHERE entity = 'plan' ORDER BY id`.execute(ctx.db)
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'update', 'delete'])
    expect(audit.rows[1]!.details).toMatchObject({ before: { name: 'Tà Xùa 2026', sites: 2 }, after: { name: 'Tà Xùa 2026 v2', sites: 1 } })
  })

  it('exports the sites for the field survey as GeoJSON, KML and CSV', async () => {
    const id = (await call('POST', '/api/plans', plan)).json().id
    const geojson = await call('GET', `/api/plans/${id}/export?format=geojson`)
    expect(geojson.headers['content-disposition']).toContain('phusong-plan-ta-xua-2026.geojson')
    const fc = JSON.parse(geojson.body)
    expect(fc.features.map((f: { properties: { azimuthsDeg: string } }) => f.properties.azimuthsDeg)).toEqual(['0/120/240', 'omni'])
    const k = await call('GET', `/api/plans/${id}/export?format=kml`)
    expect(k.headers['content-type']).toMatch(/kml/)
    const fromKml = kml(new DOMParser().parseFromString(k.body, 'text/xml') as unknown as Document)
    expect(fromKml.features.map((f) => f.properties?.['name'])).toEqual(['Đỉnh A', 'Tà Xùa 2026 #2'])
    expect(fromKml.features[1]!.geometry).toMatchObject({ type: 'Point', coordinates: [104.05, 21.36] })
    const csv = await call('GET', `/api/plans/${id}/export?format=csv`)
    const rows = parse(csv.body.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({ lon: '103.95', lat: '21.35', plan: 'Tà Xùa 2026', operator: 'viettel', heightM: '30', sectorCount: '3', frequenciesMhz: '1800' })
  })

  it('refuses bad input with the position of the problem and stores nothing', async () => {
    const noAzimuth = await call('POST', '/api/plans', { ...plan, sites: [plan.sites[0], { lon: 104, lat: 21.3, heightM: 30, sectors: [{ beamwidthDeg: 65 }] }] })
    expect(noAzimuth.statusCode).toBe(400)
    expect(noAzimuth.json().errors[0]).toMatchObject({ field: 'sites[1].sectors[0].azimuthDeg' })
    const outside = await call('POST', '/api/plans', { ...plan, sites: [{ ...plan.sites[0], lon: 2.35, lat: 48.85 }] })
    expect(outside.statusCode).toBe(400)
    expect(outside.json().code).toBe('outside-vietnam')
    expect((await call('POST', '/api/plans', { ...plan, operatorCode: 'nobody' })).statusCode).toBe(400)
    expect((await call('POST', '/api/plans', { ...plan, sites: [{ ...plan.sites[0], heightM: 500 }] })).statusCode).toBe(400)
    // A candidate site of another operator cannot be a site of this plan.
    const cand = await call('POST', '/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [103.96, 21.34] }, properties: { code: 'C1', operatorCode: 'vnpt', status: 'candidate' } })
    const wrong = await call('POST', '/api/plans', { ...plan, sites: [{ ...plan.sites[0], candidateSiteId: cand.json().id }] })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json()).toMatchObject({ code: 'unknown-reference', errors: [{ field: 'sites[0].candidateSiteId' }] })
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM plans`.execute(ctx.db)).rows[0]!.n).toBe(0)
    // The same name twice for one operator: 409, the first plan untouched.
    expect((await call('POST', '/api/plans', plan)).statusCode).toBe(201)
    expect((await call('POST', '/api/plans', plan)).statusCode).toBe(409)
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM plan_sites`.execute(ctx.db)).rows[0]!.n).toBe(2)
  })

  it('is private: no plan route answers the public', async () => {
    const id = (await call('POST', '/api/plans', plan)).json().id
    for (const url of ['/api/plans', `/api/plans/${id}`, `/api/plans/${id}/export?format=csv`]) {
      const res = await call('GET', url, undefined, {})
      expect(res.statusCode, url).toBe(401)
      expect(res.headers['content-type']).toMatch(/problem\+json/)
    }
    expect((await call('DELETE', `/api/plans/${id}`, undefined, {})).statusCode).toBe(401)
  })
})
