import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { invalidationsSince, latestInvalidationSeq } from '../../server/repositories/tile-invalidations.repository.ts'
import { freeSpaceLoss } from '../../server/geo/propagation/free-space-loss.ts'
import { predictedRsrpAt } from '../../server/services/coverage/coverage-at.service.ts'
import { decodeCompositeTile } from '../../server/services/coverage/raster-codec.ts'
import { villagePredictions } from '../../server/services/village-coverage/village-predictions.service.ts'
import { recomputeCoverage } from '../../server/services/coverage/recompute-coverage.service.ts'
import type { DemStore } from '../../server/services/dem/dem-store.ts'
import { importText, planeDemStore } from '../helpers/coverage-fixtures.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { createWorld } from '../helpers/world.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-coverage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.each(enginesUnderTest())('coverage recompute (fast model) on the %s engine', (engine) => {
  let h: DatabaseHandle
  let dem: DemStore
  beforeAll(async () => {
    h = await sharedDatabase(engine)
    await resetData(h.db)
    await createWorld(h.db)
    // One 3″ DEM tile (a tilted plane: every path is line of sight) under the test world.
    dem = await planeDemStore(path.join(dir, engine))
    await importText(h.db, 'sites', dir, `${engine}-sites.csv`, 'code,operator,lon,lat,commissioned\nA,viettel,103.95,21.35,2019-01-01\nB,vnpt,103.97,21.35,2020-01-01\nLATE,mobifone,103.96,21.36,2030-01-01\nFAR,gmobile,104.3,21.35,2019-01-01\n')
    await importText(h.db, 'sectors', dir, `${engine}-sectors.csv`, 'site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\nA,viettel,4G,1800,,360,30,60,0\nB,vnpt,4G,1800,,360,30,57,0\nLATE,mobifone,4G,1800,,360,30,60,0\nFAR,gmobile,4G,1800,,360,30,60,0\n')
  })
  afterAll(async () => dem?.close())

  it('computes best-server composites per operator and for any operator, and makes the run current', async () => {
    const report = await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 3000, onDate: '2025-01-01' })
    // FAR (gmobile) stands where no DEM tile exists: it gets the labelled radius model.
    expect(report).toMatchObject({ status: 'done', sectors: 3, sites: 3, fallbackSectors: 1 })
    expect(report.tiles).toBeGreaterThan(0)
    const { rows } = await sql<{ status: string; is_current: boolean }>`SELECT status, is_current FROM coverage_runs WHERE id = ${report.runId}`.execute(h.db)
    expect(rows[0]).toEqual({ status: 'done', is_current: true })

    // 1 km east of site A along the parallel: line of sight on the plane, so RSRP ≈ EIRP per RE − FSPL(slant distance).
    const m = metresPerDegree(21.35)
    const lon = 103.95 + 1000 / m.lon
    const viettel = (await sql<{ id: number }>`SELECT id FROM operators WHERE code = 'viettel'`.execute(h.db)).rows[0]!.id
    const vnpt = (await sql<{ id: number }>`SELECT id FROM operators WHERE code = 'vnpt'`.execute(h.db)).rows[0]!.id
    const a = await predictedRsrpAt(h.db, viettel, '4G', lon, 21.35)
    const expected = 60 - 10 * Math.log10(1200) - freeSpaceLoss(1.0, 1800)
    expect(a).not.toBeNull()
    expect(Math.abs(a!.rsrpDbm - expected), `got ${a!.rsrpDbm}, hand-computed ${expected.toFixed(2)}`).toBeLessThan(1.0)
    // Any operator = the strongest of the operators; site B (3 dB weaker EIRP, 1 km further) is not the best server here.
    const b = await predictedRsrpAt(h.db, vnpt, '4G', lon, 21.35)
    const any = await predictedRsrpAt(h.db, null, '4G', lon, 21.35)
    expect(any!.rsrpDbm).toBe(Math.max(a!.rsrpDbm, b!.rsrpDbm))
    expect(any!.servingSectorId).toBe(a!.servingSectorId)
    // Beyond every site's radius there is no prediction.
    expect(await predictedRsrpAt(h.db, null, '4G', 103.5, 21.5)).toBeNull()

    // Class polygons: valid, and for each operator they cover exactly the cells that have a prediction.
    const polygons = await sql<{ operator_id: number | null; valid: boolean; area: number }>`
      SELECT operator_id, bool_and(ST_IsValid(geom)) AS valid, sum(area_km2) AS area
      FROM coverage_polygons WHERE run_id = ${report.runId} AND model = 'fast' GROUP BY operator_id ORDER BY operator_id NULLS LAST`.execute(h.db)
    expect(polygons.rows.map((r) => r.valid)).toEqual([true, true, true])
    const disc = Math.PI * 3 ** 2
    for (const r of polygons.rows) {
      // One site's disc (3 km) for an operator; the union of two overlapping discs for any operator.
      if (r.operator_id !== null) expect(Number(r.area)).toBeGreaterThan(disc * 0.9)
      if (r.operator_id !== null) expect(Number(r.area)).toBeLessThan(disc * 1.1)
    }
    // The area stored with each polygon (computed in JS on the WGS84 ellipsoid) agrees with PostGIS's geodesic area.
    const areas = await sql<{ ours: number; postgis: number }>`
      SELECT area_km2 AS ours, ST_Area(geom::geography) / 1e6 AS postgis FROM coverage_polygons WHERE run_id = ${report.runId} AND area_km2 > 0.01`.execute(h.db)
    expect(areas.rows.length).toBeGreaterThan(3)
    for (const r of areas.rows) expect(Math.abs(Number(r.ours) / Number(r.postgis) - 1), `${r.ours} vs ${r.postgis} km²`).toBeLessThan(1e-4)
    const anyOperator = polygons.rows.find((r) => r.operator_id === null)!
    expect(Number(anyOperator.area)).toBeGreaterThan(disc * 1.1)
    expect(Number(anyOperator.area)).toBeLessThan(disc * 2)

    // The radius model where no DEM covers the site: labelled, a 3 km disc (the weak edge is beyond the cap).
    const fallback = await sql<{ operator: string | null; model: string; area: number }>`
      SELECT o.code AS operator, p.model, sum(p.area_km2) AS area FROM coverage_polygons p LEFT JOIN operators o ON o.id = p.operator_id
      WHERE p.run_id = ${report.runId} AND p.model = 'radius' GROUP BY o.code, p.model ORDER BY o.code NULLS LAST`.execute(h.db)
    expect(fallback.rows.map((r) => r.operator)).toEqual(['gmobile', null])
    for (const r of fallback.rows) expect(Number(r.area)).toBeCloseTo(disc, 0)
    expect(await predictedRsrpAt(h.db, null, '4G', 104.3, 21.35)).toBeNull()
  })

  it('gives the same composites on worker threads as in this thread', async () => {
    const points = [[103.951, 21.351], [103.962, 21.345], [103.975, 21.36], [103.945, 21.34]] as const
    const read = async () => Promise.all(points.map(([lon, lat]) => predictedRsrpAt(h.db, null, '4G', lon, lat)))
    await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2500, onDate: '2025-01-01', workers: 0, full: true })
    const inThread = await read()
    await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2500, onDate: '2025-01-01', workers: 2, full: true })
    const onWorkers = await read()
    expect(onWorkers.map((v) => v && [v.rsrpDbm, v.servingSectorId])).toEqual(inThread.map((v) => v && [v.rsrpDbm, v.servingSectorId]))
    expect(inThread.every((v) => v !== null)).toBe(true)
  })

  it('counts a site only from its commissioning date', async () => {
    const later = await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2000, onDate: '2031-01-01' })
    expect(later.sectors).toBe(4)
  })

  it('samples every village from every sector: the prediction at a village equals the composite there, on any date', async () => {
    // V1 1 km east of A; V2 next to LATE (in service from 2030); V3 where no site reaches.
    await importText(h.db, 'villages', dir, `${engine}-villages.csv`, 'code,name,commune code,lon,lat,population\nV1,Bản Một,04001,103.9597,21.35,300\nV2,Bản Hai,04001,103.9605,21.3605,200\nV3,Bản Ba,04001,103.92,21.31,100\n')
    const report = await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2000, onDate: '2025-01-01', full: true })
    expect(report.sampledVillages).toBeGreaterThan(0)
    const ids = Object.fromEntries((await sql<{ code: string; id: number }>`SELECT code, id FROM villages`.execute(h.db)).rows.map((r) => [r.code, r.id]))
    const lateSite = (await sql<{ id: number }>`SELECT id FROM sites WHERE code = 'LATE'`.execute(h.db)).rows[0]!.id
    const at = async (onDate: string) => (await villagePredictions(h.db, { onDate })).predictions.filter((p) => p.operatorId === null)

    // On the run's date, the prediction at each village is the composite (map) value at its point.
    const before = await at('2025-01-01')
    for (const code of ['V1', 'V2']) {
      const p = before.find((x) => x.villageId === ids[code])!
      const [lon, lat] = code === 'V1' ? [103.9597, 21.35] : [103.9605, 21.3605]
      const composite = await predictedRsrpAt(h.db, null, '4G', lon, lat)
      expect(p.rsrpDbm, code).toBe(composite!.rsrpDbm)
      expect(p.servingSectorId, code).toBe(composite!.servingSectorId)
    }
    expect(before.find((x) => x.villageId === ids.V1)!.className).toBe('good')
    expect(before.some((x) => x.villageId === ids.V3)).toBe(false)
    expect(before.find((x) => x.villageId === ids.V2)!.servingSiteId).not.toBe(lateSite)

    // In 2031 LATE is on air: V2 (next to it) is served by it — without another recompute.
    const after = await at('2031-01-01')
    expect(after.find((x) => x.villageId === ids.V2)!.servingSiteId).toBe(lateSite)
    expect(after.find((x) => x.villageId === ids.V2)!.rsrpDbm).toBeGreaterThan(before.find((x) => x.villageId === ids.V2)!.rsrpDbm)

    // A second run with nothing changed samples nothing again; a moved village is sampled again.
    const again = await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2000, onDate: '2025-01-01' })
    expect(again.sampledVillages).toBe(0)
    await sql`UPDATE villages SET geom = ST_SetSRID(ST_MakePoint(103.9598, 21.3501), 4326) WHERE code = 'V1'`.execute(h.db)
    expect((await at('2025-01-01')).some((x) => x.villageId === ids.V1)).toBe(false)
    const moved = await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2000, onDate: '2025-01-01' })
    expect(moved.sampledVillages).toBeGreaterThan(0)
    expect((await at('2025-01-01')).find((x) => x.villageId === ids.V1)!.className).toBe('good')
  })

  it('leaves the previous run current when a recompute is cancelled', async () => {
    const done = await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2000, onDate: '2025-01-01' })
    const controller = new AbortController()
    controller.abort()
    const cancelled = await recomputeCoverage(h.db, dem, { actor: 'test', radiusM: 2000, onDate: '2025-01-01', signal: controller.signal })
    expect(cancelled.status).toBe('cancelled')
    const { rows } = await sql<{ id: number; status: string }>`SELECT id, status FROM coverage_runs WHERE is_current`.execute(h.db)
    expect(rows).toEqual([{ id: done.runId, status: 'done' }])
  })

  /** Every composite tile of the current run, decoded, by operator and tile; and the class areas. */
  async function currentCoverage(): Promise<{ tiles: Map<string, { best: number[]; server: number[] }>; areas: Record<string, number> }> {
    const tiles = new Map<string, { best: number[]; server: number[] }>()
    const rows = await sql<{ operator_id: number | null; tile: string; cols: number; rows: number; codec: 'raw' | 'deflate'; best_rsrp_decidbm: Uint8Array; serving_sector_ids: Uint8Array }>`
      SELECT t.operator_id, t.tile, t.cols, t.rows, t.codec, t.best_rsrp_decidbm, t.serving_sector_ids
      FROM coverage_tiles t JOIN coverage_runs r ON r.id = t.run_id WHERE r.is_current AND r.technology = '4G'`.execute(h.db)
    for (const t of rows.rows) {
      const d = decodeCompositeTile(t.codec, t.best_rsrp_decidbm, t.serving_sector_ids, t.cols * t.rows)
      tiles.set(`${t.operator_id ?? 'any'}|${t.tile}`, { best: [...d.best], server: [...d.server] })
    }
    const polygons = await sql<{ key: string; area: number }>`
      SELECT coalesce(p.operator_id::text, 'any') || '|' || p.class || '|' || p.model AS key, sum(p.area_km2) AS area
      FROM coverage_polygons p JOIN coverage_runs r ON r.id = p.run_id WHERE r.is_current AND r.technology = '4G' GROUP BY 1`.execute(h.db)
    return { tiles, areas: Object.fromEntries(polygons.rows.map((r) => [r.key, Math.round(Number(r.area) * 1e6) / 1e6])) }
  }

  it('recomputes incrementally: only changed sectors and the tiles they touch, with the same result as a full recompute', async () => {
    // A third site 40 km away, under other composite tiles.
    await importText(h.db, 'sites', dir, `${engine}-far-site.csv`, 'code,operator,lon,lat,commissioned\nC,viettel,103.6,21.7,2019-01-01\n')
    await importText(h.db, 'sectors', dir, `${engine}-far-sector.csv`, 'site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\nC,viettel,4G,1800,,360,30,60,0\n')
    const options = { actor: 'test', radiusM: 3000, onDate: '2025-01-01' }
    const first = await recomputeCoverage(h.db, dem, { ...options, full: true })
    expect(first).toMatchObject({ status: 'done', kind: 'full', computedSectors: 4, fallbackSectors: 1 })
    const allTiles = first.tiles

    // Nothing changed: nothing computed, nothing built, the same coverage.
    const before = await currentCoverage()
    const same = await recomputeCoverage(h.db, dem, options)
    expect(same).toMatchObject({ status: 'done', kind: 'incremental', computedSectors: 0, builtTiles: 0, tiles: allTiles })
    expect(await currentCoverage()).toEqual(before)

    // One sector's EIRP raised: that sector alone is computed, only the tiles under its window are built.
    await sql`UPDATE sectors SET eirp_dbm = eirp_dbm + 6 WHERE site_id = (SELECT id FROM sites WHERE code = 'A')`.execute(h.db)
    const seqBefore = await latestInvalidationSeq(h.db)
    const raised = await recomputeCoverage(h.db, dem, options)
    expect(raised).toMatchObject({ status: 'done', kind: 'incremental', computedSectors: 1 })
    // The map's tile cache is told where coverage changed: near A (and the fallback polygon), not at C, 40 km away.
    const stale = await invalidationsSince(h.db, seqBefore, 10_000)
    expect(stale.length).toBeGreaterThan(0)
    for (const s of stale) {
      expect(s.layer).toBe('coverage-4g')
      expect(s.bbox).not.toBeNull()
      expect(s.bbox![0] > 103.65 || s.bbox![2] < 103.55 || s.bbox![1] > 21.75 || s.bbox![3] < 21.65, JSON.stringify(s.bbox)).toBe(true)
    }
    expect(stale.some((s) => s.bbox![0] <= 103.95 && s.bbox![2] >= 103.95)).toBe(true)
    expect(raised.builtTiles).toBeGreaterThan(0)
    expect(raised.builtTiles).toBeLessThan(allTiles)
    const incremental = await currentCoverage()
    expect(incremental).not.toEqual(before)

    // Site B moved 1.5 km north: its old and new windows are rebuilt.
    await sql`UPDATE sites SET geom = ST_SetSRID(ST_MakePoint(103.97, 21.3635), 4326) WHERE code = 'B'`.execute(h.db)
    const moved = await recomputeCoverage(h.db, dem, options)
    expect(moved).toMatchObject({ status: 'done', kind: 'incremental', computedSectors: 1 })
    const afterMove = await currentCoverage()

    // A full recompute of the same data gives exactly the same tiles and polygons.
    const full = await recomputeCoverage(h.db, dem, { ...options, full: true })
    expect(full).toMatchObject({ status: 'done', kind: 'full', computedSectors: 4 })
    const reference = await currentCoverage()
    expect([...afterMove.tiles.keys()].sort()).toEqual([...reference.tiles.keys()].sort())
    for (const [key, tile] of reference.tiles) expect(afterMove.tiles.get(key), key).toEqual(tile)
    expect(afterMove.areas).toEqual(reference.areas)

    // Only the current run keeps stored results; rasters no run uses are gone.
    const stored = await sql<{ runs: number; orphans: number }>`
      SELECT (SELECT count(DISTINCT run_id) FROM coverage_tiles) AS runs,
             (SELECT count(*) FROM sector_rasters x WHERE NOT EXISTS (SELECT 1 FROM coverage_run_sectors r WHERE r.input_hash = x.input_hash)) AS orphans`.execute(h.db)
    expect(stored.rows[0]).toEqual({ runs: 1, orphans: 0 })
  })
})
