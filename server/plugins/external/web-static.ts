import fs from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'

/**
 * Serves the built web front end (dist/web) at `/`. When it has not been
 * built, `/` says how to build it instead of failing.
 */
export default fp<{ root: string }>(async (app, opts) => {
  if (fs.existsSync(path.join(opts.root, 'index.html'))) {
    await app.register(fastifyStatic, { root: opts.root, prefix: '/', wildcard: true, maxAge: '1h' })
    return
  }
  app.log.warn({ root: opts.root }, 'web front end not built: run `npm run build:web`')
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(
      '<!doctype html><meta charset="utf-8"><title>phusong</title><p>The map is not built yet: run <code>npm run build:web</code> (npm start does it for you). The API is at <a href="/docs">/docs</a>.</p>',
    ),
  )
}, { name: 'web-static' })
