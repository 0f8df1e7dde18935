import path from 'node:path'
import { fileURLToPath } from 'node:url'
import envSchema from 'env-schema'
import { Type, type Static } from 'typebox'

/**
 * Every environment variable the app reads, validated once at boot.
 * Nothing else in the app reads `process.env`: this object is passed in.
 * `.env.example` documents each variable.
 */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')],
    { default: 'info' },
  ),
  /** PostgreSQL+PostGIS server; when absent the embedded PGlite engine is used. */
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Schema to work in on the server (search_path); tests use a throwaway one. */
  DATABASE_SCHEMA: Type.String({ default: 'public', pattern: '^[a-z_][a-z0-9_]{0,62}$' }),
  /** Where the embedded engine keeps its files (and, later, DEM tiles and caches). */
  PHUSONG_DATA_DIR: Type.String({ default: './.phusong' }),
  /** Load the bundled Sơn La sample when the database is empty. */
  LOAD_SAMPLE: Type.Boolean({ default: true }),
  /** Folder of the built web front end (npm run build:web). */
  WEB_DIST_DIR: Type.String({ default: 'dist/web' }),
  /** Folder of the bundled sample loaded into an empty database. */
  SAMPLE_DIR: Type.String({ default: 'data/son-la' }),
  /** Bearer token that allows writes until accounts exist; unset = read-only API. */
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** Largest file accepted by the upload endpoint, bytes. */
  IMPORT_MAX_BYTES: Type.Integer({ minimum: 1024, maximum: 4 * 1024 * 1024 * 1024, default: 512 * 1024 * 1024 }),
  /** Largest accepted request body, bytes. */
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 512 * 1024 * 1024, default: 10 * 1024 * 1024 }),
  /** Requests per minute and client address on every route; 0 turns rate limiting off. */
  RATE_LIMIT_MAX: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 3000 }),
  /** Requests per minute and client address on the expensive routes (what-if, optimiser, imports, recomputes…). */
  RATE_LIMIT_EXPENSIVE_MAX: Type.Integer({ minimum: 1, maximum: 100_000, default: 30 }),
  /** Bound of the in-memory vector tile cache, bytes; 0 turns the cache off. */
  TILE_CACHE_BYTES: Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 * 1024, default: 64 * 1024 * 1024 }),
})
type Env = Static<typeof EnvSchema>

export interface AppConfig {
  port: number
  host: string
  logLevel: Env['LOG_LEVEL']
  database:
    | { engine: 'embedded'; dataDir: string }
    | { engine: 'server'; url: string; schema: string }
  dataDir: string
  loadSample: boolean
  webDistDir: string
  sampleDir: string
  bodyLimit: number
  adminToken: string | undefined
  importMaxBytes: number
  tileCacheBytes: number
  rateLimit: { max: number; expensiveMax: number }
}

/** The repository root: bundled files (web build, sample data) are found from here, not from the cwd. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * Validates an environment-like record and turns it into the app's config.
 * Throws with every invalid variable named when something is wrong.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const data = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = envSchema<Env>({ schema: EnvSchema, data, dotenv: false, env: false })
  const dataDir = path.resolve(parsed.PHUSONG_DATA_DIR)
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    logLevel: parsed.LOG_LEVEL,
    database: parsed.DATABASE_URL
      ? { engine: 'server', url: parsed.DATABASE_URL, schema: parsed.DATABASE_SCHEMA }
      : { engine: 'embedded', dataDir: path.join(dataDir, 'pgdata') },
    dataDir,
    loadSample: parsed.LOAD_SAMPLE,
    webDistDir: path.resolve(PROJECT_ROOT, parsed.WEB_DIST_DIR),
    sampleDir: path.resolve(PROJECT_ROOT, parsed.SAMPLE_DIR),
    bodyLimit: parsed.BODY_LIMIT,
    adminToken: parsed.ADMIN_TOKEN,
    importMaxBytes: parsed.IMPORT_MAX_BYTES,
    tileCacheBytes: parsed.TILE_CACHE_BYTES,
    rateLimit: { max: parsed.RATE_LIMIT_MAX, expensiveMax: parsed.RATE_LIMIT_EXPENSIVE_MAX },
  }
}
