import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { runImport } from '../../server/services/import.service.ts'
import { createPlaneHgt } from '../helpers/dem-tiles.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'
import { createWorld } from '../helpers/world.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-coverage-api-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A quick run: the two 4G sites, 3 km around each. */
const QUICK = { radiusM: 3000, onDate: '2025-01-01' }
/** A quick run of the grid of 3G sites, 500 m around each. */
const QUICK_3G = { radiusM: 500, onDate: '2025-01-01', technology: '3G' }
/**
 * A long run: the grid of 3G sites, about 50 km around each (half a minute of work on two cores),
 * always cancelled. Each gets its own radius, so it never reuses the rasters an earlier one stored.
 */
let longRuns = 0
const longRun = () => ({ radiusM: 50_000 - 100 * longRuns++, onDate: '2025-01-01', technology: '3G' })
const LONG_GRID_SIDE = 10

interface RunBody {
  id: number
  kind: string
  status: string
  isCurrent: boolean
  cancelRequested: boolean
  progress: { done: number; total: number; percent: number }
  params: Record<string, unknown>
  error: string | null
  finishedAt: string | null
}

/** Polls a run until it has ended (done, failed or cancelled). */
async function waitForEnd(app: FastifyInstance, id: number, timeoutMs = 50_000): Promise<RunBody> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/api/coverage/runs/${id}` })
    expect(res.statusCode).toBe(200)
    const run = res.json<RunBody>()
    if (run.status !== 'running' && run.status !== 'queued') return run
    if (Date.now() > until) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms (${JSON.stringify(run.progress)})`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function startRun(app: FastifyInstance, body: object): Promise<RunBody> {
  const res = await app.inject({ method: 'POST', url: '/api/coverage/runs', headers: AUTH, payload: body })
  expect(res.statusCode, res.body).toBe(202)
  return res.json<RunBody>()
}

async function completeQuickRun(app: FastifyInstance, body: object = QUICK): Promise<RunBody> {
  const run = await waitForEnd(app, (await startRun(app, body)).id)
  expect(run.status, run.error ?? '').toBe('done')
  return run
}

