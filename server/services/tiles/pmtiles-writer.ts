import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { gzipSync } from 'node:zlib'
import { Compression, TileType, zxyToTileId, type RangeResponse, type Source } from 'pmtiles'

/**
 * A PMTiles v3 writer (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md) for
 * vector tiles: MVT, gzip tiles, gzip directories and metadata, clustered.
 *
 * Tiles are added in ascending tile id order (the Hilbert id of `zxyToTileId`; the caller
 * sorts) and streamed, gzipped, to a temporary file beside the output, so memory holds only
 * the directory entries and one hash per distinct content. Identical contents are stored
 * once (same offset); consecutive tile ids with the same content share one run-length entry.
 * `finish` lays the archive out as the spec recommends — header (127 bytes), root directory,
 * JSON metadata, leaf directories, tile data — with leaf directories only when header + root
 * would exceed 16,384 bytes, and renames it into place.
 */

export const PMTILES_HEADER_BYTES = 127
/** The spec's bound on header + root directory: a reader fetches this many bytes first. */
export const PMTILES_ROOT_LIMIT_BYTES = 16_384

export interface PmtilesEntry {
  tileId: number
  /** Offset in the tile data section (tiles) or the leaf directory section (leaves). */
  offset: number
  length: number
  /** Number of consecutive tile ids with this content; 0 for a leaf directory pointer. */
  runLength: number
}

export interface PmtilesArchiveInfo {
  minZoom: number
  maxZoom: number
  /** WGS84 [west, south, east, north]. */
  bounds: [number, number, number, number]
  /** WGS84 [lon, lat, zoom]. */
  center: [number, number, number]
  /** The archive's JSON metadata (TileJSON-like: name, description, attribution, vector_layers…). */
  metadata: Record<string, unknown>
}

export interface PmtilesWriteSummary {
  /** Tiles addressed (with run lengths). */
  addressedTiles: number
  /** Directory entries of tiles (not counting leaf pointers). */
  tileEntries: number
  /** Distinct tile contents stored. */
  tileContents: number
  leafDirectories: number
  /** Bytes of the whole archive. */
  bytes: number
  tileDataBytes: number
}

