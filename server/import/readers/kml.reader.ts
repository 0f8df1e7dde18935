/**
 * KML and KMZ (Google Earth, My Maps, QGIS exports). The document is read whole
 * (at most `maxXmlBytes`), parsed with @xmldom/xmldom and converted with
 * @tmcw/togeojson's kmlWithFolders, so each placemark keeps the path of folders
 * it sits in. A KMZ is a zip whose doc.kml (or first .kml) is the document.
 */
import type { Feature, Geometry } from 'geojson'
import { readFile, stat } from 'node:fs/promises'
import { isUtf8 } from 'node:buffer'
import { kmlWithFolders, type Folder } from '@tmcw/togeojson'
import { DOMParser } from '@xmldom/xmldom'
import { decode, encodingExists } from 'iconv-lite'
import { recordStream } from './record-stream.ts'
import { checkEncodingName, cleanProperties, cleanText, detectBom, findInvalidUtf8, isBlank, notUtf8Error } from './text-encoding.ts'
import { SourceFormatError, type OpenedSource, type ReaderLimits, type ReaderOptions, type SourceRecord } from './types.ts'
import { openZip, type ZipEntry } from './zip.ts'

const KML_WORDS = { noun: 'The KML file', saveAs: 'UTF-8 (Google Earth and QGIS write KML in UTF-8)', optionHint: true }
const EXPORT_AGAIN = 'The file was probably cut off or edited by hand: export it again from Google Earth, My Maps or QGIS.'

export async function openKml(path: string, options: ReaderOptions, limits: ReaderLimits): Promise<OpenedSource> {
  const { size } = await stat(path)
  if (size > limits.maxXmlBytes) {
    throw new SourceFormatError('file-too-large', `The KML file is ${(size / 1024 ** 2).toFixed(0)} MiB; at most ${(limits.maxXmlBytes / 1024 ** 2).toFixed(0)} MiB can be read`, {
      hint: 'Split it into several files, or convert it to GeoJSON, which is read as a stream.',
    })
  }
  return kmlSource('kml', await readFile(path), options, [])
}

export async function openKmz(path: string, options: ReaderOptions, limits: ReaderLimits): Promise<OpenedSource> {
  const zip = await openZip(path, limits)
  try {
    const entry = pickKmlEntry(zip.entries)
    const bytes = await zip.readWhole(entry, limits.maxXmlBytes)
    const others = zip.entries.length - 1
    const notes = [`KMZ: read ${entry.name}${others > 0 ? ` (${others} other file${others > 1 ? 's' : ''} in the archive ignored)` : ''}`]
    return kmlSource('kmz', bytes, options, notes, entry.name)
  } finally {
    zip.close()
  }
}

/** The KML document of a KMZ: doc.kml at the root, else the first .kml at the root, else the first .kml. */
function pickKmlEntry(entries: ZipEntry[]): ZipEntry {
  const kmls = entries.filter((e) => e.name.toLowerCase().endsWith('.kml'))
  const entry = kmls.find((e) => e.name.toLowerCase() === 'doc.kml') ?? kmls.find((e) => !e.name.includes('/')) ?? kmls[0]
  if (!entry) {
    const names = entries.slice(0, 8).map((e) => e.name).join(', ')
    throw new SourceFormatError('missing-kml', `The KMZ contains no .kml document${names ? ` (it holds ${names}${entries.length > 8 ? ', …' : ''})` : ' (it is empty)'}`, {
      hint: 'Save the layer again as KMZ from Google Earth, or import the .kml itself.',
    })
  }
  return entry
}

