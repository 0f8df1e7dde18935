/**
 * Downloads SRTM tiles for a bbox from a public mirror into the DEM folder (`<dataDir>/dem/`), for
 * `npm run dem:fetch`. Default mirror: the AWS terrain tiles in their "skadi" layout
 * (`https://s3.amazonaws.com/elevation-tiles-prod/skadi/N21/N21E103.hgt.gz`, 1″ SRTM-based tiles,
 * public).
 *
 * - Resume: bytes go to `<tile>.part`; a dropped connection is retried with an HTTP Range request
 *   from where it stopped (`If-Range` with the ETag, so a changed file starts over).
 * - Checksums: each finished tile is checked (it must unpack to an `.hgt`), its sha256 recorded in
 *   `fetch-manifest.json`; a re-run re-hashes the files and downloads again any that differ.
 * - A tile the mirror does not have (404/410: SRTM has no tile where a cell is all sea) is
 *   recorded as absent, not as an error; the DEM store reads such cells as 0 m.
 * - Bounded concurrency, retries with back-off, an idle timeout, and messages that say what to do.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { hgtTilesForBbox, normaliseHgtTileName, skadiTilePath, type DemBbox } from '../../geo/dem/hgt-tile-name.ts'
import { readFetchManifest, writeFetchManifest, type FetchManifest } from './fetch-manifest.ts'
import { readHgtFile } from './read-dem-file.ts'

export const SKADI_MIRROR = 'https://s3.amazonaws.com/elevation-tiles-prod/skadi'

/** Most tiles one run may fetch (a 1″ tile is ~10–25 MB compressed). */
export const MAX_FETCH_TILES = 400

export interface FetchDemOptions {
  bbox: DemBbox
  /** The DEM folder, `<dataDir>/dem` (created if missing). */
  dir: string
  /**
   * The mirror: a base URL in the skadi layout (`<base>/N21/N21E103.hgt.gz`), or a URL template
   * with `{name}` (N21E103) and optionally `{lat}` (N21), e.g. `https://example.org/srtm/{name}.hgt.gz`.
   * The file is stored as `.hgt.gz`, `.hgt` or `.hgt.zip` after the URL's ending. Default SKADI_MIRROR.
   */
  mirror?: string
  /** Tiles downloaded at the same time (default 4). */
  concurrency?: number
  /** Further attempts after a failed one (dropped connection, 5xx, timeout; default 4). */
  retries?: number
  /** Wait before the n-th retry: n × this (default 1000 ms). */
  retryDelayMs?: number
  /** A request that receives nothing for this long is dropped and retried (default 30 s). */
  idleTimeoutMs?: number
  /** Ask the mirror again for tiles recorded as absent (default false). */
  recheckAbsent?: boolean
  onEvent?: (event: FetchDemEvent) => void
  signal?: AbortSignal
}

export type FetchTileStatus = 'downloaded' | 'verified' | 'absent' | 'failed'

export interface FetchTileResult {
  name: string
  status: FetchTileStatus
  url: string
  /** The tile's file (downloaded or verified). */
  file?: string
  bytes?: number
  sha256?: string
  /** Bytes already in the .part file when the last, successful request started. */
  resumedFrom?: number
  /** Requests made for the tile (0 when verified from disk or known absent). */
  requests: number
  /** Why a tile failed, or what happened on the way (a checksum mismatch, a resume). */
  error?: string
  notes: string[]
}

export type FetchDemEvent =
  | { type: 'plan'; tiles: string[] }
  | { type: 'start'; name: string; url: string; resumeFrom: number; total: number | null }
  | { type: 'bytes'; name: string; delta: number }
  | { type: 'retry'; name: string; attempt: number; reason: string }
  | { type: 'tile'; result: FetchTileResult }

export interface FetchDemReport {
  dir: string
  mirror: string
  tiles: FetchTileResult[]
  downloaded: number
  verified: number
  absent: number
  failed: number
  /** Bytes received over the network in this run. */
  bytes: number
  seconds: number
}

