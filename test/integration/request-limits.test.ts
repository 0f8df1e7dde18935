// The limits a request meets, each a 4xx problem+json naming what to change:
// body size, page size, bounding box size, zoom.
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'

describe.each(enginesUnderTest())('request limits on the %s engine', (engine) => {
  let handle: DatabaseHandle
  let app: FastifyInstance
  beforeAll(async () => {
    handle = await sharedDatabase(engine)
    app = await buildTestApp(handle, { BODY_LIMIT: '4096' })
  })
  afterAll(async () => app?.close())

  const problem = (res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string) => {
    expect(res.statusCode).toBe(status)
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ status, code })
  }

  it('refuses a body over BODY_LIMIT with 413 and keeps nothing', async () => {
    const name = 'x'.repeat(5000)
    const res = await app.inject({ method: 'POST', url: '/api/villages', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [103.9, 21.3] }, properties: { code: 'BIG', name, communeCode: '04001' } }) })
    problem(res, 413, 'payload-too-large')
    expect((await app.inject('/api/villages?q=xxxx')).json<{ features: unknown[] }>().features).toEqual([])
  })

  it('caps the page size of /api lists and of OGC items', async () => {
    problem(await app.inject('/api/villages?limit=100000'), 400, 'validation-failed')
    problem(await app.inject('/ogc/collections/villages/items?limit=10001'), 400, 'validation-failed')
    expect((await app.inject('/ogc/collections/villages/items?limit=10000')).statusCode).toBe(200)
  })

  it('caps the bounding box of /api lists (8°) and of OGC items (45°)', async () => {
    problem(await app.inject('/api/villages?bbox=100,10,110,20'), 400, 'bbox-too-large')
    expect((await app.inject('/api/villages?bbox=103,20,105,22')).statusCode).toBe(200)
    problem(await app.inject('/ogc/collections/villages/items?bbox=60,0,120,30'), 400, 'validation-failed')
    expect((await app.inject('/ogc/collections/villages/items?bbox=100,10,110,20')).statusCode).toBe(200)
  })

  it('caps the zoom of tiles at 22 and their x/y at the pyramid', async () => {
    problem(await app.inject('/tiles/villages/23/0/0.mvt'), 400, 'validation-failed')
    expect((await app.inject('/tiles/villages/22/0/0.mvt')).statusCode).toBe(204)
    problem(await app.inject('/tiles/villages/2/4/0.mvt'), 400, 'validation-failed')
    problem(await app.inject('/tiles/terrain/3/9/0.png'), 400, 'validation-failed')
  })
})
