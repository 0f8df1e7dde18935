import type { Db } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import type { Bbox, Page } from '../../repositories/paging.ts'
import type { Viewer } from '../access/viewer.ts'
import { findCollectionDefinition, listCollectionDefinitions, type CollectionDefinition, type DayInterval } from './ogc-collections.ts'

/**
 * OGC API – Features, Part 1 (Core, GeoJSON, OpenAPI 3.0): landing page,
 * conformance, collections and items. Links are absolute, built from the
 * base URL of the request (`http://host/ogc`).
 */

export const CONFORMANCE_CLASSES = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
] as const

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
export const GEOJSON = 'application/geo+json'
export const OGC_DEFAULT_LIMIT = 10
export const OGC_MAX_LIMIT = 10_000

export interface Link {
  href: string
  rel: string
  type?: string
  title?: string
}

/** `apiRoot` is the absolute URL of /ogc; `origin` that of the server. */
export interface OgcUrls {
  origin: string
  apiRoot: string
}

export function landingPage(urls: OgcUrls) {
  return {
    title: 'phusong — OGC API Features',
    description: '4G coverage gaps in the mountains of northern Vietnam: communes, villages, BTS sites, sectors, fibre and predicted coverage as GeoJSON (WGS84). Villages, sites, sectors and fibre of the bundled sample are synthetic.',
    links: [
      { href: urls.apiRoot, rel: 'self', type: 'application/json', title: 'This document' },
      { href: `${urls.origin}/docs/json`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'The OpenAPI 3.0 definition' },
      { href: `${urls.origin}/docs`, rel: 'service-doc', type: 'text/html', title: 'The API documentation' },
      { href: `${urls.apiRoot}/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
      { href: `${urls.apiRoot}/collections`, rel: 'data', type: 'application/json', title: 'The collections' },
    ] satisfies Link[],
  }
}

export function conformance() {
  return { conformsTo: [...CONFORMANCE_CLASSES] }
}

async function describeCollection(db: Db, def: CollectionDefinition, urls: OgcUrls, viewer: Viewer) {
  const bbox = await def.extent(db, viewer)
  const interval = await def.temporal(db, viewer)
  const self = `${urls.apiRoot}/collections/${def.id}`
  return {
    id: def.id,
    title: def.title,
    description: def.description,
    itemType: 'feature',
    crs: [CRS84],
    extent: {
      spatial: { bbox: bbox ? [[...bbox]] : [], crs: CRS84 },
      temporal: { interval: [interval] as Array<[string | null, string | null]> },
    },
    links: [
      { href: self, rel: 'self', type: 'application/json', title: def.title },
      { href: `${self}/items`, rel: 'items', type: GEOJSON, title: `${def.title} as GeoJSON` },
    ] satisfies Link[],
  }
}

export async function listCollections(db: Db, urls: OgcUrls, viewer: Viewer) {
  const defs = await listCollectionDefinitions(db)
  const collections = []
  for (const def of defs) collections.push(await describeCollection(db, def, urls, viewer))
  return {
    links: [{ href: `${urls.apiRoot}/collections`, rel: 'self', type: 'application/json', title: 'The collections' }] satisfies Link[],
    collections,
  }
}

export async function getCollection(db: Db, id: string, urls: OgcUrls, viewer: Viewer) {
  return describeCollection(db, await findCollectionDefinition(db, id), urls, viewer)
}

export interface ItemsQuery {
  bbox?: Bbox
  page: Page
  /** Property filters by name (only those the collection knows). */
  filters: Record<string, string>
  /** `datetime` as days; collections without a temporal dimension ignore it. */
  datetime?: DayInterval
  /** The query string as received, kept in the next link. */
  rawQuery: Record<string, string>
}

export async function getItems(db: Db, collectionId: string, query: ItemsQuery, urls: OgcUrls, viewer: Viewer) {
  const def = await findCollectionDefinition(db, collectionId)
  const unknown = Object.keys(query.filters).filter((k) => !def.filters.includes(k))
  if (unknown.length > 0) {
    throw new AppError('validation-failed', `${unknown.join(', ')}: not a filter of ${def.id} (filters: ${def.filters.join(', ') || 'none'})`,
      unknown.map((field) => ({ field, location: 'querystring' as const, reason: `${def.id} filters by ${def.filters.join(', ') || 'nothing'}` })))
  }
  const result = await def.list(db, { bbox: query.bbox, filters: query.filters, page: query.page, datetime: query.datetime, viewer })
  const itemsUrl = `${urls.apiRoot}/collections/${def.id}/items`
  const withOffset = (offset: number) => {
    const params = new URLSearchParams({ ...query.rawQuery, limit: String(query.page.limit), offset: String(offset) })
    return `${itemsUrl}?${params.toString()}`
  }
  const links: Link[] = [
    { href: withOffset(query.page.offset), rel: 'self', type: GEOJSON, title: 'This page' },
    { href: `${urls.apiRoot}/collections/${def.id}`, rel: 'collection', type: 'application/json', title: def.title },
  ]
  const nextOffset = query.page.offset + result.numberReturned
  if (result.numberReturned > 0 && nextOffset < result.numberMatched) links.push({ href: withOffset(nextOffset), rel: 'next', type: GEOJSON, title: 'Next page' })
  if (query.page.offset > 0) links.push({ href: withOffset(Math.max(0, query.page.offset - query.page.limit)), rel: 'prev', type: GEOJSON, title: 'Previous page' })
  return {
    type: 'FeatureCollection' as const,
    timeStamp: new Date().toISOString(),
    numberMatched: result.numberMatched,
    numberReturned: result.numberReturned,
    links,
    features: result.features,
  }
}

export async function getItem(db: Db, collectionId: string, featureId: string, urls: OgcUrls, viewer: Viewer) {
  const def = await findCollectionDefinition(db, collectionId)
  const id = /^[1-9][0-9]{0,9}$/.test(featureId) ? Number(featureId) : NaN
  const feature = Number.isSafeInteger(id) && id <= 2_147_483_647 ? await def.get(db, id, viewer) : undefined
  if (!feature) throw new AppError('not-found', `Feature '${featureId}' does not exist in collection '${def.id}'`)
  const self = `${urls.apiRoot}/collections/${def.id}`
  return {
    ...feature,
    links: [
      { href: `${self}/items/${feature.id}`, rel: 'self', type: GEOJSON, title: 'This feature' },
      { href: self, rel: 'collection', type: 'application/json', title: def.title },
    ] satisfies Link[],
  }
}
