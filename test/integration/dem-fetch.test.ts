import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { fetchDemTiles, type FetchDemEvent } from '../../server/services/dem/dem-fetch.ts'
import { openDemStore } from '../../server/services/dem/dem-store.ts'
import { readFetchManifest } from '../../server/services/dem/fetch-manifest.ts'
import { createPlaneTile } from '../helpers/dem-tiles.ts'
import { encodeHgt } from '../../server/geo/dem/encode-hgt.ts'

/** A gzipped 3″ tile of the test plane with some texture, so that it does not compress to nothing (~1 MB). */
function createTileGz(name: string): Buffer {
  const tile = createPlaneTile(name)
  for (let i = 0; i < tile.heights.length; i++) tile.heights[i] = tile.heights[i]! + (Math.imul(i, 2654435761) >>> 27)
  return gzipSync(encodeHgt(tile))
}

interface MirrorRequest {
  path: string
  range?: string
  ifRange?: string
}

/**
 * A local mirror in the skadi layout on 127.0.0.1 (no network). `files` maps paths like
 * /skadi/N21/N21E103.hgt.gz to bytes; anything else is 404. `dropOnce` paths lose the connection
 * half-way through their first answer; `failing` paths always answer 500. Supports `Range: bytes=N-`
 * with `If-Range` on the ETag.
 */
