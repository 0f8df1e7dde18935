import { TILE_LAYER_FIELDS, type TileLayerName } from '../../repositories/tiles.repository.ts'

/**
 * The public vector tile layers and the zooms they are served at. Outside a
 * layer's zooms, as for a tile with no feature, the answer is 204 No Content
 * (MapLibre draws nothing there and asks no further). Sites are the public
 * layer: existing and decommissioned only, never planned or candidate.
 */
export interface TileLayerSpec {
  minzoom: number
  maxzoom: number
  description: string
}

export const MAX_TILE_ZOOM = 22

export const TILE_LAYERS: Record<TileLayerName, TileLayerSpec> = {
  communes: { minzoom: 6, maxzoom: 16, description: 'Communes (xã/phường/đặc khu, 2025 codes): code, name, type' },
  villages: { minzoom: 10, maxzoom: 16, description: 'Villages (thôn/bản): code, name, population' },
  sites: { minzoom: 8, maxzoom: 16, description: 'BTS sites, existing and decommissioned: code, name, operator code, status' },
  fibre: { minzoom: 8, maxzoom: 16, description: 'Fibre routes not owned by an operator (operator-owned fibre is private): code, owner, status' },
  'coverage-4g': { minzoom: 8, maxzoom: 14, description: 'Predicted 4G coverage class polygons of the current run: class (good/weak/none) and operator; any operator (the best of all) unless ?operator=<code> names one; on 512 units a side up to z10, 1024 at z11–12' },
}

export const TILE_LAYER_NAMES = Object.keys(TILE_LAYERS) as TileLayerName[]

export function isTileLayer(name: string): name is TileLayerName {
  return Object.hasOwn(TILE_LAYERS, name)
}

/**
 * A layer as TileJSON's (and a PMTiles archive's) `vector_layers` describe it: its zooms within
 * those of the document (none narrower by default), its attribute fields.
 */
export function vectorLayer(layer: TileLayerName, within: { minzoom: number; maxzoom: number } = { minzoom: 0, maxzoom: MAX_TILE_ZOOM }) {
  const spec = TILE_LAYERS[layer]
  return {
    id: layer, description: spec.description,
    minzoom: Math.max(within.minzoom, spec.minzoom), maxzoom: Math.min(within.maxzoom, spec.maxzoom),
    fields: { ...TILE_LAYER_FIELDS[layer] },
  }
}
