/**
 * npm run bench:startup — how long the app takes to be ready to serve:
 * cold (empty data directory: PGlite init, PostGIS, migrations, sample load)
 * and warm (existing data directory), on the embedded engine; and on the
 * PostGIS server (fresh database schema) when DATABASE_URL is set.
 * Target (issue 2): the map served within 60 s of `npm start` on a fresh machine.
 * Ends with one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { buildApp } from '../server/app.ts'
import { loadConfig } from '../server/config.ts'

async function timeStart(env: Record<string, string>): Promise<{ ms: number; villages: number }> {
  const started = performance.now()
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'error', ...env }))
  const ms = performance.now() - started
  const villages = (await app.inject('/api/villages?limit=1')).json().numberMatched as number
  await app.close()
  return { ms, villages }
}

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-bench-'))
const result: Record<string, number | string> = { bench: 'startup', target_ms: 60_000 }
try {
  const cold = await timeStart({ PHUSONG_DATA_DIR: dir })
  const warm = await timeStart({ PHUSONG_DATA_DIR: dir })
  console.log(`embedded cold start (init + migrate + sample, ${cold.villages} villages): ${(cold.ms / 1000).toFixed(1)} s`)
  console.log(`embedded warm start:                                          ${(warm.ms / 1000).toFixed(1)} s`)
  Object.assign(result, { embedded_cold_ms: Math.round(cold.ms), embedded_warm_ms: Math.round(warm.ms) })

  const url = process.env.DATABASE_URL
  if (url) {
    const schema = `phusong_bench_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public')
    await admin.query(`CREATE SCHEMA ${schema}`)
    try {
      const cold = await timeStart({ DATABASE_URL: url, DATABASE_SCHEMA: schema })
      const warm = await timeStart({ DATABASE_URL: url, DATABASE_SCHEMA: schema })
      console.log(`server cold start (migrate + sample):                         ${(cold.ms / 1000).toFixed(1)} s`)
      console.log(`server warm start:                                            ${(warm.ms / 1000).toFixed(1)} s`)
      Object.assign(result, { server_cold_ms: Math.round(cold.ms), server_warm_ms: Math.round(warm.ms) })
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`)
      await admin.end()
    }
  }
  console.log(`target: ready within ${result.target_ms} ms → ${Number(result.embedded_cold_ms) <= 60_000 ? 'met' : 'MISSED'}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
console.log(JSON.stringify(result))
