/**
 * The public face of the file readers: what `openSource()` returns and the
 * one error it throws. The readers turn bytes into records; they do no field
 * mapping, no CRS transformation and no database work (see README.md).
 */
import type { Geometry } from 'geojson'

export type SourceFormat = 'geojson' | 'csv' | 'kml' | 'kmz' | 'shapefile-zip' | 'opencellid-csv'

export const SOURCE_FORMATS: readonly SourceFormat[] = ['geojson', 'csv', 'kml', 'kmz', 'shapefile-zip', 'opencellid-csv']

/**
 * Where a record sits in its file, in the numbers a person sees.
 *
 * - `feature`: 1-based feature number in file order (GeoJSON, KML/KMZ placemarks, shapefile shapes).
 * - `row`: the row as a spreadsheet shows it. The header is row 1, so the first data row is row 2;
 *   a blank line is a row too, and a quoted cell that spans several lines stays in one row.
 *   A headerless file (OpenCelliD/MLS without header) starts at row 1.
 */
export interface SourcePosition {
  kind: 'feature' | 'row'
  index: number
  /** KML folder path, outermost first, e.g. ['Xã Mường Bú', 'Bản']. */
  folder?: string[]
}

export interface SourceRecord {
  /** 1-based feature number or spreadsheet row number: see {@link SourcePosition}. */
  position: SourcePosition
  /** Raw geometry in the source's own coordinates (not validated, not transformed); null when the record has none. */
  geometry: Geometry | null
  /** Set when the record's geometry could not be built (bad WKT, non-numeric lon, missing coordinate…); geometry is then null. */
  geometryError?: string
  /**
   * Attribute values with the source's own field names: strings trimmed and in Unicode NFC,
   * numbers/booleans/null as the format gives them (CSV cells are strings; an empty cell is null).
   */
  properties: Record<string, unknown>
}

export interface OpenedSource {
  format: SourceFormat
  /** What the file itself says about its coordinate system: a .prj's WKT, a GeoJSON `crs` member's name, or nothing. */
  crsHint: { prj?: string; name?: string }
  /** The field names in file order (CSV header, shapefile DBF fields). Omitted for GeoJSON and KML. */
  fields?: string[]
  /** Which source columns became the geometry (CSV): e.g. { x: 'Kinh độ', y: 'Vĩ độ' } or { wkt: 'WKT' }. */
  geometryColumns?: { x?: string; y?: string; wkt?: string }
  /**
   * Human-readable notes: encoding detected, delimiter, BOM found… Most are known when
   * `openSource()` returns; a reader may append one while records are read (e.g. ignored
   * trailing empty cells), so show them again at the end.
   */
  notes: string[]
  /** The records, in file order. Iterate once; breaking out early releases the file. */
  records: AsyncIterable<SourceRecord>
  /**
   * Releases the file (and zip) without reading the records. Needed only when `records` is
   * never iterated, or abandoned without `break`/`return`; safe to call more than once.
   */
  close(): Promise<void>
}

export interface ReaderLimits {
  /** Largest total uncompressed size of a zip's entries (KMZ, zipped shapefile). Default 1 GiB. */
  maxUncompressedBytes: number
  /** Largest uncompressed/compressed ratio of an entry (entries over 1 MiB) and of the whole zip. Default 200. */
  maxCompressionRatio: number
  /** Largest number of entries in a zip. Default 10,000. */
  maxZipEntries: number
  /** Largest KML document (a .kml file or the KML inside a KMZ), read whole into memory. Default 256 MiB. */
  maxXmlBytes: number
}

export const DEFAULT_READER_LIMITS: Readonly<ReaderLimits> = Object.freeze({
  maxUncompressedBytes: 1024 ** 3,
  maxCompressionRatio: 200,
  maxZipEntries: 10_000,
  maxXmlBytes: 256 * 1024 ** 2,
})

