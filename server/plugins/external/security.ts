import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import { AppError } from '../../errors/error-catalogue.ts'

/**
 * Security headers and request rates.
 *
 * - @fastify/helmet on every response, with a content security policy the web app passes: its
 *   scripts, styles, MapLibre's worker and every request come from this server (no outside
 *   basemap, fonts or scripts); images may be data: or blob: (MapLibre draws into them); inline
 *   style attributes are allowed (MapLibre positions its controls with them). The API docs
 *   (/docs) send their own policy (@fastify/swagger-ui `staticCSP`).
 * - @fastify/rate-limit per client address: `max` requests a minute on every route, and
 *   `expensiveMax` on the routes that compute — they say so with `config: { expensive: true }`
 *   (what-if, optimiser, candidates, imports, recomputes, backhaul profiles, plan evaluations,
 *   report exports). Over the limit: 429
 *   problem+json `rate-limited` with `Retry-After`. `max` 0 turns limiting off (benchmarks).
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route computes (a sweep, an optimisation, an import…): it gets the stricter rate limit. */
    expensive?: boolean
  }
}

export default fp<{ max: number; expensiveMax: number }>(async (app, opts) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // The API is read by GIS clients and maps on other origins (tiles, OGC): no cross-origin isolation.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  })
  if (opts.max === 0) return
  // Before @fastify/rate-limit's own onRoute hook: routes that declare `config: { expensive: true }`
  // get the stricter limit.
  app.addHook('onRoute', (route) => {
    if (!route.config?.expensive) return
    route.config = { ...route.config, rateLimit: { max: opts.expensiveMax, timeWindow: '1 minute' } }
  })
  await app.register(rateLimit, {
    global: true,
    max: opts.max,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, context) => {
      const err = new AppError('rate-limited', `Too many requests: at most ${context.max} a minute here; try again in ${Math.ceil(context.ttl / 1000)} s`)
      return Object.assign(err, { statusCode: 429 })
    },
  })
}, { name: 'security' })
