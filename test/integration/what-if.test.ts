import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import type { Db } from '../../server/db/database.ts'
import { createDemTile, SRTM_VOID } from '../../server/geo/dem/dem-tile.ts'
import { encodeHgt } from '../../server/geo/dem/encode-hgt.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { polygonAreaKm2 } from '../../server/geo/ellipsoidal-area.ts'
import { decodeCompositeTile, NO_RSRP } from '../../server/services/coverage/raster-codec.ts'
import { recomputeCoverage } from '../../server/services/coverage/recompute-coverage.service.ts'
import type { WhatIfResult } from '../../server/services/planning/what-if.service.ts'
import { villagePredictions } from '../../server/services/village-coverage/village-predictions.service.ts'
import { importText } from '../helpers/coverage-fixtures.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'
import { createWorld } from '../helpers/world.ts'

/*
 * What-if for one candidate site against the difference of two full recomputes (without and with
 * the candidate as a real site) on a hand-built world: one 3″ DEM tile of flat ground at 200 m with
 * a 1,300 m ridge running north–south along lon 103.92 and a 150 m hill west of it; two weak
 * existing sites east of the ridge; villages around them.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-what-if-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const RIDGE_LON = 103.92
const HILL = { lon: 103.9, lat: 21.35 }
const RUN = { actor: 'test', radiusM: 2500, onDate: '2025-01-01', full: true, workers: 0 } as const

function terrainHeight(lon: number, lat: number): number {
  const m = metresPerDegree(lat)
  const ridge = 1300 * Math.exp(-(((lon - RIDGE_LON) / 0.003) ** 2))
  const d2 = ((lon - HILL.lon) * m.lon) ** 2 + ((lat - HILL.lat) * m.lat) ** 2
  const hill = 150 * Math.exp(-d2 / (2 * 300 ** 2))
  return 200 + ridge + hill
}

function writeRidgeDem(demDir: string): void {
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

const SITES = 'code,operator,lon,lat,commissioned\nA,viettel,103.95,21.35,2019-01-01\nB,vnpt,103.975,21.35,2019-01-01\n'
const SECTORS = 'site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\nA,viettel,4G,1800,,360,30,20,0\nB,vnpt,4G,1800,,360,30,20,0\n'

/** Villages on rings around a point (every 45°, at 0.3, 0.9, 1.6 and 2.3 km), population 100 + 10·i. */
function villageCsv(prefix: string, lon: number, lat: number): string {
  const m = metresPerDegree(lat)
  const lines = ['code,name,commune code,lon,lat,population']
  let i = 0
  for (const km of [0.3, 0.9, 1.6, 2.3]) {
    for (let k = 0; k < 8; k++) {
      const a = (k * Math.PI) / 4 + km
      const vLon = lon + (km * 1000 * Math.sin(a)) / m.lon
      const vLat = lat + (km * 1000 * Math.cos(a)) / m.lat
      lines.push(`${prefix}${i},Bản ${prefix}${i},04001,${vLon.toFixed(6)},${vLat.toFixed(6)},${100 + 10 * i}`)
      i++
    }
  }
  return `${lines.join('\n')}\n`
}

type Key = number | 'any'
interface CoverageState {
  /** Decoded composite tiles by `${operator id | 'any'}|${tile}`. */
  tiles: Map<string, { west: number; north: number; cols: number; rows: number; stepLon: number; stepLat: number; best: Int16Array }>
  /** Village classes by `${village id}|${operator id | 'any'}`. */
  villages: Map<string, { className: string; rsrpDbm: number }>
  /** Sum of the class polygons' area_km2 by `${operator id | 'any'}|${class}`. */
  polygonAreas: Map<string, number>
}

