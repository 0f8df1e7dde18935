import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../../errors/error-catalogue.ts'
import { ADMIN_VIEWER, PUBLIC_VIEWER, type Viewer } from '../../services/access/viewer.ts'
import type { WriteContext } from '../../services/write-context.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for routes that change data. */
    requireWriter: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
  interface FastifyRequest {
    /** Who is asking (public or admin), resolved once per request from its credentials. */
    viewer: Viewer
    writeContext(): WriteContext
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Access in one place. Every request gets `request.viewer`: no credentials →
 * the public; `Authorization: Bearer <ADMIN_TOKEN>` → admin; any other
 * credentials → 401 when a token is configured (a wrong token is an error, not a silent public view).
 * Until accounts and roles exist (issue 8), writes need the admin token;
 * with no token configured, writing is disabled (403), so a fresh public
 * deployment is read-only. What each viewer may see: services/access/viewer.ts.
 */
export default fp<{ adminToken: string | undefined }>(async (app, opts) => {
  // Fastify forbids shared objects as request decorations: null here, set per request below.
  app.decorateRequest<Viewer | null>('viewer', null)
  app.addHook('onRequest', async (request) => {
    request.viewer = PUBLIC_VIEWER
    const header = request.headers.authorization
    // No token configured: nobody is admin; writes answer 403 writes-disabled.
    if (header === undefined || header === '' || !opts.adminToken) return
    const match = /^Bearer\s+(.+)$/i.exec(header)
    if (!match?.[1] || !sameToken(match[1].trim(), opts.adminToken)) {
      throw new AppError('unauthorized', 'The credentials sent are not valid: send no Authorization header, or Authorization: Bearer <ADMIN_TOKEN>')
    }
    request.viewer = ADMIN_VIEWER
  })
  app.decorate('requireWriter', async (request: FastifyRequest) => {
    if (!opts.adminToken) throw new AppError('writes-disabled', 'Writing is disabled: set ADMIN_TOKEN on the server to enable it')
    if (request.viewer.kind !== 'admin') throw new AppError('unauthorized', 'Send Authorization: Bearer <ADMIN_TOKEN> to write')
  })
  app.decorateRequest('writeContext', function writeContext(): WriteContext {
    return { actor: 'admin-token' }
  })
}, { name: 'access' })
