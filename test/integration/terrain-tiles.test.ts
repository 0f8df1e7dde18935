import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeTerrarium, encodeTerrarium, tilePixelLonLat } from '../../server/geo/dem/terrarium.ts'
import { createPlaneHgt, testPlaneHeight } from '../helpers/dem-tiles.ts'
import { enginesUnderTest, sharedDatabase } from '../helpers/engines.ts'
import { buildTestApp } from '../helpers/test-app.ts'
import { tileOf } from '../helpers/vector-tiles.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'phusong-terrain-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('Terrarium encoding', () => {
  it('round-trips heights to 1/256 m, and clamps what it cannot hold', () => {
    const heights = [0, 1, -1, 1234.5678, 3143.99, -420.25, Number.NaN]
    const rgba = new Uint8Array(heights.length * 4)
    encodeTerrarium(heights, rgba)
    for (let i = 0; i < heights.length - 1; i++) {
      expect(Math.abs(decodeTerrarium(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!) - heights[i]!)).toBeLessThan(1 / 256)
    }
    expect(decodeTerrarium(rgba[24]!, rgba[25]!, rgba[26]!)).toBe(0) // NaN → 0 m
  })
})

describe.each(enginesUnderTest())('terrain tiles on the %s engine', (engine) => {
  let app: FastifyInstance
  beforeAll(async () => {
    const dataDir = path.join(dir, engine)
    mkdirSync(path.join(dataDir, 'dem'), { recursive: true })
    writeFileSync(path.join(dataDir, 'dem', 'N21E103.hgt'), createPlaneHgt('N21E103'))
    app = await buildTestApp(await sharedDatabase(engine), { PHUSONG_DATA_DIR: dataDir })
  })
  afterAll(async () => app?.close())

  it('serves the DEM as Terrarium PNG: every pixel is the height at its centre', async () => {
    const z = 12
    const [, x, y] = tileOf(103.5, 21.5, z)
    const res = await app.inject(`/tiles/terrain/${z}/${x}/${y}.png`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    const png = PNG.sync.read(res.rawPayload)
    expect([png.width, png.height]).toEqual([256, 256])
    let worst = 0
    for (let py = 0; py < 256; py += 17) {
      for (let px = 0; px < 256; px += 13) {
        const o = (py * 256 + px) * 4
        const [lon, lat] = tilePixelLonLat(z, x, y, px, py)
        worst = Math.max(worst, Math.abs(decodeTerrarium(png.data[o]!, png.data[o + 1]!, png.data[o + 2]!) - testPlaneHeight(lon, lat)))
      }
    }
    // The test tile's posts are the plane rounded to whole metres: bilinear between them is within 0.5 m.
    expect(worst).toBeLessThan(0.51)
    // ETag and 304.
    const again = await app.inject({ url: `/tiles/terrain/${z}/${x}/${y}.png`, headers: { 'if-none-match': res.headers.etag as string } })
    expect(again.statusCode).toBe(304)
  })

  it('answers 204 where no DEM tile exists and outside its zooms, 400 for a tile that does not exist', async () => {
    const [, fx, fy] = tileOf(106.5, 10.5, 12)
    expect((await app.inject(`/tiles/terrain/12/${fx}/${fy}.png`)).statusCode).toBe(204)
    const [, x, y] = tileOf(103.5, 21.5, 16)
    expect((await app.inject(`/tiles/terrain/16/${x}/${y}.png`)).statusCode).toBe(204)
    const bad = await app.inject('/tiles/terrain/3/9/1.png')
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toMatch(/problem\+json/)
  })

  it('describes itself as a TileJSON raster-dem source MapLibre reads', async () => {
    const res = await app.inject('/tiles/terrain.json')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ tilejson: '3.0.0', encoding: 'terrarium', minzoom: 5, maxzoom: 14 })
    expect(res.json<{ tiles: string[] }>().tiles[0]).toMatch(/\/tiles\/terrain\/\{z\}\/\{x\}\/\{y\}\.png$/)
  })
})
