import { Readable } from 'node:stream'
import type { Feature, Geometry } from 'geojson'
import { stringify } from 'csv-stringify'
import { toKML } from '@placemarkio/tokml'
import { geojsonToWKT } from '@terraformer/wkt'
import type { Db, LineStatus, SiteStatus } from '../db/database.ts'
import type { LayerName } from '../import/layer-definition.ts'
import type { Bbox, Page } from '../repositories/paging.ts'
import { listMeasurements } from '../repositories/measurements.repository.ts'
import { listStatusReports } from '../repositories/status-reports.repository.ts'
import { ADMIN_VIEWER, type Viewer } from './access/viewer.ts'
import { listCommuneFeatures } from './communes.service.ts'
import { listFibreFeatures } from './fibre.service.ts'
import { listPowerLineFeatures } from './power-lines.service.ts'
import { listSectorFeatures } from './sectors.service.ts'
import { listSiteFeatures } from './sites.service.ts'
import { visibleReportsFilter } from './status-reports.service.ts'
import { listVillageFeatures } from './villages.service.ts'

/**
 * Export of any layer as GeoJSON, CSV (UTF-8 with BOM, so Excel shows
 * Vietnamese correctly) or KML, filtered by commune, bbox or status. Pages
 * through the same list services the API uses, so an export holds exactly
 * what the API shows; the columns are the API's property names, which the
 * importer recognises, so an export imports back unchanged. What a viewer may
 * see is what the API shows it (services/access/viewer.ts): the public's export
 * of sites holds no planned or candidate site (nor their sectors), its fibre no
 * operator-owned route, its status reports verified ones only.
 */

export const EXPORT_FORMATS = ['geojson', 'csv', 'kml'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportFilter {
  commune?: string
  bbox?: Bbox
  status?: string[]
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  geojson: 'application/geo+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
}

export type AnyFeature = Feature<Geometry | null, Record<string, unknown>>
const PAGE = 2000

/**
 * Every feature of a layer matching the filter that the viewer may see, a page at a time.
 * The viewer defaults to admin for the command line (scripts/export.ts), which reads the
 * database directly; the HTTP route always passes the request's viewer.
 */
export async function* exportFeatures(db: Db, layer: LayerName, filter: ExportFilter, viewer: Viewer = ADMIN_VIEWER): AsyncGenerator<AnyFeature> {
  for (let offset = 0; ; offset += PAGE) {
    const page: Page = { limit: PAGE, offset }
    const features = await pageOf(db, layer, filter, page, viewer)
    yield* features
    if (features.length < PAGE) return
  }
}

async function pageOf(db: Db, layer: LayerName, f: ExportFilter, page: Page, viewer: Viewer): Promise<AnyFeature[]> {
  const strip = (fc: { features: Array<Feature<Geometry, object>> }) => fc.features as unknown as AnyFeature[]
  switch (layer) {
    case 'communes':
      return strip(await listCommuneFeatures(db, { bbox: f.bbox, commune: f.commune }, page))
    case 'villages':
      return strip(await listVillageFeatures(db, { bbox: f.bbox, commune: f.commune }, page))
    case 'sites':
      return strip(await listSiteFeatures(db, { bbox: f.bbox, commune: f.commune, status: f.status as SiteStatus[] | undefined }, page, viewer))
    case 'sectors':
      return (await listSectorFeatures(db, { bbox: f.bbox, commune: f.commune }, page, viewer)).features.map((x) => ({ ...x, geometry: null }) as unknown as AnyFeature)
    case 'fibre':
      return strip(await listFibreFeatures(db, { bbox: f.bbox, commune: f.commune, status: f.status as LineStatus[] | undefined }, page, viewer))
    case 'power-lines':
      return strip(await listPowerLineFeatures(db, { bbox: f.bbox, commune: f.commune, status: f.status as LineStatus[] | undefined }, page))
    case 'measurements': {
      const { rows } = await listMeasurements(db, { bbox: f.bbox }, page)
      return rows.map((r) => ({
        type: 'Feature', id: r.id, geometry: r.geometry,
        properties: {
          id: r.id, measuredAt: new Date(r.measured_at).toISOString(), operatorCode: r.operator_code, technology: r.technology,
          rsrpDbm: r.rsrp_dbm, rsrqDb: r.rsrq_db, sinrDb: r.sinr_db, source: r.source, device: r.device, attributes: r.attributes,
        },
      }))
    }
    case 'status-reports': {
      const { rows } = await listStatusReports(db, { communeCode: f.commune, verified: visibleReportsFilter(viewer) }, page)
      return rows.map((r) => ({
        type: 'Feature', id: r.id, geometry: null,
        properties: {
          id: r.id, villageCode: r.village_code, villageName: r.village_name, communeCode: r.commune_code, reportedOn: r.reported_on,
          observedStatus: r.observed_status, operatorCode: r.operator_code, technology: r.technology, source: r.source, verified: r.verified, note: r.note,
        },
      }))
    }
  }
}

/** Properties as flat columns: `attributes` spread into their own columns, nested arrays (sectors) dropped. */
function flatProperties(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(p)) {
    if (k === 'attributes' && v && typeof v === 'object') {
      for (const [ak, av] of Object.entries(v)) if (!(ak in p)) out[ak] = typeof av === 'object' && av !== null ? JSON.stringify(av) : av
    } else if (!Array.isArray(v) && (typeof v !== 'object' || v === null)) {
      out[k] = v
    }
  }
  return out
}

