import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlaneHgt, testPlaneHeight } from '../helpers/dem-tiles.ts'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import { buildTestApp } from '../helpers/test-app.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-backhaul-api-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const C = 299_792_458
const R = 6_371_008.8

interface PathPoint {
  index: number
  distanceM: number
  groundM: number
  bulgeM: number
  obstructionM: number
  clearanceM: number
  clearanceRatio: number
  fresnelRadiusM: number
}

interface Check {
  from: { lon: number; lat: number; heightM: number; groundM: number }
  distanceM: number
  spacingM: number
  frequencyMhz: number
  kFactor: number
  pass: boolean
  lineOfSight: boolean
  worst: PathPoint
  obstruction: (PathPoint & { aboveRequiredM: number; blocksLineOfSight: boolean }) | null
  neededExtraHeightM: { both: number; fromOnly: number; toOnly: number }
  profile: { distanceM: number[]; groundM: number[]; bulgeM: number[]; lineM: number[]; fresnelRadiusM: number[] }
  dem: { synthetic: boolean; tiles: Array<{ name: string; kind: string }> }
  verdict: string
}

/** About 10 km over the test plane (N21E103), north-east: the ground is a straight line along it. */
const FROM = [103.5, 21.4] as const
const TO = [103.58, 21.45] as const

/**
 * The antenna height (the same at both ends) at which the path clears exactly 60 % of the first
 * zone at 15 GHz, k = 4/3, from the profile's sample distances. Over a plane, with equal masts, the
 * clearance at a sample is h − d1·d2/(2kR), and the worst ratio is at the sample nearest mid-path.
 */
function boundaryHeight(check: Check): { heightM: number; index: number } {
  const L = check.distanceM
  const ds = check.profile.distanceM
  let index = 1
  for (let i = 1; i < ds.length - 1; i++) if (Math.abs(ds[i]! - L / 2) < Math.abs(ds[index]! - L / 2)) index = i
  const d1 = ds[index]!
  const d2 = L - d1
  const bulge = (d1 * d2) / (2 * (4 / 3) * R)
  const r1 = Math.sqrt(((C / 15e9) * d1 * d2) / L)
  return { heightM: bulge + 0.6 * r1, index }
}

