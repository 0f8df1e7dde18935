import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { createDemTile, SRTM_VOID } from '../../server/geo/dem/dem-tile.ts'
import { encodeHgt } from '../../server/geo/dem/encode-hgt.ts'
import { recomputeCoverage } from '../../server/services/coverage/recompute-coverage.service.ts'
import { buildCandidateCoverage } from '../../server/services/planning/candidate-coverage.service.ts'
import type { OptimiseJobView } from '../../server/services/planning/optimise-jobs.service.ts'
import type { WhatIfResult } from '../../server/services/planning/what-if.service.ts'
import { importText } from '../helpers/coverage-fixtures.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'
import { createWorld } from '../helpers/world.ts'

/*
 * The site optimiser through the API on a hand-built world where the answer is known by hand.
 * One 3″ DEM tile: flat ground at 200 m, a 1,300 m ridge along lon 103.95 north of lat 21.30
 * between valley A (west, villages around 103.93, 21.35) and valley B (east, around 103.97, 21.35);
 * valley C far south (around 103.92, 21.24), open to the north along lon 103.92.
 * Viettel's candidates: C1 in the middle of A, C2 in the middle of B, C3 2 km west of A's middle
 * (it serves only A's western villages), C4 in the middle of C. A fibre route along lat 21.36
 * (C1–C3 within ~1.1 km; C4 ~12.8 km away), a power line along lat 21.34. Viettel's one existing
 * site with a sector, S, serves village VS in the north-east. Hubs (existing sites without
 * sectors, next to the fibre): Q north of C4 over flat ground (a clear hop), P behind the ridge.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-optimise-api-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const RIDGE_LON = 103.95
const RADIUS_M = 2500
const RUN = { actor: 'test', radiusM: RADIUS_M, onDate: '2025-01-01', full: true, workers: 0 } as const
const VALLEY_A = { lon: 103.93, lat: 21.35 }
const VALLEY_B = { lon: 103.97, lat: 21.35 }
const VALLEY_C = { lon: 103.92, lat: 21.24 }
const m = metresPerDegree(21.35)
const C1 = VALLEY_A
const C2 = VALLEY_B
const C3 = { lon: VALLEY_A.lon - 2000 / m.lon, lat: VALLEY_A.lat }
const C4 = VALLEY_C
const Q = { lon: 103.92, lat: 21.355 }
const P = { lon: 103.97, lat: 21.357 }
const S = { lon: 103.99, lat: 21.39 }

function terrainHeight(lon: number, lat: number): number {
  const north = 1 / (1 + Math.exp(-(lat - 21.3) / 0.002))
  return 200 + 1300 * north * Math.exp(-(((lon - RIDGE_LON) / 0.003) ** 2))
}

function writeDem(demDir: string): void {
  rmSync(demDir, { recursive: true, force: true })
  mkdirSync(demDir, { recursive: true })
  const side = 1201
  const heights = new Int16Array(side * side)
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) heights[r * side + c] = Math.round(terrainHeight(103 + c / 1200, 22 - r / 1200))
  }
  const tile = createDemTile({ name: 'N21E103', west: 103, north: 22, step: 1 / 1200, cols: side, rows: side, heights, voidValue: SRTM_VOID })
  writeFileSync(path.join(demDir, 'N21E103.hgt'), encodeHgt(tile))
}

/** Villages around a valley's middle: the middle, then 6 at 0.5 km and 6 at 1 km; population `base` each. */
function valleyVillages(prefix: string, centre: { lon: number; lat: number }, base: number, commune: string): string[] {
  const lines = [`${prefix}0,Bản ${prefix}0,${commune},${centre.lon.toFixed(6)},${centre.lat.toFixed(6)},${base}`]
  let i = 1
  for (const km of [0.5, 1]) {
    for (let k = 0; k < 6; k++) {
      const a = (k * Math.PI) / 3 + km
      lines.push(`${prefix}${i},Bản ${prefix}${i},${commune},${(centre.lon + (km * 1000 * Math.sin(a)) / m.lon).toFixed(6)},${(centre.lat + (km * 1000 * Math.cos(a)) / m.lat).toFixed(6)},${base}`)
      i++
    }
  }
  return lines
}

