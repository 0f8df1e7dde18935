/**
 * The ceiling of `npm run bench:tiles`: a bare Fastify server (no database, no plugins, no
 * schema, logger off) in its own process, one route with the tile route's path pattern returning
 * a fixed buffer of the mean tile's size with the tile route's content type, ETag and
 * cache-control headers. argv: <bytes>. IPC as scripts/bench/tiles-ipc.ts (no tile cache).
 */
import Fastify from 'fastify'
import { serveBench } from './tiles-ipc.ts'

const size = Number(process.argv[2] ?? '1024')
const body = Buffer.alloc(size, 0x1a)
const app = Fastify({ logger: false })
app.get('/tiles/:layer/:z/:x/:y.mvt', async (_req, reply) => {
  reply.header('cache-control', 'public, max-age=60')
  reply.header('etag', '"bench-bare-fixed-buffer-0000"')
  return reply.type('application/vnd.mapbox-vector-tile').send(body)
})
await serveBench(app)
