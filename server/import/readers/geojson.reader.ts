/**
 * GeoJSON, streamed: a FeatureCollection's features are built one at a time
 * (memory holds one feature, not the file), a single Feature or a bare geometry
 * is one record, and several top-level values in a row (GeoJSON text sequences,
 * newline-delimited features) are read one after the other. Each feature's
 * structure is checked with geojson-validation; a broken geometry becomes that
 * record's `geometryError`, the other records are still read. The legacy `crs`
 * member (GeoJSON 2008) becomes `crsHint.name`.
 */
import type { Geometry } from 'geojson'
import { open } from 'node:fs/promises'
import { isFeature, isGeometryObject } from 'geojson-validation'
import type { Token } from 'stream-json/parser.js'
import { JsonTokenStream } from './json-token-stream.ts'
import { recordStream } from './record-stream.ts'
import { checkEncodingName, cleanProperties } from './text-encoding.ts'
import { SourceFormatError, type OpenedSource, type ReaderOptions, type SourceRecord } from './types.ts'

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'])
const NOT_GEOJSON_HINT = 'GeoJSON starts with {"type": "FeatureCollection", "features": [...]}. Export the layer as GeoJSON from the GIS program (QGIS: Export > Save Features As > GeoJSON).'
const TAIL_BYTES = 64 * 1024

/** The members of a top-level object read so far; `atFeatures` when reading stopped at the start of its "features" list. */
interface TopObject {
  members: Map<string, unknown>
  atFeatures: boolean
}

export async function openGeoJson(path: string, options: ReaderOptions): Promise<OpenedSource> {
  const encoding = options.encoding ? checkEncodingName(options.encoding) : undefined
  const tokens = new JsonTokenStream(path, encoding)
  try {
    const first = await tokens.next()
    if (first === undefined) throw new SourceFormatError('empty-file', 'The GeoJSON file is empty (no JSON value in it)', { hint: 'Export the layer again.' })
    const top = await readTopValue(tokens, first, 1)
    const notes = [...tokens.notes]
    const crsHint: OpenedSource['crsHint'] = {}
    let crs = top.members.get('crs')
    if (crs === undefined && top.atFeatures && (await tailMentionsCrs(path))) {
      crs = await findTrailingCrs(path, encoding)
      if (crs !== undefined) notes.push('the "crs" member comes after the features: read from the end of the file')
    }
    const name = crsName(crs, notes)
    if (name) crsHint.name = name
    let sequence = false
    if (!top.atFeatures && (await tokens.next()) !== undefined) {
      tokens.back()
      sequence = true
    }
    notes.unshift(top.atFeatures ? 'GeoJSON FeatureCollection' : sequence ? 'GeoJSON text sequence (one value per line)' : describeSingle(top.members))

    let index = 0
    async function* records(): AsyncGenerator<SourceRecord, void, undefined> {
      let current: TopObject | null = top
      let values = 1
      while (current) {
        if (current.atFeatures) {
          let first = true
          for (;;) {
            let value: unknown
            try {
              const t = tokens.take() ?? (await tokens.next())
              if (t === undefined) throw new SourceFormatError('truncated-json', 'The file ends in the middle of the "features" list', { hint: 'Download or export it again.' })
              if (t.name === 'endArray') break
              value = await tokens.assemble(t)
            } catch (err) {
              // Say which feature was being read when the JSON broke (an encoding error has its own place).
              throw err instanceof SourceFormatError && err.code !== 'encoding' ? err.withPosition({ feature: index + 1 }) : err
            }
            index++
            if (first) {
              first = false
              rejectEsriFeature(value)
            }
            yield featureRecord(value, index)
          }
          await readMembers(tokens, current.members, false)
        } else {
          index++
          yield singleRecord(current.members, index)
        }
        const next = await tokens.next()
        if (next === undefined) break
        values++
        current = await readTopValue(tokens, next, values)
      }
    }

    return { format: 'geojson', crsHint, notes, ...recordStream(records, () => tokens.close()) }
  } catch (err) {
    tokens.close()
    throw err
  }
}

