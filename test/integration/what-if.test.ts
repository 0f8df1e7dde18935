import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { recomputeCoverage } from '../../server/services/coverage/recompute-coverage.service.ts'
import { whatIfSites, type WhatIfResult, type WhatIfSitesResult } from '../../server/services/planning/what-if.service.ts'
import { importText } from '../helpers/coverage-fixtures.ts'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import {
  areaDiff, CLASSES, HILL, readState, RUN, seedRidgeWorld, twoCommuneVillageCsv, villageCsv, villageDiff, writeRidgeDem, type CoverageState,
} from '../helpers/ridge-world.ts'
import { AUTH, buildTestApp } from '../helpers/test-app.ts'

/*
 * What-if for candidate sites against the difference of two full recomputes (without and with
 * the candidates as real sites) on the ridge world (test/helpers/ridge-world.ts): flat ground at
 * 200 m with a 1,300 m ridge running north–south along lon 103.92 and a 150 m hill west of it; two
 * weak existing sites east of the ridge; villages around them.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-what-if-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const close = (a: number, b: number, what: string) => expect(Math.abs(a - b), `${what}: what-if ${a}, recomputes ${b}`).toBeLessThan(1e-9)

describe.each(enginesUnderTest())('what-if for candidate sites on the %s engine', (engine) => {
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
    await seedRidgeWorld(h.db, dir, engine)
  })

  const postWhatIf = (payload: object) => app.inject({ method: 'POST', url: '/api/planning/what-if', headers: AUTH, payload })

  type Candidate = { lon: number; lat: number; sectors: Array<Record<string, number>> }
  /** The figures a what-if of one or several sites gives, with where it looked. */
  type Answer = Pick<WhatIfSitesResult, 'areas' | 'villages' | 'windows' | 'radiusM'> & { sites: Array<{ lon: number; lat: number }> }

  /**
   * Recompute without the candidates, ask the what-if, add the candidates as real sites with the
   * same sectors, recompute, and check the what-if against the difference of the two runs.
   */
  async function checkAgainstRecomputes<T>(candidates: Candidate[], villagesCsv: string, ask: () => Promise<T>, answer: (r: T) => Answer): Promise<T> {
    await importText(h.db, 'villages', dir, `${engine}-villages.csv`, villagesCsv)
    const population = new Map((await sql<{ id: number; population: number }>`SELECT id, population FROM villages`.execute(h.db)).rows.map((r) => [r.id, r.population]))
    await recomputeCoverage(h.db, app.demStore, RUN)
    const before = await readState(h.db)
    const raw = await ask()
    const result = answer(raw)

    const siteLines = candidates.map((c, i) => `CAND${i},viettel,${c.lon},${c.lat},2019-01-01`)
    await importText(h.db, 'sites', dir, `${engine}-candidate.csv`, `code,operator,lon,lat,commissioned\n${siteLines.join('\n')}\n`)
    const sectorLines = candidates.flatMap((c, i) => c.sectors.map((s) => `CAND${i},viettel,4G,${s.frequencyMhz},${s.azimuthDeg},${s.beamwidthDeg},${s.heightM},${s.eirpDbm},${s.gainDbi}`))
    await importText(h.db, 'sectors', dir, `${engine}-candidate-sectors.csv`, `site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\n${sectorLines.join('\n')}\n`)
    await recomputeCoverage(h.db, app.demStore, RUN)
    const after = await readState(h.db)
    checkDifference(before, after, result, population)
    return raw
  }

  function checkDifference(before: CoverageState, after: CoverageState, result: Answer, population: Map<number, number>): void {
    for (const [key, k] of [['operator', viettel], ['any', 'any']] as const) {
      const expected = areaDiff(before, after, k, result.windows, result.sites, result.radiusM)
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
  }

  /** One candidate through the API. */
  async function checkOne(candidate: Candidate, villagesCsv: string): Promise<WhatIfResult> {
    return checkAgainstRecomputes([candidate], villagesCsv, async () => {
      const res = await postWhatIf({ lon: candidate.lon, lat: candidate.lat, operatorCode: 'viettel', radiusM: RUN.radiusM, sectors: candidate.sectors })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<WhatIfResult>()
    }, (r) => ({ ...r, windows: [r.window], sites: [r.site] }))
  }

  const SECTORS_3 = [0, 120, 240].map((azimuthDeg) => ({ azimuthDeg, beamwidthDeg: 65, heightM: 30, eirpDbm: 30, gainDbi: 17, frequencyMhz: 1800 }))

  it('equals the difference of full recomputes without and with the candidate', async () => {
    const candidate = { lon: 103.962, lat: 21.357, sectors: SECTORS_3 }
    const result = await checkOne(candidate, villageCsv('W', 103.958, 21.352))
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
    const result = await checkOne(candidate, villageCsv('E', 103.955, 21.35))
    expect(result.villages.any.total).toEqual({ villages: 0, population: 0 })
    expect(result.villages.operator.total).toEqual({ villages: 0, population: 0 })
    // What it covers (west of the ridge) nobody covered: no overlap with A or B.
    expect(result.overlap.overlapKm2).toBe(0)
    expect(result.site.groundElevationM).toBeCloseTo(350, -1)
    expect(result.site.slopeDeg).toBeLessThan(5)
  })

  it('two candidates at once equal the difference of recomputes with both added', async () => {
    // One near A (their windows overlap: merged into one box by best server), one far east in commune 04002 (its own box).
    const near = { lon: 103.962, lat: 21.357, sectors: SECTORS_3 }
    const other = { lon: 103.966, lat: 21.342, sectors: SECTORS_3.map((s) => ({ ...s, heightM: 40, eirpDbm: 33 })) }
    const east = { lon: 104.03, lat: 21.37, sectors: [{ azimuthDeg: 0, beamwidthDeg: 360, heightM: 30, eirpDbm: 30, gainDbi: 0, frequencyMhz: 1800 }] }
    const candidates = [near, other, east]
    const villages = twoCommuneVillageCsv()
    const result = await checkAgainstRecomputes(candidates, villages, () => whatIfSites(h.db, app.demStore, {
      operatorCode: 'viettel', radiusM: RUN.radiusM, sites: candidates.map(({ lon, lat, sectors }) => ({ lon, lat, sectors: sectors as never })),
    }), (r) => r)
    expect(result.sites).toHaveLength(3)
    expect(result.windows).toHaveLength(2)
    expect(result.villages.any.villages.some((v) => v.commune.code === '04002')).toBe(true)
    expect(result.villages.any.villages.some((v) => v.commune.code === '04001')).toBe(true)
    expect(result.dem.tiles.map((t) => t.name)).toEqual(['N21E103', 'N21E104'])
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
