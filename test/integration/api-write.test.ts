import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] })
const villageBody = (over: Record<string, unknown> = {}, props: Record<string, unknown> = {}) => ({
  type: 'Feature', geometry: point(103.95, 21.35),
  properties: { code: 'A-001', name: 'Bản Nà Tấu', communeCode: '04001', population: 420, households: 88, hasGridPower: true, ...props },
  ...over,
})

describe.each(enginesUnderTest())('write API on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)

  const post = (url: string, payload: object, headers: Record<string, string> = AUTH) => ctx.app.inject({ method: 'POST', url, headers, payload })
  const patch = (url: string, payload: object) => ctx.app.inject({ method: 'PATCH', url, headers: AUTH, payload })
  const count = async (table: 'villages' | 'sites' | 'sectors' | 'fibre_routes' | 'audit_log') =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(ctx.db)).rows[0]!.n)

  it('creates a village: 201, Location, the stored feature, its search form and an audit entry', async () => {
    const res = await post('/api/villages', villageBody())
    expect(res.statusCode).toBe(201)
    const v = res.json()
    expect(res.headers.location).toBe(`/api/villages/${v.id}`)
    expect(v).toMatchObject({ type: 'Feature', geometry: point(103.95, 21.35), properties: { code: 'A-001', communeName: 'Chiềng Sơn', population: 420, hasGridPower: true, synthetic: false } })
    const stored = await sql<{ name_search: string }>`SELECT name_search FROM villages WHERE id = ${v.id}`.execute(ctx.db)
    expect(stored.rows[0]!.name_search).toBe('ban na tau')
    const audit = await sql<{ action: string; entity: string; entity_id: string }>`SELECT action, entity, entity_id FROM audit_log`.execute(ctx.db)
    expect(audit.rows).toEqual([{ action: 'create', entity: 'village', entity_id: String(v.id) }])
  })

  it('drops a Z coordinate and keeps lon/lat', async () => {
    const res = await post('/api/villages', villageBody({ geometry: { type: 'Point', coordinates: [103.95, 21.35, 812] } }))
    expect(res.statusCode).toBe(201)
    expect(res.json().geometry).toEqual(point(103.95, 21.35))
  })

  it('rejects swapped lat/lon with 400 outside-vietnam naming the cause, and writes nothing', async () => {
    const res = await post('/api/villages', villageBody({ geometry: point(21.35, 103.95) }))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'outside-vietnam', errors: [{ field: 'geometry', value: [21.35, 103.95] }] })
    expect(res.json().detail).toMatch(/swapped/)
    expect(await count('villages')).toBe(0)
    expect(await count('audit_log')).toBe(0)
  })

  it('rejects projected metres declared as degrees', async () => {
    const res = await post('/api/villages', villageBody({ geometry: point(434567.1, 2361234.5) }))
    expect(res.statusCode).toBe(400)
    expect(res.json().detail).toMatch(/projected coordinates/)
  })

  it('rejects a self-intersecting village area with the PostGIS reason, and writes nothing', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[103.94, 21.34], [103.96, 21.36], [103.96, 21.34], [103.94, 21.36], [103.94, 21.34]]] }
    const res = await post('/api/villages', villageBody({ areaGeometry: bowtie }))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'invalid-geometry', errors: [{ field: 'areaGeometry' }] })
    expect(res.json().detail).toMatch(/Self-intersection/)
    expect(await count('villages')).toBe(0)
  })

  it('rejects an unclosed ring with a structural reason', async () => {
    const open = { type: 'Polygon', coordinates: [[[103.94, 21.34], [103.96, 21.36], [103.96, 21.34], [103.95, 21.33]]] }
    const res = await post('/api/villages', villageBody({ areaGeometry: open }))
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('invalid-geometry')
    expect(res.json().detail).toMatch(/first and last positions/)
  })

  it('stores a valid village area as a MultiPolygon', async () => {
    const area = { type: 'Polygon', coordinates: [[[103.94, 21.34], [103.96, 21.34], [103.96, 21.36], [103.94, 21.36], [103.94, 21.34]]] }
    const res = await post('/api/villages', villageBody({ areaGeometry: area }))
    expect(res.statusCode).toBe(201)
    expect(res.json().areaGeometry.type).toBe('MultiPolygon')
  })

  it.each([
    [{ properties: { name: 'Bản A', communeCode: '04001' } }, 'properties.code', /required/],
    [{ properties: { code: 'X', name: '  ', communeCode: '04001' } }, 'properties.name', /pattern/],
    [{ properties: { code: 'X', name: 'Bản A', communeCode: '04001', population: -3 } }, 'properties.population', />= 0/],
    [{ properties: { code: 'X', name: 'Bản A', communeCode: '04001', color: 'red' } }, 'properties.color', /unknown property/],
    [{ geometry: { type: 'Point', coordinates: [103.9] } }, 'geometry.coordinates', /fewer than 2/],
  ])('rejects a bad village body (%#) with the field named', async (over, field, reason) => {
    const res = await post('/api/villages', { ...villageBody(), ...over })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.code).toBe('validation-failed')
    expect(body.errors.some((e: { field: string; reason: string }) => e.field === field && reason.test(e.reason))).toBe(true)
    expect(await count('villages')).toBe(0)
  })

  it('rejects an unknown commune with 400 unknown-reference', async () => {
    const res = await post('/api/villages', villageBody({}, { communeCode: '09999' }))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'unknown-reference', errors: [{ field: 'properties.communeCode', value: '09999' }] })
  })

  it('rejects a duplicate village code with 409 and keeps the first', async () => {
    expect((await post('/api/villages', villageBody())).statusCode).toBe(201)
    const dup = await post('/api/villages', villageBody({}, { name: 'Bản Khác' }))
    expect(dup.statusCode).toBe(409)
    expect(dup.json()).toMatchObject({ code: 'duplicate-code', errors: [{ field: 'code', value: 'A-001' }] })
    expect(await count('villages')).toBe(1)
  })

  it('updates some fields of a village, moves it to another commune, and leaves the rest', async () => {
    const v = (await post('/api/villages', villageBody())).json()
    const res = await patch(`/api/villages/${v.id}`, { geometry: point(104.05, 21.35), properties: { communeCode: '04002', hasGridPower: false, name: 'Bản Mới' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ geometry: point(104.05, 21.35), properties: { communeCode: '04002', hasGridPower: false, name: 'Bản Mới', population: 420 } })
    expect((await ctx.app.inject('/api/villages?q=ban moi')).json().numberMatched).toBe(1)
    const bad = await patch(`/api/villages/${v.id}`, { geometry: point(120.5, 21.35) })
    expect(bad.statusCode).toBe(400)
    expect((await ctx.app.inject(`/api/villages/${v.id}`)).json().geometry).toEqual(point(104.05, 21.35))
    expect((await patch('/api/villages/999999', { properties: { population: 1 } })).statusCode).toBe(404)
  })

  it('creates and updates a site and its sectors, checking dates, operator and ranges', async () => {
    const created = await post('/api/sites', { type: 'Feature', geometry: point(103.95, 21.35), properties: { code: 'VTL-1', operatorCode: 'viettel', groundElevationM: 812, commissionedOn: '2019-05-01' } })
    expect(created.statusCode).toBe(201)
    const site = created.json()
    expect(site.properties).toMatchObject({ status: 'existing', commissionedOn: '2019-05-01', groundElevationM: 812, sectors: [] })

    const badDates = await patch(`/api/sites/${site.id}`, { properties: { status: 'decommissioned', decommissionedOn: '2018-01-01' } })
    expect(badDates.statusCode).toBe(400)
    expect(badDates.json().errors[0].field).toBe('properties.decommissionedOn')
    const decom = await patch(`/api/sites/${site.id}`, { properties: { status: 'decommissioned', decommissionedOn: '2024-06-30' } })
    expect(decom.json().properties).toMatchObject({ status: 'decommissioned', decommissionedOn: '2024-06-30' })

    const unknownOperator = await post('/api/sites', { type: 'Feature', geometry: point(103.95, 21.35), properties: { code: 'X-1', operatorCode: 'telco' } })
    expect(unknownOperator.json()).toMatchObject({ code: 'unknown-reference', errors: [{ field: 'properties.operatorCode' }] })

    const sector = { siteId: site.id, technology: '4G', frequencyMhz: 1800, azimuthDeg: 120, beamwidthDeg: 65, electricalTiltDeg: 4, mechanicalTiltDeg: 2, heightM: 30, eirpDbm: 60, gainDbi: 17 }
    const s = await post('/api/sectors', sector)
    expect(s.statusCode).toBe(201)
    expect(s.json().properties).toMatchObject({ siteCode: 'VTL-1', azimuthDeg: 120, electricalTiltDeg: 4 })
    expect((await post('/api/sectors', { ...sector, azimuthDeg: 360 })).json().errors[0]).toMatchObject({ field: 'azimuthDeg' })
    expect((await post('/api/sectors', { ...sector, eirpDbm: 120 })).json().errors[0]).toMatchObject({ field: 'eirpDbm' })
    expect((await post('/api/sectors', { ...sector, heightM: 0 })).json().errors[0]).toMatchObject({ field: 'heightM' })
    const noAzimuth = await post('/api/sectors', { ...sector, azimuthDeg: null })
    expect(noAzimuth.json(), noAzimuth.body).toMatchObject({ code: 'validation-failed', errors: [{ field: 'azimuthDeg', reason: expect.stringMatching(/required/) }] })
    expect((await post('/api/sectors', { ...sector, azimuthDeg: null, beamwidthDeg: 360 })).statusCode).toBe(201)
    expect((await post('/api/sectors', { ...sector, siteId: 424242 })).json()).toMatchObject({ code: 'unknown-reference' })
    const tilted = await patch(`/api/sectors/${s.json().id}`, { electricalTiltDeg: 6 })
    expect(tilted.json().properties).toMatchObject({ electricalTiltDeg: 6, azimuthDeg: 120 })
    expect(await count('sectors')).toBe(2)
  })

  it('creates and updates a fibre route; a line outside Vietnam or too short is refused', async () => {
    const f = await post('/api/fibre', { type: 'Feature', geometry: { type: 'MultiLineString', coordinates: [[[103.92, 21.35], [103.98, 21.36]]] }, properties: { code: 'F-1', ownerName: 'VNPT Sơn La', status: 'planned' } })
    expect(f.statusCode).toBe(201)
    expect(f.json().properties).toMatchObject({ ownerCode: null, ownerName: 'VNPT Sơn La', status: 'planned' })
    const updated = await patch(`/api/fibre/${f.json().id}`, { properties: { status: 'existing', ownerCode: 'vnpt' } })
    expect(updated.json().properties).toMatchObject({ status: 'existing', ownerCode: 'vnpt' })
    const outside = await post('/api/fibre', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35], [100.0, 21.36]] }, properties: { code: 'F-2', ownerCode: 'vnpt' } })
    expect(outside.json()).toMatchObject({ code: 'outside-vietnam' })
    const short = await post('/api/fibre', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35]] }, properties: { code: 'F-3', ownerCode: 'vnpt' } })
    expect(short.statusCode).toBe(400)
    const noOwner = await post('/api/fibre', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35], [103.93, 21.35]] }, properties: { code: 'F-4' } })
    expect(noOwner.json().errors[0]).toMatchObject({ field: 'properties.ownerCode' })
    expect(await count('fibre_routes')).toBe(1)
  })

  it('requires the admin token to write: 401 without or with a wrong one', async () => {
    const none = await post('/api/villages', villageBody(), {})
    expect(none.statusCode).toBe(401)
    expect(none.json().code).toBe('unauthorized')
    const wrong = await post('/api/villages', villageBody(), { authorization: 'Bearer not-the-token-at-all' })
    expect(wrong.statusCode).toBe(401)
    expect(await count('villages')).toBe(0)
  })

  it('answers a malformed JSON body with 400 problem+json', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/villages', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"type": "Feature",' })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})

describe.each(enginesUnderTest())('a read-only deployment on the %s engine', (engine) => {
  it('refuses writes with 403 when no ADMIN_TOKEN is configured', async () => {
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', LOAD_SAMPLE: 'false' }), { database: await sharedDatabase(engine) })
    try {
      const res = await app.inject({ method: 'POST', url: '/api/villages', headers: AUTH, payload: villageBody() })
      expect(res.statusCode).toBe(403)
      expect(res.json().code).toBe('writes-disabled')
    } finally {
      await app.close()
    }
  })
})
