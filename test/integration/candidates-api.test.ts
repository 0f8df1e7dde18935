import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../server/db/database.ts'
import { groundDistance } from '../../server/geo/candidates/ground-distance.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { createDemTile, SRTM_VOID } from '../../server/geo/dem/dem-tile.ts'
import { encodeHgt } from '../../server/geo/dem/encode-hgt.ts'
import { toSearchForm } from '../../server/lib/search-form.ts'
import { insertFibreRoutes } from '../../server/repositories/fibre.repository.ts'
import { insertPowerLines } from '../../server/repositories/power-lines.repository.ts'
import { insertVillages } from '../../server/repositories/villages.repository.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'
import { createWorld } from '../helpers/world.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-candidates-api-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * The terrain: a 3″ tile N21E103, a valley floor at 300 m with three cones on posts —
 * H, the hill: 800 m at 103.95, 21.36, about 2.35 km from village V1;
 * S, its shoulder: 650 m, 8 posts (≈ 690 m) east of H, closer than the 1 km spacing;
 * F, a far hill: 700 m at 103.89, 21.35, about 4.1 km west of V1 (beyond 3 km, within 5 km).
 */
const H = { lon: 103.95, lat: 21.36 }
const S = { lon: 103.95 + 8 / 1200, lat: 21.36 }
const F = { lon: 103.89, lat: 21.35 }
const VILLAGES = [
  { code: 'V1', name: 'Bản Lướt', lon: 103.93, lat: 21.35 },
  { code: 'V2', name: 'Bản Ỏ', lon: 103.935, lat: 21.345 },
]

function valleyHeight(lon: number, lat: number): number {
  const cone = (peak: { lon: number; lat: number }, h: number, slope: number) => {
    const m = metresPerDegree(peak.lat)
    return Math.max(0, h - slope * Math.hypot((lon - peak.lon) * m.lon, (lat - peak.lat) * m.lat))
  }
  return 300 + Math.max(cone(H, 500, 0.3), cone(S, 350, 0.3), cone(F, 400, 0.3))
}

function valleyHgt(): Uint8Array {
  const side = 1201
  const heights = new Int16Array(side * side)
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) heights[r * side + c] = Math.round(valleyHeight(103 + c / 1200, 22 - r / 1200))
  }
  return encodeHgt(createDemTile({ name: 'N21E103', west: 103, north: 22, step: 1 / 1200, cols: side, rows: side, heights, voidValue: SRTM_VOID }))
}

interface Candidate {
  type: 'Feature'
  id: number | null
  geometry: { type: 'Point'; coordinates: [number, number] }
  properties: {
    code: string; rank: number; kind: string; groundElevationM: number; slopeDeg: number | null; reliefM: number; score: number
    nearestVillageCode: string; distanceToVillageM: number; nearestFibreCode: string | null; distanceToFibreM: number | null
    nearestPowerLineCode: string | null; distanceToPowerLineM: number | null; distanceToRoadM: null
  }
}
interface Generated {
  dryRun: boolean
  created: number
  coverage: { runId: number | null; basis: string }
  villages: { inScope: number; targeted: number; targets: Array<{ code: string; reason: string }> }
  dem: { synthetic: boolean; tiles: Array<{ name: string; kind: string }> }
  counts: { peaks: number; nearExistingSites: number; nearBetterCandidate: number }
  road: { available: boolean; reason: string }
  candidates: { features: Candidate[] }
}

const near = (c: Candidate, p: { lon: number; lat: number }, metres: number) =>
  groundDistance(c.geometry.coordinates[0], c.geometry.coordinates[1], p.lon, p.lat) <= metres