/** A readable stream of the export in the chosen format. */
export function exportStream(db: Db, layer: LayerName, format: ExportFormat, filter: ExportFilter, viewer: Viewer = ADMIN_VIEWER): Readable {
  return featureStream(exportFeatures(db, layer, filter, viewer), format)
}

/** Any features as GeoJSON, KML (properties flattened) or CSV (lon/lat or WKT columns, then flat properties). */
export function featureStream(features: AsyncIterable<AnyFeature>, format: ExportFormat): Readable {
  if (format === 'geojson') return Readable.from(geojsonChunks(features))
  if (format === 'kml') return Readable.from(kmlChunks(features))
  return Readable.from(csvChunks(features))
}

async function* geojsonChunks(features: AsyncIterable<AnyFeature>): AsyncGenerator<string> {
  yield '{"type":"FeatureCollection","features":[\n'
  let first = true
  for await (const f of features) {
    yield `${first ? '' : ',\n'}${JSON.stringify(f)}`
    first = false
  }
  yield '\n]}\n'
}

async function* kmlChunks(features: AsyncIterable<AnyFeature>): AsyncGenerator<string> {
  const all: AnyFeature[] = []
  for await (const f of features) {
    if (f.geometry) all.push({ ...f, properties: { ...flatProperties(f.properties ?? {}), name: f.properties?.name ?? f.properties?.code } })
  }
  const kml = toKML({ type: 'FeatureCollection', features: all } as Parameters<typeof toKML>[0])
  yield kml.startsWith('<?xml') ? kml : `<?xml version="1.0" encoding="UTF-8"?>\n${kml}`
}

async function* csvChunks(features: AsyncIterable<AnyFeature>): AsyncGenerator<string> {
  const iterator = features[Symbol.asyncIterator]()
  const buffered: AnyFeature[] = []
  // Columns from the first page: geometry columns, then the properties in API order.
  for (let i = 0; i < 500; i++) {
    const next = await iterator.next()
    if (next.done) break
    buffered.push(next.value)
  }
  const keys = new Set<string>()
  for (const f of buffered) for (const k of Object.keys(flatProperties(f.properties ?? {}))) keys.add(k)
  const points = buffered.every((f) => !f.geometry || f.geometry.type === 'Point')
  const hasGeometry = buffered.some((f) => f.geometry)
  const geometryColumns = !hasGeometry ? [] : points ? ['lon', 'lat'] : ['wkt']
  const columns = [...geometryColumns, ...keys]
  const row = (f: AnyFeature) => {
    const p = flatProperties(f.properties ?? {})
    const geo: Record<string, unknown> = !hasGeometry ? {}
      : points ? { lon: f.geometry?.type === 'Point' ? f.geometry.coordinates[0] : null, lat: f.geometry?.type === 'Point' ? f.geometry.coordinates[1] : null }
      : { wkt: f.geometry ? geojsonToWKT(f.geometry as Parameters<typeof geojsonToWKT>[0]) : null }
    return columns.map((c) => {
      const v = c in geo ? geo[c] : p[c]
      return v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'true' : 'false') : v
    })
  }
  const stringifier = stringify({ header: true, columns, bom: true })
  const rest = async function* () {
    yield* buffered
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  const out = Readable.from(rest()).map(row)
  for await (const chunk of out.pipe(stringifier)) yield String(chunk)
}