async function startMirror(files: Map<string, Buffer>, options: { dropOnce?: string[]; failing?: string[] } = {}) {
  const requests: MirrorRequest[] = []
  const dropped = new Set<string>()
  const server = http.createServer((req, res) => {
    const path = req.url ?? ''
    requests.push({ path, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined })
    if (options.failing?.includes(path)) {
      res.writeHead(500).end('boom')
      return
    }
    const body = files.get(path)
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>')
      return
    }
    const etag = `"${createHash('md5').update(body).digest('hex')}"`
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    const start = m && (req.headers['if-range'] === undefined || req.headers['if-range'] === etag) ? Number(m[1]) : 0
    const headers = { etag, 'content-type': 'application/x-gzip', 'accept-ranges': 'bytes' }
    if (start > 0) res.writeHead(206, { ...headers, 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` })
    else res.writeHead(200, { ...headers, 'content-length': body.length })
    if (options.dropOnce?.includes(path) && !dropped.has(path)) {
      dropped.add(path)
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 30))
      return
    }
    res.end(body.subarray(start))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/skadi`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function createDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'phusong-dem-fetch-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
/** N21E103 (dropped half-way once), N21E104, N20E104; N20E103 is sea (404). */
const BBOX = [103.2, 20.2, 104.8, 21.8] as const

function createFiles(): Map<string, Buffer> {
  return new Map(['N21E103', 'N21E104', 'N20E104'].map((name) => [`/skadi/${name.slice(0, 3)}/${name}.hgt.gz`, createTileGz(name)]))
}

describe('fetchDemTiles against a local skadi mirror', () => {
  it('downloads, resumes a dropped download with a Range request, records sea tiles as absent', async () => {
    const files = createFiles()
    const mirror = await startMirror(files, { dropOnce: ['/skadi/N21/N21E103.hgt.gz'] })
    cleanups.push(mirror.close)
    const dir = await createDir()
    const events: FetchDemEvent[] = []
    const report = await fetchDemTiles({ bbox: BBOX, dir, mirror: mirror.url, concurrency: 2, retryDelayMs: 10, onEvent: (e) => events.push(e) })

    const byName = Object.fromEntries(report.tiles.map((t) => [t.name, t]))
    expect(report).toMatchObject({ downloaded: 3, absent: 1, failed: 0, verified: 0 })
    expect(byName.N20E103).toMatchObject({ status: 'absent', requests: 1 })
    const resumed = byName.N21E103!
    expect(resumed).toMatchObject({ status: 'downloaded', requests: 2 })
    expect(resumed.resumedFrom).toBeGreaterThan(0)
    const second = mirror.requests.filter((r) => r.path === '/skadi/N21/N21E103.hgt.gz')[1]!
    expect(second.range).toBe(`bytes=${resumed.resumedFrom}-`)
    expect(second.ifRange).toMatch(/^"[0-9a-f]{32}"$/)
    expect(events.some((e) => e.type === 'retry' && e.name === 'N21E103')).toBe(true)

    for (const [path, body] of files) {
      const name = path.split('/').pop()!.replace('.hgt.gz', '')
      const local = await readFile(join(dir, `${name}.hgt.gz`))
      expect(sha256(local), name).toBe(sha256(body))
      expect(byName[name]!.sha256).toBe(sha256(body))
    }
    const manifest = await readFetchManifest(dir)
    expect(manifest.tiles.N21E103).toMatchObject({ status: 'present', file: 'N21E103.hgt.gz', sha256: sha256(files.get('/skadi/N21/N21E103.hgt.gz')!) })
    expect(manifest.tiles.N20E103).toMatchObject({ status: 'absent' })
    expect(report.bytes).toBeGreaterThan(0)

    // The store reads the fetched tiles as real and the absent one as sea.
    const store = await openDemStore({ dir })
    expect(store.coverage(BBOX).tiles.map((t) => `${t.name}:${t.status}`)).toEqual(['N21E103:real', 'N21E104:real', 'N20E103:sea', 'N20E104:real'])
    await store.close()
  })

  it('verifies tiles on a re-run without downloading, and downloads again a tile whose checksum changed', async () => {
    const files = createFiles()
    const mirror = await startMirror(files)
    cleanups.push(mirror.close)
    const dir = await createDir()
    await fetchDemTiles({ bbox: BBOX, dir, mirror: mirror.url, retryDelayMs: 10 })
    const before = mirror.requests.length

    const again = await fetchDemTiles({ bbox: BBOX, dir, mirror: mirror.url, retryDelayMs: 10 })
    expect(again).toMatchObject({ verified: 3, absent: 1, downloaded: 0, bytes: 0 })
    expect(mirror.requests.length).toBe(before)

    const damaged = await readFile(join(dir, 'N21E104.hgt.gz'))
    damaged[damaged.length - 20] = damaged[damaged.length - 20]! ^ 0xff
    await writeFile(join(dir, 'N21E104.hgt.gz'), damaged)
    const repaired = await fetchDemTiles({ bbox: BBOX, dir, mirror: mirror.url, retryDelayMs: 10 })
    const tile = repaired.tiles.find((t) => t.name === 'N21E104')!
    expect(tile.status).toBe('downloaded')
    expect(tile.notes.join()).toMatch(/checksum mismatch/)
    expect(mirror.requests.slice(before).map((r) => r.path)).toEqual(['/skadi/N21/N21E104.hgt.gz'])
    expect(sha256(await readFile(join(dir, 'N21E104.hgt.gz')))).toBe(sha256(files.get('/skadi/N21/N21E104.hgt.gz')!))
  })

  it('reports tiles that keep failing and files that are not tiles, with the reason, and goes on with the others', async () => {
    const files = createFiles()
    files.set('/skadi/N20/N20E104.hgt.gz', Buffer.from('<html>maintenance</html>'))
    const mirror = await startMirror(files, { failing: ['/skadi/N21/N21E104.hgt.gz'] })
    cleanups.push(mirror.close)
    const dir = await createDir()
    const report = await fetchDemTiles({ bbox: BBOX, dir, mirror: mirror.url, retries: 1, retryDelayMs: 5 })
    const byName = Object.fromEntries(report.tiles.map((t) => [t.name, t]))
    expect(report).toMatchObject({ downloaded: 1, absent: 1, failed: 2 })
    expect(byName.N21E104).toMatchObject({ status: 'failed', requests: 2 })
    expect(byName.N21E104!.error).toMatch(/HTTP 500.*gave up after 2 attempts/)
    expect(byName.N20E104!.error).toMatch(/not a valid SRTM tile/)
  })

  it('accepts a URL template and says when the mirror cannot be reached', async () => {
    const files = new Map([['/tiles/N21E103.hgt.gz', createTileGz('N21E103')]])
    const mirror = await startMirror(files)
    cleanups.push(mirror.close)
    const dir = await createDir()
    const base = mirror.url.replace('/skadi', '')
    const ok = await fetchDemTiles({ bbox: [103.2, 21.2, 103.8, 21.8], dir, mirror: `${base}/tiles/{name}.hgt.gz` })
    expect(ok).toMatchObject({ downloaded: 1 })

    const closed = await startMirror(new Map())
    await closed.close()
    const down = await fetchDemTiles({ bbox: [104.2, 21.2, 104.8, 21.8], dir, mirror: closed.url, retries: 0 })
    expect(down.tiles[0]!.error).toMatch(/cannot reach 127\.0\.0\.1:\d+: connection refused/)
    await expect(fetchDemTiles({ bbox: [103, 21, 104, 22], dir, mirror: 'ftp://example.org/skadi' })).rejects.toThrow(/http:\/\/ or https:\/\//)
  })
})