function kmlSource(format: 'kml' | 'kmz', bytes: Buffer, options: ReaderOptions, notes: string[], entry?: string): OpenedSource {
  const inEntry = entry === undefined ? {} : { entry }
  if (isBlank(bytes)) throw new SourceFormatError('empty-file', `The KML document${entry ? ` ${entry}` : ''} is empty`, { hint: 'Export the layer again.' })
  const text = decodeXml(bytes, options, notes, entry)
  const warnings: string[] = []
  let firstError: string | undefined
  let doc: ReturnType<DOMParser['parseFromString']>
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        // 'error' would leave a half-built document: stop there, as for 'fatalError'.
        if (level === 'warning') warnings.push(message)
        else {
          firstError ??= message
          throw new Error(message)
        }
      },
    }).parseFromString(text, 'text/xml')
  } catch (err) {
    const locator = (err as { locator?: { lineNumber?: number; columnNumber?: number } }).locator
    const line = locator?.lineNumber
    const column = locator?.columnNumber
    const position = { ...inEntry, ...(line ? { line } : {}), ...(line && column ? { column } : {}) }
    const message = firstError ?? ((err as Error).message ?? String(err)).split('\n')[0]!
    throw new SourceFormatError('bad-kml', `The KML is not well-formed XML: ${message}`, { position, hint: EXPORT_AGAIN, cause: err })
  }
  const root = doc.documentElement
  if (!root || root.localName !== 'kml') {
    throw new SourceFormatError('bad-kml', `This XML is not KML: its root element is <${root?.tagName ?? 'nothing'}>, not <kml>`, {
      position: inEntry,
      hint: 'Export the layer as KML from Google Earth, My Maps or QGIS.',
    })
  }
  if (warnings.length > 0) notes.push(`the XML has ${warnings.length} minor problem${warnings.length > 1 ? 's' : ''}, read anyway (first: ${warnings[0]})`)
  const documentName = doc.getElementsByTagName('Document')[0]?.getElementsByTagName('name')[0]?.textContent
  if (documentName?.trim()) notes.push(`KML document "${cleanText(documentName)}"`)

  // togeojson's types name the browser's Document; xmldom's is the same DOM shape.
  let tree: ReturnType<typeof kmlWithFolders>
  try {
    tree = kmlWithFolders(doc as unknown as Document)
  } catch (err) {
    throw new SourceFormatError('bad-kml', `The KML cannot be converted (${(err as Error).message})`, { position: inEntry, hint: EXPORT_AGAIN, cause: err })
  }
  async function* records(): AsyncGenerator<SourceRecord, void, undefined> {
    let index = 0
    // Depth-first, in document order.
    const walk = function* (children: Array<Folder | Feature<Geometry | null>>, path: string[]): Generator<SourceRecord> {
      for (const child of children) {
        if (child.type === 'folder') {
          yield* walk(child.children, [...path, cleanText(String(child.meta.name ?? ''))])
        } else {
          index++
          const position = path.length > 0 ? { kind: 'feature' as const, index, folder: path } : { kind: 'feature' as const, index }
          yield { position, geometry: child.geometry, properties: placemarkProperties(child.properties ?? {}) }
        }
      }
    }
    yield* walk(tree.children, [])
  }
  return { format, crsHint: {}, notes, ...recordStream(records, () => {}) }
}

/** togeojson gives an HTML description as { '@type': 'html', value }: keep the text. */
function placemarkProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const flat: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(properties)) {
    flat[key] = typeof value === 'object' && value !== null && 'value' in value && '@type' in value ? (value as { value: unknown }).value : value
  }
  return cleanProperties(flat)
}

/** The document as text: a BOM or the encoding asked for first, then the XML declaration, else UTF-8 (checked). */
function decodeXml(bytes: Buffer, options: ReaderOptions, notes: string[], entry?: string): string {
  const bom = detectBom(bytes)
  if (options.encoding) {
    const encoding = checkEncodingName(options.encoding)
    notes.push(`text decoded from ${encoding} (as asked)`)
    return stripBom(decode(bytes, encoding))
  }
  if (bom && bom.encoding !== 'utf-8') {
    notes.push(`text is UTF-16 (byte-order mark): decoded`)
    return stripBom(decode(bytes, bom.encoding))
  }
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(bytes.subarray(bom?.length ?? 0, 300).toString('latin1'))?.[1]
  if (declared && !/^utf-?8$/i.test(declared)) {
    if (!encodingExists(declared)) {
      throw new SourceFormatError('encoding', `The KML declares the text encoding '${declared}', which this importer does not know`, { hint: 'Save it again as UTF-8.' })
    }
    notes.push(`text decoded from ${declared} (from the XML declaration)`)
    return stripBom(decode(bytes, declared))
  }
  if (!isUtf8(bytes)) {
    const at = findInvalidUtf8(bytes)
    let line = 1
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++
    throw notUtf8Error(KML_WORDS, bytes, at, { ...(entry === undefined ? {} : { entry }), line, byte: at })
  }
  return stripBom(bytes.toString('utf8'))
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}