/** The URL of a tile on a mirror (see FetchDemOptions.mirror). */
export function demTileUrl(mirror: string, name: string): string {
  const canonical = normaliseHgtTileName(name)
  if (!canonical) throw new RangeError(`'${name}' is not an SRTM tile name like N21E103`)
  if (mirror.includes('{name}')) return mirror.replaceAll('{name}', canonical).replaceAll('{lat}', canonical.slice(0, 3))
  return `${mirror.replace(/\/+$/, '')}/${skadiTilePath(canonical)}`
}

/** The local file name for a tile fetched from a URL: the URL's ending decides the format. */
function localFileName(name: string, url: string): { file: string; format: 'hgt' | 'hgt.gz' | 'hgt.zip' } {
  const path = new URL(url).pathname.toLowerCase()
  if (path.endsWith('.hgt')) return { file: `${name}.hgt`, format: 'hgt' }
  if (path.endsWith('.zip')) return { file: `${name}.hgt.zip`, format: 'hgt.zip' }
  return { file: `${name}.hgt.gz`, format: 'hgt.gz' }
}

/** Fetches every tile of a bbox; never throws for one tile's failure (see the report), only for bad options or an abort. */
export async function fetchDemTiles(options: FetchDemOptions): Promise<FetchDemReport> {
  const started = performance.now()
  const mirror = options.mirror ?? SKADI_MIRROR
  const { dir, signal } = options
  const concurrency = Math.max(1, Math.min(16, options.concurrency ?? 4))
  const names = hgtTilesForBbox(options.bbox)
  if (names.length > MAX_FETCH_TILES) {
    throw new RangeError(`the bbox [${options.bbox.join(', ')}] needs ${names.length} tiles; at most ${MAX_FETCH_TILES} are fetched in one run`)
  }
  for (const name of names) {
    const url = demTileUrl(mirror, name)
    if (!/^https?:$/.test(new URL(url).protocol)) throw new RangeError(`the mirror must be an http:// or https:// URL, got ${mirror}`)
  }
  await mkdir(dir, { recursive: true })
  const manifest = await readFetchManifest(dir)
  let manifestWrite: Promise<void> = Promise.resolve()
  const saveManifest = (): Promise<void> => {
    manifestWrite = manifestWrite.then(() => writeFetchManifest(dir, manifest))
    return manifestWrite
  }

  options.onEvent?.({ type: 'plan', tiles: names })
  const ctx: TileContext = {
    dir,
    manifest,
    saveManifest,
    retries: options.retries ?? 4,
    retryDelayMs: options.retryDelayMs ?? 1000,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    recheckAbsent: options.recheckAbsent ?? false,
    emit: (e) => options.onEvent?.(e),
    signal,
    received: 0,
  }
  const results: FetchTileResult[] = new Array(names.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      signal?.throwIfAborted()
      const i = next++
      const name = names[i]!
      results[i] = await fetchOneTile(ctx, name, demTileUrl(mirror, name))
      ctx.emit({ type: 'tile', result: results[i]! })
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker))
  await manifestWrite
  const count = (s: FetchTileStatus): number => results.filter((r) => r.status === s).length
  return {
    dir,
    mirror,
    tiles: results,
    downloaded: count('downloaded'),
    verified: count('verified'),
    absent: count('absent'),
    failed: count('failed'),
    bytes: ctx.received,
    seconds: (performance.now() - started) / 1000,
  }
}

interface TileContext {
  dir: string
  manifest: FetchManifest
  saveManifest: () => Promise<void>
  retries: number
  retryDelayMs: number
  idleTimeoutMs: number
  recheckAbsent: boolean
  emit: (e: FetchDemEvent) => void
  signal: AbortSignal | undefined
  received: number
}

/** A failure worth another attempt (network, 5xx, a short or damaged body). */
class RetryableError extends Error {}

