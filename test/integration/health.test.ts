import net from 'node:net'
import { migrations } from '../../migrations/index.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEmbedded, openServer } from '../../server/db/connect.ts'
import { assertPostgisAvailable, PostgisMissingError } from '../../server/db/migrate.ts'
import { enginesUnderTest, openMigratedServer, serverUrl, sharedDatabase } from '../helpers/engines.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { migrateToLatest } from '../../server/db/migrate.ts'

const LATEST_MIGRATION = Object.keys(migrations).at(-1)

describe.each(enginesUnderTest())('/health on the %s engine', (engine) => {
  it('reports the engine, PostgreSQL, PostGIS and schema versions', async () => {
    const app = await buildTestApp(await sharedDatabase(engine))
    try {
      const res = await app.inject('/health')
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.json()).toMatchObject({ status: 'ok', engine, schemaVersion: LATEST_MIGRATION })
      expect(res.json().postgis).toMatch(/^3\.\d+\.\d+/)
      expect(res.json().postgres).toMatch(engine === 'embedded' ? /^1[6-9]/ : /^\d+/)
    } finally {
      await app.close()
    }
  })
})

describe('/health when the database goes away', () => {
  it('answers 503 on the embedded engine once the instance is closed, and data routes answer 503 problem+json', async () => {
    const handle = await openEmbedded('memory://')
    await migrateToLatest(handle.db)
    const app = await buildTestApp(handle)
    try {
      await handle.close()
      const res = await app.inject('/health')
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ status: 'unavailable', engine: 'embedded', reason: 'database unreachable' })
      const list = await app.inject('/api/communes')
      expect(list.statusCode).toBe(503)
      expect(list.json()).toMatchObject({ code: 'database-unavailable', detail: 'The database is unavailable' })
    } finally {
      await app.close()
    }
  })

  if (enginesUnderTest().includes('server')) {
    describe('on the server engine, behind a TCP proxy that is then cut', () => {
      let proxy: net.Server
      const sockets = new Set<net.Socket>()
      let proxiedUrl: string
      beforeAll(async () => {
        const target = new URL(serverUrl())
        proxy = net.createServer((client) => {
          const upstream = net.connect(Number(target.port || 5432), target.hostname)
          sockets.add(client).add(upstream)
          client.pipe(upstream).pipe(client)
          const drop = () => { client.destroy(); upstream.destroy() }
          client.on('error', drop)
          upstream.on('error', drop)
        })
        await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
        const port = (proxy.address() as net.AddressInfo).port
        const url = new URL(serverUrl())
        url.hostname = '127.0.0.1'
        url.port = String(port)
        proxiedUrl = url.toString()
      })
      afterAll(() => proxy?.close())

      it('answers 503 when the server cannot be reached, then 200 once it is back', async () => {
        const migrated = await openMigratedServer(serverUrl())
        const schema = (await migrated.db.selectNoFrom((eb) => eb.fn<string>('current_schema').as('s')).executeTakeFirstOrThrow()).s
        await migrated.close()
        const handle = await openServer(proxiedUrl, schema)
        const app = await buildTestApp(handle)
        try {
          expect((await app.inject('/health')).statusCode).toBe(200)
          proxy.close()
          for (const s of sockets) s.destroy()
          const down = await app.inject('/health')
          expect(down.statusCode).toBe(503)
          expect(down.json()).toMatchObject({ status: 'unavailable', engine: 'server' })
          const list = await app.inject('/api/villages')
          expect(list.statusCode).toBe(503)
          expect(list.json().code).toBe('database-unavailable')
          await new Promise<void>((resolve) => proxy.listen(Number(new URL(proxiedUrl).port), '127.0.0.1', resolve))
          expect((await app.inject('/health')).statusCode).toBe(200)
        } finally {
          await app.close()
          await handle.close()
        }
      })

      it('says how to install PostGIS when the server has no such extension', async () => {
        const handle = await openServer(serverUrl(), 'public')
        try {
          const attempt = assertPostgisAvailable(handle.db, 'postgis_not_installed_here')
          await expect(attempt).rejects.toBeInstanceOf(PostgisMissingError)
          await expect(attempt).rejects.toThrow(/apt-get install postgresql-15-postgis-3.*postgis\/postgis/s)
          await expect(assertPostgisAvailable(handle.db)).resolves.toBeUndefined()
        } finally {
          await handle.close()
        }
      })
    })
  }
})
