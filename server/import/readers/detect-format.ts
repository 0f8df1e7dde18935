/**
 * Which reader a file needs: by extension, then by its first bytes, then (for a
 * zip) by what it contains. A zip signature wins over the extension, because
 * people rename files; everything else trusts the extension first.
 */
import { extname } from 'node:path'
import { openZip } from './zip.ts'
import { detectBom, readHead } from './text-encoding.ts'
import { SourceFormatError, type ReaderLimits, type SourceFormat } from './types.ts'

export interface DetectedFormat {
  format: SourceFormat
  notes: string[]
}

const HEAD_BYTES = 64 * 1024
const GEOJSON_EXTENSIONS = new Set(['.geojson', '.json', '.geojsonl', '.geojsons', '.geojsonseq', '.ndjson', '.jsonl'])
const CSV_EXTENSIONS = new Set(['.csv', '.txt', '.tsv'])
const OPENCELLID_HEADER = /^radio,mcc,net,area,cell(,|$)/
const RADIO = /^(gsm|umts|lte|nr|cdma)$/i

const REFUSED: Record<string, { what: string; hint: string }> = {
  '.shp': { what: 'a bare .shp file', hint: 'Zip the layer\'s .shp, .shx, .dbf, .prj (and .cpg) files together and import the .zip.' },
  '.dbf': { what: 'a bare .dbf file', hint: 'Zip the layer\'s .shp, .shx, .dbf, .prj (and .cpg) files together and import the .zip.' },
  '.shx': { what: 'a bare .shx file', hint: 'Zip the layer\'s .shp, .shx, .dbf, .prj (and .cpg) files together and import the .zip.' },
  '.xlsx': { what: 'an Excel workbook', hint: 'In Excel choose File > Save As > "CSV UTF-8 (comma delimited)" and import the .csv.' },
  '.xls': { what: 'an Excel workbook', hint: 'In Excel choose File > Save As > "CSV UTF-8 (comma delimited)" and import the .csv.' },
  '.ods': { what: 'a spreadsheet', hint: 'Save it as CSV (UTF-8) and import the .csv.' },
  '.gpx': { what: 'a GPX file', hint: 'Convert it to GeoJSON or KML (e.g. in QGIS) and import that.' },
  '.gz': { what: 'a compressed file', hint: 'Unpack it first (7-Zip, gunzip) and import the file inside.' },
  '.rar': { what: 'a RAR archive', hint: 'Unpack it and zip the layer files with an ordinary zip program.' },
  '.7z': { what: 'a 7-Zip archive', hint: 'Unpack it and zip the layer files with an ordinary zip program (Deflate method).' },
}

/** The format the extension suggests, without reading the file (for messages about empty files). */
export function formatFromExtension(path: string): SourceFormat | undefined {
  const ext = extname(path).toLowerCase()
  if (GEOJSON_EXTENSIONS.has(ext)) return 'geojson'
  if (CSV_EXTENSIONS.has(ext)) return 'csv'
  if (ext === '.kml') return 'kml'
  if (ext === '.kmz') return 'kmz'
  if (ext === '.zip') return 'shapefile-zip'
  return undefined
}

/** The format of the file at `path`; throws 'unknown-format' (or a zip error) when it cannot tell. */
export async function detectFormat(path: string, limits: ReaderLimits): Promise<DetectedFormat> {
  const head = await readHead(path, HEAD_BYTES)
  const ext = extname(path).toLowerCase()
  if (isZipSignature(head)) return detectZipContent(path, limits, ext)
  if (ext === '.kmz' || ext === '.zip') return { format: ext === '.kmz' ? 'kmz' : 'shapefile-zip', notes: [] }
  if (GEOJSON_EXTENSIONS.has(ext)) return { format: 'geojson', notes: [] }
  if (ext === '.kml') return { format: 'kml', notes: [] }
  if (CSV_EXTENSIONS.has(ext) && !(ext === '.txt' && /^[{<[\x1e]/.test(headText(head).trimStart()))) {
    return { format: isOpenCellIdHead(head) ? 'opencellid-csv' : 'csv', notes: [] }
  }
  const refused = REFUSED[ext]
  if (refused) throw new SourceFormatError('unknown-format', `This is ${refused.what}, which cannot be imported as it is`, { hint: refused.hint })

  const text = headText(head).trimStart()
  if (text.startsWith('<')) {
    if (/<kml[\s>]/.test(text.slice(0, 4096))) return { format: 'kml', notes: ['recognised as KML from its content'] }
    throw new SourceFormatError('unknown-format', 'This is an XML file but not KML (no <kml> element at its start)', { hint: 'Export the layer as KML, KMZ, GeoJSON or a zipped shapefile.' })
  }
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('\x1e')) return { format: 'geojson', notes: ['recognised as JSON from its content'] }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  if (/[,;\t]/.test(firstLine)) {
    return { format: isOpenCellIdHead(head) ? 'opencellid-csv' : 'csv', notes: ['recognised as delimited text (CSV) from its content'] }
  }
  throw new SourceFormatError('unknown-format', `The format of this file${ext ? ` (${ext})` : ''} is not recognised`, {
    hint: 'Import GeoJSON (.geojson), CSV (.csv), KML (.kml), KMZ (.kmz), a zipped shapefile (.zip) or an OpenCelliD cell export (.csv).',
  })
}

function isZipSignature(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06))
}

async function detectZipContent(path: string, limits: ReaderLimits, ext: string): Promise<DetectedFormat> {
  const zip = await openZip(path, limits)
  try {
    const names = zip.entries.map((e) => e.name.toLowerCase())
    const notes = ext === '.zip' || ext === '.kmz' ? [] : [`the file is a zip archive despite its ${ext || 'missing'} extension`]
    if (names.some((n) => n.endsWith('.shp'))) return { format: 'shapefile-zip', notes }
    if (names.some((n) => n.endsWith('.kml'))) return { format: 'kmz', notes: ext === '.kmz' ? notes : [...notes, 'the zip holds a KML document: read as KMZ'] }
    if (ext === '.kmz') return { format: 'kmz', notes }
    return { format: 'shapefile-zip', notes }
  } finally {
    zip.close()
  }
}

/** The first bytes as text, good enough to look at ASCII signatures and headers. */
function headText(head: Buffer): string {
  const bom = detectBom(head)
  if (bom?.encoding === 'utf-16le') return head.subarray(2).toString('utf16le')
  if (bom?.encoding === 'utf-16be') return Buffer.from(head.subarray(2, 2 + ((head.length - 2) & ~1))).swap16().toString('utf16le')
  return head.subarray(bom?.length ?? 0).toString('utf8')
}

/** An OpenCelliD / Mozilla Location Service cell export: its header, or 14 columns starting with a radio type. */
export function isOpenCellIdHead(head: Buffer): boolean {
  const firstLine = (headText(head).split(/\r?\n/, 1)[0] ?? '').trim()
  if (OPENCELLID_HEADER.test(firstLine.toLowerCase())) return true
  const cells = firstLine.split(',')
  return cells.length === 14 && RADIO.test(cells[0]!) && /^\d+$/.test(cells[1]!)
}
