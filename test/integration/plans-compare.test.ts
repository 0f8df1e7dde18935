// Evaluating a plan (coverage gained, cost, backhaul) and comparing plans side by side, on the
// ridge world (test/helpers/ridge-world.ts): the evaluation is the several-site what-if of the
// plan's sites; backhaul hops pass on flat ground and fail across the ridge.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { recomputeCoverage } from '../../server/services/coverage/recompute-coverage.service.ts'
import type { PlanComparison, PlanEvaluation } from '../../server/services/planning/plan-evaluation.service.ts'
import { whatIfSites } from '../../server/services/planning/what-if.service.ts'
import { importText } from '../helpers/coverage-fixtures.ts'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import { HILL, RUN, seedRidgeWorld, twoCommuneVillageCsv, writeRidgeDem } from '../helpers/ridge-world.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-plans-compare-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SECTORS_3 = [0, 120, 240].map((azimuthDeg) => ({ azimuthDeg, beamwidthDeg: 65, eirpDbm: 30, gainDbi: 17, frequencyMhz: 1800 }))
/** Near A, west commune 04001 (its villages: ring W). */
const NEAR = { lon: 103.962, lat: 21.357, heightM: 30, label: 'Gần A', sectors: SECTORS_3 }
/** East, commune 04002, where no site reaches (its villages: ring X). */
const EAST = { lon: 104.03, lat: 21.37, heightM: 30, label: 'Phía đông', sectors: [{ azimuthDeg: null, beamwidthDeg: 360, eirpDbm: 30, gainDbi: 0, frequencyMhz: 1800 }] }
const plan = (name: string, sites: object[]) => ({ name, operatorCode: 'viettel', sites })

