import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { writeArrayBuffer } from 'geotiff'
import { afterEach, describe, expect, it } from 'vitest'
import { openDemStore } from '../../server/services/dem/dem-store.ts'
import { writeFetchManifest } from '../../server/services/dem/fetch-manifest.ts'
import { DemFileError } from '../../server/services/dem/read-dem-file.ts'
import { ensureSyntheticDem } from '../../server/services/dem/synthetic-dem.ts'
import { makeZip } from '../fixtures/import/fixture-writers.ts'
import { createPlaneHgt, testPlaneHeight } from '../helpers/dem-tiles.ts'

const COARSE_GRID = new URL('../../data/dem/srtm_mean_0p1deg_nw_vietnam.asc', import.meta.url).pathname
const dirs: string[] = []

async function createDemDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'phusong-dem-'))
  dirs.push(dir)
  return dir
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A 3″ GeoTIFF ("pixel is point", Float32) of the test plane over N20E104 (geotiff's writer has no Int16). */
function createPlaneGeoTiff(): ArrayBuffer {
  const side = 1201
  const values = new Float32Array(side * side)
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) values[r * side + c] = testPlaneHeight(104 + c / 1200, 21 - r / 1200)
  return writeArrayBuffer(values, {
    width: side,
    height: side,
    ModelPixelScale: [1 / 1200, 1 / 1200, 0],
    ModelTiepoint: [0, 0, 0, 104, 21, 0],
    GeographicTypeGeoKey: 4326,
    GTModelTypeGeoKey: 2,
    GTRasterTypeGeoKey: 2,
    GDAL_NODATA: '-32768',
  })
}

/**
 * A DEM folder with one tile in each format, a synthetic tile hidden by a real one, a synthetic
 * tile alone, and a tile the mirror reported as sea:
 *
 *   N22E103 synthetic   N22E104 sea (manifest)
 *   N21E103 .hgt (void) N21E104 .hgt.gz          + synthetic/N21E103 (+500 m, must not be read)
 *   N20E103 .zip        N20E104 GeoTIFF
 */
async function createMixedDemDir(): Promise<string> {
  const dir = await createDemDir()
  await mkdir(join(dir, 'synthetic'), { recursive: true })
  await writeFile(join(dir, 'N21E103.hgt'), createPlaneHgt('N21E103', 0, [[600, 600]]))
  await writeFile(join(dir, 'N21E104.hgt.gz'), gzipSync(createPlaneHgt('N21E104')))
  await writeFile(join(dir, 'N20E103.SRTMGL3.hgt.zip'), makeZip([{ name: 'N20E103.hgt', data: Buffer.from(createPlaneHgt('N20E103')) }]))
  await writeFile(join(dir, 'n20e104_3arc.tif'), Buffer.from(createPlaneGeoTiff()))
  await writeFile(join(dir, 'synthetic', 'N21E103.hgt.gz'), gzipSync(createPlaneHgt('N21E103', 500)))
  await writeFile(join(dir, 'synthetic', 'N22E103.hgt.gz'), gzipSync(createPlaneHgt('N22E103', 7)))
  await writeFetchManifest(dir, { version: 1, tiles: { N22E104: { status: 'absent', url: 'http://mirror/N22/N22E104.hgt.gz', checkedAt: '2025-01-01T00:00:00Z' } } })
  return dir
}

