/**
 * Zipped shapefiles. The zip is checked first (zip.ts), the layer's .shp, .dbf,
 * .prj and .cpg are found by name, and the `shapefile` package reads the .shp and
 * .dbf entries as streams straight out of the zip (nothing is unpacked to disk or
 * held whole). The .prj text is the CRS hint; the .cpg (or the encoding asked for)
 * says how the attribute table is encoded, else UTF-8 is assumed and checked.
 */
import type { Geometry } from 'geojson'
import { isUtf8 } from 'node:buffer'
import { PassThrough, type Readable } from 'node:stream'
import { open as openShapefile } from 'shapefile'
import { recordStream } from './record-stream.ts'
import { cleanProperties, cleanText, findInvalidUtf8, incompleteUtf8Tail, notUtf8Error } from './text-encoding.ts'
import { SourceFormatError, type OpenedSource, type ReaderLimits, type ReaderOptions, type SourceRecord } from './types.ts'
import { openZip, zipEntryError, type OpenZip, type ZipEntry } from './zip.ts'

/** One layer of a zip: the files that share a name (path without extension). */
export interface ShapefileLayer {
  name: string
  shp?: ZipEntry
  shx?: ZipEntry
  dbf?: ZipEntry
  prj?: ZipEntry
  cpg?: ZipEntry
}

/** Shape types the `shapefile` package reads (null, point, polyline, polygon, multipoint, with Z and M). */
const SHAPE_TYPES = new Set([0, 1, 3, 5, 8, 11, 13, 15, 18, 21, 23, 25, 28])
/** DBF field types the `shapefile` package reads. */
const DBF_TYPES = new Set(['B', 'C', 'D', 'F', 'L', 'M', 'N'])
/** How much of the attribute table is checked for UTF-8 before reading (when no .cpg says otherwise). */
const DBF_SAMPLE_BYTES = 1024 * 1024
const DBF_WORDS = { noun: 'The attribute table (.dbf) of the shapefile', saveAs: 'UTF-8, or add a .cpg file to the zip that names its encoding (e.g. a .cpg containing "1258" for Windows-1258)', optionHint: true }
const REEXPORT = 'Export the layer again from QGIS or ArcGIS (Export > Save Features As > ESRI Shapefile) and zip all its files.'

export async function openShapefileZip(path: string, options: ReaderOptions, limits: ReaderLimits): Promise<OpenedSource> {
  const zip = await openZip(path, limits)
  try {
    const layer = chooseLayer(zip, options)
    const notes: string[] = []
    const crsHint: OpenedSource['crsHint'] = {}
    if (layer.prj) {
      const prj = cleanText((await zip.readWhole(layer.prj, 64 * 1024)).toString('utf8'))
      if (prj) crsHint.prj = prj
    }
    if (!crsHint.prj) notes.push('no .prj: coordinate system unknown')

    const { encoding, checkUtf8, fromCpg } = await chooseEncoding(zip, layer, options, notes)
    let fields: string[] = []
    if (layer.dbf) {
      const head = await readPrefix(zip, layer.dbf, Math.min(layer.dbf.uncompressedSize, 64 * 1024 + DBF_SAMPLE_BYTES))
      const dbf = readDbfHeader(head, encoding, layer.dbf.name)
      fields = dbf.fields
      if (checkUtf8) checkUtf8Sample(head.subarray(dbf.headerLength), layer.dbf, head.length < layer.dbf.uncompressedSize)
    } else {
      notes.push('no .dbf in the zip: the features have no attributes')
    }
    await checkShpHeader(zip, layer.shp!)

    const failures: StreamFailure[] = []
    const shpStream = shielded(await zip.openStream(layer.shp!), layer.shp!, failures)
    const dbfStream = layer.dbf ? shielded(await zip.openStream(layer.dbf), layer.dbf, failures) : undefined
    const release = (): void => {
      shpStream.destroy()
      dbfStream?.destroy()
      zip.close()
    }
    let source: Awaited<ReturnType<typeof openShapefile>>
    try {
      source = await openShapefile(shpStream, dbfStream, { encoding })
    } catch (err) {
      release()
      throw readError(failures[0] ?? err, layer, 0)
    }

    async function* records(): AsyncGenerator<SourceRecord, void, undefined> {
      let index = 0
      for (;;) {
        let result: Awaited<ReturnType<typeof source.read>>
        try {
          result = await source.read()
        } catch (err) {
          throw readError(failures[0] ?? err, layer, index + 1)
        }
        // A zip entry that failed (e.g. inflated past its declared size) ended its stream early.
        if (failures[0]) throw readError(failures[0], layer, index + 1)
        if (result.done) return
        index++
        const properties = attributeValues(result.value.properties ?? {})
        if (checkUtf8) rejectReplacementCharacters(properties, layer, index, fromCpg)
        yield { position: { kind: 'feature', index }, geometry: (result.value.geometry as Geometry | null) ?? null, properties }
      }
    }
    return { format: 'shapefile-zip', crsHint, fields, notes, ...recordStream(records, release) }
  } catch (err) {
    zip.close()
    throw err
  }
}