const VILLAGES = ['code,name,commune code,lon,lat,population',
  ...valleyVillages('A', VALLEY_A, 100, '04001'), ...valleyVillages('B', VALLEY_B, 80, '04001'),
  ...valleyVillages('C', VALLEY_C, 300, '04001'), `VS,Bản VS,04002,${S.lon},${S.lat + 0.003},500`].join('\n') + '\n'

const site = (code: string, p: { lon: number; lat: number }, status: string) => `${code},viettel,${p.lon.toFixed(6)},${p.lat.toFixed(6)},2019-01-01,${status}`
const SITES = ['code,operator,lon,lat,commissioned,status',
  site('S', S, 'existing'), site('C1', C1, 'candidate'), site('C2', C2, 'candidate'), site('C3', C3, 'candidate'), site('C4', C4, 'candidate')].join('\n') + '\n'
const SECTORS = 'site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\nS,viettel,4G,1800,,360,30,43,17\n'
const SCOPE = { bbox: [103.85, 21.2, 104.05, 21.42] }
const CONSTRAINTS = { maxFibreKm: 2, maxGridKm: 5, maxHopKm: 30 }

describe.each(enginesUnderTest())('site optimiser API on the %s engine', (engine) => {
  let h: DatabaseHandle
  let app: FastifyInstance
  const dataDir = path.join(dir, engine)
  beforeAll(async () => {
    h = await sharedDatabase(engine)
    writeDem(path.join(dataDir, 'dem'))
    app = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir })
  })
  afterAll(async () => app?.close())
  beforeEach(async () => {
    await resetData(h.db)
    await createWorld(h.db)
    await importText(h.db, 'villages', dir, `${engine}-villages.csv`, VILLAGES)
    await importText(h.db, 'sites', dir, `${engine}-sites.csv`, SITES)
    await importText(h.db, 'sectors', dir, `${engine}-sectors.csv`, SECTORS)
    await sql`INSERT INTO fibre_routes (code, owner_name, geom) VALUES ('F1', 'VNPT', ST_GeomFromText('MULTILINESTRING((103.85 21.36, 104.05 21.36))', 4326))`.execute(h.db)
    await sql`INSERT INTO power_lines (code, owner, geom) VALUES ('P1', 'EVN', ST_GeomFromText('MULTILINESTRING((103.85 21.34, 104.05 21.34))', 4326))`.execute(h.db)
    await recomputeCoverage(h.db, app.demStore, RUN)
  })

  const addHub = async (code: string, p: { lon: number; lat: number }) => importText(h.db, 'sites', dir, `${engine}-hub-${code}.csv`, `code,operator,lon,lat,commissioned,status\n${site(code, p, 'existing')}\n`)

  const start = (payload: object, headers: Record<string, string> = AUTH) => app.inject({ method: 'POST', url: '/api/planning/optimise', headers, payload })

  /** Starts a job and polls it until it ends. */
  async function run(payload: object): Promise<OptimiseJobView> {
    const res = await start(payload)
    expect(res.statusCode, res.body).toBe(202)
    const location = res.headers.location as string
    expect(location).toBe(`/api/planning/optimise/${res.json<OptimiseJobView>().id}`)
    for (let i = 0; i < 600; i++) {
      const job = (await app.inject({ method: 'GET', url: location, headers: AUTH })).json<OptimiseJobView>()
      if (job.status !== 'queued' && job.status !== 'running') return job
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error('the optimiser job did not end')
  }
  const codes = (job: OptimiseJobView) => job.result!.chosen.map((c) => c.code).sort()

  it("computes each candidate's coverage set exactly as the what-if classes the villages", async () => {
    const coverage = await buildCandidateCoverage(h.db, app.demStore, { operatorCode: 'viettel', bbox: [103.85, 21.2, 104.05, 21.42], radiusM: RADIUS_M })
    expect(coverage.candidates.map((c) => c.code)).toEqual(['C1', 'C2', 'C3', 'C4'])
    // VS is served by S and gains nothing; every other village is unserved.
    expect(coverage.villages.filter((v) => v.served).map((v) => v.code)).toEqual(['VS'])
    for (const c of coverage.candidates) {
      const res = await app.inject({ method: 'POST', url: '/api/planning/what-if', headers: AUTH, payload: { lon: c.lon, lat: c.lat, operatorCode: 'viettel', radiusM: RADIUS_M } })
      expect(res.statusCode, res.body).toBe(200)
      const whatIf = res.json<WhatIfResult>()
      const expected = whatIf.villages.operator.villages.filter((v) => v.before === 'none').map((v) => v.code).sort()
      expect(c.covers.map((i) => coverage.villages[i]!.code).sort(), c.code).toEqual(expected)
    }
    const byCode = new Map(coverage.candidates.map((c) => [c.code, c.covers.map((i) => coverage.villages[i]!.code)]))
    // By hand: C1 serves all of A, C2 all of B, C3 part of A only, C4 all of C.
    expect(byCode.get('C1')!.sort()).toEqual(coverage.villages.filter((v) => v.code.startsWith('A')).map((v) => v.code).sort())
    expect(byCode.get('C2')!.sort()).toEqual(coverage.villages.filter((v) => v.code.startsWith('B')).map((v) => v.code).sort())
    expect(byCode.get('C3')!.every((code) => code.startsWith('A'))).toBe(true)
    expect(byCode.get('C3')!.length).toBeGreaterThan(0)
    expect(byCode.get('C3')!.length).toBeLessThan(13)
    expect(byCode.get('C4')!.length).toBe(13)
  })

  it('picks the two valleys for K = 2, never the candidate far from fibre without a hop', async () => {
    const job = await run({ operatorCode: 'viettel', scope: SCOPE, k: 2, constraints: CONSTRAINTS, radiusM: RADIUS_M })
    expect(job.status, job.error ?? '').toBe('done')
    const r = job.result!
    expect(codes(job)).toEqual(['C1', 'C2'])
    expect(r.newlyCovered).toMatchObject({ villages: 26, population: 13 * 100 + 13 * 80, weight: 13 * 100 + 13 * 80 })
    expect(r.scope.alreadyServed).toMatchObject({ villages: 1, population: 500 })
    expect(r.candidates.infeasible.noBackhaul).toBe(1)
    expect(r.chosen.every((c) => c.backhaul.mode === 'fibre' && c.power.mode === 'grid')).toBe(true)
    expect(r.chosen.find((c) => c.code === 'C1')!.backhaul.fibreKm).toBeCloseTo(1.1, 1)
    expect(r.comparison.plainGreedy!.chosen.map((c) => c.code).sort()).toEqual(['C1', 'C2'])
    expect(r.byCommune.find((c) => c.communeCode === '04001')).toMatchObject({ newlyCoveredVillages: 26 })
    // Cost breakdown adds up: site 1500, fibre 150/km, grid 120/km (defaults).
    for (const c of r.chosen) expect(c.cost.total).toBeCloseTo(c.cost.site + c.cost.backhaul + c.cost.power, 6)
    expect(r.cost.total).toBeCloseTo(r.chosen.reduce((s, c) => s + c.cost.total, 0), 1)
    // Progress: every phase was passed and reported.
    expect(job.progress).toEqual({ phase: 'done', fraction: 1 })
    expect(job.phases.map((p) => p.phase)).toEqual(['loading', 'coverage-sets', 'backhaul', 'greedy', 'local-search'])

    // K = 3: still not C4 (no hub at all); the third is C3 (it adds nothing, so the greedy stops at two).
    const three = await run({ operatorCode: 'viettel', scope: SCOPE, k: 3, constraints: CONSTRAINTS, radiusM: RADIUS_M })
    expect(codes(three)).not.toContain('C4')
  })

  it('reaches the far candidate over a clear microwave hop, not over a hop behind the ridge', async () => {
    await addHub('P', P)
    const blocked = await run({ operatorCode: 'viettel', scope: SCOPE, k: 2, constraints: CONSTRAINTS, radiusM: RADIUS_M })
    expect(blocked.result!.candidates.fibreFedHubs).toBe(1)
    expect(blocked.result!.stats.hopChecks).toBeGreaterThanOrEqual(1)
    expect(codes(blocked)).toEqual(['C1', 'C2'])

    await addHub('Q', Q)
    const clear = await run({ operatorCode: 'viettel', scope: SCOPE, k: 2, constraints: CONSTRAINTS, radiusM: RADIUS_M })
    expect(clear.result!.candidates.fibreFedHubs).toBe(2)
    expect(codes(clear)).toEqual(['C1', 'C4'])
    const c4 = clear.result!.chosen.find((c) => c.code === 'C4')!
    if (c4.backhaul.mode !== 'microwave') throw new Error(`C4 is connected by ${c4.backhaul.mode}, expected a microwave hop`)
    expect(c4.backhaul.hub).toMatchObject({ code: 'Q' })
    expect(c4.backhaul.hub.clearanceRatio).toBeGreaterThanOrEqual(0.6)
    // Grid 10 km away (over the 5 km limit): solar.
    expect(c4.power.mode).toBe('solar')
    expect(c4.cost).toEqual({ site: 1500, backhaul: 450, power: 600, total: 2550 })

    // Grid power required: C4 is out again.
    const gridOnly = await run({ operatorCode: 'viettel', scope: SCOPE, k: 2, constraints: { ...CONSTRAINTS, requireGridPower: true }, radiusM: RADIUS_M })
    expect(codes(gridOnly)).toEqual(['C1', 'C2'])
    expect(gridOnly.result!.candidates.infeasible.noPower).toBe(1)
  })

  it('keeps within a cost budget', async () => {
    const costs = { siteCost: 1000, fibreCostPerKm: 100, powerCostPerKm: 100 }
    // One site costs about 1000 + 110 + 110: a budget of 1500 buys one (the most populous feasible valley, A).
    const one = await run({ operatorCode: 'viettel', scope: SCOPE, budget: 1500, costs, constraints: CONSTRAINTS, radiusM: RADIUS_M })
    expect(one.result!.mode).toBe('cost')
    expect(codes(one)).toEqual(['C1'])
    expect(one.result!.cost.total).toBeLessThanOrEqual(1500)
    expect(one.result!.cost.site).toBe(1000)
    // 2500 buys two.
    const two = await run({ operatorCode: 'viettel', scope: SCOPE, budget: 2500, costs, constraints: CONSTRAINTS, radiusM: RADIUS_M })
    expect(codes(two)).toEqual(['C1', 'C2'])
    expect(two.result!.cost.total).toBeLessThanOrEqual(2500)
  })

  it('finds the fewest sites reaching a target share', async () => {
    // Weight: A 1300, B 1040, C 3900, VS 500 (served) of 6740. C1 alone: (500 + 1300) / 6740 = 0.267.
    const job = await run({ operatorCode: 'viettel', scope: SCOPE, targetShare: 0.25, constraints: CONSTRAINTS, radiusM: RADIUS_M })
    expect(job.result!.mode).toBe('target')
    expect(codes(job)).toEqual(['C1'])
    expect(job.result!.newlyCovered.coveredShare).toBeGreaterThanOrEqual(0.25)
  })

  it('reports progress while running and cancels', async () => {
    // Many candidates on a large radius: seconds of sweeps unless cancelled.
    const extra = Array.from({ length: 40 }, (_, i) => site(`X${i}`, { lon: 103.9 + (i % 8) * 0.005, lat: 21.33 + Math.floor(i / 8) * 0.004 }, 'candidate'))
    await importText(h.db, 'sites', dir, `${engine}-extra.csv`, `code,operator,lon,lat,commissioned,status\n${extra.join('\n')}\n`)
    const res = await start({ operatorCode: 'viettel', scope: SCOPE, k: 3, radiusM: 35_000 })
    expect(res.statusCode, res.body).toBe(202)
    const id = res.json<OptimiseJobView>().id
    // A second job waits in the queue; cancelled there, it never runs.
    const queued = await start({ operatorCode: 'viettel', scope: SCOPE, k: 1 })
    expect(queued.json<OptimiseJobView>().status).toBe('queued')
    const cancelledQueued = await app.inject({ method: 'POST', url: `/api/planning/optimise/${queued.json<OptimiseJobView>().id}/cancel`, headers: AUTH })
    expect(cancelledQueued.statusCode).toBe(202)
    expect(cancelledQueued.json<OptimiseJobView>().status).toBe('cancelled')

    let seen: OptimiseJobView | undefined
    for (let i = 0; i < 200; i++) {
      seen = (await app.inject({ method: 'GET', url: `/api/planning/optimise/${id}`, headers: AUTH })).json<OptimiseJobView>()
      if (seen.progress.phase === 'coverage-sets' && seen.progress.fraction > 0) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(seen!.status).toBe('running')
    expect(seen!.progress.phase).toBe('coverage-sets')
    expect(seen!.progress.fraction).toBeGreaterThan(0)
    expect(seen!.progress.fraction).toBeLessThan(1)
    const cancel = await app.inject({ method: 'POST', url: `/api/planning/optimise/${id}/cancel`, headers: AUTH })
    expect(cancel.statusCode).toBe(202)
    let job: OptimiseJobView | undefined
    for (let i = 0; i < 200; i++) {
      job = (await app.inject({ method: 'GET', url: `/api/planning/optimise/${id}`, headers: AUTH })).json<OptimiseJobView>()
      if (job.status !== 'running') break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(job!.status).toBe('cancelled')
    expect(job!.result).toBeNull()
    expect(job!.finishedAt).not.toBeNull()
  })

  it('refuses bad input with 4xx and the public with 401', async () => {
    const expectProblem = async (payload: object, status: number, code: string) => {
      const res = await start(payload)
      expect(res.statusCode, res.body).toBe(status)
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
      expect(res.json()).toMatchObject({ code })
    }
    await expectProblem({ operatorCode: 'viettel', scope: SCOPE }, 400, 'validation-failed')
    await expectProblem({ operatorCode: 'viettel', scope: {}, k: 2 }, 400, 'validation-failed')
    await expectProblem({ operatorCode: 'viettel', scope: SCOPE, k: -1 }, 400, 'validation-failed')
    await expectProblem({ operatorCode: 'viettel', scope: SCOPE, targetShare: 1.5 }, 400, 'validation-failed')
    await expectProblem({ operatorCode: 'viettel', scope: { bbox: [104, 21, 103, 22] }, k: 2 }, 400, 'validation-failed')
    await expectProblem({ operatorCode: 'nobody', scope: SCOPE, k: 2 }, 400, 'unknown-reference')
    await expectProblem({ operatorCode: 'viettel', scope: { communeCodes: ['99999'] }, k: 2 }, 400, 'unknown-reference')
    await expectProblem({ operatorCode: 'viettel', scope: SCOPE, k: 2, radiusM: 100_000 }, 400, 'validation-failed')
    const missing = await app.inject({ method: 'GET', url: '/api/planning/optimise/999999', headers: AUTH })
    expect(missing.statusCode).toBe(404)

    const anonymous = await start({ operatorCode: 'viettel', scope: SCOPE, k: 2 }, {})
    expect(anonymous.statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/api/planning/optimise/1' })).statusCode).toBe(401)
    expect((await app.inject({ method: 'POST', url: '/api/planning/optimise/1/cancel' })).statusCode).toBe(401)

    // No current run: 404 before anything starts.
    await sql`TRUNCATE coverage_runs CASCADE`.execute(h.db)
    await expectProblem({ operatorCode: 'viettel', scope: SCOPE, k: 2 }, 404, 'no-coverage-prediction')
  })
})