/** Reads a top-level value up to its "features" list (or whole, when it has none) and checks that it is GeoJSON. */
async function readTopValue(tokens: JsonTokenStream, first: Token, valueNumber: number): Promise<TopObject> {
  const where = valueNumber > 1 ? ` (value ${valueNumber} of the file)` : ''
  if (first.name === 'startArray') throw new SourceFormatError('not-geojson', `The file is a JSON list, not GeoJSON${where}`, { hint: NOT_GEOJSON_HINT })
  if (first.name !== 'startObject') throw new SourceFormatError('not-geojson', `The file holds a single JSON ${first.name.replace(/Value$/, '')}, not GeoJSON${where}`, { hint: NOT_GEOJSON_HINT })
  const top: TopObject = { members: new Map(), atFeatures: false }
  top.atFeatures = await readMembers(tokens, top.members, true)
  const type = top.members.get('type')
  if (top.atFeatures) {
    if (type !== undefined && type !== 'FeatureCollection') throw notGeoJson(top.members, where)
    return top
  }
  if (type === 'FeatureCollection') throw new SourceFormatError('not-geojson', `The FeatureCollection has no "features" list${where}`, { hint: NOT_GEOJSON_HINT })
  if (type === 'Feature' || (typeof type === 'string' && GEOMETRY_TYPES.has(type)) || (type === undefined && top.members.has('geometry'))) return top
  throw notGeoJson(top.members, where)
}

/**
 * Reads `key: value` members of the current object into `members` until its end
 * (false) or, with `stopAtFeatures`, until the start of a "features" list (true).
 */
async function readMembers(tokens: JsonTokenStream, members: Map<string, unknown>, stopAtFeatures: boolean): Promise<boolean> {
  for (;;) {
    const t = await tokens.next()
    if (t === undefined || t.name === 'endObject') return false
    if (t.name !== 'keyValue') continue
    const key = t.value
    const v = await tokens.next()
    if (v === undefined) return false
    if (key === 'features' && v.name === 'startArray' && stopAtFeatures) return true
    const value = await tokens.assemble(v)
    members.set(key, value)
    if (key === 'type') rejectEarly(value, members)
    if (key === 'geometryType' && typeof value === 'string' && value.startsWith('esriGeometry')) throw esriError()
  }
}

/** Fails at once on a "type" that is not GeoJSON, rather than after reading a large object. */
function rejectEarly(type: unknown, members: Map<string, unknown>): void {
  if (type === 'FeatureCollection' || type === 'Feature' || (typeof type === 'string' && GEOMETRY_TYPES.has(type))) return
  throw notGeoJson(members, '')
}

function notGeoJson(members: Map<string, unknown>, where: string): SourceFormatError {
  const type = members.get('type')
  if (type === 'Topology') {
    return new SourceFormatError('not-geojson', `The file is TopoJSON, not GeoJSON${where}`, { hint: 'Convert it to GeoJSON first (mapshaper: -o format=geojson, or QGIS).' })
  }
  if (members.has('spatialReference') || members.has('geometryType')) return esriError()
  const keys = [...members.keys()].slice(0, 6).map((k) => `"${k}"`).join(', ')
  const what = typeof type === 'string' ? `its "type" is "${type}"` : keys ? `it has ${keys} but no GeoJSON "type"` : 'it is an empty object'
  return new SourceFormatError('not-geojson', `The file is JSON but not GeoJSON: ${what}${where}`, { hint: NOT_GEOJSON_HINT })
}

function esriError(): SourceFormatError {
  return new SourceFormatError('not-geojson', 'The file is Esri JSON (from ArcGIS), not GeoJSON', {
    hint: 'Export it again as GeoJSON (ArcGIS: "Features To JSON" with the GeoJSON option; a map service: add f=geojson to the query URL).',
  })
}

function rejectEsriFeature(value: unknown): void {
  if (isObject(value) && !('type' in value) && 'attributes' in value) throw esriError()
}

