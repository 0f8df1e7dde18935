/**
 * The entry of the readers: a file path in, an OpenedSource out (format, CRS
 * hint, notes, and the records as a stream). Anything that makes the whole file
 * unreadable is a SourceFormatError, thrown here or while the records are read.
 */
import { stat } from 'node:fs/promises'
import { detectFormat, formatFromExtension } from './detect-format.ts'
import { openCsv } from './csv.reader.ts'
import { openGeoJson } from './geojson.reader.ts'
import { openKml, openKmz } from './kml.reader.ts'
import { openOpenCellId } from './opencellid.reader.ts'
import { openShapefileZip } from './shapefile.reader.ts'
import { isBlank, readHead } from './text-encoding.ts'
import { DEFAULT_READER_LIMITS, SOURCE_FORMATS, SourceFormatError, type OpenedSource, type ReaderLimits, type ReaderOptions, type SourceFormat } from './types.ts'

export { SourceFormatError } from './types.ts'
export type { OpenedSource, ReaderOptions, SourceFormat, SourceRecord } from './types.ts'

/** Files up to this size are checked for being blank (only white space and a BOM) before anything else. */
const BLANK_CHECK_BYTES = 64 * 1024

const FORMAT_WORDS: Record<SourceFormat, string> = {
  'geojson': 'GeoJSON',
  'csv': 'CSV',
  'kml': 'KML',
  'kmz': 'KMZ',
  'shapefile-zip': 'zip',
  'opencellid-csv': 'OpenCelliD CSV',
}

export async function openSource(path: string, options: ReaderOptions = {}): Promise<OpenedSource> {
  const limits: ReaderLimits = { ...DEFAULT_READER_LIMITS, ...definedOnly(options.limits ?? {}) }
  if (options.format !== undefined && !SOURCE_FORMATS.includes(options.format)) {
    throw new SourceFormatError('unknown-format', `'${String(options.format)}' is not a format this importer reads`, { hint: `Use one of: ${SOURCE_FORMATS.join(', ')}.` })
  }
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new SourceFormatError('unreadable-file', 'This is a folder, not a file', { hint: 'Choose the file itself (zip a shapefile\'s files together).' })
    size = info.size
  } catch (err) {
    if (err instanceof SourceFormatError) throw err
    throw unreadable(err)
  }
  try {
    if (size <= BLANK_CHECK_BYTES && isBlank(await readHead(path, BLANK_CHECK_BYTES))) {
      const format = options.format ?? formatFromExtension(path)
      throw new SourceFormatError('empty-file', `The ${format ? `${FORMAT_WORDS[format]} ` : ''}file is empty (${size === 0 ? '0 bytes' : 'only blank space'})`, {
        hint: 'It was probably not saved or not copied completely: export it again.',
      })
    }
    const detected = options.format ? { format: options.format, notes: [] } : await detectFormat(path, limits)
    const source = await openFormat(detected.format, path, options, limits)
    source.notes.unshift(...detected.notes)
    return source
  } catch (err) {
    if (err instanceof SourceFormatError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'EISDIR' || code === 'EIO') throw unreadable(err)
    throw err
  }
}

function openFormat(format: SourceFormat, path: string, options: ReaderOptions, limits: ReaderLimits): Promise<OpenedSource> {
  switch (format) {
    case 'geojson':
      return openGeoJson(path, options)
    case 'csv':
      return openCsv(path, options)
    case 'opencellid-csv':
      return openOpenCellId(path, options)
    case 'kml':
      return openKml(path, options, limits)
    case 'kmz':
      return openKmz(path, options, limits)
    case 'shapefile-zip':
      return openShapefileZip(path, options, limits)
  }
}

function unreadable(err: unknown): SourceFormatError {
  const code = (err as NodeJS.ErrnoException).code
  const why = code === 'ENOENT' ? 'The file does not exist' : code === 'EACCES' || code === 'EPERM' ? 'The file cannot be opened (permission denied)' : `The file cannot be read (${(err as Error).message})`
  return new SourceFormatError('unreadable-file', why, { hint: 'Check the file name and that the file is fully copied.', cause: err })
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
