import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../../errors/error-catalogue.ts'
import type { WriteContext } from '../../services/write-context.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for routes that change data. */
    requireWriter: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
  interface FastifyRequest {
    writeContext(): WriteContext
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Until accounts and roles exist (a later issue), writes need the admin
 * token: `Authorization: Bearer <ADMIN_TOKEN>`. With no token configured,
 * writing is disabled (403), so a fresh public deployment is read-only.
 */
export default fp<{ adminToken: string | undefined }>(async (app, opts) => {
  app.decorate('requireWriter', async (request: FastifyRequest) => {
    if (!opts.adminToken) throw new AppError('writes-disabled', 'Writing is disabled: set ADMIN_TOKEN on the server to enable it')
    const header = request.headers.authorization ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header)
    if (!match?.[1] || !sameToken(match[1].trim(), opts.adminToken)) {
      throw new AppError('unauthorized', 'Send Authorization: Bearer <ADMIN_TOKEN> to write')
    }
  })
  app.decorateRequest('writeContext', function writeContext(): WriteContext {
    return { actor: 'admin-token' }
  })
}, { name: 'write-guard' })
