import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { todayInVietnam } from '../../server/lib/vietnam-time.ts'
import { enginesUnderTest } from '../helpers/engines.ts'
import { AUTH, useAppOnWorld } from '../helpers/test-app.ts'

interface Problem { code: string; detail: string; errors: Array<{ field?: string; feature?: number; reason: string; value?: unknown }> }
interface AuditRow { actor: string; action: string; entity: string; entity_id: string | null; details: Record<string, unknown> }

/** A day `days` after today in Vietnam, YYYY-MM-DD. */
const dayFromToday = (days: number) => new Date(Date.parse(`${todayInVietnam()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] })
/** A measurement Feature inside commune A (Chiềng Sơn, 103.9–104.0 E); `props` replaces properties. */
const sample = (props: Record<string, unknown> = {}, geometry = point(103.95, 21.35)) => ({
  type: 'Feature', geometry,
  properties: { measuredAt: '2025-05-01T08:30:00+07:00', technology: '4G', operatorCode: 'viettel', rsrpDbm: -104.5, source: 'drive_test', ...props },
})
const batch = (features: object[]) => ({ type: 'FeatureCollection', features })

describe.each(enginesUnderTest())('field reports and measurements API on the %s engine', (engine) => {
  const ctx = useAppOnWorld(engine)

  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = AUTH) =>
    ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
  const get = (url: string) => ctx.app.inject(url)
  /** Reports as the admin reads them (unverified ones too; what the public sees: visibility.test.ts). */
  const asAdmin = (url: string) => ctx.app.inject({ url, headers: AUTH })
  const count = async (table: 'village_status_reports' | 'measurements' | 'audit_log') =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(ctx.db)).rows[0]!.n)
  const audit = async (entity: string) =>
    (await sql<AuditRow>`SELECT actor, action, entity, entity_id, details FROM audit_log WHERE entity = ${entity} ORDER BY id`.execute(ctx.db)).rows

  async function village(code: string, communeCode: string, lon: number): Promise<number> {
    const res = await send('POST', '/api/villages', { type: 'Feature', geometry: point(lon, 21.35), properties: { code, name: `Bản ${code}`, communeCode } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as number
  }

  describe('field reports', () => {
    it('creates, lists latest first, verifies and deletes a report, each write in the audit log with before and after', async () => {
      const v = await village('A-1', '04001', 103.95)
      const first = await send('POST', `/api/villages/${v}/reports`, { reportedOn: '2025-03-02', observedStatus: 'weak', source: 'citizen' })
      expect(first.statusCode, first.body).toBe(201)
      const r1 = first.json()
      expect(first.headers.location).toBe(`/api/reports/${r1.id}`)
      expect(r1).toMatchObject({
        villageId: v, villageCode: 'A-1', communeCode: '04001', reportedOn: '2025-03-02', observedStatus: 'weak',
        operatorCode: null, technology: null, source: 'citizen', verified: false, note: null,
      })
      const second = await send('POST', `/api/villages/${v}/reports`, {
        reportedOn: '2025-06-10', observedStatus: 'none', source: 'commune_office', operatorCode: 'viettel', technology: '4G', note: '  trắng sóng ở đầu bản ',
      })
      expect(second.statusCode, second.body).toBe(201)
      const r2 = second.json()
      expect(r2).toMatchObject({ operatorCode: 'viettel', technology: '4G', note: 'trắng sóng ở đầu bản' })

      const list = (await asAdmin(`/api/villages/${v}/reports`)).json()
      expect(list).toMatchObject({ numberMatched: 2, numberReturned: 2 })
      expect(list.reports.map((r: { id: number }) => r.id)).toEqual([r2.id, r1.id])

      const verified = await send('PATCH', `/api/reports/${r2.id}`, { verified: true })
      expect(verified.statusCode, verified.body).toBe(200)
      expect(verified.json()).toMatchObject({ id: r2.id, verified: true, observedStatus: 'none', note: 'trắng sóng ở đầu bản' })
      expect((await asAdmin(`/api/reports/${r2.id}`)).json().verified).toBe(true)

      const deleted = await send('DELETE', `/api/reports/${r1.id}`)
      expect(deleted.statusCode).toBe(204)
      expect(deleted.body).toBe('')
      expect((await asAdmin(`/api/reports/${r1.id}`)).statusCode).toBe(404)
      expect((await asAdmin(`/api/villages/${v}/reports`)).json().reports.map((r: { id: number }) => r.id)).toEqual([r2.id])

      const entries = await audit('village_status_report')
      expect(entries.map((e) => [e.action, e.entity_id, e.actor])).toEqual([
        ['create', String(r1.id), 'admin-token'], ['create', String(r2.id), 'admin-token'],
        ['update', String(r2.id), 'admin-token'], ['delete', String(r1.id), 'admin-token'],
      ])
      expect(entries[0]!.details).toMatchObject({ before: null, after: { id: r1.id, observedStatus: 'weak' } })
      expect(entries[2]!.details).toMatchObject({ fields: ['verified'], before: { verified: false }, after: { verified: true } })
      expect(entries[3]!.details).toMatchObject({ before: { id: r1.id, reportedOn: '2025-03-02', observedStatus: 'weak' }, after: null })
    })

    it('accepts a report dated today in Vietnam and refuses tomorrow with 400 naming reportedOn; nothing written', async () => {
      const v = await village('A-1', '04001', 103.95)
      const today = await send('POST', `/api/villages/${v}/reports`, { reportedOn: todayInVietnam(), observedStatus: 'good', source: 'operator' })
      expect(today.statusCode, today.body).toBe(201)
      const future = await send('POST', `/api/villages/${v}/reports`, { reportedOn: dayFromToday(1), observedStatus: 'good', source: 'operator' })
      expect(future.statusCode).toBe(400)
      expect(future.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(future.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'reportedOn', location: 'body', value: dayFromToday(1) }] })
      expect(future.json().detail).toMatch(/future/)
      const patchFuture = await send('PATCH', `/api/reports/${today.json().id}`, { reportedOn: dayFromToday(2) })
      expect(patchFuture.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'reportedOn' }] })
      expect(await count('village_status_reports')).toBe(1)
      expect((await audit('village_status_report')).length).toBe(1)
    })

    it.each([
      [{ observedStatus: 'good', source: 'citizen' }, 'reportedOn', /required/],
      [{ reportedOn: '2025-02-30', observedStatus: 'good', source: 'citizen' }, 'reportedOn', /format "date"/],
      [{ reportedOn: '1925-05-01', observedStatus: 'good', source: 'citizen' }, 'reportedOn', /before 2000/],
      [{ reportedOn: '2025-05-01', observedStatus: 'chập chờn', source: 'citizen' }, 'observedStatus', /must be equal to constant|anyOf/],
      [{ reportedOn: '2025-05-01', observedStatus: 'good' }, 'source', /required/],
      [{ reportedOn: '2025-05-01', observedStatus: 'good', source: 'citizen', technology: '6G' }, 'technology', /constant|anyOf/],
      [{ reportedOn: '2025-05-01', observedStatus: 'good', source: 'citizen', verified: 'yes' }, 'verified', /boolean/],
      [{ reportedOn: '2025-05-01', observedStatus: 'good', source: 'citizen', colour: 'red' }, 'colour', /unknown property/],
    ])('refuses a bad report (%#) with 400 naming the field', async (body, field, reason) => {
      const v = await village('A-1', '04001', 103.95)
      const res = await send('POST', `/api/villages/${v}/reports`, body)
      expect(res.statusCode).toBe(400)
      const problem = res.json() as Problem
      expect(problem.code).toBe('validation-failed')
      expect(problem.errors.some((e) => e.field === field && reason.test(e.reason)), res.body).toBe(true)
      expect(await count('village_status_reports')).toBe(0)
    })

    it('refuses an unknown operator with 400 unknown-reference and an empty or unknown-field patch with 400', async () => {
      const v = await village('A-1', '04001', 103.95)
      const res = await send('POST', `/api/villages/${v}/reports`, { reportedOn: '2025-05-01', observedStatus: 'good', source: 'operator', operatorCode: 'telco' })
      expect(res.json()).toMatchObject({ code: 'unknown-reference', errors: [{ field: 'operatorCode', value: 'telco' }] })
      const r = (await send('POST', `/api/villages/${v}/reports`, { reportedOn: '2025-05-01', observedStatus: 'good', source: 'operator' })).json()
      expect((await send('PATCH', `/api/reports/${r.id}`, {})).statusCode).toBe(400)
      const unknownField = await send('PATCH', `/api/reports/${r.id}`, { verified: true, villageId: 3 })
      expect(unknownField.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'villageId', reason: 'unknown property' }] })
      expect((await asAdmin(`/api/reports/${r.id}`)).json().verified).toBe(false)
    })

    it('answers 404 for an unknown village or report, and 401 without the token', async () => {
      const body = { reportedOn: '2025-05-01', observedStatus: 'good', source: 'citizen' }
      const post = await send('POST', '/api/villages/999999/reports', body)
      expect(post.statusCode).toBe(404)
      expect(post.json()).toMatchObject({ code: 'not-found', detail: 'Village 999999 does not exist' })
      expect((await get('/api/villages/999999/reports')).statusCode).toBe(404)
      expect((await send('PATCH', '/api/reports/999999', { verified: true })).statusCode).toBe(404)
      expect((await send('DELETE', '/api/reports/999999')).statusCode).toBe(404)
      const v = await village('A-1', '04001', 103.95)
      expect((await send('POST', `/api/villages/${v}/reports`, body, {})).statusCode).toBe(401)
      expect(await count('village_status_reports')).toBe(0)
      expect((await audit('village_status_report')).length).toBe(0)
    })

    it('filters /api/reports by commune, village, dates, source and verification, latest first', async () => {
      const a = await village('A-1', '04001', 103.95)
      const b = await village('B-1', '04002', 104.05)
      const report = async (v: number, reportedOn: string, source: string, verified: boolean) =>
        (await send('POST', `/api/villages/${v}/reports`, { reportedOn, observedStatus: 'weak', source, verified })).json().id as number
      const a1 = await report(a, '2025-01-15', 'commune_office', true)
      const a2 = await report(a, '2025-04-01', 'citizen', false)
      const b1 = await report(b, '2025-03-01', 'community_digital_team', true)
      const ids = async (query: string) => {
        const res = await asAdmin(`/api/reports${query}`)
        expect(res.statusCode, res.body).toBe(200)
        return res.json().reports.map((r: { id: number }) => r.id)
      }
      expect(await ids('')).toEqual([a2, b1, a1])
      expect(await ids('?commune=04001')).toEqual([a2, a1])
      expect(await ids(`?village=${b}`)).toEqual([b1])
      expect(await ids('?from=2025-02-01&to=2025-03-31')).toEqual([b1])
      expect(await ids('?from=2025-03-01&to=2025-03-01')).toEqual([b1])
      expect(await ids('?source=commune_office,citizen')).toEqual([a2, a1])
      expect(await ids('?verified=true')).toEqual([b1, a1])
      expect(await ids('?verified=false&commune=04001')).toEqual([a2])
      const paged = (await asAdmin('/api/reports?limit=1&offset=1')).json()
      expect(paged).toMatchObject({ numberMatched: 3, numberReturned: 1, reports: [{ id: b1 }] })

      const badSource = await asAdmin('/api/reports?source=neighbour')
      expect(badSource.statusCode).toBe(400)
      expect(badSource.json()).toMatchObject({ errors: [{ field: 'source', location: 'querystring', value: 'neighbour' }] })
      expect((await asAdmin('/api/reports?from=2025-05-01&to=2025-01-01')).json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'from' }] })
      expect((await asAdmin('/api/reports?from=01/05/2025')).json()).toMatchObject({ errors: [{ field: 'from', location: 'querystring' }] })
    })

    it('deleting a village deletes its reports', async () => {
      const v = await village('A-1', '04001', 103.95)
      await send('POST', `/api/villages/${v}/reports`, { reportedOn: '2025-05-01', observedStatus: 'good', source: 'citizen' })
      await sql`DELETE FROM villages WHERE id = ${v}`.execute(ctx.db)
      expect(await count('village_status_reports')).toBe(0)
    })
  })

  it('shows the report and measurement routes in the OpenAPI document', async () => {
    const doc = (await get('/docs/json')).json<{ paths: Record<string, Record<string, unknown>> }>()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/villages/{id}/reports', '/api/reports', '/api/reports/{id}', '/api/measurements/', '/api/measurements/{id}',
    ]))
    expect(Object.keys(doc.paths['/api/reports/{id}']!)).toEqual(expect.arrayContaining(['get', 'patch', 'delete']))
  })

  describe('measurements', () => {
    it('writes a batch in one go with one audit entry and lists it as GeoJSON', async () => {
      const res = await send('POST', '/api/measurements', batch([
        sample(),
        sample({ operatorCode: 'vnpt', rsrpDbm: null, rsrqDb: -12, sinrDb: 3.5, source: undefined, device: 'Samsung A14', attributes: { speedKmh: 32 } }),
        sample({ operatorCode: null, technology: '3G', measuredAt: '2025-05-02T01:00:00Z' }, point(104.05, 21.35)),
      ]))
      expect(res.statusCode, res.body).toBe(201)
      const { created, ids } = res.json()
      expect(created).toBe(3)
      expect(ids).toHaveLength(3)
      expect(res.headers.location).toBeUndefined()

      const list = (await get('/api/measurements')).json()
      expect(list).toMatchObject({ type: 'FeatureCollection', numberMatched: 3, numberReturned: 3 })
      expect(list.features[0]).toMatchObject({
        type: 'Feature', id: ids[0], geometry: point(103.95, 21.35),
        properties: { id: ids[0], measuredAt: '2025-05-01T01:30:00.000Z', operatorCode: 'viettel', technology: '4G', rsrpDbm: -104.5, rsrqDb: null, sinrDb: null, source: 'drive_test', device: null },
      })
      expect(list.features[1].properties).toMatchObject({ operatorCode: 'vnpt', rsrpDbm: null, rsrqDb: -12, sinrDb: 3.5, source: 'field_team', device: 'Samsung A14', attributes: { speedKmh: 32 } })

      const entries = await audit('measurement')
      expect(entries).toHaveLength(1)
      expect(entries[0]).toMatchObject({ action: 'create', entity_id: null, details: { count: 3, ids } })
    })

    it('one bad item refuses the whole batch: nothing written, the error names its index and field', async () => {
      const res = await send('POST', '/api/measurements', batch([sample(), sample(), sample({ rsrpDbm: -10 }), sample()]))
      expect(res.statusCode).toBe(400)
      const problem = res.json() as Problem
      expect(problem).toMatchObject({ code: 'validation-failed', errors: [{ feature: 2, field: 'features.2.properties.rsrpDbm', reason: 'must be <= -20' }] })
      expect(problem.errors).toHaveLength(1)
      expect(problem.detail).toMatch(/item 2/)
      expect(await count('measurements')).toBe(0)
      expect(await count('audit_log')).toBe(0)
    })

    it('checks what the schema cannot: position, time, a value, the operator; every bad item listed', async () => {
      const res = await send('POST', '/api/measurements', batch([
        sample(),
        sample({}, point(21.35, 103.95)),
        sample({ measuredAt: `${dayFromToday(2)}T08:00:00+07:00` }),
        sample({ rsrpDbm: null }),
        sample({ operatorCode: 'telco' }),
      ]))
      expect(res.statusCode).toBe(400)
      const problem = res.json() as Problem
      expect(problem.code).toBe('validation-failed')
      expect(problem.errors.map((e) => [e.feature, e.field])).toEqual([
        [1, 'features.1.geometry'],
        [2, 'features.2.properties.measuredAt'],
        [3, 'features.3.properties.rsrpDbm'],
        [4, 'features.4.properties.operatorCode'],
      ])
      expect(problem.errors[0]!.reason).toMatch(/swapped/)
      expect(problem.errors[1]!.reason).toMatch(/future/)
      expect(problem.detail).toMatch(/^4 of 5 measurements refused, nothing written/)
      expect(await count('measurements')).toBe(0)

      const onlyOutside = await send('POST', '/api/measurements', batch([sample(), sample({}, point(100.5, 21.35))]))
      expect(onlyOutside.json()).toMatchObject({ code: 'outside-vietnam', errors: [{ feature: 1, field: 'features.1.geometry' }] })
    })

    it('takes a single Feature (201, Location) and names its fields without an index prefix', async () => {
      const one = await send('POST', '/api/measurements', sample({ sinrDb: 12 }))
      expect(one.statusCode, one.body).toBe(201)
      const id = one.json().ids[0] as number
      expect(one.headers.location).toBe(`/api/measurements/${id}`)
      expect((await get(`/api/measurements/${id}`)).json()).toMatchObject({ id, properties: { sinrDb: 12 } })
      expect((await audit('measurement'))[0]).toMatchObject({ action: 'create', entity_id: String(id) })

      const bad = await send('POST', '/api/measurements', sample({ technology: 'LTE', colour: 'red' }))
      expect(bad.statusCode).toBe(400)
      const fields = (bad.json() as Problem).errors.map((e) => [e.feature, e.field])
      expect(fields).toHaveLength(2)
      expect(fields).toContainEqual([0, 'properties.colour'])
      expect((bad.json() as Problem).errors).toContainEqual(expect.objectContaining({ feature: 0, field: 'properties.technology', reason: 'must be one of 2G, 3G, 4G, 5G' }))
      expect((bad.json() as Problem).errors.every((e) => !e.field?.startsWith('features'))).toBe(true)

      const notGeoJson = await send('POST', '/api/measurements', { rsrp: -100 })
      expect(notGeoJson.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'type' }] })
      expect(await count('measurements')).toBe(1)
    })

    it('refuses an empty batch and one of more than 5,000; writes exactly 5,000', async () => {
      expect((await send('POST', '/api/measurements', batch([]))).json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'features' }] })
      const many = (n: number) => batch(Array.from({ length: n }, (_, i) => sample({ rsrpDbm: -60 - (i % 90) }, point(103.9 + (i % 100) * 0.001, 21.3 + Math.floor(i / 100) * 0.001))))
      const tooMany = await send('POST', '/api/measurements', many(5001))
      expect(tooMany.statusCode).toBe(400)
      expect((tooMany.json() as Problem).errors[0]).toMatchObject({ field: 'features', reason: expect.stringMatching(/more than 5000/) })
      const ok = await send('POST', '/api/measurements', many(5000))
      expect(ok.statusCode, ok.body.slice(0, 500)).toBe(201)
      expect(ok.json().created).toBe(5000)
      expect(await count('measurements')).toBe(5000)
    })

    it('filters by bbox, operator, technology and time', async () => {
      const res = await send('POST', '/api/measurements', batch([
        sample({ measuredAt: '2025-05-01T08:00:00+07:00' }, point(103.95, 21.35)),
        sample({ measuredAt: '2025-05-01T23:30:00+07:00', operatorCode: 'vnpt' }, point(104.05, 21.35)),
        sample({ measuredAt: '2025-05-02T00:30:00+07:00', technology: '3G' }, point(104.06, 21.36)),
      ]))
      const [west, eastVnpt, east3g] = res.json().ids as number[]
      const ids = async (query: string) => {
        const r = await get(`/api/measurements${query}`)
        expect(r.statusCode, r.body).toBe(200)
        return r.json().features.map((f: { id: number }) => f.id)
      }
      expect(await ids('?bbox=103.9,21.3,104.0,21.4')).toEqual([west])
      expect(await ids('?bbox=104.0,21.3,104.1,21.4')).toEqual([eastVnpt, east3g])
      expect(await ids('?bbox=104.0,21.3,104.1,21.4&operator=viettel')).toEqual([east3g])
      expect(await ids('?technology=3G')).toEqual([east3g])
      // A day is a day in Vietnam: 2025-05-01 ends at 2025-05-02T00:00+07:00.
      expect(await ids('?from=2025-05-01&to=2025-05-01')).toEqual([west, eastVnpt])
      expect(await ids('?from=2025-05-02')).toEqual([east3g])
      expect(await ids('?to=2025-05-01T08:00:00%2B07:00')).toEqual([west])
      expect(await ids('?from=2025-05-01T16:00:00Z')).toEqual([eastVnpt, east3g])
      expect(await ids('?operator=mobifone')).toEqual([])

      expect((await get('/api/measurements?bbox=110,20,100,22')).json()).toMatchObject({ errors: [{ field: 'bbox' }] })
      expect((await get('/api/measurements?bbox=100,10,110,20')).json().code).toBe('bbox-too-large')
      expect((await get('/api/measurements?from=2025-05-01T08:00:00')).json()).toMatchObject({ errors: [{ field: 'from', reason: expect.stringMatching(/offset/) }] })
      expect((await get('/api/measurements?to=2025-02-30')).json()).toMatchObject({ errors: [{ field: 'to', reason: expect.stringMatching(/real day/) }] })
      expect((await get('/api/measurements?from=2025-06-01&to=2025-05-01')).json()).toMatchObject({ errors: [{ field: 'from' }] })
      expect((await get('/api/measurements?technology=LTE')).statusCode).toBe(400)
    })

    it('deletes a measurement (204, then 404), keeping it in the audit log', async () => {
      const id = (await send('POST', '/api/measurements', sample())).json().ids[0] as number
      expect((await send('DELETE', `/api/measurements/${id}`, undefined, {})).statusCode).toBe(401)
      const deleted = await send('DELETE', `/api/measurements/${id}`)
      expect(deleted.statusCode).toBe(204)
      expect((await get(`/api/measurements/${id}`)).statusCode).toBe(404)
      expect((await send('DELETE', `/api/measurements/${id}`)).statusCode).toBe(404)
      expect(await count('measurements')).toBe(0)
      const entries = await audit('measurement')
      expect(entries.map((e) => e.action)).toEqual(['create', 'delete'])
      expect(entries[1]!.details).toMatchObject({ before: { id, rsrpDbm: -104.5, operatorCode: 'viettel', geometry: point(103.95, 21.35) }, after: null })
    })
  })
})
