// Client for the phusong JSON API: paged GeoJSON layers and /health.
// Types mirror the API contract by hand until types generated from the
// OpenAPI document exist (web/ imports no server code).
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString, MultiPolygon, Point } from 'geojson'

export interface CommuneProperties {
  id: number
  code: string
  name: string
  type: string
  provinceCode: string
  population: number | null
  areaKm2: number | null
  historicalDistrictCode: string | null
  historicalDistrictName: string | null
  synthetic: boolean
}

export interface VillageProperties {
  id: number
  code: string
  name: string
  communeCode: string
  communeName: string
  population: number | null
  households: number | null
  hasGridPower: boolean | null
  synthetic: boolean
  attributes?: Record<string, unknown> | null
}

export type SiteStatus = 'existing' | 'planned' | 'candidate' | 'decommissioned'

export interface Sector {
  technology: string
  frequencyMhz?: number | null
  azimuthDeg?: number | null
  [key: string]: unknown
}

export interface SiteProperties {
  id: number
  code: string
  name: string | null
  operatorCode: string
  operatorName: string
  status: SiteStatus
  groundElevationM: number | null
  commissionedOn: string | null
  decommissionedOn: string | null
  synthetic: boolean
  sectors: Sector[]
}

export interface FibreProperties {
  id: number
  code: string
  ownerCode: string
  ownerName: string
  status: string
  lengthKm: number | null
  synthetic: boolean
}

export interface PowerLineProperties {
  id: number
  code: string
  owner: string | null
  voltageKv: number | null
  status: string
  lengthKm: number | null
  synthetic: boolean
}

/** A page of a layer as the API returns it: a FeatureCollection plus paging members. */
export interface FeaturePage<G extends Geometry, P> extends FeatureCollection<G, P> {
  numberMatched: number
  numberReturned: number
}

export interface Health {
  status: 'ok' | 'unavailable'
  engine?: 'embedded' | 'server'
  postgis?: string
  schemaVersion?: string
}

export interface Layers {
  communes: FeatureCollection<MultiPolygon, CommuneProperties>
  villages: FeatureCollection<Point, VillageProperties>
  sites: FeatureCollection<Point, SiteProperties>
  fibre: FeatureCollection<LineString | MultiLineString, FibreProperties>
  powerLines: FeatureCollection<LineString | MultiLineString, PowerLineProperties>
}

/** The largest page the API accepts. */
export const PAGE_LIMIT = 5000

/** A failed API call; `status` is the HTTP status, or 0 when the network failed. */
export class ApiError extends Error {
  readonly status: number
  readonly path: string
  constructor(path: string, status: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.path = path
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(path, 0, `${path}: ${(error as Error).message}`)
  }
  if (!response.ok) {
    throw new ApiError(path, response.status, `${path}: HTTP ${response.status}`)
  }
  return (await response.json()) as T
}

/**
 * Fetches every feature of a layer, page by page (`limit`/`offset`), until
 * `numberMatched` features have arrived or a page comes back empty.
 */
export async function fetchAllFeatures<G extends Geometry, P>(
  resource: string,
  signal?: AbortSignal,
): Promise<FeatureCollection<G, P>> {
  const features: Feature<G, P>[] = []
  for (let offset = 0; ; ) {
    const path = `/api/${resource}?limit=${PAGE_LIMIT}&offset=${offset}`
    const page = await getJson<FeaturePage<G, P>>(path, signal)
    if (page.type !== 'FeatureCollection' || !Array.isArray(page.features)) {
      throw new ApiError(path, 200, `${path}: not a FeatureCollection`)
    }
    features.push(...page.features)
    const returned = page.numberReturned ?? page.features.length
    offset += returned
    if (returned === 0 || typeof page.numberMatched !== 'number' || offset >= page.numberMatched) break
  }
  return { type: 'FeatureCollection', features }
}

export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  const response = await fetch('/health', { headers: { accept: 'application/json' }, signal })
  // 503 still carries a JSON body with status 'unavailable'.
  const body = (await response.json().catch(() => ({}))) as Partial<Health>
  return { ...body, status: response.ok && body.status === 'ok' ? 'ok' : 'unavailable' }
}
