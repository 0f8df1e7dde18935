import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { deadZones } from '../../server/services/dead-zones/dead-zones.service.ts'
import { villageAreaShares, villagePredictions } from '../../server/services/village-coverage/village-predictions.service.ts'
import { computeIndicators, type IndicatorFigure, type IndicatorReport } from '../../server/services/indicators/indicators.service.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { buildIndicatorWorld, east, S1 } from '../helpers/indicator-world.ts'
import type { DemStore } from '../../server/services/dem/dem-store.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-indicators-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.each(enginesUnderTest())('indicators on the %s engine', (engine) => {
  let h: DatabaseHandle
  let dem: DemStore
  let ids: Record<string, number>
  let communeA: number
  let communeB: number

  beforeAll(async () => {
    h = await sharedDatabase(engine)
    await resetData(h.db)
    const world = await buildIndicatorWorld(h.db, path.join(dir, engine))
    ;({ dem, communeA, communeB, ids } = world)
  })
  afterAll(async () => dem?.close())

  const figure = (figures: IndicatorFigure[], key: IndicatorFigure['key']) => figures.find((f) => f.key === key)!
  const commune = (r: IndicatorReport, id: number) => r.communes.find((c) => c.communeId === id)!

  it('counts villages by status per commune and for the set, with their denominators, from the predictions', async () => {
    const r = await computeIndicators(h.db, { onDate: '2025-01-01' })
    const a = commune(r, communeA).figures
    expect(figure(a, 'villages_total').value).toBe(4)
    expect([figure(a, 'villages_good').value, figure(a, 'villages_weak').value, figure(a, 'villages_none').value, figure(a, 'villages_unknown').value]).toEqual([1, 1, 1, 1])
    expect(figure(a, 'villages_covered')).toMatchObject({ value: 2, denominator: { of: 'villages', value: 4 }, percent: 50, basis: { report: 0, prediction: 2 } })
    // Population covered: A1 + A2 = 300 of 1,000.
    expect(figure(a, 'population_covered')).toMatchObject({ value: 300, denominator: { of: 'population', value: 1000 }, percent: 30 })
    expect(figure(a, 'villages_without_grid_power')).toMatchObject({ value: 1, denominator: { of: 'villages with known grid power', value: 4 }, percent: 25 })
    expect(commune(r, communeA).reachedByFibre).toBe(true)
    expect(commune(r, communeB).reachedByFibre).toBe(false)
    expect(figure(r.total, 'communes_reached_by_fibre')).toMatchObject({ value: 1, denominator: { of: 'communes', value: 2 }, percent: 50 })
    // The province (both communes) on 2025-01-01: S2 is on air, B1 good and B2 weak.
    expect(figure(r.total, 'villages_covered')).toMatchObject({ value: 4, denominator: { value: 6 } })
    expect(figure(r.total, 'villages_weak_or_intermittent').value).toBe(2)
  })

  it('counts a site only between its commissioning and decommissioning dates, and gives the change since an earlier date', async () => {
    const r = await computeIndicators(h.db, { onDate: '2025-01-01', since: '2024-01-01' })
    expect(figure(r.since!.total, 'villages_covered').value).toBe(2) // S2 not on air yet: B1, B2 unknown
    expect(r.since!.change.find((c) => c.key === 'villages_covered')).toMatchObject({ value: 2 })
    // Decommission S1 at the end of 2025: in 2026 commune A has no prediction left.
    await sql`UPDATE sites SET decommissioned_on = '2025-12-31', status = 'decommissioned' WHERE code = 'S1'`.execute(h.db)
    try {
      const later = await computeIndicators(h.db, { onDate: '2026-06-01', communeIds: [communeA] })
      expect(figure(later.total, 'villages_covered').value).toBe(0)
      // A3 is 8.9 km from S2, inside its 9 km window: predicted none; the others have no prediction.
      expect(figure(later.total, 'villages_none').value).toBe(1)
      expect(figure(later.total, 'villages_unknown').value).toBe(3)
      const before = await computeIndicators(h.db, { onDate: '2025-06-01', communeIds: [communeA] })
      expect(figure(before.total, 'villages_covered').value).toBe(2)
    } finally {
      await sql`UPDATE sites SET decommissioned_on = NULL, status = 'existing' WHERE code = 'S1'`.execute(h.db)
    }
  })

  it('lets a recent verified report override the prediction, says so, and the prediction returns when it is deleted', async () => {
    await sql`INSERT INTO village_status_reports (village_id, reported_on, observed_status, source, verified)
      VALUES (${ids.A3}, '2024-12-01', 'good', 'commune_office', true), (${ids.A2}, '2024-12-01', 'none', 'citizen', false)`.execute(h.db)
    try {
      const r = await computeIndicators(h.db, { onDate: '2025-01-01', communeIds: [communeA] })
      // A3 (predicted none) reported good and verified: covered, on a report. A2's unverified report does not count.
      expect(figure(r.total, 'villages_covered')).toMatchObject({ value: 3, basis: { report: 1, prediction: 2 } })
      expect(figure(r.total, 'villages_none').value).toBe(0)
      // A stricter rule (reports at most 14 days old) puts the prediction back.
      const strict = await computeIndicators(h.db, { onDate: '2025-01-01', communeIds: [communeA], rule: { reportMaxAgeDays: 14 } })
      expect(figure(strict.total, 'villages_covered').value).toBe(2)
    } finally {
      await sql`DELETE FROM village_status_reports`.execute(h.db)
    }
    const restored = await computeIndicators(h.db, { onDate: '2025-01-01', communeIds: [communeA] })
    expect(figure(restored.total, 'villages_covered')).toMatchObject({ value: 2, basis: { report: 0, prediction: 2 } })
  })

  it('answers per operator: viettel covers commune A, vnpt covers commune B', async () => {
    const op = async (code: string) => (await sql<{ id: number }>`SELECT id FROM operators WHERE code = ${code}`.execute(h.db)).rows[0]!.id
    const viettel = await computeIndicators(h.db, { onDate: '2025-01-01', operatorId: await op('viettel') })
    const vnpt = await computeIndicators(h.db, { onDate: '2025-01-01', operatorId: await op('vnpt') })
    expect(figure(commune(viettel, communeA).figures, 'villages_covered').value).toBe(2)
    expect(figure(commune(vnpt, communeA).figures, 'villages_covered').value).toBe(0)
    expect(figure(commune(vnpt, communeB).figures, 'villages_covered').value).toBe(2)
  })

  it('finds white zones and single-operator gaps inside communes, with their area, villages and population', async () => {
    const viettel = (await sql<{ id: number }>`SELECT id FROM operators WHERE code = 'viettel'`.execute(h.db)).rows[0]!.id
    const { zones } = await deadZones(h.db, { communeIds: [communeA, communeB], operatorIds: [viettel] })
    const white = (id: number) => zones.find((z) => z.communeId === id && z.kind === 'white')!
    const communeArea = (await sql<{ a: number }>`SELECT ST_Area(geom::geography) / 1e6 AS a FROM communes WHERE id = ${communeA}`.execute(h.db)).rows[0]!.a
    // Commune A: S1 in its south-west corner covers up to ≈ 6.8 km; the north-east is a white zone with A3 and A4 in it.
    expect(white(communeA).areaKm2).toBeGreaterThan(1)
    expect(white(communeA).areaKm2).toBeLessThan(Number(communeArea) * 0.8)
    expect(white(communeA).villages.map((v) => v.code)).toEqual(['A3', 'A4'])
    expect(white(communeA).population).toBe(700)
    // Commune B: vnpt covers around S2; viettel nowhere — its gap there is vnpt's coverage, with B1 and B2.
    const gapB = zones.find((z) => z.communeId === communeB && z.kind === 'operator-gap' && z.operatorId === viettel)!
    expect(gapB.villages.map((v) => v.code)).toEqual(['B1', 'B2'])
    expect(white(communeB).villages).toEqual([])
    // The white zone and the gap do not overlap, and both lie inside the commune.
    const { rows } = await sql<{ overlap: number; outside: number }>`
      SELECT ST_Area(ST_Intersection(ST_GeomFromGeoJSON(${JSON.stringify(gapB.geometry)}), ST_GeomFromGeoJSON(${JSON.stringify(white(communeB).geometry)}))::geography) AS overlap,
             ST_Area(ST_Difference(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(gapB.geometry)}), 4326), (SELECT geom FROM communes WHERE id = ${communeB}))::geography) AS outside`.execute(h.db)
    expect(Number(rows[0]!.overlap)).toBeLessThan(1)
    expect(Number(rows[0]!.outside)).toBeLessThan(1)
  })

  it('serves dead zones as GeoJSON at /api/dead-zones, and names a bad parameter', async () => {
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', LOAD_SAMPLE: 'false', PHUSONG_DATA_DIR: path.join(dir, engine) }), { database: h })
    try {
      const res = await app.inject({ method: 'GET', url: '/api/dead-zones?commune=04001,04002&operator=viettel' })
      expect(res.statusCode, res.body).toBe(200)
      const body = res.json<{ features: Array<{ properties: { commune: string; kind: string; operator: string | null; villages: Array<{ code: string }> } }> }>()
      // Both communes have white corners; viettel has a gap in each where only vnpt reaches.
      expect(body.features.map((f) => `${f.properties.commune}:${f.properties.kind}:${f.properties.operator}`).sort())
        .toEqual(['04001:operator-gap:viettel', '04001:white:null', '04002:operator-gap:viettel', '04002:white:null'])
      expect(body.features.find((f) => f.properties.commune === '04001' && f.properties.kind === 'white')!.properties.villages.map((v) => v.code)).toEqual(['A3', 'A4'])
      const bad = await app.inject({ method: 'GET', url: '/api/dead-zones?commune=99999' })
      expect(bad.statusCode).toBe(400)
      expect(bad.headers['content-type']).toMatch(/problem\+json/)
      expect(bad.json<{ errors: Array<{ field: string }> }>().errors[0]!.field).toBe('commune')
      const noOperator = await app.inject({ method: 'GET', url: '/api/dead-zones?commune=04001&operator=nobody' })
      expect(noOperator.statusCode).toBe(400)
    } finally {
      await app.close()
    }
  })

  it('gives a village with an area polygon its share of area and population in each class', async () => {
    // A 1 km square around A2 (2 km east of S1, weak), and a polygon straddling the edge of S1's reach.
    const half = east(0, 0.5)
    const a2 = { lon: east(S1.lon, 2), lat: S1.lat }
    await sql`UPDATE villages SET area_geom = ST_Multi(ST_MakeEnvelope(${a2.lon - half}, ${a2.lat - half}, ${a2.lon + half}, ${a2.lat + half}, 4326)) WHERE code = 'A2'`.execute(h.db)
    try {
      const [shares] = await villageAreaShares(h.db, { villageIds: [ids.A2!] })
      expect(shares!.area.weak).toBeGreaterThan(0.95)
      expect(shares!.area.good + shares!.area.weak + shares!.area.none + shares!.area.unknown).toBeCloseTo(1, 3)
      expect(shares!.population!.weak).toBeCloseTo(200 * shares!.area.weak, 6)
      // The commune's village list carries them too (null for villages without a polygon).
      const app = await buildTestApp(h)
      try {
        const res = await app.inject({ method: 'GET', url: '/api/indicators/villages?commune=04001&date=2025-01-01' })
        expect(res.statusCode, res.body).toBe(200)
        const villages = res.json<{ villages: Array<{ code: string; areaShares: { area: { weak: number } } | null }> }>().villages
        expect(villages.find((v) => v.code === 'A2')!.areaShares!.area.weak).toBeGreaterThan(0.95)
        expect(villages.find((v) => v.code === 'A1')!.areaShares).toBeNull()
      } finally {
        await app.close()
      }
    } finally {
      await sql`UPDATE villages SET area_geom = NULL WHERE code = 'A2'`.execute(h.db)
    }
  })

  it('adds an applied calibration offset to the operator\'s predictions before classing them', async () => {
    const viettel = (await sql<{ id: number }>`SELECT id FROM operators WHERE code = 'viettel'`.execute(h.db)).rows[0]!.id
    await sql`INSERT INTO calibration_offsets (technology, operator_id, model, offset_db, n, stats, applied, applied_by)
      VALUES ('4G', ${viettel}, 'fast', -12, 100, '{}', true, 'test')`.execute(h.db)
    try {
      // −12 dB: A1 (≈ −94) becomes weak, A2 (≈ −105) none.
      const r = await computeIndicators(h.db, { onDate: '2025-01-01', communeIds: [communeA] })
      expect([figure(r.total, 'villages_good').value, figure(r.total, 'villages_weak').value, figure(r.total, 'villages_none').value]).toEqual([0, 1, 2])
      const raw = await villagePredictions(h.db, { onDate: '2025-01-01', villageIds: [ids.A1!], calibrated: false })
      const calibrated = await villagePredictions(h.db, { onDate: '2025-01-01', villageIds: [ids.A1!] })
      const any = (x: typeof raw) => x.predictions.find((p) => p.operatorId === null)!
      expect(any(calibrated).rsrpDbm).toBeCloseTo(any(raw).rsrpDbm - 12, 6)
      expect(any(calibrated).calibrationDb).toBe(-12)
    } finally {
      await sql`DELETE FROM calibration_offsets`.execute(h.db)
    }
  })

  it('through the API: a verified report overrides the prediction in the indicators, is in the audit log, and deleting it restores the prediction', async () => {
    const app = await buildTestApp(h)
    try {
      const before = await computeIndicators(h.db, { onDate: '2025-01-01', communeIds: [communeA] })
      expect(figure(before.total, 'villages_none').value).toBe(1) // A3, predicted
      const created = await app.inject({
        method: 'POST', url: `/api/villages/${ids.A3}/reports`, headers: AUTH,
        payload: { reportedOn: '2024-12-20', observedStatus: 'good', source: 'community_digital_team', verified: true },
      })
      expect(created.statusCode, created.body).toBe(201)
      const reportId = created.json<{ id: number }>().id
      const after = await computeIndicators(h.db, { onDate: '2025-01-01', communeIds: [communeA] })
      expect(figure(after.total, 'villages_none').value).toBe(0)
      expect(figure(after.total, 'villages_covered')).toMatchObject({ value: 3, basis: { report: 1, prediction: 2 } })
      const audit = await sql<{ action: string }>`SELECT action FROM audit_log WHERE entity = 'village_status_report' AND entity_id = ${String(reportId)} ORDER BY id`.execute(h.db)
      expect(audit.rows.map((r) => r.action)).toContain('create')
      const deleted = await app.inject({ method: 'DELETE', url: `/api/reports/${reportId}`, headers: AUTH })
      expect(deleted.statusCode, deleted.body).toBe(204)
      const restored = await computeIndicators(h.db, { onDate: '2025-01-01', communeIds: [communeA] })
      expect(figure(restored.total, 'villages_none')).toMatchObject({ value: 1, basis: { report: 0, prediction: 1 } })
      const auditAfter = await sql<{ action: string }>`SELECT action FROM audit_log WHERE entity = 'village_status_report' AND entity_id = ${String(reportId)} ORDER BY id`.execute(h.db)
      expect(auditAfter.rows.map((r) => r.action)).toContain('delete')
    } finally {
      await app.close()
    }
  })

  it('reads the stored best servers where no site changed, and gives exactly what every sample gives, on any date and after edits', async () => {
    const sorted = (x: Awaited<ReturnType<typeof villagePredictions>>) => [...x.predictions].sort((a, b) => a.villageId - b.villageId || (a.operatorId ?? 0) - (b.operatorId ?? 0))
    // The fast path must be there to compare (without stored rows both sides would take the full one).
    const stored = await sql<{ n: number }>`SELECT count(*) AS n FROM village_best b JOIN coverage_runs r ON r.id = b.run_id WHERE r.is_current`.execute(h.db)
    expect(Number(stored.rows[0]!.n)).toBeGreaterThan(0)
    const check = async () => {
      const byDate = new Map<string, ReturnType<typeof sorted>>()
      for (const onDate of ['2019-06-01', '2024-01-01', '2024-06-01', '2025-01-01', '2026-01-01', '2031-01-01']) {
        const fast = await villagePredictions(h.db, { onDate })
        const reference = await villagePredictions(h.db, { onDate, useStoredBest: false })
        expect(sorted(fast), onDate).toEqual(sorted(reference))
        byDate.set(onDate, sorted(reference))
      }
      // Something to compare: predictions on the run's dates, not two empty lists.
      expect(byDate.get('2026-01-01')!.length).toBeGreaterThan(0)
      return byDate
    }
    const before = await check()
    // Dates edited after the run: S1 decommissioned, S2 commissioned later.
    await sql`UPDATE sites SET decommissioned_on = '2025-03-01', status = 'decommissioned' WHERE code = 'S1'`.execute(h.db)
    await sql`UPDATE sites SET commissioned_on = '2025-09-01' WHERE code = 'S2'`.execute(h.db)
    try {
      const after = await check()
      // The edits changed some village's prediction: the fast path had villages near a changed site to work out again.
      expect(after.get('2026-01-01')).not.toEqual(before.get('2026-01-01'))
    } finally {
      await sql`UPDATE sites SET decommissioned_on = NULL, status = 'existing' WHERE code = 'S1'`.execute(h.db)
      await sql`UPDATE sites SET commissioned_on = '2024-06-01' WHERE code = 'S2'`.execute(h.db)
    }
  })
})