async function fetchOneTile(ctx: TileContext, name: string, url: string): Promise<FetchTileResult> {
  const { file, format } = localFileName(name, url)
  const path = join(ctx.dir, file)
  const result: FetchTileResult = { name, status: 'failed', url, requests: 0, notes: [] }
  const entry = ctx.manifest.tiles[name]

  if (entry?.status === 'absent' && !ctx.recheckAbsent) return { ...result, status: 'absent', notes: ['recorded as absent (sea) by an earlier run'] }

  // Already here: verify against the manifest.
  if (await exists(path)) {
    if (entry?.status === 'present' && entry.file === file) {
      const sha256 = await sha256File(path)
      if (sha256 === entry.sha256) return { ...result, status: 'verified', file: path, bytes: entry.bytes, sha256 }
      result.notes.push(`checksum mismatch (file ${sha256.slice(0, 12)}…, manifest ${entry.sha256.slice(0, 12)}…): downloading again`)
    } else {
      result.notes.push('file present but not in the manifest: downloading again')
    }
    await rm(path, { force: true })
  }

  const part = `${path}.part`
  const meta = `${part}.json`
  let lastError = ''
  for (let attempt = 0; attempt <= ctx.retries; attempt++) {
    ctx.signal?.throwIfAborted()
    if (attempt > 0) {
      ctx.emit({ type: 'retry', name, attempt, reason: lastError })
      await sleep(ctx.retryDelayMs * attempt, ctx.signal)
    }
    try {
      result.requests++
      const outcome = await downloadToPart(ctx, name, url, part, meta, result)
      if (outcome === 'absent') {
        await rm(part, { force: true })
        await rm(meta, { force: true })
        ctx.manifest.tiles[name] = { status: 'absent', url, checkedAt: new Date().toISOString() }
        await ctx.saveManifest()
        return { ...result, status: 'absent' }
      }
      // The whole file is here: it must be a tile.
      try {
        await readHgtFile(part, name, format)
      } catch (err) {
        await rm(part, { force: true })
        await rm(meta, { force: true })
        throw new RetryableError(`the download is not a valid SRTM tile (${(err as Error).message.replace(`${part}: `, '')})`)
      }
      const sha256 = await sha256File(part)
      const { size } = await stat(part)
      await rename(part, path)
      await rm(meta, { force: true })
      ctx.manifest.tiles[name] = { status: 'present', file, bytes: size, sha256, url, fetchedAt: new Date().toISOString() }
      await ctx.saveManifest()
      return { ...result, status: 'downloaded', file: path, bytes: size, sha256 }
    } catch (err) {
      if (ctx.signal?.aborted) throw err
      if (!(err instanceof RetryableError)) return { ...result, error: (err as Error).message }
      lastError = err.message
    }
  }
  return { ...result, error: `${lastError} (gave up after ${ctx.retries + 1} attempt${ctx.retries === 0 ? '' : 's'}; run dem:fetch again to resume)` }
}

interface PartMeta {
  url: string
  etag?: string
  lastModified?: string
  total?: number
}

/**
 * One request: appends to the .part file from where it stopped. Resolves 'done' when the .part
 * holds the whole file and 'absent' on 404/410; throws RetryableError for what another attempt
 * may fix, Error for the rest.
 */
