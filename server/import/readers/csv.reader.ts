/**
 * CSV tables, streamed row by row. The header names the properties (kept as
 * written, trimmed); the geometry comes from a WKT/GeoJSON cell or from an X/Y
 * pair of columns recognised by name (see csv-geometry.ts). A row that cannot be
 * a row of the table (more or fewer cells than the header) stops the file with
 * its row number; a cell that cannot be a coordinate only marks its record.
 */
import type { Geometry } from 'geojson'
import { arePlaneNames, describeBadCoordinate, findGeometryColumns, parseCoordinate, parseGeometryCell, X_NAMES, Y_NAMES, type ColumnIndexes } from './csv-geometry.ts'
import { headerNames, openCsvRows, planText, sniffDelimiter, type CsvRow } from './csv-rows.ts'
import { recordStream } from './record-stream.ts'
import { cleanText } from './text-encoding.ts'
import { SourceFormatError, type OpenedSource, type ReaderOptions, type SourceRecord } from './types.ts'

/** How many first data rows are looked at to recognise the Vietnamese X = northing convention and an EWKT SRID. */
const PEEK_ROWS = 10

export async function openCsv(path: string, options: ReaderOptions): Promise<OpenedSource> {
  const plan = await planText(path, options)
  const delimiter = sniffDelimiter(plan.headText)
  const notes = [...plan.notes, `delimiter: ${delimiter.name}${delimiter.sepLine ? ` (from the "sep=${delimiter.char}" line)` : ''}`]
  const { rows, close } = openCsvRows(path, delimiter, plan)
  try {
    const first = await rows.next()
    if (first.done) throw new SourceFormatError('empty-file', 'The CSV file has no header row', { hint: 'The first row must name the columns.' })
    const header = headerNames(first.value.cells, notes)
    const columns = chooseColumns(header, options, notes)
    const commaDecimal = delimiter.char !== ','

    // Look at the first rows before handing out records: the axis order and an SRID are file-level facts.
    const peeked: CsvRow[] = []
    while (peeked.length < PEEK_ROWS) {
      const r = await rows.next()
      if (r.done) break
      peeked.push(r.value)
    }
    const crsHint: OpenedSource['crsHint'] = {}
    if (columns.x !== undefined && columns.y !== undefined && isSurveyAxisOrder(header, columns, peeked, commaDecimal)) {
      notes.push(`'${header[columns.x]}' holds northings and '${header[columns.y]}' eastings (the Vietnamese survey convention X = north): read '${header[columns.y]}' as x (easting) and '${header[columns.x]}' as y (northing)`)
      ;[columns.x, columns.y] = [columns.y, columns.x]
    }
    if (columns.wkt !== undefined) {
      for (const r of peeked) {
        const cell = parseGeometryCell(header[columns.wkt]!, r.cells[columns.wkt] ?? '')
        if ('geometry' in cell && cell.srid !== undefined) {
          crsHint.name = `EPSG:${cell.srid}`
          notes.push(`the geometry cells give SRID ${cell.srid} (EWKT)`)
          break
        }
      }
    }
    const geometryColumns: NonNullable<OpenedSource['geometryColumns']> = {}
    if (columns.wkt !== undefined) geometryColumns.wkt = header[columns.wkt]!
    else if (columns.x !== undefined && columns.y !== undefined) {
      geometryColumns.x = header[columns.x]!
      geometryColumns.y = header[columns.y]!
    }

    const build = rowBuilder(header, columns, commaDecimal, delimiter.char === ',', notes)
    async function* records(): AsyncGenerator<SourceRecord, void, undefined> {
      for (const r of peeked) yield build(r)
      for await (const r of rows) yield build(r)
    }
    const opened: OpenedSource = { format: 'csv', crsHint, fields: header, notes, ...recordStream(records, close) }
    if (geometryColumns.wkt !== undefined || geometryColumns.x !== undefined) opened.geometryColumns = geometryColumns
    return opened
  } catch (err) {
    close()
    throw err
  }
}