describe.each(enginesUnderTest())('plan evaluation and comparison on the %s engine', (engine) => {
  let h: DatabaseHandle
  let app: FastifyInstance
  const dataDir = path.join(dir, engine)
  beforeAll(async () => {
    h = await sharedDatabase(engine)
    writeRidgeDem(path.join(dataDir, 'dem'))
    app = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir })
  })
  afterAll(async () => app?.close())
  beforeEach(async () => {
    await seedRidgeWorld(h.db, dir, engine)
    const villages = twoCommuneVillageCsv()
    await importText(h.db, 'villages', dir, `${engine}-villages.csv`, villages)
    await recomputeCoverage(h.db, app.demStore, RUN)
  })

  const get = (url: string, headers: Record<string, string> = AUTH) => app.inject({ method: 'GET', url, headers })
  const save = async (body: object): Promise<number> => {
    const res = await app.inject({ method: 'POST', url: '/api/plans', headers: AUTH, payload: body })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id
  }
  const evaluation = async (id: number, query = ''): Promise<PlanEvaluation> => {
    const res = await get(`/api/plans/${id}/evaluation${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json<PlanEvaluation>()
  }

  it("gives the several-site what-if's figures for the plan's sites, in total and by commune", async () => {
    const id = await save(plan('Hai trạm', [NEAR, EAST]))
    const e = await evaluation(id)
    const w = await whatIfSites(h.db, app.demStore, {
      operatorCode: 'viettel', radiusM: RUN.radiusM,
      sites: [NEAR, EAST].map((s) => ({ lon: s.lon, lat: s.lat, sectors: s.sectors.map((x) => ({ ...x, heightM: s.heightM, electricalTiltDeg: 2, mechanicalTiltDeg: 0 })) })),
    })
    expect(e.radiusM).toBe(RUN.radiusM)
    expect(e.runId).toBe(w.runId)
    for (const key of ['any', 'operator'] as const) {
      const c = w.villages[key].counts
      const p = w.villages[key].population
      expect(e.coverage[key].villages).toEqual({ newlyCovered: c.noneToWeak + c.noneToGood, improved: c.weakToGood, counts: c })
      expect(e.coverage[key].population).toEqual({ newlyCovered: p.noneToWeak + p.noneToGood, improved: p.weakToGood, counts: p })
      const t = w.areas[key].transitions
      expect(e.coverage[key].areaKm2.newlyCovered).toBeCloseTo(t.noneToWeak + t.noneToGood, 9)
      expect(e.coverage[key].deadZoneKm2.before).toBeCloseTo(w.areas[key].deadZoneKm2.before, 9)
      expect(e.coverage[key].deadZoneKm2.after).toBeCloseTo(w.areas[key].deadZoneKm2.after, 9)
      expect(e.coverage[key].changedVillages.map((v) => v.id)).toEqual(w.villages[key].villages.map((v) => v.id))
      // By commune: the what-if's villages grouped by their commune.
      for (const commune of e.coverage[key].byCommune) {
        const mine = w.villages[key].villages.filter((v) => v.commune.code === commune.code)
        const newly = mine.filter((v) => v.before === 'none')
        expect(commune.villages.newlyCovered, commune.code).toBe(newly.length)
        expect(commune.population.newlyCovered, commune.code).toBe(newly.reduce((a, v) => a + (v.population ?? 0), 0))
        expect(commune.villages.weakToGood, commune.code).toBe(mine.filter((v) => v.before === 'weak').length)
      }
    }
    expect(e.coverage.any.byCommune.map((c) => [c.code, c.name])).toEqual([['04001', 'Chiềng Sơn'], ['04002', 'Mường Bú']])
    expect(e.coverage.any.villages.newlyCovered).toBeGreaterThan(2)
    expect(e.coverage.any.deadZoneKm2.change).toBeLessThan(0)
    // Cost: two sites at the default 1500; no fibre or power line in this world, so incomplete.
    expect(e.cost).toMatchObject({ currency: 'million VND', defaultsUsed: ['siteCost', 'fibreCostPerKm', 'powerCostPerKm'], incomplete: true, totals: { sites: 3000, fibre: 0, power: 0, total: 3000 } })
    expect(e.backhaul.summary).toEqual({ fibre: 0, microwavePass: 0, microwaveFail: 0, noHop: 2, passes: 0, fails: 2 })
  })

  it('compares plans side by side: one column per plan, rows by commune, the larger plan shows more', async () => {
    const big = await save(plan('Hai trạm', [NEAR, EAST]))
    const small = await save(plan('Một trạm', [NEAR]))
    const res = await get(`/api/plans/compare?ids=${small},${big}&siteCost=1000`)
    expect(res.statusCode, res.body).toBe(200)
    const cmp = res.json<PlanComparison>()
    expect(cmp.plans.map((p) => [p.id, p.name, p.siteCount])).toEqual([[small, 'Một trạm', 1], [big, 'Hai trạm', 2]])
    expect(cmp.costDefaultsUsed).toEqual(['fibreCostPerKm', 'powerCostPerKm'])
    const row = (key: string, commune?: string) => cmp.rows.find((r) => r.key === key && r.commune?.code === commune)!.values
    expect(row('sites')).toEqual([1, 2])
    expect(row('cost.sites')).toEqual([1000, 2000])
    const [s, b] = row('any.villagesNewlyCovered') as [number, number]
    expect(b).toBeGreaterThan(s)
    expect(row('any.populationNewlyCovered')[1]!).toBeGreaterThan(row('any.populationNewlyCovered')[0]!)
    expect(row('any.areaNewlyCoveredKm2')[1]!).toBeGreaterThan(row('any.areaNewlyCoveredKm2')[0]!)
    // Communes: the union of both plans' (the small plan changes nothing in 04002: 0 there).
    const communeRows = cmp.rows.filter((r) => r.key === 'commune.villagesNewlyCovered')
    expect(communeRows.map((r) => r.commune)).toEqual([{ code: '04001', name: 'Chiềng Sơn' }, { code: '04002', name: 'Mường Bú' }])
    expect(row('commune.villagesNewlyCovered', '04002')[0]).toBe(0)
    expect(row('commune.villagesNewlyCovered', '04002')[1]!).toBeGreaterThan(0)
    // In 04001 both plans have the same site near A (the east site reaches no village there).
    const west = row('commune.villagesNewlyCovered', '04001')
    expect(west[1]).toBe(west[0])
    // Rows by commune add up to the totals.
    for (let i = 0; i < 2; i++) {
      expect(communeRows.reduce((a, r) => a + r.values[i]!, 0)).toBe(row('any.villagesNewlyCovered')[i])
    }
    expect(row('any.deadZoneChangeKm2')[1]!).toBeLessThan(row('any.deadZoneChangeKm2')[0]!)
    for (const key of ['backhaul.passes', 'backhaul.fails', 'cost.total', 'any.deadZoneBeforeKm2', 'operator.villagesNewlyCovered']) expect(row(key), key).toHaveLength(2)
  })

  it('checks backhaul: fibre near, a clear microwave hop to a fibre-fed site, a hop blocked by the ridge', async () => {
    // A fibre route 500 m east of A (so A is fibre-fed), north–south; a power line far north.
    await sql`INSERT INTO fibre_routes (code, owner_name, geom) VALUES ('F1', 'VNPT', ST_GeomFromText('MULTILINESTRING((103.955 21.34, 103.955 21.36))', 4326))`.execute(h.db)
    await sql`INSERT INTO power_lines (code, owner, geom) VALUES ('P1', 'EVN', ST_GeomFromText('MULTILINESTRING((103.85 21.39, 104.05 21.39))', 4326))`.execute(h.db)
    const omni = [{ azimuthDeg: null, beamwidthDeg: 360, eirpDbm: 30, gainDbi: 0 }]
    const id = await save(plan('Truyền dẫn', [
      { lon: 103.957, lat: 21.35, heightM: 30, label: 'fibre', sectors: omni },
      { lon: 103.99, lat: 21.37, heightM: 30, label: 'clear', sectors: omni },
      { lon: HILL.lon, lat: HILL.lat, heightM: 30, label: 'ridge', sectors: omni },
    ]))
    const e = await evaluation(id, '?fibreCostPerKm=100')
    const [fibre, clear, ridge] = e.backhaul.sites
    expect(fibre).toMatchObject({ label: 'fibre', method: 'fibre', pass: true, microwave: null, fibre: { code: 'F1' } })
    expect(fibre!.fibre!.distanceM).toBeLessThan(300)
    expect(clear).toMatchObject({ label: 'clear', method: 'microwave', pass: true, microwave: { to: { code: 'A', heightM: 30 }, pass: true, obstruction: null } })
    expect(clear!.fibre!.distanceM).toBeGreaterThan(2000)
    expect(clear!.microwave!.clearanceRatio).toBeGreaterThan(0.6)
    expect(clear!.microwave!.distanceM).toBeGreaterThan(3000)
    expect(ridge).toMatchObject({ label: 'ridge', method: 'microwave', pass: false, microwave: { to: { code: 'A' }, pass: false, obstruction: { blocksLineOfSight: true } } })
    expect(ridge!.microwave!.clearanceRatio).toBeLessThan(0)
    // The obstruction is the ridge: about 2.1 km east of the hill, over 1,000 m high.
    expect(ridge!.microwave!.obstruction!.groundM).toBeGreaterThan(1000)
    expect(ridge!.microwave!.neededExtraHeightM).toBeGreaterThan(100)
    expect(e.backhaul.summary).toEqual({ fibre: 1, microwavePass: 1, microwaveFail: 1, noHop: 0, passes: 2, fails: 1 })
    expect(e.backhaul).toMatchObject({ maxFibreM: 2000, isDefaultMaxFibre: true })
    // Cost: fibre at the given 100 per km, power at the default 400 per km.
    expect(e.cost.incomplete).toBe(false)
    expect(e.cost.defaultsUsed).toEqual(['siteCost', 'powerCostPerKm'])
    for (const s of e.cost.sites) {
      expect(s.fibre!).toBeCloseTo(s.fibreKm! * 100, 0)
      expect(s.power!).toBeCloseTo(s.powerKm! * 400, 0)
      expect(s.total).toBeCloseTo(1500 + s.fibre! + s.power!, 0)
    }
    // A larger fibre distance makes the clear site fibre-fed too.
    const wide = await evaluation(id, '?backhaulMaxFibreM=5000')
    expect(wide.backhaul.sites[1]!.method).toBe('fibre')
  })

  it('answers 404 for unknown plans, 400 for bad ids, 401 for the public', async () => {
    const a = await save(plan('Một trạm', [NEAR]))
    const b = await save(plan('Hai trạm', [NEAR, EAST]))
    const unknown = await get('/api/plans/999999/evaluation')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toMatch(/problem\+json/)
    const missing = await get(`/api/plans/compare?ids=${a},999999`)
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'not-found' })
    for (const ids of [`${a}`, 'a,b', `${a},${a}`, '1,2,3,4,5,6,7', `${a},99999999999`, '']) {
      const res = await get(`/api/plans/compare?ids=${encodeURIComponent(ids)}`)
      expect(res.statusCode, ids).toBe(400)
      expect(res.headers['content-type'], ids).toMatch(/problem\+json/)
    }
    expect((await get('/api/plans/compare')).statusCode).toBe(400)
    expect((await get('/api/plans/abc/evaluation')).statusCode).toBe(400)
    expect((await get(`/api/plans/${a}/evaluation?siteCost=-1`)).statusCode).toBe(400)
    for (const url of [`/api/plans/${a}/evaluation`, `/api/plans/compare?ids=${a},${b}`]) {
      const res = await get(url, {})
      expect(res.statusCode, url).toBe(401)
      expect(res.headers['content-type']).toMatch(/problem\+json/)
    }
  })
})