describe.each(enginesUnderTest())('backhaul API on the %s engine', (engine) => {
  let app: FastifyInstance
  const dataDir = path.join(dir, engine)

  beforeAll(async () => {
    const h = await sharedDatabase(engine)
    // Real plane tiles N21E103 and N22E104, a synthetic one N21E104, nothing at N22E103 or N20E103.
    mkdirSync(path.join(dataDir, 'dem', 'synthetic'), { recursive: true })
    writeFileSync(path.join(dataDir, 'dem', 'N21E103.hgt'), createPlaneHgt('N21E103'))
    writeFileSync(path.join(dataDir, 'dem', 'N22E104.hgt'), createPlaneHgt('N22E104'))
    writeFileSync(path.join(dataDir, 'dem', 'synthetic', 'N21E104.hgt'), createPlaneHgt('N21E104'))
    app = await buildTestApp(h, { PHUSONG_DATA_DIR: dataDir })
  })
  afterAll(async () => app?.close())

  const get = (query: string) => app.inject({ method: 'GET', url: `/api/backhaul?${query}` })
  const check = async (query: string): Promise<Check> => {
    const res = await get(query)
    expect(res.statusCode, res.body).toBe(200)
    return res.json<Check>()
  }
  const hop = (h: number) => `from=${FROM.join(',')}&to=${TO.join(',')}&fromHeight=${h}&toHeight=${h}`

  it('answers the profile over the plane: ground, bulge, line and Fresnel radius at every sample', async () => {
    const c = await check(hop(30))
    expect(c).toMatchObject({ frequencyMhz: 15_000, from: { lon: FROM[0], lat: FROM[1], heightM: 30 } })
    expect(c.kFactor).toBeCloseTo(4 / 3, 12)
    expect(c.distanceM).toBeGreaterThan(9_900)
    expect(c.distanceM).toBeLessThan(10_100)
    expect(c.spacingM).toBeLessThanOrEqual(30)
    const n = c.profile.distanceM.length
    expect(n).toBe(Math.ceil(c.distanceM / 30) + 1)
    for (const key of ['groundM', 'bulgeM', 'lineM', 'fresnelRadiusM'] as const) expect(c.profile[key]).toHaveLength(n)
    expect(c.profile.distanceM[0]).toBe(0)
    expect(c.profile.distanceM[n - 1]).toBeCloseTo(c.distanceM, 1)
    expect(c.from.groundM).toBeCloseTo(testPlaneHeight(FROM[0], FROM[1]), 1)
    expect(c.profile.groundM[n - 1]).toBeCloseTo(testPlaneHeight(TO[0], TO[1]), 1)
    expect(c.profile.lineM[0]).toBeCloseTo(testPlaneHeight(FROM[0], FROM[1]) + 30, 1)
    const mid = Math.round((n - 1) / 2)
    expect(c.profile.groundM[mid]).toBeCloseTo(testPlaneHeight(FROM[0] + (TO[0] - FROM[0]) * (mid / (n - 1)), FROM[1] + (TO[1] - FROM[1]) * (mid / (n - 1))), 1)
    expect(c.profile.bulgeM[mid]).toBeCloseTo(1.47, 1)
    expect(c.dem).toEqual({ synthetic: false, tiles: [{ name: 'N21E103', kind: 'real' }] })
  })

  it('passes and fails as the antenna heights predict', async () => {
    const first = await check(hop(30))
    const { heightM, index } = boundaryHeight(first)
    // With an even number of gaps the middle is one sample; with an odd number, two tie (rounding picks either).
    const middle = [index, first.profile.distanceM.length - 1 - index]
    expect(heightM).toBeGreaterThan(5.6) // 1.47 m of bulge + 0.6 × 7.07 m
    expect(heightM).toBeLessThan(5.8)

    const pass = await check(hop(heightM + 0.05))
    expect(pass.pass).toBe(true)
    expect(pass.obstruction).toBeNull()
    expect(middle).toContain(pass.worst.index)
    expect(pass.worst.clearanceRatio).toBeGreaterThanOrEqual(0.6)
    expect(pass.neededExtraHeightM).toEqual({ both: 0, fromOnly: 0, toOnly: 0 })
    expect(pass.verdict).toMatch(/^Passes/)

    const fail = await check(hop(heightM - 0.05))
    expect(fail.pass).toBe(false)
    expect(fail.lineOfSight).toBe(true)
    expect(fail.obstruction).toMatchObject({ blocksLineOfSight: false })
    const at = fail.obstruction!.index
    expect(middle).toContain(at)
    expect(fail.obstruction!.distanceM).toBeCloseTo(fail.profile.distanceM[at]!, 2)
    expect(fail.obstruction!.groundM).toBeCloseTo(fail.profile.groundM[at]!, 2)
    expect(fail.obstruction!.aboveRequiredM).toBeCloseTo(0.05, 1)
    expect(fail.neededExtraHeightM.both).toBeCloseTo(0.05, 1)
    expect(fail.verdict).toMatch(/^Fails at 15 GHz with k = 4\/3: the ground at [45]\.\d\d km from A \(\d+ m above sea level, 1\.5 m of earth bulge\) reaches 0\.0\d m into the 60 % of the first Fresnel zone/)

    const blocked = await check(hop(1))
    expect(blocked.lineOfSight).toBe(false)
    expect(blocked.obstruction!.blocksLineOfSight).toBe(true)
    expect(blocked.verdict).toContain('no line of sight')
  })

  it('takes the frequency, k-factor, required clearance and clutter it is given', async () => {
    const base = await check(hop(30))
    const low = await check(`${hop(30)}&frequencyMhz=915`)
    expect(low.worst.fresnelRadiusM / base.worst.fresnelRadiusM).toBeCloseTo(Math.sqrt(15_000 / 915), 2)
    const sub = await check(`${hop(30)}&kFactor=0.6667`)
    expect(sub.worst.bulgeM).toBeCloseTo(2 * base.worst.bulgeM, 1)
    expect((await check(`${hop(30)}&requiredClearance=2`)).pass).toBe(true)
    const trees = await check(`${hop(30)}&clutterHeight=28`)
    expect(trees.pass).toBe(false)
  })

  it('says when the path reads synthetic terrain', async () => {
    const c = await check('from=103.95,21.5&to=104.05,21.5')
    expect(c.dem).toEqual({ synthetic: true, tiles: [{ name: 'N21E103', kind: 'real' }, { name: 'N21E104', kind: 'synthetic' }] })
    expect(c.verdict).toContain('synthetic')
  })

  it('refuses bad coordinates with 400 problem+json naming the field', async () => {
    for (const [query, field] of [['from=200,21&to=103.5,21.4', 'from'], ['from=103.5,21.4&to=103.5,95', 'to']] as const) {
      const res = await get(query)
      expect(res.statusCode, query).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json()).toMatchObject({ code: 'validation-failed', errors: [{ field, location: 'querystring' }] })
    }
    const malformed = await get('from=abc&to=103.5,21.4')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.headers['content-type']).toContain('application/problem+json')
    expect(malformed.json()).toMatchObject({ code: 'validation-failed' })
    const abroad = await get('from=100.5,21.4&to=103.5,21.4')
    expect(abroad.statusCode).toBe(400)
    expect(abroad.json()).toMatchObject({ code: 'outside-vietnam', errors: [{ field: 'from' }] })
    const tooHigh = await get(`${hop(30)}&fromHeight=1000`)
    expect(tooHigh.statusCode).toBe(400)
  })

  it('refuses a path longer than 100 km or shorter than 50 m with 400', async () => {
    const long = await get('from=103.05,21.05&to=103.95,21.95')
    expect(long.statusCode).toBe(400)
    expect(long.headers['content-type']).toContain('application/problem+json')
    expect(long.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'to' }] })
    expect(long.json().detail).toMatch(/1\d\d\.\d km long; at most 100 km/)
    const same = await get('from=103.5,21.4&to=103.5,21.4')
    expect(same.statusCode).toBe(400)
    expect(same.json()).toMatchObject({ code: 'validation-failed', errors: [{ field: 'to' }] })
  })

  it('refuses an end or a stretch of path without DEM tiles with 422 naming the tile', async () => {
    const end = await get('from=103.5,21.05&to=103.5,20.95')
    expect(end.statusCode).toBe(422)
    expect(end.json()).toMatchObject({ code: 'no-terrain-data', errors: [{ field: 'to' }] })
    expect(end.json().detail).toContain('N20E103')
    const gap = await get('from=103.95,21.97&to=104.05,22.05')
    expect(gap.statusCode).toBe(422)
    expect(gap.json().code).toBe('no-terrain-data')
    expect(gap.json().detail).toMatch(/gap in the DEM.*N22E103/)
  })

  it('lists the route in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, { get?: { responses: Record<string, unknown> } }> }>()
    const route = doc.paths['/api/backhaul'] ?? doc.paths['/api/backhaul/']
    expect(route?.get?.responses).toHaveProperty('200')
    expect(route?.get?.responses).toHaveProperty('400')
  })
})