describe.each(enginesUnderTest())('coverage API on the %s engine', (engine) => {
  let h: DatabaseHandle
  let app: FastifyInstance
  const dataDir = path.join(dir, engine)

  beforeAll(async () => {
    h = await sharedDatabase(engine)
    await resetData(h.db)
    await createWorld(h.db)
    // One 3″ DEM tile (a tilted plane: every path is line of sight) under the test world, in the app's data dir.
    mkdirSync(path.join(dataDir, 'dem'), { recursive: true })
    writeFileSync(path.join(dataDir, 'dem', 'N21E103.hgt'), createPlaneHgt('N21E103'))
    const write = (name: string, text: string) => {
      const p = path.join(dataDir, name)
      writeFileSync(p, text)
      return p
    }
    // Two 4G sites (the quick run), and a grid of 3G sites over the tile (the long run).
    const grid = Array.from({ length: LONG_GRID_SIDE ** 2 }, (_, i) => ({
      code: `G${i}`, lon: 103.1 + 0.08 * (i % LONG_GRID_SIDE), lat: 21.1 + 0.08 * Math.floor(i / LONG_GRID_SIDE),
    }))
    await runImport(h.db, {
      layer: 'sites', actor: 'test', path: write('sites.csv', [
        'code,operator,lon,lat,commissioned',
        'A,viettel,103.95,21.35,2019-01-01',
        'B,vnpt,103.97,21.35,2020-01-01',
        ...grid.map((g) => `${g.code},mobifone,${g.lon.toFixed(4)},${g.lat.toFixed(4)},2019-01-01`),
      ].join('\n') + '\n'),
    })
    await runImport(h.db, {
      layer: 'sectors', actor: 'test', path: write('sectors.csv', [
        'site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain',
        'A,viettel,4G,1800,,360,30,60,0',
        'B,vnpt,4G,1800,,360,30,57,0',
        ...grid.map((g) => `${g.code},mobifone,3G,2100,,360,30,60,0`),
      ].join('\n') + '\n'),
    })
    app = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir })
  })
  afterAll(async () => app?.close())

  it('starts a recompute, shows its progress until it is done, makes it current, and /api/coverage/at answers near a site', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/coverage/runs', headers: AUTH, payload: QUICK })
    expect(res.statusCode, res.body).toBe(202)
    const started = res.json<RunBody>()
    expect(res.headers.location).toBe(`/api/coverage/runs/${started.id}`)
    expect(started).toMatchObject({ model: 'fast', technology: '4G', isCurrent: false, params: { technology: '4G', radiusM: 3000, onDate: '2025-01-01' } })
    expect(['running', 'done']).toContain(started.status)

    const done = await waitForEnd(app, started.id)
    expect(done).toMatchObject({ status: 'done', isCurrent: true, cancelRequested: false, error: null })
    expect(done.progress.total).toBeGreaterThan(0)
    expect(done.progress).toEqual({ done: done.progress.total, total: done.progress.total, percent: 100 })
    expect(done.finishedAt).not.toBeNull()
    const current = await app.inject({ method: 'GET', url: '/api/coverage/runs/current' })
    expect(current.json<RunBody>().id).toBe(started.id)

    // 1 km east of site A (viettel): line of sight on the plane, a strong signal.
    const lon = 103.95 + 1000 / metresPerDegree(21.35).lon
    const at = await app.inject({ method: 'GET', url: `/api/coverage/at?lon=${lon}&lat=21.35&operator=viettel` })
    expect(at.statusCode, at.body).toBe(200)
    const siteA = (await sql<{ id: number }>`SELECT id FROM sites WHERE code = 'A'`.execute(h.db)).rows[0]!.id
    const value = at.json<{ rsrpDbm: number; class: string }>()
    expect(value).toMatchObject({ operator: 'viettel', technology: '4G', class: 'good', servingSiteId: siteA, runId: started.id, model: 'fast', synthetic: false })
    expect(value.rsrpDbm).toBeGreaterThan(-100)
    expect(value.rsrpDbm).toBeLessThan(-40)
    // Any operator, and the edge of the 3 km disc: weaker, classed by the same thresholds.
    const edge = await app.inject({ method: 'GET', url: `/api/coverage/at?lon=${103.95 - 2900 / metresPerDegree(21.35).lon}&lat=21.35` })
    expect(edge.statusCode, edge.body).toBe(200)
    expect(edge.json<{ rsrpDbm: number }>().rsrpDbm).toBeLessThan(value.rsrpDbm)
  })

  it('answers 404 problem where nothing is predicted, 400 outside Vietnam and for an unknown operator', async () => {
    await completeQuickRun(app)
    const none = await app.inject({ method: 'GET', url: '/api/coverage/at?lon=103.5&lat=21.5' })
    expect(none.statusCode).toBe(404)
    expect(none.headers['content-type']).toContain('application/problem+json')
    expect(none.json()).toMatchObject({ code: 'no-coverage-prediction' })

    const outside = await app.inject({ method: 'GET', url: '/api/coverage/at?lon=100.5&lat=21.35' })
    expect(outside.statusCode).toBe(400)
    expect(outside.json()).toMatchObject({ code: 'outside-vietnam', errors: [{ field: 'lon', location: 'querystring' }] })
    const swapped = await app.inject({ method: 'GET', url: '/api/coverage/at?lon=21.35&lat=103.95' })
    expect(swapped.statusCode).toBe(400)
    const operator = await app.inject({ method: 'GET', url: '/api/coverage/at?lon=103.95&lat=21.35&operator=nobody' })
    expect(operator.statusCode).toBe(400)
    expect(operator.json()).toMatchObject({ code: 'unknown-reference', errors: [{ field: 'operator' }] })
    const missing = await app.inject({ method: 'GET', url: '/api/coverage/at?lon=103.95' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'lat', location: 'querystring' }] })
  })

  it('cancels a running recompute: it ends cancelled and the previous run stays current', async () => {
    const previous = await completeQuickRun(app, QUICK_3G)
    const long = await startRun(app, longRun())
    expect(long.status).toBe('running')
    const cancel = await app.inject({ method: 'POST', url: `/api/coverage/runs/${long.id}/cancel`, headers: AUTH })
    expect(cancel.statusCode, cancel.body).toBe(202)
    expect(cancel.json()).toMatchObject({ id: long.id, status: 'running', cancelRequested: true })

    const ended = await waitForEnd(app, long.id)
    expect(ended).toMatchObject({ status: 'cancelled', isCurrent: false, cancelRequested: false })
    expect(ended.progress.done).toBeLessThan(ended.progress.total)
    const current = await app.inject({ method: 'GET', url: '/api/coverage/runs/current?technology=3G' })
    expect(current.json()).toMatchObject({ id: previous.id, status: 'done', isCurrent: true, technology: '3G' })

    // Cancelling it again: it has ended.
    const again = await app.inject({ method: 'POST', url: `/api/coverage/runs/${long.id}/cancel`, headers: AUTH })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'coverage-run-finished' })
  })

  it('refuses a second start while a recompute runs, with a 409 problem naming the running run', async () => {
    const long = await startRun(app, longRun())
    try {
      const second = await app.inject({ method: 'POST', url: '/api/coverage/runs', headers: AUTH, payload: QUICK })
      expect(second.statusCode).toBe(409)
      expect(second.headers['content-type']).toContain('application/problem+json')
      expect(second.json()).toMatchObject({ code: 'coverage-run-in-progress', errors: [{ field: 'runId', value: long.id }] })
      expect(second.json<{ detail: string }>().detail).toContain(String(long.id))
      // While it runs it is listed first, with its progress, and is not current.
      const list = await app.inject({ method: 'GET', url: '/api/coverage/runs?limit=1' })
      expect(list.json()).toMatchObject({ numberReturned: 1, runs: [{ id: long.id, status: 'running', isCurrent: false }] })
      expect(list.json<{ runs: RunBody[] }>().runs[0]!.progress.total).toBeGreaterThanOrEqual(0)
    } finally {
      await app.inject({ method: 'POST', url: `/api/coverage/runs/${long.id}/cancel`, headers: AUTH })
      expect((await waitForEnd(app, long.id)).status).toBe('cancelled')
    }
  })

  it('lists runs latest first, with paging; a run after a run is incremental unless full is asked for', async () => {
    const first = await completeQuickRun(app)
    const second = await completeQuickRun(app)
    expect(second.kind).toBe('incremental')
    const full = await completeQuickRun(app, { ...QUICK, full: true })
    expect(full.kind).toBe('full')
    const third = await completeQuickRun(app)
    const page = await app.inject({ method: 'GET', url: '/api/coverage/runs?limit=2' })
    expect(page.statusCode).toBe(200)
    const body = page.json<{ numberMatched: number; numberReturned: number; runs: RunBody[] }>()
    expect(body.runs.map((r) => r.id)).toEqual([third.id, full.id])
    expect(body.runs.map((r) => r.isCurrent)).toEqual([true, false])
    expect(body.numberMatched).toBeGreaterThanOrEqual(4)
    const next = await app.inject({ method: 'GET', url: '/api/coverage/runs?limit=2&offset=2' })
    expect(next.json<{ runs: RunBody[] }>().runs.map((r) => r.id)).toEqual([second.id, first.id])
  })

  it('refuses to start or cancel a run without the admin token (401), and on a server without one (403)', async () => {
    const none = await app.inject({ method: 'POST', url: '/api/coverage/runs', payload: QUICK })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toMatchObject({ code: 'unauthorized' })
    const wrong = await app.inject({ method: 'POST', url: '/api/coverage/runs', headers: { authorization: 'Bearer not-the-token-at-all' }, payload: QUICK })
    expect(wrong.statusCode).toBe(401)
    const cancel = await app.inject({ method: 'POST', url: '/api/coverage/runs/1/cancel' })
    expect(cancel.statusCode).toBe(401)

    const readOnly = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir, ADMIN_TOKEN: '' })
    try {
      const res = await readOnly.inject({ method: 'POST', url: '/api/coverage/runs', headers: AUTH, payload: QUICK })
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ code: 'writes-disabled' })
    } finally {
      await readOnly.close()
    }
    // Nothing was started.
    const list = await app.inject({ method: 'GET', url: '/api/coverage/runs?limit=1' })
    expect(list.json<{ runs: RunBody[] }>().runs.every((r) => r.status !== 'running')).toBe(true)
  })

  it('answers 404 problem for an unknown run', async () => {
    for (const req of [
      { method: 'GET' as const, url: '/api/coverage/runs/999999' },
      { method: 'POST' as const, url: '/api/coverage/runs/999999/cancel', headers: AUTH },
    ]) {
      const res = await app.inject(req)
      expect(res.statusCode, req.url).toBe(404)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json()).toMatchObject({ code: 'not-found', status: 404 })
    }
  })

  it('refuses a bad body with 400 naming the field, and starts nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ radiusM: 100 }, 'radiusM'],
      [{ radiusM: 60_000 }, 'radiusM'],
      [{ radiusM: '3000' }, 'radiusM'],
      [{ onDate: '2025-02-30' }, 'onDate'],
      [{ onDate: '1/1/2025' }, 'onDate'],
      [{ technology: '6G' }, 'technology'],
      [{ radius: 3000 }, 'radius'],
    ]
    const before = (await app.inject({ method: 'GET', url: '/api/coverage/runs?limit=1' })).json<{ numberMatched: number }>().numberMatched
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/coverage/runs', headers: AUTH, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json(), JSON.stringify(payload)).toMatchObject({ code: 'validation-failed' })
      expect(res.json<{ errors: Array<{ field: string }> }>().errors.map((e) => e.field), JSON.stringify(payload)).toContain(field)
    }
    const after = (await app.inject({ method: 'GET', url: '/api/coverage/runs?limit=1' })).json<{ numberMatched: number }>().numberMatched
    expect(after).toBe(before)
  })

  it('cancels a running recompute and waits for it when the app closes', async () => {
    const closing = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir })
    const res = await closing.inject({ method: 'POST', url: '/api/coverage/runs', headers: AUTH, payload: longRun() })
    expect(res.statusCode, res.body).toBe(202)
    const id = res.json<RunBody>().id
    await closing.close()
    // Once close() has returned the run has stopped: the other app reads it as cancelled at once.
    const run = await app.inject({ method: 'GET', url: `/api/coverage/runs/${id}` })
    expect(run.json()).toMatchObject({ id, status: 'cancelled', isCurrent: false })
  })

  it('shows the new routes in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' })
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths)
    expect(paths).toEqual(expect.arrayContaining(['/api/coverage/runs', '/api/coverage/runs/{id}', '/api/coverage/runs/current', '/api/coverage/runs/{id}/cancel', '/api/coverage/at']))
  })
})