export interface ReaderOptions {
  /** Skip detection and read the file as this format. */
  format?: SourceFormat
  /** Text encoding of a CSV, KML or DBF that is not UTF-8, e.g. 'windows-1258'; overrides detection and a .cpg. */
  encoding?: string
  limits?: Partial<ReaderLimits>
  /** Zipped shapefile with several layers: the layer to read (its file name without .shp, e.g. 'ban'). */
  layer?: string
  /** CSV: use these columns for the geometry instead of recognising them by name. */
  geometryColumns?: { x?: string; y?: string; wkt?: string }
  /** CSV: a file without coordinate or WKT columns is an error ('no-geometry-columns') rather than records without geometry. */
  requireGeometry?: boolean
}

/** Stable codes of {@link SourceFormatError}; callers switch on them, people read the message. */
export type SourceFormatErrorCode =
  | 'unreadable-file'
  | 'empty-file'
  | 'unknown-format'
  | 'truncated-json'
  | 'bad-json'
  | 'not-geojson'
  | 'encoding'
  | 'bad-csv'
  | 'ragged-row'
  | 'no-geometry-columns'
  | 'bad-kml'
  | 'not-a-zip'
  | 'zip-bomb'
  | 'zip-too-many-entries'
  | 'zip-unsafe-path'
  | 'zip-unsupported-entry'
  | 'missing-shp'
  | 'missing-kml'
  | 'several-layers'
  | 'unknown-layer'
  | 'bad-shapefile'
  | 'file-too-large'

/** Where in the file the problem is (whatever the format can tell). */
export interface SourceErrorPosition {
  line?: number
  column?: number
  /** 0-based byte offset from the start of the file. */
  byte?: number
  /** Spreadsheet row, as in {@link SourcePosition}. */
  row?: number
  /** 1-based feature number. */
  feature?: number
  /** Entry of a zip (KMZ, zipped shapefile). */
  entry?: string
}

/**
 * The whole file cannot be read. `message` is complete for a person: what is wrong,
 * where, and what to do; `hint` repeats the "what to do" part alone for interfaces
 * that show it apart.
 */
export class SourceFormatError extends Error {
  override readonly name = 'SourceFormatError'
  readonly code: SourceFormatErrorCode
  /** What is wrong, without the position and the hint. */
  readonly problem: string
  readonly position?: SourceErrorPosition
  readonly hint?: string

  constructor(code: SourceFormatErrorCode, problem: string, details: { position?: SourceErrorPosition; hint?: string; cause?: unknown } = {}) {
    const where = details.position ? describePosition(details.position) : ''
    const sentence = where ? `${problem} (${where})` : problem
    super(details.hint ? `${endSentence(sentence)} ${details.hint}` : sentence, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.problem = problem
    if (details.position && Object.keys(details.position).length > 0) this.position = details.position
    if (details.hint) this.hint = details.hint
  }

  /** The same error with more of its position known (e.g. the feature being read when the JSON broke). */
  withPosition(more: SourceErrorPosition): SourceFormatError {
    const details: { position: SourceErrorPosition; hint?: string; cause?: unknown } = { position: { ...more, ...this.position } }
    if (this.hint !== undefined) details.hint = this.hint
    if (this.cause !== undefined) details.cause = this.cause
    return new SourceFormatError(this.code, this.problem, details)
  }
}

/** "row 5", "line 3, column 17", "feature 12, entry doc.kml"… */
export function describePosition(p: SourceErrorPosition): string {
  const parts: string[] = []
  if (p.entry !== undefined) parts.push(`in ${p.entry}`)
  if (p.feature !== undefined) parts.push(`feature ${p.feature}`)
  if (p.row !== undefined) parts.push(`row ${p.row}`)
  if (p.line !== undefined && p.line !== p.row) parts.push(p.column !== undefined ? `line ${p.line}, column ${p.column}` : `line ${p.line}`)
  if (p.byte !== undefined) parts.push(`byte ${p.byte}`)
  return parts.join(', ')
}

function endSentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`
}