describe.each(enginesUnderTest())('candidate sites API on the %s engine', (engine) => {
  let app: FastifyInstance
  let db: Db
  const dataDir = path.join(dir, engine)

  beforeAll(async () => {
    const h = await sharedDatabase(engine)
    db = h.db
    mkdirSync(path.join(dataDir, 'dem'), { recursive: true })
    writeFileSync(path.join(dataDir, 'dem', 'N21E103.hgt'), valleyHgt())
    app = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir })
  })
  afterAll(async () => app?.close())

  beforeEach(async () => {
    await resetData(db)
    const world = await createWorld(db)
    await insertVillages(db, VILLAGES.map((v) => ({
      code: v.code, name: v.name, nameSearch: toSearchForm(v.name), communeId: world.communeA.id, population: 200, households: 40,
      hasGridPower: false, attributes: {}, synthetic: false, geometry: { type: 'Point', coordinates: [v.lon, v.lat] }, areaGeometry: null,
    })))
    // Fibre 0.01° (≈ 1.11 km) north of H, east–west; a power line 0.01° (≈ 1.04 km) west of H, north–south.
    await insertFibreRoutes(db, [{
      code: 'FO-1', ownerOperatorId: null, ownerName: 'EVN Telecom', status: 'existing', attributes: {}, synthetic: false,
      geometry: { type: 'LineString', coordinates: [[H.lon, H.lat + 0.01], [H.lon + 0.02, H.lat + 0.01]] },
    }])
    await insertPowerLines(db, [{
      code: 'PL-1', owner: 'EVN', voltageKv: 22, status: 'existing', attributes: {}, synthetic: false,
      geometry: { type: 'LineString', coordinates: [[H.lon - 0.01, H.lat], [H.lon - 0.01, H.lat + 0.03]] },
    }])
  })

  const generate = (body: Record<string, unknown>, headers: Record<string, string> = AUTH) =>
    app.inject({ method: 'POST', url: '/api/planning/candidates/generate', headers, payload: body })
  const countRows = async (table: 'sites' | 'audit_log') => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n)

  it('stores the hill top and other high points near the uncovered villages as candidate sites, spaced and measured', async () => {
    const res = await generate({ operatorCode: 'viettel', communeCodes: ['04001'], maxDistanceKm: 5, minSpacingM: 1000 })
    expect(res.statusCode, res.body).toBe(201)
    const g = res.json<Generated>()
    // No current 4G run: every village of the commune counts as uncovered.
    expect(g.coverage).toMatchObject({ runId: null, basis: 'no-current-run' })
    expect(g.villages).toMatchObject({ inScope: 2, targeted: 2 })
    expect(g.dem.tiles).toContainEqual({ name: 'N21E103', kind: 'real' })
    expect(g.road).toMatchObject({ available: false })
    const features = g.candidates.features
    expect(g.created).toBe(features.length)
    expect(features.length).toBeGreaterThanOrEqual(2)

    // The two hill tops rank first (H stands less above its surroundings than F: its shoulder raises
    // the mean around it), the hill top with its height, slope and distances to the lines put in.
    expect(features.slice(0, 2).every((c) => near(c, H, 1) || near(c, F, 1)), JSON.stringify(features.map((f) => f.geometry.coordinates))).toBe(true)
    const top = features.find((c) => near(c, H, 1))!
    expect(top.properties).toMatchObject({ kind: 'peak', groundElevationM: 800, nearestVillageCode: 'V2', nearestFibreCode: 'FO-1', nearestPowerLineCode: 'PL-1', distanceToRoadM: null })
    expect(top.properties.distanceToFibreM).toBeGreaterThan(1100)
    expect(top.properties.distanceToFibreM).toBeLessThan(1125)
    expect(top.properties.distanceToPowerLineM).toBeGreaterThan(1025)
    expect(top.properties.distanceToPowerLineM).toBeLessThan(1045)
    expect(top.properties.slopeDeg).toBeLessThan(17)
    expect(top.properties.distanceToVillageM).toBeGreaterThan(2200)
    expect(top.properties.distanceToVillageM).toBeLessThan(2350)
    // The far hill, 4.1 km away, is in reach; the shoulder, closer than 1 km to the top, is not kept.
    expect(features.some((c) => near(c, F, 1) && c.properties.kind === 'peak')).toBe(true)
    expect(features.some((c) => near(c, S, 200))).toBe(false)
    // Spacing and distance hold for every candidate.
    for (const c of features) expect(c.properties.distanceToVillageM).toBeLessThanOrEqual(5000)
    for (let a = 0; a < features.length; a++) {
      for (let b = a + 1; b < features.length; b++) {
        const [p, q] = [features[a]!.geometry.coordinates, features[b]!.geometry.coordinates]
        expect(groundDistance(p[0], p[1], q[0], q[1])).toBeGreaterThanOrEqual(1000)
      }
    }

    // Stored as candidate sites, with their figures: the admin sees them, the public does not.
    const admin = await app.inject({ method: 'GET', url: '/api/sites?status=candidate&operator=viettel', headers: AUTH })
    const sites = admin.json<{ features: Array<{ id: number; properties: { code: string; status: string; groundElevationM: number; attributes: Record<string, unknown> } }> }>().features
    expect(sites).toHaveLength(features.length)
    const stored = sites.find((s) => s.id === top.id)!
    expect(stored.properties).toMatchObject({ code: top.properties.code, status: 'candidate', groundElevationM: 800 })
    expect(stored.properties.code).toMatch(/^CAND-viettel-\d{4}$/)
    expect(stored.properties.attributes).toMatchObject({ source: 'generated', kind: 'peak', nearestFibreCode: 'FO-1', distanceToRoadM: null })
    const pub = await app.inject({ method: 'GET', url: '/api/sites?status=candidate' })
    expect(pub.json<{ numberMatched: number }>().numberMatched).toBe(0)
    expect((await app.inject({ method: 'GET', url: `/api/sites/${top.id}` })).statusCode).toBe(404)
    // One audit entry per site.
    expect(await countRows('audit_log')).toBe(features.length)

    // Again: nothing within the spacing of the candidates already stored, numbering continues.
    const again = await generate({ operatorCode: 'viettel', communeCodes: ['04001'] })
    expect(again.statusCode, again.body).toBe(201)
    const second = again.json<Generated>()
    expect(second.counts.nearExistingSites).toBeGreaterThan(0)
    for (const c of second.candidates.features) {
      expect(c.properties.code > features.map((f) => f.properties.code).sort().at(-1)!).toBe(true)
      for (const f of features) expect(near(c, { lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }, 999)).toBe(false)
    }
  })

  it('respects the distance on a dry run, and stores nothing', async () => {
    const res = await generate({ operatorCode: 'viettel', communeCodes: ['04001'], maxDistanceKm: 3, dryRun: true })
    expect(res.statusCode, res.body).toBe(200)
    const g = res.json<Generated>()
    expect(g).toMatchObject({ dryRun: true, created: 0 })
    const features = g.candidates.features
    expect(features.some((c) => near(c, H, 1))).toBe(true)
    expect(features.some((c) => near(c, F, 1000))).toBe(false)
    for (const c of features) {
      expect(c.id).toBeNull()
      expect(c.properties.distanceToVillageM).toBeLessThanOrEqual(3000)
    }
    expect(features[0]!.properties.code).toBe('CAND-viettel-0001')
    expect(await countRows('sites')).toBe(0)
    expect(await countRows('audit_log')).toBe(0)
  })

  it('with a current 4G run that predicts nothing at the villages, counts them as uncovered (no prediction)', async () => {
    await sql`INSERT INTO coverage_runs (kind, status, requested_by, is_current, params) VALUES ('full', 'done', 'test', true, '{"onDate":"2025-01-01"}')`.execute(db)
    const res = await generate({ operatorCode: 'viettel', bbox: [103.9, 21.3, 104.0, 21.4], maxDistanceKm: 3, dryRun: true, limit: 1 })
    expect(res.statusCode, res.body).toBe(200)
    const g = res.json<Generated>()
    expect(g.coverage.basis).toBe('prediction')
    expect(g.coverage.runId).toEqual(expect.any(Number))
    expect(g.villages.targets.map((t) => t.reason)).toEqual(['no-prediction', 'no-prediction'])
    expect(g.candidates.features).toHaveLength(1)
    expect(near(g.candidates.features[0]!, H, 1)).toBe(true)
  })

  it('refuses bad input with a problem, and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ operatorCode: 'viettel' }, 'validation-failed', 'communeCodes'],
      [{ operatorCode: 'nobody', communeCodes: ['04001'] }, 'unknown-reference', 'operatorCode'],
      [{ operatorCode: 'viettel', communeCodes: ['99999'] }, 'unknown-reference', 'communeCodes'],
      [{ operatorCode: 'viettel', bbox: [104, 21.4, 103.9, 21.3] }, 'validation-failed', 'bbox'],
      [{ operatorCode: 'viettel', bbox: [100, 18, 104, 21.4] }, 'validation-failed', 'bbox'],
      [{ operatorCode: 'viettel', communeCodes: ['04001'], maxDistanceKm: -1 }, 'validation-failed', 'maxDistanceKm'],
      [{ operatorCode: 'viettel', communeCodes: ['04001'], spacing: 5 }, 'validation-failed', ''],
    ]
    for (const [body, code, field] of cases) {
      const res = await generate(body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
      const problem = res.json<{ code: string; errors?: Array<{ field?: string }> }>()
      expect(problem.code, JSON.stringify(body)).toBe(code)
      if (field) expect(JSON.stringify(problem.errors ?? []), JSON.stringify(body)).toContain(field)
    }
    const anonymous = await generate({ operatorCode: 'viettel', communeCodes: ['04001'] }, {})
    expect(anonymous.statusCode).toBe(401)
    expect(await countRows('sites')).toBe(0)
  })
})
