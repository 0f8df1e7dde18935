import { describe, expect, it } from 'vitest'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'

/**
 * Visibility by role (services/access/viewer.ts), per route: a public request
 * never sees planned or candidate sites (nor their sectors), fibre an operator
 * owns, or unverified status reports — not in a list, not by id (404, as if
 * absent), not in an export; the admin token sees them. OGC collections:
 * ogc-features.test.ts.
 */
describe.each(enginesUnderTest())('visibility by role on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)
  const post = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url, headers: AUTH, payload })
  const asPublic = (url: string) => ctx.app.inject({ url })
  const asAdmin = (url: string) => ctx.app.inject({ url, headers: AUTH })

  /** Hidden and visible things of every layer, with their ids. */
  async function createHiddenAndVisible() {
    const site = async (code: string, status: string, lon: number) => {
      const res = await post('/api/sites', { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, 21.35] }, properties: { code, operatorCode: 'viettel', status } })
      expect(res.statusCode, res.body).toBe(201)
      const id = res.json().id as number
      const sector = await post('/api/sectors', { siteId: id, technology: '4G', frequencyMhz: 1800, azimuthDeg: 0, heightM: 30, eirpDbm: 60, gainDbi: 17 })
      expect(sector.statusCode, sector.body).toBe(201)
      return { id, sectorId: sector.json().id as number }
    }
    const existing = await site('S-EXISTING', 'existing', 103.95)
    const planned = await site('S-PLANNED', 'planned', 103.96)
    const candidate = await site('S-CANDIDATE', 'candidate', 103.97)
    const fibre = async (code: string, owner: object) => {
      const res = await post('/api/fibre', { type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.92, 21.35], [103.98, 21.36]] }, properties: { code, ...owner } })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as number
    }
    const operatorFibre = await fibre('F-VIETTEL', { ownerCode: 'viettel' })
    const otherFibre = await fibre('F-EVN', { ownerName: 'EVN Sơn La' })
    const v = await post('/api/villages', { type: 'Feature', geometry: { type: 'Point', coordinates: [103.95, 21.35] }, properties: { code: 'V1', name: 'Bản Một', communeCode: '04001' } })
    expect(v.statusCode, v.body).toBe(201)
    const villageId = v.json().id as number
    const report = async (verified: boolean, observedStatus: string, reportedOn: string) => {
      const res = await post(`/api/villages/${villageId}/reports`, { reportedOn, observedStatus, source: 'citizen', verified })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as number
    }
    const verified = await report(true, 'good', '2025-01-10')
    const unverified = await report(false, 'none', '2025-02-10')
    return { existing, planned, candidate, operatorFibre, otherFibre, villageId, verified, unverified }
  }

  const codes = (body: { features: Array<{ properties: { code: string } }> }) => body.features.map((f) => f.properties.code).sort()

  it('sites: the public lists and reads existing sites only; planned and candidate ones are 404; the admin sees them all', async () => {
    const w = await createHiddenAndVisible()
    const pub = (await asPublic('/api/sites')).json()
    expect(codes(pub)).toEqual(['S-EXISTING'])
    expect(pub.numberMatched).toBe(1)
    expect((await asPublic('/api/sites?status=planned,candidate')).json()).toMatchObject({ numberMatched: 0, features: [] })
    expect((await asPublic('/api/sites?commune=04001')).json().numberMatched).toBe(1)
    for (const id of [w.planned.id, w.candidate.id]) {
      const res = await asPublic(`/api/sites/${id}`)
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ code: 'not-found' })
    }
    expect((await asPublic(`/api/sites/${w.existing.id}`)).statusCode).toBe(200)
    expect(codes((await asAdmin('/api/sites')).json())).toEqual(['S-CANDIDATE', 'S-EXISTING', 'S-PLANNED'])
    expect((await asAdmin(`/api/sites/${w.planned.id}`)).json().properties).toMatchObject({ code: 'S-PLANNED', status: 'planned' })
  })

  it('sectors: the sectors of planned and candidate sites are hidden from the public, in lists, under their site and by id', async () => {
    const w = await createHiddenAndVisible()
    const pub = (await asPublic('/api/sectors')).json()
    expect(pub.features.map((f: { id: number }) => f.id)).toEqual([w.existing.sectorId])
    expect((await asPublic(`/api/sectors?site=${w.planned.id}`)).json().numberMatched).toBe(0)
    expect((await asPublic(`/api/sectors/${w.candidate.sectorId}`)).statusCode).toBe(404)
    expect((await asPublic(`/api/sectors/${w.existing.sectorId}`)).statusCode).toBe(200)
    expect((await asAdmin('/api/sectors')).json().numberMatched).toBe(3)
    expect((await asAdmin(`/api/sectors/${w.candidate.sectorId}`)).statusCode).toBe(200)
  })

  it('fibre: operator-owned routes are hidden from the public (list, owner filter, by id); other owners\' routes are public', async () => {
    const w = await createHiddenAndVisible()
    expect(codes((await asPublic('/api/fibre')).json())).toEqual(['F-EVN'])
    expect((await asPublic('/api/fibre?operator=viettel')).json().numberMatched).toBe(0)
    expect((await asPublic(`/api/fibre/${w.operatorFibre}`)).statusCode).toBe(404)
    expect((await asPublic(`/api/fibre/${w.otherFibre}`)).json().properties).toMatchObject({ code: 'F-EVN', ownerCode: null, ownerName: 'EVN Sơn La' })
    expect(codes((await asAdmin('/api/fibre')).json())).toEqual(['F-EVN', 'F-VIETTEL'])
    expect((await asAdmin(`/api/fibre/${w.operatorFibre}`)).statusCode).toBe(200)
  })

  it('status reports: the public sees verified reports only (lists, a village\'s reports, by id)', async () => {
    const w = await createHiddenAndVisible()
    const ids = (body: { reports: Array<{ id: number }> }) => body.reports.map((r) => r.id)
    expect(ids((await asPublic('/api/reports')).json())).toEqual([w.verified])
    expect((await asPublic('/api/reports?verified=false')).json()).toMatchObject({ numberMatched: 0, reports: [] })
    expect(ids((await asPublic(`/api/villages/${w.villageId}/reports`)).json())).toEqual([w.verified])
    expect((await asPublic(`/api/reports/${w.unverified}`)).statusCode).toBe(404)
    expect((await asPublic(`/api/reports/${w.verified}`)).statusCode).toBe(200)
    expect(ids((await asAdmin('/api/reports')).json())).toEqual([w.unverified, w.verified])
    expect(ids((await asAdmin('/api/reports?verified=false')).json())).toEqual([w.unverified])
    expect((await asAdmin(`/api/reports/${w.unverified}`)).statusCode).toBe(200)
  })

  it('exports: each layer holds what the viewer may see', async () => {
    await createHiddenAndVisible()
    const exported = async (layer: string, admin: boolean) => {
      const res = admin ? await asAdmin(`/api/export/${layer}?format=geojson`) : await asPublic(`/api/export/${layer}?format=geojson`)
      expect(res.statusCode, res.body).toBe(200)
      return (JSON.parse(res.body) as { features: Array<{ properties: Record<string, unknown> }> }).features.map((f) => f.properties)
    }
    expect((await exported('sites', false)).map((p) => p['code'])).toEqual(['S-EXISTING'])
    expect((await exported('sites', true)).map((p) => p['code']).sort()).toEqual(['S-CANDIDATE', 'S-EXISTING', 'S-PLANNED'])
    expect((await exported('sectors', false)).map((p) => p['siteCode'])).toEqual(['S-EXISTING'])
    expect(await exported('sectors', true)).toHaveLength(3)
    expect((await exported('fibre', false)).map((p) => p['code'])).toEqual(['F-EVN'])
    expect(await exported('fibre', true)).toHaveLength(2)
    expect((await exported('status-reports', false)).map((p) => p['verified'])).toEqual([true])
    expect(await exported('status-reports', true)).toHaveLength(2)
    const csv = await asPublic('/api/export/sites?format=csv')
    expect(csv.body).toContain('S-EXISTING')
    expect(csv.body).not.toContain('S-PLANNED')
  })

  it('indicators: a village\'s observed status and the figures never rest on an unverified report for the public', async () => {
    await createHiddenAndVisible()
    // Latest report: the unverified "none" of 2025-02-10; the verified "good" of 2025-01-10 before it.
    const villages = async (admin: boolean) => {
      const url = '/api/indicators/villages?commune=04001&date=2025-03-01&requireVerified=false'
      const res = admin ? await asAdmin(url) : await asPublic(url)
      expect(res.statusCode, res.body).toBe(200)
      return res.json().villages[0] as { observed: string | null; official: string; report: { verified: boolean } | null }
    }
    expect(await villages(false)).toMatchObject({ observed: 'good', official: 'good', report: { verified: true } })
    expect(await villages(true)).toMatchObject({ observed: 'none', official: 'none', report: { verified: false } })
    const none = async (admin: boolean) => {
      const url = '/api/indicators?commune=04001&date=2025-03-01&requireVerified=false'
      const body = (admin ? await asAdmin(url) : await asPublic(url)).json() as { total: Array<{ key: string; value: number }> }
      return body.total.find((f) => f.key === 'villages_none')!.value
    }
    expect(await none(false)).toBe(0)
    expect(await none(true)).toBe(1)
  })

  it('answers a wrong bearer token with 401 problem+json (never a silent public view)', async () => {
    for (const url of ['/api/sites', '/api/fibre', '/api/reports', '/ogc/collections/sites/items']) {
      const res = await ctx.app.inject({ url, headers: { authorization: 'Bearer not-the-token' } })
      expect(res.statusCode, url).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ code: 'unauthorized', status: 401 })
    }
  })
})
