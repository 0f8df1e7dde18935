import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { Geometry, Position } from 'geojson'
import { TILE_EXTENT, type TileSpaceRow } from '../../repositories/tiles.repository.ts'

type VtLayers = Parameters<typeof fromGeojsonVt>[0]
type VtFeature = VtLayers[string]['features'][number]
type Props = Record<string, string | number | boolean>

const point = (p: Position): [number, number] => [p[0]!, p[1]!]
const ring = (r: Position[]): [number, number][] => r.map(point)

/** One row's tile-space GeoJSON geometry as a vector tile feature (type 1 points, 2 lines, 3 polygons). */
function toFeature(id: number | undefined, geometry: Geometry, tags: Props): VtFeature | null {
  switch (geometry.type) {
    case 'Point': return { id, type: 1, tags, geometry: [point(geometry.coordinates)] }
    case 'MultiPoint': return { id, type: 1, tags, geometry: geometry.coordinates.map(point) }
    case 'LineString': return { id, type: 2, tags, geometry: [ring(geometry.coordinates)] }
    case 'MultiLineString': return { id, type: 2, tags, geometry: geometry.coordinates.map(ring) }
    case 'Polygon': return { id, type: 3, tags, geometry: geometry.coordinates.map(ring) }
    case 'MultiPolygon': return { id, type: 3, tags, geometry: geometry.coordinates.flatMap((p) => p.map(ring)) }
    case 'GeometryCollection': return null
  }
}

/**
 * Encodes tile-space features (tiles.repository#tileSpaceFeatures) as one
 * Mapbox Vector Tile layer with @maplibre/vt-pbf (spec version 2, the layer's extent).
 * Null attributes are left out, as ST_AsMVT does. An empty buffer when no feature.
 */
export function encodeLayer(name: string, rows: TileSpaceRow[], extent = TILE_EXTENT): Uint8Array {
  const features: VtFeature[] = []
  for (const row of rows) {
    const tags: Props = {}
    for (const [k, v] of Object.entries(row.properties)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') tags[k] = v
    }
    const f = toFeature(row.id, JSON.parse(row.geometry) as Geometry, tags)
    if (f) features.push(f)
  }
  if (features.length === 0) return new Uint8Array(0)
  const layer = { features } as unknown as VtLayers[string]
  return fromGeojsonVt({ [name]: layer }, { version: 2, extent })
}