/** The layers of a zip, grouped by path without extension (case-insensitive). */
export function shapefileLayers(entries: ZipEntry[]): ShapefileLayer[] {
  const layers = new Map<string, ShapefileLayer>()
  for (const entry of entries) {
    const match = /^(.*)\.(shp|shx|dbf|prj|cpg)$/i.exec(entry.name)
    if (!match) continue
    const stem = match[1]!
    const ext = match[2]!.toLowerCase() as 'shp' | 'shx' | 'dbf' | 'prj' | 'cpg'
    const key = stem.toLowerCase()
    const layer = layers.get(key) ?? { name: stem }
    layer[ext] ??= entry
    layers.set(key, layer)
  }
  return [...layers.values()]
}

function chooseLayer(zip: OpenZip, options: ReaderOptions): ShapefileLayer {
  const layers = shapefileLayers(zip.entries).filter((l) => l.shp)
  if (layers.length === 0) {
    const names = zip.entries.slice(0, 8).map((e) => e.name)
    const kml = zip.entries.some((e) => e.name.toLowerCase().endsWith('.kml'))
    throw new SourceFormatError('missing-shp', `The zip holds no .shp file${names.length ? ` (it holds ${names.join(', ')}${zip.entries.length > 8 ? ', …' : ''})` : ' (it is empty)'}`, {
      hint: kml ? 'It holds a KML document: import it as KMZ.' : 'A zipped shapefile needs the layer\'s .shp together with its .shx, .dbf and .prj. Zip them again, all four.',
    })
  }
  const label = (l: ShapefileLayer): string => l.name.split('/').pop()!
  if (options.layer !== undefined) {
    const wanted = options.layer.trim().replace(/\.shp$/i, '').toLowerCase()
    const found = layers.find((l) => l.name.toLowerCase() === wanted) ?? layers.find((l) => label(l).toLowerCase() === wanted)
    if (!found) {
      throw new SourceFormatError('unknown-layer', `The zip has no layer '${options.layer}'`, { hint: `Its layers are: ${layers.map(label).join(', ')}.` })
    }
    return found
  }
  if (layers.length > 1) {
    throw new SourceFormatError('several-layers', `The zip holds ${layers.length} shapefile layers: ${layers.map(label).join(', ')}`, {
      hint: `Zip each layer separately, or name the one to import (e.g. '${label(layers[0]!)}').`,
    })
  }
  return layers[0]!
}

