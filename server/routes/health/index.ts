import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getHealth } from '../../services/health.service.ts'

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  engine: Type.Union([Type.Literal('embedded'), Type.Literal('server')]),
  postgres: Type.Optional(Type.String()),
  postgis: Type.Optional(Type.String()),
  schemaVersion: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  reason: Type.Optional(Type.String()),
})

/** Liveness and readiness: engine, PostgreSQL and PostGIS versions, schema version; 503 when the database is unreachable. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: { tags: ['health'], summary: 'Health of the app and its database', response: { 200: Health, 503: Health } },
  }, async (_req, reply) => {
    const health = await getHealth(app.database)
    reply.header('cache-control', 'no-store')
    return reply.status(health.status === 'ok' ? 200 : 503).send(health)
  })
}

export default healthRoutes