async function downloadToPart(ctx: TileContext, name: string, url: string, part: string, metaPath: string, result: FetchTileResult): Promise<'done' | 'absent'> {
  const meta = await readPartMeta(metaPath)
  let start = 0
  if (meta?.url === url) start = (await stat(part).catch(() => null))?.size ?? 0
  if (start === 0) await rm(part, { force: true })

  const headers: Record<string, string> = { 'user-agent': 'phusong-dem-fetch/1', 'accept-encoding': 'identity' }
  if (start > 0) {
    headers.range = `bytes=${start}-`
    const validator = meta?.etag ?? meta?.lastModified
    if (validator) headers['if-range'] = validator
  }
  const res = await httpGet(url, headers, ctx.idleTimeoutMs, ctx.signal)
  const status = res.statusCode ?? 0
  try {
    if (status === 404 || status === 410) return 'absent'
    if (status === 416 && start > 0) {
      // Nothing after `start`: the .part is complete if it has the size the mirror announced.
      if (meta?.total === start) return 'done'
      await rm(part, { force: true })
      throw new RetryableError(`the mirror refused to resume at byte ${start} (HTTP 416): starting over`)
    }
    if (status === 429 || status >= 500) throw new RetryableError(`the mirror answered HTTP ${status} ${res.statusMessage ?? ''}`.trim())
    if (status !== 200 && status !== 206) {
      throw new Error(`the mirror answered HTTP ${status} ${res.statusMessage ?? ''} for ${url}`.trim() + (status === 403 ? ' (some S3 mirrors answer 403 for a missing tile)' : ''))
    }
    let total: number | null = null
    if (status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers['content-range'] ?? '')
      if (!m || Number(m[1]) !== start) {
        await rm(part, { force: true })
        throw new RetryableError(`the mirror resumed at the wrong place (${res.headers['content-range'] ?? 'no Content-Range'}): starting over`)
      }
      total = m[3] === '*' ? null : Number(m[3])
    } else {
      start = 0
      const length = res.headers['content-length']
      total = length !== undefined ? Number(length) : null
    }
    result.resumedFrom = start
    if (start > 0) result.notes.push(`resumed at byte ${start}`)
    const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined
    const lastModified = res.headers['last-modified']
    await writeFile(metaPath, JSON.stringify({ url, etag, lastModified, total: total ?? undefined } satisfies PartMeta))
    ctx.emit({ type: 'start', name, url, resumeFrom: start, total })

    let received = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length
        ctx.received += chunk.length
        if (start + received > (total ?? MAX_TILE_DOWNLOAD_BYTES) || start + received > MAX_TILE_DOWNLOAD_BYTES) {
          callback(new Error(`the mirror sent more than ${total ?? MAX_TILE_DOWNLOAD_BYTES} bytes for ${name}`))
          return
        }
        ctx.emit({ type: 'bytes', name, delta: chunk.length })
        callback(null, chunk)
      },
    })
    try {
      await pipeline(res, counter, createWriteStream(part, { flags: start > 0 ? 'a' : 'w' }))
    } catch (err) {
      if (ctx.signal?.aborted) throw err
      if (/sent more than/.test((err as Error).message)) {
        await rm(part, { force: true })
        throw new Error((err as Error).message)
      }
      throw new RetryableError(`the connection broke after ${start + received} bytes (${describeNetworkError(err)})`)
    }
    if (total !== null && start + received < total) throw new RetryableError(`the connection closed after ${start + received} of ${total} bytes`)
    return 'done'
  } finally {
    res.resume()
  }
}

/** Largest body accepted for one tile (a 1″ .hgt uncompressed is 25.9 MB). */
const MAX_TILE_DOWNLOAD_BYTES = 40 * 1024 * 1024

/** GET with redirects (up to 5) and an idle timeout. Network failures become RetryableError. */
async function httpGet(url: string, headers: Record<string, string>, idleTimeoutMs: number, signal: AbortSignal | undefined, redirects = 0): Promise<IncomingMessage> {
  const target = new URL(url)
  const client = target.protocol === 'https:' ? https : http
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = client.get(target, { headers, signal, timeout: idleTimeoutMs }, resolve)
    req.on('timeout', () => req.destroy(new Error(`no answer for ${Math.round(idleTimeoutMs / 1000)} s`)))
    req.on('error', (err) => reject(signal?.aborted ? err : new RetryableError(`cannot reach ${target.host}: ${describeNetworkError(err)}`)))
  })
  // The idle timeout stays on the socket while the body streams.
  res.socket?.setTimeout(idleTimeoutMs, () => res.destroy(new Error(`no data for ${Math.round(idleTimeoutMs / 1000)} s`)))
  const status = res.statusCode ?? 0
  if (status >= 300 && status < 400 && res.headers.location) {
    res.resume()
    if (redirects >= 5) throw new Error(`too many redirects from ${url}`)
    return httpGet(new URL(res.headers.location, target).toString(), headers, idleTimeoutMs, signal, redirects + 1)
  }
  return res
}

function describeNetworkError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { hostname?: string }
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${e.hostname ?? ''} cannot be resolved: no internet connection? (--mirror can point at a local copy)`.replace('  ', ' ')
    case 'ECONNREFUSED':
      return 'connection refused: is the mirror URL right?'
    case 'ECONNRESET':
      return 'connection reset by the server'
    case 'ETIMEDOUT':
      return 'connection timed out'
    default:
      return e.message ?? String(err)
  }
}

async function readPartMeta(path: string): Promise<PartMeta | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PartMeta
  } catch {
    return null
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}