/** The DBF text encoding: asked for, else from the .cpg, else UTF-8 (checked, since nothing says so). */
async function chooseEncoding(zip: OpenZip, layer: ShapefileLayer, options: ReaderOptions, notes: string[]): Promise<{ encoding: string; checkUtf8: boolean; fromCpg: boolean }> {
  if (options.encoding) {
    const encoding = whatwgEncoding(options.encoding)
    if (!encoding) {
      throw new SourceFormatError('encoding', `'${options.encoding}' is not an encoding a shapefile's attribute table can be read in`, { hint: 'Use a name such as windows-1258, windows-1252 or utf-8.' })
    }
    notes.push(`attribute table decoded from ${encoding} (as asked)`)
    return { encoding, checkUtf8: false, fromCpg: false }
  }
  if (layer.cpg) {
    const text = (await zip.readWhole(layer.cpg, 1024)).toString('latin1').trim()
    const encoding = encodingFromCpg(text)
    if (encoding) {
      notes.push(`attribute table encoding ${encoding} (from the .cpg)`)
      return { encoding, checkUtf8: encoding === 'utf-8', fromCpg: true }
    }
    notes.push(`the .cpg says '${text}', which names no known encoding: the attribute table is read as UTF-8`)
    return { encoding: 'utf-8', checkUtf8: true, fromCpg: false }
  }
  notes.push('no .cpg: the attribute table is read as UTF-8 (checked); if it is not, add a .cpg or give the encoding')
  return { encoding: 'utf-8', checkUtf8: true, fromCpg: false }
}

/** The encoding named by a .cpg ('UTF-8', '1258', 'ANSI 1252', 'CP1258', '65001', 'ISO-8859-1'…), as a WHATWG label. */
export function encodingFromCpg(text: string): string | undefined {
  const t = text.trim().toUpperCase().replace(/^ANSI\s*/, '').replace(/^(CP|WINDOWS-?)/, '')
  if (/^(UTF-?8|65001)$/.test(t)) return 'utf-8'
  if (/^125[0-8]$/.test(t) || t === '874') return `windows-${t}`
  const iso = /^(?:ISO)?[-_ ]?8859[-_ ]?(\d{1,2})$/.exec(t)
  if (iso) return whatwgEncoding(`iso-8859-${iso[1]}`)
  const codePages: Record<string, string> = { '936': 'gbk', '950': 'big5', '932': 'shift_jis', '949': 'euc-kr', '866': 'ibm866', '20866': 'koi8-r' }
  if (codePages[t]) return codePages[t]
  return whatwgEncoding(text.trim())
}

/** The canonical name of an encoding TextDecoder (hence the shapefile package) knows, or undefined. */
function whatwgEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding
  } catch {
    return undefined
  }
}

/** The first `length` inflated bytes of an entry. */
async function readPrefix(zip: OpenZip, entry: ZipEntry, length: number): Promise<Buffer> {
  const stream: Readable = await zip.openStream(entry)
  const chunks: Buffer[] = []
  let got = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      got += chunk.length
      if (got >= length) break
    }
  } catch (err) {
    throw zipEntryError(err, entry.name)
  } finally {
    stream.destroy()
  }
  return Buffer.concat(chunks, got).subarray(0, length)
}

/** Field names and header length of a dBASE table; unsupported field types are refused here, by name. */
function readDbfHeader(head: Buffer, encoding: string, entryName: string): { fields: string[]; headerLength: number } {
  if (head.length < 33) throw new SourceFormatError('bad-shapefile', 'The attribute table (.dbf) is too short to be a dBASE file', { position: { entry: entryName }, hint: REEXPORT })
  const headerLength = head.readUInt16LE(8)
  const decoder = new TextDecoder(encoding)
  const fields: string[] = []
  const unsupported: string[] = []
  for (let at = 32; at + 32 <= Math.min(headerLength, head.length) && head[at] !== 0x0d; at += 32) {
    let end = at
    while (end < at + 11 && head[end] !== 0) end++
    const name = cleanText(decoder.decode(head.subarray(at, end)))
    const type = String.fromCharCode(head[at + 11]!)
    fields.push(name)
    if (!DBF_TYPES.has(type)) unsupported.push(`${name} (type ${type})`)
  }
  if (unsupported.length > 0) {
    throw new SourceFormatError('bad-shapefile', `The attribute table has fields of a dBASE type this importer cannot read: ${unsupported.join(', ')}`, {
      position: { entry: entryName },
      hint: 'Save the layer again from QGIS (ESRI Shapefile): it writes text, number, date and logical fields only.',
    })
  }
  return { fields, headerLength }
}

