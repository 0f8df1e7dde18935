// Security headers on every response and request rates per client address:
// the general limit, the stricter one on expensive routes, 429 problem+json.
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { EXPENSIVE_ROUTES } from '../../server/plugins/external/security.ts'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import { buildTestApp } from '../helpers/test-app.ts'

describe.each(enginesUnderTest())('security headers and rate limits on the %s engine', (engine) => {
  let handle: DatabaseHandle
  let app: FastifyInstance
  beforeAll(async () => {
    handle = await sharedDatabase(engine)
    app = await buildTestApp(handle, { RATE_LIMIT_MAX: '20', RATE_LIMIT_EXPENSIVE_MAX: '3' })
  })
  afterAll(async () => app?.close())

  it('sends helmet headers and a content security policy that keeps everything on this server', async () => {
    const res = await app.inject({ url: '/api/operators', remoteAddress: '10.0.0.1' })
    expect(res.statusCode).toBe(200)
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("worker-src 'self' blob:")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/https?:\/\//)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/)
    expect(res.headers['x-powered-by']).toBeUndefined()
    // Tiles and OGC are read from other origins (maps, GIS clients).
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
  })

  it('lets the API docs load with their own policy', async () => {
    const res = await app.inject({ url: '/docs', remoteAddress: '10.0.0.2' })
    expect(res.statusCode).toBe(200)
    // @fastify/swagger-ui's policy for its pages (not the app's: it names the swagger validator).
    expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self'.*validator\.swagger\.io|validator\.swagger\.io.*script-src 'self'/)
  })

  it('answers 429 problem+json past the general limit, per client address', async () => {
    for (let i = 0; i < 20; i++) expect((await app.inject({ url: '/api/operators', remoteAddress: '10.0.0.3' })).statusCode).toBe(200)
    const over = await app.inject({ url: '/api/operators', remoteAddress: '10.0.0.3' })
    expect(over.statusCode).toBe(429)
    expect(over.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(over.json()).toMatchObject({ status: 429, code: 'rate-limited' })
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0)
    // Another address is not affected.
    expect((await app.inject({ url: '/api/operators', remoteAddress: '10.0.0.4' })).statusCode).toBe(200)
  })

  it('holds the expensive routes to the stricter limit', async () => {
    expect(EXPENSIVE_ROUTES.map((r) => `${r.method} ${r.url}`)).toContain('POST /api/planning/what-if')
    const backhaul = () => app.inject({ url: '/api/backhaul?from=103.9,21.3&to=103.95,21.32', remoteAddress: '10.0.0.5' })
    for (let i = 0; i < 3; i++) expect((await backhaul()).statusCode).not.toBe(429)
    const over = await backhaul()
    expect(over.statusCode).toBe(429)
    expect(over.json()).toMatchObject({ code: 'rate-limited' })
    expect(over.json().detail).toContain('at most 3 a minute')
    // The general limit still allows other routes from that address.
    expect((await app.inject({ url: '/api/operators', remoteAddress: '10.0.0.5' })).statusCode).toBe(200)
  })
})
