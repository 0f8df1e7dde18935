// Security headers on every response and request rates per client address:
// the general limit, the stricter one on expensive routes, 429 problem+json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'

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
    // The what-if declares itself expensive: its fourth request in the minute is refused.
    const whatIf = () => app.inject({ method: 'POST', url: '/api/planning/what-if', headers: AUTH, payload: { lon: 103.9, lat: 21.3, operatorCode: 'viettel' }, remoteAddress: '10.0.0.6' })
    for (let i = 0; i < 3; i++) expect((await whatIf()).statusCode).not.toBe(429)
    expect((await whatIf()).statusCode).toBe(429)
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

describe('static files of the web app', () => {
  // A web folder of its own (the real build may not exist yet when this runs), with a secret beside it.
  const root = mkdtempSync(path.join(tmpdir(), 'phusong-static-'))
  const web = path.join(root, 'web')
  let app: FastifyInstance
  beforeAll(async () => {
    mkdirSync(path.join(web, 'assets'), { recursive: true })
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>phusong map</title>')
    writeFileSync(path.join(web, 'assets', 'app.js'), 'console.log("map")')
    writeFileSync(path.join(root, 'secret.env'), 'ADMIN_TOKEN=do-not-serve-me')
    app = await buildTestApp(await sharedDatabase(enginesUnderTest()[0]!), { WEB_DIST_DIR: web })
  })
  afterAll(async () => {
    await app?.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('serves the web folder and never a file outside it, however the path is written', async () => {
    expect((await app.inject({ url: '/' })).body).toContain('phusong map')
    expect((await app.inject({ url: '/assets/app.js' })).statusCode).toBe(200)
    for (const url of [
      '/../secret.env', '/..%2fsecret.env', '/%2e%2e/secret.env', '/%2e%2e%2fsecret.env', '/assets/../../secret.env',
      '/assets/..%2f..%2fsecret.env', '/assets/%2e%2e/%2e%2e/secret.env', '/..%5csecret.env', '/%252e%252e/secret.env',
      '/....//secret.env', '/../../../../etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    ]) {
      const res = await app.inject({ url })
      expect(res.body, url).not.toMatch(/do-not-serve-me|root:x:0:0/)
      expect([400, 403, 404], url).toContain(res.statusCode)
    }
  })
})