describe('openDemStore', () => {
  it('finds real tiles in every format, synthetic ones where no real one exists, and sea', async () => {
    const store = await openDemStore({ dir: await createMixedDemDir() })
    const coverage = store.coverage([103.5, 20.5, 104.5, 22.5])
    expect(coverage.tiles.map((t) => [t.name, t.status, t.format])).toEqual([
      ['N22E103', 'synthetic', 'hgt.gz'],
      ['N22E104', 'sea', undefined],
      ['N21E103', 'real', 'hgt'],
      ['N21E104', 'real', 'hgt.gz'],
      ['N20E103', 'real', 'hgt.zip'],
      ['N20E104', 'real', 'geotiff'],
    ])
    expect(coverage).toMatchObject({ real: 4, synthetic: 1, sea: 1, missing: 0, complete: true })
    expect(store.coverage([110, 10, 110.5, 10.5])).toMatchObject({ missing: 1, complete: false })
    expect(store.warnings).toEqual([])
    await store.close()
  })

  it('samples seamlessly across tiles of every format; a real tile wins over a synthetic one', async () => {
    const store = await openDemStore({ dir: await createMixedDemDir() })
    const { sampler } = await store.sampler([103.5, 20.5, 104.5, 21.9])
    for (const [lon, lat] of [[103.5, 21.5], [104, 21.5], [104.5, 21.5], [103.5, 21], [103.99, 20.01], [104.2, 20.7], [104, 21], [103.7, 20.2]] as const) {
      expect(sampler.sample(lon, lat), `at ${lon}, ${lat}`).toBeCloseTo(testPlaneHeight(lon, lat), 1)
    }
    // The void at row 600, col 600 of N21E103 was filled from its neighbours (on a plane: exactly).
    expect(sampler.sample(103.5, 21.5)).toBeCloseTo(testPlaneHeight(103.5, 21.5), 1)
    expect(store.stats().voidsFilled).toBe(1)
    // The synthetic N22E103 carries +7 m, the sea tile is 0 m.
    const north = await store.sampler([103.5, 22.1, 104.5, 22.9])
    expect(north.sampler.sample(103.5, 22.5)).toBeCloseTo(testPlaneHeight(103.5, 22.5) + 7, 1)
    expect(north.sampler.sample(104.5, 22.5)).toBe(0)
    await store.close()
  })

  it('keeps the cache under its bound and refuses a bbox whose tiles would not fit', async () => {
    const dir = await createMixedDemDir()
    const store = await openDemStore({ dir, cacheBytes: 2 * 2_884_802 })
    for (const name of ['N21E103', 'N21E104', 'N20E103']) await store.getTile(name)
    expect(store.stats()).toMatchObject({ entries: 2, evictions: 1 })
    expect(store.stats().bytes).toBeLessThanOrEqual(2 * 2_884_802)
    await expect(store.sampler([103.5, 20.5, 104.5, 21.5])).rejects.toThrow(/more than the tile cache holds/)
    await store.close()
    await expect(store.getTile('N21E103')).rejects.toThrow(/closed/)
  })

  it('names the file when a tile is damaged', async () => {
    const dir = await createDemDir()
    await writeFile(join(dir, 'N21E103.hgt.gz'), Buffer.from('not gzip at all'))
    await writeFile(join(dir, 'N21E104.hgt'), Buffer.alloc(1000))
    await writeFile(join(dir, 'N20E103.hgt.zip'), makeZip([{ name: 'a.hgt', data: Buffer.from(createPlaneHgt('N20E103')) }, { name: 'b.hgt', data: Buffer.from(createPlaneHgt('N20E103')) }]))
    const store = await openDemStore({ dir })
    await expect(store.getTile('N21E103')).rejects.toThrow(DemFileError)
    await expect(store.getTile('N21E103')).rejects.toThrow(/N21E103\.hgt\.gz: is not a valid gzip file/)
    await expect(store.getTile('N21E104')).rejects.toThrow(/1000 bytes, not an SRTM .hgt tile/)
    await expect(store.getTile('N20E103')).rejects.toThrow(/exactly one .hgt file, this one holds 2/)
    await store.close()
  })

  it('sees tiles written after opening once refreshed, and drops replaced tiles from the cache', async () => {
    const dir = await createDemDir()
    await mkdir(join(dir, 'synthetic'))
    await writeFile(join(dir, 'synthetic', 'N21E103.hgt.gz'), gzipSync(createPlaneHgt('N21E103', 500)))
    const store = await openDemStore({ dir })
    expect((await store.getTile('N21E103'))!.heights[0]).toBe(Math.round(testPlaneHeight(103, 22)) + 500)
    await mkdir(join(dir, 'N21'))
    await writeFile(join(dir, 'N21', 'N21E103.hgt.gz'), gzipSync(createPlaneHgt('N21E103'))) // skadi layout
    expect(store.source('N21E103')?.kind).toBe('synthetic')
    await store.refresh()
    expect(store.source('N21E103')).toMatchObject({ kind: 'real', format: 'hgt.gz' })
    expect((await store.getTile('N21E103'))!.heights[0]).toBe(Math.round(testPlaneHeight(103, 22)))
    await store.close()
  })

  it('warns about GeoTIFFs it cannot use', async () => {
    const dir = await createDemDir()
    await writeFile(join(dir, 'broken.tif'), Buffer.from('II*\0garbage'))
    const store = await openDemStore({ dir })
    expect(store.warnings).toHaveLength(1)
    expect(store.warnings[0]).toMatch(/broken\.tif: is not a (readable|usable) GeoTIFF/)
    await store.close()
  })
})

describe('ensureSyntheticDem', () => {
  it('writes SYNTHETIC tiles with a manifest, keeps them on the next run, and skips cells with a real tile', async () => {
    const demDir = await createDemDir()
    await writeFile(join(demDir, 'N21E104.hgt.gz'), gzipSync(createPlaneHgt('N21E104')))
    const bbox = [103.2, 21.2, 104.8, 21.8] as const
    const first = await ensureSyntheticDem({ demDir, coarseGridPath: COARSE_GRID, bbox, arcSeconds: 3 })
    expect(first).toMatchObject({ generated: ['N21E103'], kept: [], skippedReal: ['N21E104'] })
    const second = await ensureSyntheticDem({ demDir, coarseGridPath: COARSE_GRID, bbox, arcSeconds: 3 })
    expect(second).toMatchObject({ generated: [], kept: ['N21E103'] })

    const store = await openDemStore({ dir: demDir })
    expect(store.coverage(bbox).tiles.map((t) => t.status)).toEqual(['synthetic', 'real'])
    const { sampler } = await store.sampler(bbox)
    const h = sampler.sample(103.9, 21.33)! // near Sơn La city, coarse cell mean 560 m
    expect(h).toBeGreaterThan(150)
    expect(h).toBeLessThan(1500)
    await store.close()

    const { readFile } = await import('node:fs/promises')
    const manifest = JSON.parse(await readFile(join(demDir, 'synthetic', 'manifest.json'), 'utf8')) as { synthetic: boolean; seed: number; tiles: Record<string, unknown> }
    expect(manifest).toMatchObject({ synthetic: true, seed: 20250701 })
    expect(Object.keys(manifest.tiles)).toEqual(['N21E103'])
    expect(await readFile(join(demDir, 'synthetic', 'SYNTHETIC.md'), 'utf8')).toMatch(/These tiles are generated, not measured/)

    const reseeded = await ensureSyntheticDem({ demDir, coarseGridPath: COARSE_GRID, bbox, arcSeconds: 3, seed: 7 })
    expect(reseeded.generated).toEqual(['N21E103'])
  })
})
