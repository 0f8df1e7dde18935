import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSource } from '../../../../server/import/readers/open-source.ts'
import { fixture, openDescriptors, settleDescriptors } from './reader-test-helpers.ts'

/** V8's gc(), made callable at run time (the test runner is not started with --expose-gc). */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/** Writes n village features (~700 bytes each) without holding the file in memory. */
async function writeBigGeoJson(path: string, n: number): Promise<void> {
  const out = createWriteStream(path)
  const note = 'Bản vùng cao, đường đất, sóng chập chờn vào mùa mưa; cần khảo sát vị trí trạm mới trên đồi phía bắc. '.repeat(4)
  out.write('{"type":"FeatureCollection","name":"ban","features":[\n')
  for (let i = 0; i < n; i++) {
    const f = { type: 'Feature', properties: { ma_ban: `B${i}`, ten_ban: `Bản Nà Tấu ${i}`, xa: 'Mường Bú', dan_so: 100 + (i % 900), ghi_chu: note }, geometry: { type: 'Point', coordinates: [103 + (i % 1000) / 500, 20.6 + (i % 700) / 500] } }
    if (!out.write(`${JSON.stringify(f)}${i < n - 1 ? ',' : ''}\n`)) await once(out, 'drain')
  }
  out.end(']}\n')
  await once(out, 'finish')
}

async function writeBigCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path)
  out.write('Mã bản;Tên bản;Xã;Kinh độ;Vĩ độ;Dân số\n')
  for (let i = 0; i < n; i++) {
    if (!out.write(`B${i};Bản Nà Tấu ${i};Mường Bú;${(103 + (i % 1000) / 500).toFixed(4).replace('.', ',')};21,3;${i % 900}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

describe('streaming', () => {
  let dir: string
  let bigGeoJson: string
  let bigCsv: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'phusong-stream-'))
    bigGeoJson = join(dir, 'big.geojson')
    bigCsv = join(dir, 'big.csv')
    await writeBigGeoJson(bigGeoJson, 50_000)
    await writeBigCsv(bigCsv, 50_000)
  }, 60_000)
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads 50,000 GeoJSON features with heap growth far below the file size', async () => {
    const gc = exposeGc()
    const { size } = await stat(bigGeoJson)
    expect(size).toBeGreaterThan(30 * 1024 * 1024)
    gc()
    const before = process.memoryUsage().heapUsed
    let peak = 0
    let n = 0
    const source = await openSource(bigGeoJson)
    for await (const record of source.records) {
      n++
      if (record.position.index !== n) throw new Error(`feature ${n} numbered ${record.position.index}`)
      if (n % 5000 === 0) {
        gc()
        peak = Math.max(peak, process.memoryUsage().heapUsed - before)
      }
    }
    expect(n).toBe(50_000)
    // What stays alive while streaming is a 256 KiB chunk, its tokens and a feature (~3 MiB measured), not the 33 MiB file.
    expect(peak).toBeLessThan(size / 5)
  }, 60_000)

  it('reads 50,000 CSV rows with heap growth far below the file size', async () => {
    const gc = exposeGc()
    const { size } = await stat(bigCsv)
    gc()
    const before = process.memoryUsage().heapUsed
    let peak = 0
    let n = 0
    const source = await openSource(bigCsv)
    for await (const record of source.records) {
      n++
      if (n % 10_000 === 0) {
        gc()
        peak = Math.max(peak, process.memoryUsage().heapUsed - before)
      }
      if (n === 50_000) expect(record).toMatchObject({ position: { index: 50_001 }, geometry: { coordinates: [104.998, 21.3] } })
    }
    expect(n).toBe(50_000)
    expect(peak).toBeLessThan(Math.max(size / 4, 4 * 1024 * 1024))
  }, 60_000)

  it.each([
    ['GeoJSON', () => bigGeoJson],
    ['CSV', () => bigCsv],
  ])('closes the %s file when the consumer stops after 10 records', async (_, path) => {
    const file = path()
    const source = await openSource(file)
    expect(await openDescriptors(file)).toBe(1)
    let n = 0
    for await (const _record of source.records) if (++n === 10) break
    expect(n).toBe(10)
    expect(await settleDescriptors(file)).toBe(0)
  })

  it('closes a zipped shapefile when the consumer stops early, and when close() is called without reading', async () => {
    const zip = fixture('villages-shp.zip')
    const source = await openSource(zip)
    for await (const _record of source.records) break
    expect(await settleDescriptors(zip)).toBe(0)
    const unread = await openSource(zip)
    expect(await openDescriptors(zip)).toBe(1)
    await unread.close()
    expect(await settleDescriptors(zip)).toBe(0)
  })

  it('closes the file when close() is called without reading (GeoJSON)', async () => {
    const source = await openSource(bigGeoJson)
    await source.close()
    await source.close()
    expect(await settleDescriptors(bigGeoJson)).toBe(0)
  })

  it('closes the file when reading fails half way (truncated GeoJSON)', async () => {
    const path = fixture('bad-truncated.geojson')
    const source = await openSource(path)
    await expect(async () => {
      for await (const _record of source.records) {
        // read until the error
      }
    }).rejects.toMatchObject({ code: 'truncated-json' })
    expect(await settleDescriptors(path)).toBe(0)
  })

  it('leaves no file open after a refused file', async () => {
    for (const name of ['bad-zip-bomb.zip', 'bad-zip-traversal.zip', 'villages-cp1258.csv', 'bad-syntax.geojson', 'bad-kml.kml']) {
      await expect(openSource(fixture(name)).then(async (s) => {
        for await (const _record of s.records) {
          // read until the error
        }
      })).rejects.toHaveProperty('code')
      expect(await settleDescriptors(fixture(name)), name).toBe(0)
    }
  })
})
