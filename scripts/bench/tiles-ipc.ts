/**
 * The IPC side of a server process of `npm run bench:tiles` (scripts/bench/tiles-server.ts,
 * scripts/bench/tiles-bare-server.ts): listens on an ephemeral port and announces
 * { ready: port }; answers 'stats' with the tile cache's size (0 without one) and this process's
 * CPU time, 'clear' by emptying the tile cache (when there is one); 'close', or the bench going
 * away, closes the app and ends the process.
 */
import type { FastifyInstance } from 'fastify'
import type { TileCache } from '../../server/services/tiles/tile-cache.ts'

export async function serveBench(app: FastifyInstance, cache?: TileCache): Promise<void> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = Number(new URL(address).port)
  const send = (m: unknown) => process.send?.(m)
  const close = () => { void app.close().then(() => process.exit(0)) }
  process.on('message', (m: unknown) => {
    if (m === 'stats') {
      const cpu = process.cpuUsage()
      send({ stats: { entries: cache?.size ?? 0, bytes: cache?.bytes ?? 0, cpuMs: (cpu.user + cpu.system) / 1000 } })
    } else if (m === 'clear' && cache) {
      cache.clear()
      send({ cleared: true })
    } else if (m === 'close') {
      close()
    }
  })
  process.on('disconnect', close)
  send({ ready: port })
}
