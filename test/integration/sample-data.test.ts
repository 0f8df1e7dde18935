import { readFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { loadSampleIfEmpty, type SampleCounts } from '../../server/services/sample-data.service.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'

const sampleDir = loadConfig({}).sampleDir
const featureCount = (file: string) => (JSON.parse(readFileSync(path.join(sampleDir, file), 'utf8')) as { features: unknown[] }).features.length

describe.each(enginesUnderTest())('the bundled Sơn La sample on the %s engine', (engine) => {
  let h: DatabaseHandle
  let counts: SampleCounts | null
  beforeAll(async () => {
    h = await sharedDatabase(engine)
    await resetData(h.db)
    counts = await loadSampleIfEmpty(h.db, sampleDir)
  })

  it('loads every feature of the bundled files into an empty database', () => {
    expect(counts).toMatchObject({
      provinces: 1,
      communes: 75,
      villages: featureCount('synthetic/villages.geojson'),
      sites: featureCount('synthetic/sites.geojson'),
      fibreRoutes: featureCount('synthetic/fibre.geojson'),
      powerLines: featureCount('synthetic/power-lines.geojson'),
    })
    expect(counts!.villages).toBeGreaterThan(1000)
    expect(counts!.sectors).toBeGreaterThan(counts!.sites)
  })

  it('reports the one self-intersecting real boundary it repaired (xã Mường Lèo)', () => {
    expect(counts!.repaired).toHaveLength(1)
    expect(counts!.repaired[0]).toMatch(/^Mường Lèo \(04240\): Self-intersection/)
  })

  it('keeps the real province population: villages of each commune add up to it', async () => {
    const { rows } = await sql<{ code: string; commune_pop: number; village_pop: number }>`
      SELECT c.code, c.population AS commune_pop, sum(v.population) AS village_pop
      FROM communes c JOIN villages v ON v.commune_id = c.id GROUP BY c.code, c.population`.execute(h.db)
    expect(rows).toHaveLength(75)
    for (const r of rows) expect(Number(r.village_pop), r.code).toBe(r.commune_pop)
    const total = rows.reduce((s, r) => s + r.commune_pop, 0)
    expect(total).toBe(1_404_587)
  })

  it('marks villages, sites, fibre and power lines synthetic, and the communes real', async () => {
    const { rows } = await sql<{ t: string; n: number }>`
      SELECT 'villages' AS t, count(*) AS n FROM villages WHERE NOT synthetic
      UNION ALL SELECT 'sites', count(*) FROM sites WHERE NOT synthetic
      UNION ALL SELECT 'fibre', count(*) FROM fibre_routes WHERE NOT synthetic
      UNION ALL SELECT 'power', count(*) FROM power_lines WHERE NOT synthetic`.execute(h.db)
    expect(rows.map((r) => Number(r.n))).toEqual([0, 0, 0, 0])
  })

  it('places every village inside its own commune (PostGIS ST_Covers)', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM villages v JOIN communes c ON c.id = v.commune_id WHERE NOT ST_Covers(c.geom, v.geom)`.execute(h.db)
    expect(Number(rows[0]!.n)).toBe(0)
  })

  it('is not loaded a second time', async () => {
    expect(await loadSampleIfEmpty(h.db, sampleDir)).toBeNull()
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM communes`.execute(h.db)
    expect(Number(rows[0]!.n)).toBe(75)
  })
})