async function readState(db: Db): Promise<CoverageState> {
  const tiles: CoverageState['tiles'] = new Map()
  const rows = await sql<{ operator_id: number | null; tile: string; west: number; north: number; step_lon: number; step_lat: number; cols: number; rows: number; codec: 'raw' | 'deflate'; best_rsrp_decidbm: Uint8Array; serving_sector_ids: Uint8Array }>`
    SELECT t.operator_id, t.tile, t.west, t.north, t.step_lon, t.step_lat, t.cols, t.rows, t.codec, t.best_rsrp_decidbm, t.serving_sector_ids
    FROM coverage_tiles t JOIN coverage_runs r ON r.id = t.run_id WHERE r.is_current AND r.technology = '4G'`.execute(db)
  for (const t of rows.rows) {
    const d = decodeCompositeTile(t.codec, t.best_rsrp_decidbm, t.serving_sector_ids, t.cols * t.rows)
    tiles.set(`${t.operator_id ?? 'any'}|${t.tile}`, { west: t.west, north: t.north, cols: t.cols, rows: t.rows, stepLon: t.step_lon, stepLat: t.step_lat, best: d.best })
  }
  const villages: CoverageState['villages'] = new Map()
  for (const p of (await villagePredictions(db, { onDate: RUN.onDate })).predictions) {
    villages.set(`${p.villageId}|${p.operatorId ?? 'any'}`, { className: p.className, rsrpDbm: p.rsrpDbm })
  }
  const polygons = await sql<{ key: string; area: number }>`
    SELECT coalesce(p.operator_id::text, 'any') || '|' || p.class AS key, sum(p.area_km2) AS area
    FROM coverage_polygons p JOIN coverage_runs r ON r.id = p.run_id WHERE r.is_current AND r.technology = '4G' GROUP BY 1`.execute(db)
  return { tiles, villages, polygonAreas: new Map(polygons.rows.map((r) => [r.key, Number(r.area)])) }
}

const CLASSES = ['none', 'weak', 'good'] as const
/** The class of a composite cell as the recompute's class polygons have it (float4 dBm), or null for no prediction. */
function cellClass(deci: number): 'none' | 'weak' | 'good' | null {
  if (deci === NO_RSRP) return null
  const v = Math.fround(deci / 10)
  return v >= -100 ? 'good' : v >= -115 ? 'weak' : 'none'
}

/**
 * Inside the what-if's window, from the two runs' composite tiles: class areas before and after,
 * area by transition, and the dead zone inside the candidate's disc (as the site sweep draws it).
 */
function areaDiff(before: CoverageState, after: CoverageState, key: Key, result: WhatIfResult) {
  const w = result.window
  const step = w.stepDeg
  const col0 = Math.round((w.west + 180) / step)
  const row0 = Math.round((90 - w.north) / step)
  const classAt = (state: CoverageState, col: number, row: number) => {
    const tileCells = Math.round(0.1 / step)
    const tile = state.tiles.get(`${key}|${Math.floor(col / tileCells)}_${Math.floor(row / tileCells)}`)
    if (!tile) return null
    const tc0 = Math.round((tile.west + 180) / step)
    const tr0 = Math.round((90 - tile.north) / step)
    return cellClass(tile.best[(row - tr0) * tile.cols + (col - tc0)]!)
  }
  const out = {
    before: { good: 0, weak: 0, none: 0 }, after: { good: 0, weak: 0, none: 0 },
    transitions: { noneToWeak: 0, noneToGood: 0, weakToGood: 0 }, deadZoneKm2: { before: 0, after: 0 },
  }
  const m = metresPerDegree(result.site.lat)
  for (let r = 0; r < w.rows; r++) {
    const n = w.north - r * step
    const s = w.north - (r + 1) * step
    const a = polygonAreaKm2([[[0, s], [step, s], [step, n], [0, n], [0, s]]])
    for (let c = 0; c < w.cols; c++) {
      const b = classAt(before, col0 + c, row0 + r)
      const f = classAt(after, col0 + c, row0 + r)
      if (b) out.before[b] += a
      if (f) out.after[f] += a
      const from = b ?? 'none'
      const to = f ?? 'none'
      if (from === 'none' && to === 'weak') out.transitions.noneToWeak += a
      if (from === 'none' && to === 'good') out.transitions.noneToGood += a
      if (from === 'weak' && to === 'good') out.transitions.weakToGood += a
      const x = (c + 0.5 - (result.site.lon - w.west) / step) * m.lon * step
      const y = (r + 0.5 - (w.north - result.site.lat) / step) * m.lat * step
      if (x * x + y * y <= result.radiusM ** 2) {
        if (from === 'none') out.deadZoneKm2.before += a
        if (to === 'none') out.deadZoneKm2.after += a
      }
    }
  }
  return out
}