function checkUtf8Sample(records: Buffer, dbf: ZipEntry, cut: boolean): void {
  const body = cut ? records.subarray(0, records.length - incompleteUtf8Tail(records)) : records
  if (isUtf8(body)) return
  const at = findInvalidUtf8(body)
  throw notUtf8Error(DBF_WORDS, body, at, { entry: dbf.name })
}

/** A .shp starts with the file code 9994 (big-endian) and a shape type the reader knows. */
async function checkShpHeader(zip: OpenZip, shp: ZipEntry): Promise<void> {
  const head = await readPrefix(zip, shp, 100)
  if (head.length < 100 || head.readInt32BE(0) !== 9994) {
    throw new SourceFormatError('bad-shapefile', `${shp.name} is not a shapefile (its header is ${head.length < 100 ? 'too short' : 'wrong'})`, { position: { entry: shp.name }, hint: REEXPORT })
  }
  const type = head.readInt32LE(32)
  if (!SHAPE_TYPES.has(type)) {
    throw new SourceFormatError('bad-shapefile', `${shp.name} has shape type ${type}, which this importer cannot read (MultiPatch or damaged)`, { position: { entry: shp.name }, hint: REEXPORT })
  }
}

interface StreamFailure {
  error: unknown
  entry: ZipEntry
}

/**
 * The entry stream as the shapefile package gets it: it ends instead of erroring, and the
 * error is kept for the reader to throw. The package's stream-source would otherwise store
 * the error in a rejected promise that nothing may be waiting on, and an unhandled
 * rejection ends the process.
 */
function shielded(stream: Readable, entry: ZipEntry, failures: StreamFailure[]): PassThrough {
  const out = new PassThrough()
  stream.once('error', (error) => {
    failures.push({ error, entry })
    out.end()
  })
  stream.pipe(out)
  return out
}

function readError(cause: unknown, layer: ShapefileLayer, feature: number): SourceFormatError {
  if (isStreamFailure(cause)) return zipEntryError(cause.error, cause.entry.name)
  if (cause instanceof SourceFormatError) return cause
  return new SourceFormatError('bad-shapefile', `The shapefile cannot be read (${(cause as Error).message ?? String(cause)})`, {
    position: feature > 0 ? { entry: layer.shp!.name, feature } : { entry: layer.shp!.name },
    hint: REEXPORT,
    cause,
  })
}

function isStreamFailure(v: unknown): v is StreamFailure {
  return typeof v === 'object' && v !== null && 'entry' in v && 'error' in v
}

/** DBF values as the pipeline wants them: text cleaned, dates as 'YYYY-MM-DD' (null when blank). */
function attributeValues(properties: Record<string, unknown>): Record<string, unknown> {
  const out = cleanProperties(properties)
  for (const [key, value] of Object.entries(out)) {
    if (value instanceof Date) {
      // The shapefile package builds a blank date ('        ' or '00000000') as new Date(0, -1, 0): 1899-11-30.
      const blank = value.getFullYear() === 1899 && value.getMonth() === 10 && value.getDate() === 30
      out[key] = blank || Number.isNaN(value.getTime())
        ? null
        : `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`
    }
  }
  return out
}

/** UTF-8 was assumed or named by the .cpg: a replacement character means the bytes were not UTF-8. */
function rejectReplacementCharacters(properties: Record<string, unknown>, layer: ShapefileLayer, feature: number, fromCpg: boolean): void {
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value === 'string' && value.includes('\uFFFD')) {
      const why = fromCpg ? 'although its .cpg says UTF-8' : 'and no .cpg file says which encoding it uses'
      throw new SourceFormatError('encoding', `The attribute table (.dbf) is not UTF-8: field '${key}' of this feature has bytes that are not UTF-8, ${why}`, {
        position: { entry: layer.dbf?.name ?? layer.name, feature },
        hint: fromCpg
          ? 'The table is damaged or the .cpg is wrong: export the layer again, or give the right encoding (--encoding windows-1258).'
          : 'Add a .cpg file to the zip that names the encoding (e.g. "1258" for Windows-1258), or give the encoding (--encoding windows-1258).',
      })
    }
  }
}