function describeSingle(members: Map<string, unknown>): string {
  const type = members.get('type')
  return type === 'Feature' || type === undefined ? 'a single GeoJSON Feature' : `a bare GeoJSON ${String(type)} geometry (read as one feature without properties)`
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** One feature of a collection (or a sequence) → a record; a broken geometry is reported on the record. */
export function featureRecord(value: unknown, index: number): SourceRecord {
  const position = { kind: 'feature' as const, index }
  if (!isObject(value)) return { position, geometry: null, geometryError: `feature ${index} is not a JSON object`, properties: {} }
  const properties = isObject(value.properties) ? cleanProperties(value.properties) : {}
  if (value.id !== undefined && value.id !== null && !('id' in properties)) properties.id = value.id
  const problems = isFeature(value, true)
  if (problems.length === 0) return { position, geometry: (value.geometry ?? null) as Geometry | null, properties }
  if (!('geometry' in value)) return { position, geometry: null, geometryError: 'the feature has no "geometry" member (use "geometry": null for a feature without one)', properties }
  if (value.geometry === null) return { position, geometry: null, properties }
  const geometryProblems = isGeometryObject(value.geometry, true)
  if (geometryProblems.length === 0) return { position, geometry: value.geometry as Geometry, properties }
  return { position, geometry: null, geometryError: describeGeometryProblems(value.geometry, geometryProblems), properties }
}

/** A top-level Feature or bare geometry → a record. */
function singleRecord(members: Map<string, unknown>, index: number): SourceRecord {
  const value = Object.fromEntries(members)
  if (value.type === 'Feature' || value.type === undefined) return featureRecord(value, index)
  const position = { kind: 'feature' as const, index }
  const problems = isGeometryObject(value, true)
  if (problems.length > 0) return { position, geometry: null, geometryError: describeGeometryProblems(value, problems), properties: {} }
  delete value.crs
  return { position, geometry: value as unknown as Geometry, properties: {} }
}

function describeGeometryProblems(geometry: unknown, problems: string[]): string {
  const type = isObject(geometry) && typeof geometry.type === 'string' ? `${geometry.type} ` : ''
  const shown = problems.slice(0, 3).join('; ')
  return `invalid ${type}geometry: ${shown}${problems.length > 3 ? ` (and ${problems.length - 3} more problems)` : ''}`
}

/** The name of a GeoJSON 2008 `crs` member: 'urn:ogc:def:crs:EPSG::3405', 'EPSG:3405'…; linked CRSs only get a note. */
function crsName(crs: unknown, notes: string[]): string | undefined {
  if (!isObject(crs)) return undefined
  const props = isObject(crs.properties) ? crs.properties : {}
  if (crs.type === 'name' && typeof props.name === 'string' && props.name.trim()) {
    notes.push(`the file's "crs" member names ${props.name.trim()}`)
    return props.name.trim()
  }
  if (crs.type === 'EPSG' && (typeof props.code === 'number' || typeof props.code === 'string')) {
    notes.push(`the file's "crs" member gives EPSG code ${props.code}`)
    return `EPSG:${props.code}`
  }
  if (crs.type === 'link') notes.push(`the file's "crs" member links to ${String(props.href ?? 'a definition')}, which is not read`)
  return undefined
}

/** Whether the last bytes of the file mention a "crs" member (cheap test before a second pass). */
async function tailMentionsCrs(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const length = Math.min(size, TAIL_BYTES)
    const buf = Buffer.alloc(length)
    await handle.read(buf, 0, length, size - length)
    return /"crs"\s*:/.test(buf.toString('utf8'))
  } finally {
    await handle.close()
  }
}

/** Second pass for the rare file whose top-level "crs" comes after "features": tokens only, features skipped. */
async function findTrailingCrs(path: string, encoding?: string): Promise<unknown> {
  const tokens = new JsonTokenStream(path, encoding)
  try {
    const first = await tokens.next()
    if (first?.name !== 'startObject') return undefined
    for (;;) {
      const t = await tokens.next()
      if (t === undefined || t.name === 'endObject') return undefined
      if (t.name !== 'keyValue') continue
      const v = await tokens.next()
      if (v === undefined) return undefined
      if (t.value === 'crs') return await tokens.assemble(v)
      await tokens.skip(v)
    }
  } finally {
    tokens.close()
  }
}