/** Villages changing class between the two runs' predictions. */
function villageDiff(before: CoverageState, after: CoverageState, key: Key, population: Map<number, number>) {
  const changes: Array<{ id: number; before: string; after: string }> = []
  const counts = { noneToWeak: 0, noneToGood: 0, weakToGood: 0 }
  const pop = { noneToWeak: 0, noneToGood: 0, weakToGood: 0 }
  for (const [id, p] of population) {
    const from = before.villages.get(`${id}|${key}`)?.className ?? 'none'
    const to = after.villages.get(`${id}|${key}`)?.className ?? 'none'
    if (from === to) continue
    changes.push({ id, before: from, after: to })
    const k = to === 'good' ? (from === 'weak' ? 'weakToGood' : 'noneToGood') : 'noneToWeak'
    counts[k]++
    pop[k] += p
  }
  return { changes: changes.sort((a, b) => a.id - b.id), counts, population: pop }
}

const close = (a: number, b: number, what: string) => expect(Math.abs(a - b), `${what}: what-if ${a}, recomputes ${b}`).toBeLessThan(1e-9)

describe.each(enginesUnderTest())('what-if for one candidate site on the %s engine', (engine) => {
  let h: DatabaseHandle
  let app: FastifyInstance
  let viettel: number
  const dataDir = path.join(dir, engine)
  beforeAll(async () => {
    h = await sharedDatabase(engine)
    writeRidgeDem(path.join(dataDir, 'dem'))
    app = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir })
    viettel = (await sql<{ id: number }>`SELECT id FROM operators WHERE code = 'viettel'`.execute(h.db)).rows[0]!.id
  })
  afterAll(async () => app?.close())
  beforeEach(async () => {
    await resetData(h.db)
    await createWorld(h.db)
    await importText(h.db, 'sites', dir, `${engine}-sites.csv`, SITES)
    await importText(h.db, 'sectors', dir, `${engine}-sectors.csv`, SECTORS)
  })

  const postWhatIf = (payload: object) => app.inject({ method: 'POST', url: '/api/planning/what-if', headers: AUTH, payload })

  /**
   * Recompute without the candidate, ask the what-if, add the candidate as a real site with the
   * same sectors, recompute, and check the what-if against the difference of the two runs.
   */
  async function checkAgainstRecomputes(candidate: { lon: number; lat: number; sectors: Array<Record<string, number>> }, villagesCsv: string): Promise<WhatIfResult> {
    await importText(h.db, 'villages', dir, `${engine}-villages.csv`, villagesCsv)
    const population = new Map((await sql<{ id: number; population: number }>`SELECT id, population FROM villages`.execute(h.db)).rows.map((r) => [r.id, r.population]))
    await recomputeCoverage(h.db, app.demStore, RUN)
    const before = await readState(h.db)
    const res = await postWhatIf({ lon: candidate.lon, lat: candidate.lat, operatorCode: 'viettel', radiusM: RUN.radiusM, sectors: candidate.sectors })
    expect(res.statusCode, res.body).toBe(200)
    const result = res.json<WhatIfResult>()

    await importText(h.db, 'sites', dir, `${engine}-candidate.csv`, `code,operator,lon,lat,commissioned\nCAND,viettel,${candidate.lon},${candidate.lat},2019-01-01\n`)
    const sectorLines = candidate.sectors.map((s) => `CAND,viettel,4G,${s.frequencyMhz},${s.azimuthDeg},${s.beamwidthDeg},${s.heightM},${s.eirpDbm},${s.gainDbi}`)
    await importText(h.db, 'sectors', dir, `${engine}-candidate-sectors.csv`, `site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\n${sectorLines.join('\n')}\n`)
    await recomputeCoverage(h.db, app.demStore, RUN)
    const after = await readState(h.db)

    for (const [key, k] of [['operator', viettel], ['any', 'any']] as const) {
      const expected = areaDiff(before, after, k, result)
      const got = result.areas[key]
      for (const c of CLASSES) {
        close(got.before[c], expected.before[c], `${key} ${c} before`)
        close(got.after[c], expected.after[c], `${key} ${c} after`)
      }
      for (const t of ['noneToWeak', 'noneToGood', 'weakToGood'] as const) close(got.transitions[t], expected.transitions[t], `${key} ${t}`)
      close(got.deadZoneKm2.before, expected.deadZoneKm2.before, `${key} dead zone before`)
      close(got.deadZoneKm2.after, expected.deadZoneKm2.after, `${key} dead zone after`)

      // The class polygons of both runs (traced, simplified by half a cell) tell the same story.
      const covered = (s: CoverageState) => (s.polygonAreas.get(`${k}|good`) ?? 0) + (s.polygonAreas.get(`${k}|weak`) ?? 0)
      const polygonGain = covered(after) - covered(before)
      expect(Math.abs(polygonGain - got.newlyCoveredKm2), `${key}: polygons gained ${polygonGain} km², what-if ${got.newlyCoveredKm2}`)
        .toBeLessThan(0.02 * got.newlyCoveredKm2 + 0.02)

      const villages = villageDiff(before, after, k, population)
      expect(result.villages[key].villages.map((v) => ({ id: v.id, before: v.before, after: v.after })), key).toEqual(villages.changes)
      expect(result.villages[key].counts, key).toEqual(villages.counts)
      expect(result.villages[key].population, key).toEqual(villages.population)
      expect(result.villages[key].total.villages).toBe(villages.changes.length)
    }
    return result
  }

  const SECTORS_3 = [0, 120, 240].map((azimuthDeg) => ({ azimuthDeg, beamwidthDeg: 65, heightM: 30, eirpDbm: 30, gainDbi: 17, frequencyMhz: 1800 }))

  it('equals the difference of full recomputes without and with the candidate', async () => {
    const candidate = { lon: 103.962, lat: 21.357, sectors: SECTORS_3 }
    const result = await checkAgainstRecomputes(candidate, villageCsv('W', 103.958, 21.352))
    expect(result.configuration).toBe('given')
    expect(result.runRadiusM).toBe(RUN.radiusM)
    // The candidate matters here: villages and area change class, and some of its footprint overlaps A and B.
    expect(result.villages.any.total.villages).toBeGreaterThan(2)
    expect(result.villages.operator.total.villages).toBeGreaterThanOrEqual(result.villages.any.total.villages)
    expect(result.areas.operator.newlyCoveredKm2).toBeGreaterThan(1)
    expect(result.areas.any.deadZoneKm2.after).toBeLessThan(result.areas.any.deadZoneKm2.before)
    expect(result.overlap.overlapKm2).toBeGreaterThan(0)
    expect(result.overlap.share).toBeGreaterThan(0)
    expect(result.overlap.share).toBeLessThan(1)
    expect(result.site.groundElevationM).toBeCloseTo(200, 0)
    expect(result.site.slopeDeg).toBeLessThan(1)
    expect(result.dem).toEqual({ synthetic: false, tiles: [{ name: 'N21E103', kind: 'real' }] })
    expect(result.distances).toMatchObject({ fibre: null, powerLine: null, road: null })
  })

  it('gains nothing from a candidate on a hill behind the ridge', async () => {
    const candidate = { lon: HILL.lon, lat: HILL.lat, sectors: SECTORS_3 }
    // Villages east of the ridge, around A and B.
    const result = await checkAgainstRecomputes(candidate, villageCsv('E', 103.955, 21.35))
    expect(result.villages.any.total).toEqual({ villages: 0, population: 0 })
    expect(result.villages.operator.total).toEqual({ villages: 0, population: 0 })
    // What it covers (west of the ridge) nobody covered: no overlap with A or B.
    expect(result.overlap.overlapKm2).toBe(0)
    expect(result.site.groundElevationM).toBeCloseTo(350, -1)
    expect(result.site.slopeDeg).toBeLessThan(5)
  })

  it('uses the operator default configuration and measures distances to fibre and power lines', async () => {
    await recomputeCoverage(h.db, app.demStore, RUN)
    const m = metresPerDegree(21.35)
    // A fibre route 1 km east of the candidate, a power line 2 km north (both north–south / east–west straight lines).
    const fLon = 103.96 + 1000 / m.lon
    const pLat = 21.35 + 2000 / m.lat
    await sql`INSERT INTO fibre_routes (code, owner_name, geom) VALUES ('F1', 'VNPT', ST_GeomFromText(${`MULTILINESTRING((${fLon} 21.3, ${fLon} 21.4))`}, 4326))`.execute(h.db)
    await sql`INSERT INTO power_lines (code, owner, geom) VALUES ('P1', 'EVN', ST_GeomFromText(${`MULTILINESTRING((103.9 ${pLat}, 104.0 ${pLat}))`}, 4326))`.execute(h.db)
    const res = await postWhatIf({ lon: 103.96, lat: 21.35, operatorCode: 'viettel', radiusM: 2000 })
    expect(res.statusCode, res.body).toBe(200)
    const result = res.json<WhatIfResult>()
    expect(result.configuration).toBe('operator-default')
    // Viettel's one existing sector: 20 dBm, 0 dBi.
    expect(result.sectors.map((s) => [s.azimuthDeg, s.beamwidthDeg, s.heightM, s.frequencyMhz, s.eirpDbm, s.gainDbi]))
      .toEqual([[0, 65, 30, 1800, 20, 0], [120, 65, 30, 1800, 20, 0], [240, 65, 30, 1800, 20, 0]])
    expect(result.configurationBasis).toMatch(/median/)
    expect(result.distances.fibre!.code).toBe('F1')
    expect(result.distances.fibre!.distanceM / 1000).toBeCloseTo(1, 2)
    expect(result.distances.powerLine!.code).toBe('P1')
    expect(result.distances.powerLine!.distanceM / 2000).toBeCloseTo(1, 2)
    expect(result.distances.roadReason).toMatch(/road/)

    // An operator with no sectors gets 60 dBm / 17 dBi.
    const other = await postWhatIf({ lon: 103.96, lat: 21.35, operatorCode: 'mobifone', radiusM: 1000 })
    expect(other.statusCode, other.body).toBe(200)
    expect(other.json<WhatIfResult>().sectors.every((s) => s.eirpDbm === 60 && s.gainDbi === 17)).toBe(true)
  })

  it('refuses bad input and answers 404 before any run, as problem+json', async () => {
    const noRun = await postWhatIf({ lon: 103.96, lat: 21.35, operatorCode: 'viettel' })
    expect(noRun.statusCode).toBe(404)
    expect(noRun.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(noRun.json()).toMatchObject({ code: 'no-coverage-prediction' })

    await recomputeCoverage(h.db, app.demStore, RUN)
    const outside = await postWhatIf({ lon: 100.5, lat: 13.75, operatorCode: 'viettel' })
    expect(outside.statusCode).toBe(400)
    expect(outside.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(outside.json()).toMatchObject({ code: 'outside-vietnam', errors: [{ field: 'lon' }] })

    const unknown = await postWhatIf({ lon: 103.96, lat: 21.35, operatorCode: 'nobody' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ code: 'unknown-reference', errors: [{ field: 'operatorCode' }] })

    const badSector = await postWhatIf({ lon: 103.96, lat: 21.35, operatorCode: 'viettel', sectors: [{ beamwidthDeg: 65, heightM: 30, eirpDbm: 60, gainDbi: 17, frequencyMhz: 1800 }] })
    expect(badSector.statusCode).toBe(400)
    expect(badSector.json()).toMatchObject({ code: 'validation-failed' })

    const tooFar = await postWhatIf({ lon: 103.96, lat: 21.35, operatorCode: 'viettel', radiusM: 100_000 })
    expect(tooFar.statusCode).toBe(400)
    expect(tooFar.headers['content-type']).toMatch(/application\/problem\+json/)

    // No DEM tile under the site (N21E105 does not exist here).
    const noDem = await postWhatIf({ lon: 105.5, lat: 21.5, operatorCode: 'viettel', radiusM: 1000 })
    expect(noDem.statusCode).toBe(422)
    expect(noDem.json()).toMatchObject({ code: 'no-terrain-data' })

    const anonymous = await app.inject({ method: 'POST', url: '/api/planning/what-if', payload: { lon: 103.96, lat: 21.35, operatorCode: 'viettel' } })
    expect(anonymous.statusCode).toBe(401)
  })
})
