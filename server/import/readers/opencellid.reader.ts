/**
 * OpenCelliD and Mozilla Location Service cell exports (one row per cell):
 * radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,averageSignal
 * with or without that header (the MLS dumps have none). Streamed; each cell is
 * a Point [lon, lat] in WGS84 with numeric identifiers, `created`/`updated` as ISO
 * timestamps (the files give Unix seconds) and `changeable` as a boolean (true: the
 * position was computed from measurements; false: exact, given by the operator).
 */
import { describeBadCoordinate } from './csv-geometry.ts'
import { headerNames, openCsvRows, planText, type CsvRow } from './csv-rows.ts'
import { recordStream } from './record-stream.ts'
import { cleanText } from './text-encoding.ts'
import { SourceFormatError, type OpenedSource, type ReaderOptions, type SourceRecord } from './types.ts'

export const OPENCELLID_COLUMNS = ['radio', 'mcc', 'net', 'area', 'cell', 'unit', 'lon', 'lat', 'range', 'samples', 'changeable', 'created', 'updated', 'averageSignal'] as const

const NUMERIC = new Set(['mcc', 'net', 'area', 'cell', 'unit', 'range', 'samples', 'averageSignal'])
const TIMESTAMPS = new Set(['created', 'updated'])

export async function openOpenCellId(path: string, options: ReaderOptions): Promise<OpenedSource> {
  const plan = await planText(path, options)
  const notes = [...plan.notes]
  const { rows, close } = openCsvRows(path, { char: ',', sepLine: false, name: 'comma' }, plan)
  try {
    const first = await rows.next()
    if (first.done) throw new SourceFormatError('empty-file', 'The cell file has no rows', { hint: 'Download the export again.' })
    const hasHeader = first.value.cells[0]?.trim().toLowerCase() === 'radio'
    let header: string[]
    let pending: CsvRow | undefined
    if (hasHeader) {
      header = headerNames(first.value.cells, notes).map((name) => OPENCELLID_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase()) ?? name)
    } else {
      header = [...OPENCELLID_COLUMNS]
      pending = first.value
      notes.push('no header row: the 14 standard OpenCelliD/MLS columns are assumed (the first row is row 1)')
    }
    const lon = header.indexOf('lon')
    const lat = header.indexOf('lat')
    if (lon === -1 || lat === -1) {
      throw new SourceFormatError('no-geometry-columns', 'The cell file has no "lon" and "lat" columns', { hint: `Expected the OpenCelliD header: ${OPENCELLID_COLUMNS.join(',')}.` })
    }
    notes.push('OpenCelliD/MLS cell export: coordinates are WGS84 longitude/latitude by definition')

    const build = (r: CsvRow): SourceRecord => {
      if (r.cells.length < header.length) {
        throw new SourceFormatError('ragged-row', `This row has ${r.cells.length} cells; a cell row has ${header.length}`, {
          position: { row: r.row },
          hint: 'The file was probably cut off or edited by hand: download the export again.',
        })
      }
      const properties: Record<string, unknown> = {}
      for (let i = 0; i < header.length; i++) {
        const name = header[i]!
        const text = cleanText(r.cells[i] ?? '')
        if (i === lon || i === lat) properties[name] = text === '' ? null : numberOr(text)
        else properties[name] = convert(name, text)
      }
      const record: SourceRecord = { position: { kind: 'row', index: r.row }, geometry: null, properties }
      const lonText = cleanText(r.cells[lon] ?? '')
      const latText = cleanText(r.cells[lat] ?? '')
      if (!lonText && !latText) return record
      const x = Number(lonText)
      const y = Number(latText)
      if (!lonText || !latText) record.geometryError = `column '${lonText ? 'lat' : 'lon'}' is empty`
      else if (!Number.isFinite(x) || !/\d/.test(lonText)) record.geometryError = describeBadCoordinate('lon', lonText, true)
      else if (!Number.isFinite(y) || !/\d/.test(latText)) record.geometryError = describeBadCoordinate('lat', latText, true)
      else record.geometry = { type: 'Point', coordinates: [x, y] }
      return record
    }

    async function* records(): AsyncGenerator<SourceRecord, void, undefined> {
      if (pending) yield build(pending)
      for await (const r of rows) yield build(r)
    }
    return {
      format: 'opencellid-csv',
      crsHint: { name: 'EPSG:4326' },
      fields: header,
      geometryColumns: { x: 'lon', y: 'lat' },
      notes,
      ...recordStream(records, close),
    }
  } catch (err) {
    close()
    throw err
  }
}

function numberOr(text: string): number | string {
  const n = Number(text)
  return text !== '' && Number.isFinite(n) ? n : text
}

function convert(name: string, text: string): unknown {
  if (text === '') return null
  if (NUMERIC.has(name)) return numberOr(text)
  if (TIMESTAMPS.has(name)) {
    const seconds = Number(text)
    return Number.isFinite(seconds) && /^\d+$/.test(text) ? new Date(seconds * 1000).toISOString() : text
  }
  if (name === 'changeable') return text === '1' ? true : text === '0' ? false : text
  return text
}