/** Appends the unsigned LEB128 varint of `value` (an integer ≤ 2^53, no bit operations past 2^31). */
function pushVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`)
  let v = value
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
}

/** A directory serialised by the spec (count, id deltas, run lengths, lengths, offsets), not yet compressed. */
export function serializeDirectory(entries: readonly PmtilesEntry[]): Uint8Array {
  const out: number[] = []
  pushVarint(out, entries.length)
  let lastId = 0
  for (const e of entries) {
    pushVarint(out, e.tileId - lastId)
    lastId = e.tileId
  }
  for (const e of entries) pushVarint(out, e.runLength)
  for (const e of entries) pushVarint(out, e.length)
  entries.forEach((e, i) => {
    const prev = entries[i - 1]
    // 0 means "right after the previous entry"; otherwise offset + 1.
    if (prev && e.offset === prev.offset + prev.length) pushVarint(out, 0)
    else pushVarint(out, e.offset + 1)
  })
  return Uint8Array.from(out)
}

function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes)
}

/**
 * The root directory and the leaf directories (concatenated) for the entries: everything in
 * the root when it fits, otherwise leaves of `leafSize` entries, doubled until the root fits.
 */
export function buildDirectories(entries: readonly PmtilesEntry[]): { root: Uint8Array; leaves: Uint8Array; leafCount: number } {
  const rootLimit = PMTILES_ROOT_LIMIT_BYTES - PMTILES_HEADER_BYTES
  const whole = gzip(serializeDirectory(entries))
  if (whole.byteLength <= rootLimit) return { root: whole, leaves: new Uint8Array(0), leafCount: 0 }
  for (let leafSize = 4096; ; leafSize *= 2) {
    const pointers: PmtilesEntry[] = []
    const parts: Uint8Array[] = []
    let offset = 0
    for (let i = 0; i < entries.length; i += leafSize) {
      const chunk = entries.slice(i, i + leafSize)
      const leaf = gzip(serializeDirectory(chunk))
      pointers.push({ tileId: chunk[0]!.tileId, offset, length: leaf.byteLength, runLength: 0 })
      parts.push(leaf)
      offset += leaf.byteLength
    }
    const root = gzip(serializeDirectory(pointers))
    if (root.byteLength <= rootLimit) return { root, leaves: Buffer.concat(parts), leafCount: parts.length }
  }
}

function setUint64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % 2 ** 32, true)
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true)
}

export interface PmtilesHeaderFields {
  rootDirectoryOffset: number; rootDirectoryLength: number
  jsonMetadataOffset: number; jsonMetadataLength: number
  leafDirectoryOffset: number; leafDirectoryLength: number
  tileDataOffset: number; tileDataLength: number
  numAddressedTiles: number; numTileEntries: number; numTileContents: number
  minZoom: number; maxZoom: number
  bounds: [number, number, number, number]
  center: [number, number, number]
}

/** The 127-byte v3 header: clustered, gzip internal and tile compression, MVT tiles. */
export function serializeHeader(h: PmtilesHeaderFields): Uint8Array {
  const bytes = new Uint8Array(PMTILES_HEADER_BYTES)
  const view = new DataView(bytes.buffer)
  bytes.set(new TextEncoder().encode('PMTiles'), 0)
  view.setUint8(7, 3)
  const u64: number[] = [
    h.rootDirectoryOffset, h.rootDirectoryLength, h.jsonMetadataOffset, h.jsonMetadataLength,
    h.leafDirectoryOffset, h.leafDirectoryLength, h.tileDataOffset, h.tileDataLength,
    h.numAddressedTiles, h.numTileEntries, h.numTileContents,
  ]
  u64.forEach((v, i) => setUint64(view, 8 + i * 8, v))
  view.setUint8(96, 1) // clustered
  view.setUint8(97, Compression.Gzip)
  view.setUint8(98, Compression.Gzip)
  view.setUint8(99, TileType.Mvt)
  view.setUint8(100, h.minZoom)
  view.setUint8(101, h.maxZoom)
  const e7 = (deg: number) => Math.round(deg * 1e7)
  view.setInt32(102, e7(h.bounds[0]), true)
  view.setInt32(106, e7(h.bounds[1]), true)
  view.setInt32(110, e7(h.bounds[2]), true)
  view.setInt32(114, e7(h.bounds[3]), true)
  view.setUint8(118, h.center[2])
  view.setInt32(119, e7(h.center[0]), true)
  view.setInt32(123, e7(h.center[1]), true)
  return bytes
}

/** Streams tiles into a PMTiles v3 archive at `out`; see the module comment. */
export class PmtilesWriter {
  private readonly entries: PmtilesEntry[] = []
  /** sha256 of the uncompressed content → where its gzip bytes are in the tile data section. */
  private readonly contents = new Map<string, { offset: number; length: number }>()
  private dataBytes = 0
  /** Gzipped contents not yet written to the data file (written in batches of ~1 MiB). */
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private addressed = 0
  private lastTileId = -1
  private closed = false

  private constructor(readonly out: string, private readonly dataPath: string, private readonly data: FileHandle) {}

  /** Opens the temporary tile data file beside `out`. */
  static async create(out: string): Promise<PmtilesWriter> {
    const dataPath = `${out}.${randomBytes(4).toString('hex')}.tiles.tmp`
    return new PmtilesWriter(out, dataPath, await open(dataPath, 'wx'))
  }

  /** Tiles added so far. */
  get tileCount(): number {
    return this.addressed
  }

  /** Adds one tile (uncompressed MVT bytes); tile ids must increase from call to call. */
  async addTile(z: number, x: number, y: number, tile: Uint8Array): Promise<void> {
    await this.addTileById(zxyToTileId(z, x, y), tile)
  }

  async addTileById(tileId: number, tile: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('PMTiles writer is already finished')
    if (tileId <= this.lastTileId) throw new Error(`tiles must be added in ascending tile id order (${tileId} after ${this.lastTileId})`)
    this.lastTileId = tileId
    const hash = createHash('sha256').update(tile).digest('base64')
    let content = this.contents.get(hash)
    if (!content) {
      const gz = gzip(tile)
      content = { offset: this.dataBytes, length: gz.byteLength }
      this.pending.push(gz)
      this.pendingBytes += gz.byteLength
      this.dataBytes += gz.byteLength
      this.contents.set(hash, content)
      if (this.pendingBytes >= 1 << 20) await this.flush()
    }
    this.addressed++
    const last = this.entries.at(-1)
    if (last && last.offset === content.offset && last.tileId + last.runLength === tileId) last.runLength++
    else this.entries.push({ tileId, offset: content.offset, length: content.length, runLength: 1 })
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return
    const chunks = this.pending
    this.pending = []
    this.pendingBytes = 0
    await this.data.writev(chunks)
  }

  /** Writes header, directories, metadata and tile data to `out` (through a temporary file, then renamed). */
  async finish(info: PmtilesArchiveInfo): Promise<PmtilesWriteSummary> {
    if (this.closed) throw new Error('PMTiles writer is already finished')
    this.closed = true
    const partial = `${this.out}.${randomBytes(4).toString('hex')}.tmp`
    try {
      await this.flush()
      await this.data.close()
      const { root, leaves, leafCount } = buildDirectories(this.entries)
      const metadata = gzip(new TextEncoder().encode(JSON.stringify(info.metadata)))
      const rootDirectoryOffset = PMTILES_HEADER_BYTES
      const jsonMetadataOffset = rootDirectoryOffset + root.byteLength
      const leafDirectoryOffset = jsonMetadataOffset + metadata.byteLength
      const tileDataOffset = leafDirectoryOffset + leaves.byteLength
      const header = serializeHeader({
        rootDirectoryOffset, rootDirectoryLength: root.byteLength,
        jsonMetadataOffset, jsonMetadataLength: metadata.byteLength,
        leafDirectoryOffset, leafDirectoryLength: leaves.byteLength,
        tileDataOffset, tileDataLength: this.dataBytes,
        numAddressedTiles: this.tileCount, numTileEntries: this.entries.length, numTileContents: this.contents.size,
        minZoom: info.minZoom, maxZoom: info.maxZoom, bounds: info.bounds, center: info.center,
      })
      const fh = await open(partial, 'wx')
      try {
        await fh.writev([header, root, metadata, leaves])
      } finally {
        await fh.close()
      }
      await pipeline(createReadStream(this.dataPath), createWriteStream(partial, { flags: 'a' }))
      await rename(partial, this.out)
      return {
        addressedTiles: this.tileCount, tileEntries: this.entries.length, tileContents: this.contents.size,
        leafDirectories: leafCount, bytes: tileDataOffset + this.dataBytes, tileDataBytes: this.dataBytes,
      }
    } catch (err) {
      await rm(partial, { force: true })
      throw err
    } finally {
      await rm(this.dataPath, { force: true })
    }
  }

  /** Gives up: closes and removes the temporary file; `out` is left untouched. */
  async abort(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.data.close().catch(() => {})
    await rm(this.dataPath, { force: true })
  }
}

/** A `pmtiles` Source reading byte ranges of a local file (the package's FileSource is browser-only). */
export class NodeFileSource implements Source {
  private handle: Promise<FileHandle> | undefined

  constructor(readonly path: string) {}

  getKey(): string {
    return this.path
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    this.handle ??= open(this.path, 'r')
    const fh = await this.handle
    const buf = new Uint8Array(length)
    const { bytesRead } = await fh.read(buf, 0, length, offset)
    return { data: buf.buffer.slice(0, bytesRead) }
  }

  async close(): Promise<void> {
    if (this.handle) await (await this.handle).close()
    this.handle = undefined
  }
}