function chooseColumns(header: string[], options: ReaderOptions, notes: string[]): ColumnIndexes {
  const forced = options.geometryColumns
  if (forced && (forced.wkt !== undefined || forced.x !== undefined || forced.y !== undefined)) {
    const indexOf = (name: string | undefined, role: string): number | undefined => {
      if (name === undefined) return undefined
      const i = header.indexOf(cleanText(name))
      if (i === -1) {
        throw new SourceFormatError('no-geometry-columns', `The ${role} column '${name}' asked for is not in the file`, { hint: `The columns are: ${header.join(', ')}.` })
      }
      return i
    }
    const columns: ColumnIndexes = {}
    const wkt = indexOf(forced.wkt, 'geometry')
    const x = indexOf(forced.x, 'x')
    const y = indexOf(forced.y, 'y')
    if (wkt !== undefined) columns.wkt = wkt
    if (x !== undefined) columns.x = x
    if (y !== undefined) columns.y = y
    if (wkt === undefined && (x === undefined) !== (y === undefined)) {
      throw new SourceFormatError('no-geometry-columns', 'Only one of the two coordinate columns was given', { hint: 'Give both the x (longitude/easting) and the y (latitude/northing) column.' })
    }
    notes.push('geometry columns as asked')
    return columns
  }
  const found = findGeometryColumns(header)
  if (found.wkt !== undefined) {
    notes.push(`geometry from the '${header[found.wkt]}' column (WKT)`)
    return { wkt: found.wkt }
  }
  if (found.x !== undefined && found.y !== undefined) {
    notes.push(`coordinates from the '${header[found.x]}' (x) and '${header[found.y]}' (y) columns`)
    return found
  }
  if (found.x !== undefined || found.y !== undefined) {
    const has = header[(found.x ?? found.y)!]
    const missing = found.x === undefined ? `x (${X_NAMES.join(', ')})` : `y (${Y_NAMES.join(', ')})`
    throw new SourceFormatError('no-geometry-columns', `The file has a '${has}' coordinate column but no matching ${found.x === undefined ? 'x/longitude' : 'y/latitude'} column`, {
      hint: `Name the other column one of: ${missing} (Vietnamese names such as "Kinh độ" / "Vĩ độ" work too), or choose the columns explicitly.`,
    })
  }
  if (options.requireGeometry) {
    throw new SourceFormatError('no-geometry-columns', 'The file has no coordinate columns', {
      hint: `Name them lon/lat (or "Kinh độ"/"Vĩ độ", X/Y, easting/northing), add a WKT column, or choose the columns explicitly. The columns are: ${header.join(', ')}.`,
    })
  }
  notes.push('no coordinate or WKT column found: the records have no geometry')
  return {}
}

/**
 * True when columns named X/Y (or Tọa độ X/Y) hold a northing in X and an easting
 * in Y: in VN-2000 survey tables X is the northing (≥ 1,000,000 m in Vietnam) and
 * Y the easting (a 500,000 m false easting, so 100,000–1,000,000 m).
 */
function isSurveyAxisOrder(header: string[], columns: ColumnIndexes, rows: CsvRow[], commaDecimal: boolean): boolean {
  if (!arePlaneNames(header[columns.x!]!, header[columns.y!]!)) return false
  for (const r of rows) {
    const x = parseCoordinate(r.cells[columns.x!] ?? '', commaDecimal)
    const y = parseCoordinate(r.cells[columns.y!] ?? '', commaDecimal)
    if (Number.isNaN(x) || Number.isNaN(y)) continue
    return x >= 1_000_000 && x < 10_000_000 && y >= 100_000 && y < 1_000_000
  }
  return false
}

function rowBuilder(header: string[], columns: ColumnIndexes, commaDecimal: boolean, commaDelimited: boolean, notes: string[]): (r: CsvRow) => SourceRecord {
  let extraNoted = false
  return (r) => {
    const { cells } = r
    if (cells.length !== header.length) {
      const extraEmpty = cells.length > header.length && cells.slice(header.length).every((c) => c.trim() === '')
      if (!extraEmpty) {
        throw new SourceFormatError('ragged-row', `This row has ${cells.length} cells but the header has ${header.length} columns`, {
          position: r.line === r.row ? { row: r.row } : { row: r.row, line: r.line },
          hint: cells.length > header.length
            ? `A cell probably contains the delimiter without being in double quotes${commaDelimited ? ' (e.g. a decimal comma such as 21,34)' : ''}: quote that cell or remove the extra delimiter.`
            : 'A delimiter is probably missing in this row (or a line break splits it): fix the row so that it has one cell per column.',
        })
      }
      if (!extraNoted) {
        extraNoted = true
        notes.push(`some rows end with empty cells beyond the header's ${header.length} columns (first at row ${r.row}): ignored`)
      }
    }
    const properties: Record<string, unknown> = {}
    for (let i = 0; i < header.length; i++) {
      const value = cleanText(cells[i] ?? '')
      properties[header[i]!] = value === '' ? null : value
    }
    const record: SourceRecord = { position: { kind: 'row', index: r.row }, geometry: null, properties }
    const built = buildGeometry(header, columns, cells, commaDecimal, commaDelimited)
    if (typeof built === 'string') record.geometryError = built
    else record.geometry = built
    return record
  }
}

/** The geometry of a row, null when its geometry cells are empty, or a message saying why it cannot be built. */
function buildGeometry(header: string[], columns: ColumnIndexes, cells: string[], commaDecimal: boolean, commaDelimited: boolean): Geometry | null | string {
  if (columns.wkt !== undefined) {
    const cell = parseGeometryCell(header[columns.wkt]!, cells[columns.wkt] ?? '')
    return 'error' in cell ? cell.error : cell.geometry
  }
  if (columns.x === undefined || columns.y === undefined) return null
  const xText = (cells[columns.x] ?? '').trim()
  const yText = (cells[columns.y] ?? '').trim()
  if (!xText && !yText) return null
  if (!xText || !yText) {
    const [empty, full, value] = xText ? [header[columns.y], header[columns.x], xText] : [header[columns.x], header[columns.y], yText]
    return `column '${empty}' is empty while '${full}' has '${value}'`
  }
  const x = parseCoordinate(xText, commaDecimal)
  if (Number.isNaN(x)) return describeBadCoordinate(header[columns.x]!, xText, commaDelimited)
  const y = parseCoordinate(yText, commaDecimal)
  if (Number.isNaN(y)) return describeBadCoordinate(header[columns.y]!, yText, commaDelimited)
  return { type: 'Point', coordinates: [x, y] }
}
