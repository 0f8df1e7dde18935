/**
 * The app server of `npm run bench:tiles`, in its own process: builds the app from the
 * environment (loadConfig, as server/server.ts does) and listens on an ephemeral port. Driven by
 * the bench over IPC: announces { ready: port }, answers 'stats' with the tile cache's size and
 * this process's CPU time, 'clear' empties the tile cache, 'close' ends the process.
 */
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'

const config = loadConfig({ ...process.env, PORT: '0', RATE_LIMIT_MAX: '0' }) // the bench is one client at full speed
const app = await buildApp(config)
const address = await app.listen({ port: 0, host: '127.0.0.1' })
const port = Number(new URL(address).port)
const send = (m: unknown) => process.send?.(m)

process.on('message', (m: unknown) => {
  if (m === 'stats') {
    const cpu = process.cpuUsage()
    send({ stats: { entries: app.tiles.cache.size, bytes: app.tiles.cache.bytes, cpuMs: (cpu.user + cpu.system) / 1000 } })
  } else if (m === 'clear') {
    app.tiles.cache.clear()
    send({ cleared: true })
  } else if (m === 'close') {
    void app.close().then(() => process.exit(0))
  }
})
process.on('disconnect', () => { void app.close().then(() => process.exit(0)) })
send({ ready: port })
