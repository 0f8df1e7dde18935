import path from 'node:path'
import multipart from '@fastify/multipart'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppConfig } from './config.ts'
import type { DatabaseHandle } from './db/connect.ts'
import { errorHandler, notFoundHandler } from './errors/error-handler.ts'
import { createValidatorCompiler } from './lib/validator-compiler.ts'
import access from './plugins/app/access.ts'
import coverageJobs from './plugins/app/coverage-jobs.ts'
import planningJobs from './plugins/app/planning-jobs.ts'
import sampleData from './plugins/app/sample-data.ts'
import tiles from './plugins/app/tiles.ts'
import database from './plugins/external/database.ts'
import demStore from './plugins/external/dem-store.ts'
import openapi from './plugins/external/openapi.ts'
import security from './plugins/external/security.ts'
import webStatic from './plugins/external/web-static.ts'
import backhaulRoutes from './routes/backhaul/index.ts'
import calibrationRoutes from './routes/calibration/index.ts'
import communesRoutes from './routes/communes/index.ts'
import coverageRoutes from './routes/coverage/index.ts'
import deadZonesRoutes from './routes/dead-zones/index.ts'
import exportsRoutes from './routes/exports/index.ts'
import fibreRoutes from './routes/fibre/index.ts'
import healthRoutes from './routes/health/index.ts'
import importsRoutes from './routes/imports/index.ts'
import indicatorsRoutes from './routes/indicators/index.ts'
import measurementsRoutes from './routes/measurements/index.ts'
import ogcRoutes from './routes/ogc/index.ts'
import operatorsRoutes from './routes/operators/index.ts'
import planningCandidatesRoutes from './routes/planning-candidates/index.ts'
import planningOptimiseRoutes from './routes/planning-optimise/index.ts'
import planningRoutes from './routes/planning/index.ts'
import plansRoutes from './routes/plans/index.ts'
import powerLinesRoutes from './routes/power-lines/index.ts'
import reportsRoutes from './routes/reports/index.ts'
import sectorsRoutes from './routes/sectors/index.ts'
import sitesRoutes from './routes/sites/index.ts'
import tilesRoutes from './routes/tiles/index.ts'
import terrainRoutes from './routes/tiles/terrain.ts'
import villagesRoutes from './routes/villages/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig
  }
}

export interface BuildOptions {
  /** An already open database to use instead of opening the one the config names (tests). */
  database?: DatabaseHandle
  /** Overrides for Fastify's own options (e.g. logger in tests). */
  fastify?: FastifyServerOptions
}

/**
 * Builds the app from a validated config; does not listen. Plugins are
 * registered in tiers: external (database, OpenAPI), the app's shared
 * services, then one route plugin per resource, then the web front end.
 */
export async function buildApp(config: AppConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    // The first start of an embedded database runs every migration and loads PostGIS in WASM:
    // on a slow or busy machine that takes longer than Fastify's default 10 s per plugin.
    pluginTimeout: 120_000,
    ...options.fastify,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(createValidatorCompiler())
  app.decorate('config', config)
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)

  // Tier 1: external.
  await app.register(database, { config: config.database, handle: options.database })
  await app.register(demStore, { dir: path.join(config.dataDir, 'dem') })
  await app.register(security, config.rateLimit)
  await app.register(openapi)
  await app.register(multipart, { limits: { files: 1, fileSize: config.importMaxBytes, fields: 20 } })

  // Tier 2: the app's shared services.
  await app.register(access, { adminToken: config.adminToken })
  await app.register(sampleData, { sampleDir: config.sampleDir, enabled: config.loadSample })
  await app.register(coverageJobs)
  await app.register(planningJobs)
  await app.register(tiles, { cacheBytes: config.tileCacheBytes })

  // Tier 3: one route plugin per resource.
  await app.register(healthRoutes, { prefix: '/health' })
  await app.register(communesRoutes, { prefix: '/api/communes' })
  await app.register(villagesRoutes, { prefix: '/api/villages' })
  await app.register(sitesRoutes, { prefix: '/api/sites' })
  await app.register(sectorsRoutes, { prefix: '/api/sectors' })
  await app.register(fibreRoutes, { prefix: '/api/fibre' })
  await app.register(powerLinesRoutes, { prefix: '/api/power-lines' })
  await app.register(operatorsRoutes, { prefix: '/api/operators' })
  await app.register(importsRoutes, { prefix: '/api/imports' })
  await app.register(exportsRoutes, { prefix: '/api/export' })
  await app.register(coverageRoutes, { prefix: '/api/coverage' })
  await app.register(deadZonesRoutes, { prefix: '/api/dead-zones' })
  await app.register(backhaulRoutes, { prefix: '/api/backhaul' })
  await app.register(planningCandidatesRoutes, { prefix: '/api/planning/candidates' })
  await app.register(planningOptimiseRoutes, { prefix: '/api/planning/optimise' })
  await app.register(measurementsRoutes, { prefix: '/api/measurements' })
  // /api/villages/{id}/reports and /api/reports[/{id}]
  await app.register(reportsRoutes, { prefix: '/api' })
  await app.register(calibrationRoutes, { prefix: '/api/calibration' })
  await app.register(indicatorsRoutes, { prefix: '/api/indicators' })
  await app.register(plansRoutes, { prefix: '/api/plans' })
  await app.register(planningRoutes, { prefix: '/api/planning' })
  await app.register(terrainRoutes, { prefix: '/tiles' })
  await app.register(tilesRoutes, { prefix: '/tiles' })
  await app.register(ogcRoutes, { prefix: '/ogc' })

  await app.register(webStatic, { root: config.webDistDir })

  await app.ready()
  return app
}
