import { TILE_LAYER_NAMES, TILE_LAYERS } from './tile-layers.ts'

/**
 * A MapLibre style (v8) over phusong's own sources only — the combined vector
 * tiles of the public layers and the terrain tiles — so a map needs no
 * outside basemap, glyphs or sprites (no text layers: names are in the
 * features' properties for popups). `origin` is the server's absolute URL.
 * Hillshade is drawn from the terrain source; 3D terrain is left off (costly
 * on a phone) and can be turned on with `map.setTerrain({ source: 'terrain' })`.
 */
const COVERAGE_COLOURS = { good: '#1a9850', weak: '#fee08b', none: '#d73027' } as const

export function mapStyle(origin: string) {
  const vector = 'phusong'
  return {
    version: 8 as const,
    name: 'phusong public map',
    metadata: { 'phusong:layers': TILE_LAYER_NAMES },
    center: [103.9, 21.3],
    zoom: 8,
    sources: {
      [vector]: { type: 'vector' as const, url: `${origin}/tiles/public.json` },
      terrain: { type: 'raster-dem' as const, url: `${origin}/tiles/terrain.json`, encoding: 'terrarium' as const, tileSize: 256 },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef0ea' } },
      { id: 'hillshade', type: 'hillshade', source: 'terrain', paint: { 'hillshade-exaggeration': 0.5, 'hillshade-shadow-color': '#5a5a50' } },
      {
        id: 'coverage-any', type: 'fill', source: vector, 'source-layer': 'coverage-4g',
        minzoom: TILE_LAYERS['coverage-4g'].minzoom,
        filter: ['==', ['get', 'operator'], 'any'],
        paint: { 'fill-color': ['match', ['get', 'class'], 'good', COVERAGE_COLOURS.good, 'weak', COVERAGE_COLOURS.weak, COVERAGE_COLOURS.none], 'fill-opacity': 0.35 },
      },
      { id: 'communes-outline', type: 'line', source: vector, 'source-layer': 'communes', paint: { 'line-color': '#8c7b5a', 'line-width': 1 } },
      { id: 'fibre', type: 'line', source: vector, 'source-layer': 'fibre', paint: { 'line-color': '#6b4fa0', 'line-width': 1.5, 'line-dasharray': [2, 1] } },
      {
        id: 'villages', type: 'circle', source: vector, 'source-layer': 'villages',
        paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 2, 14, 5], 'circle-color': '#31a354', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
      },
      {
        id: 'sites', type: 'circle', source: vector, 'source-layer': 'sites',
        filter: ['==', ['get', 'status'], 'existing'],
        paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 14, 6], 'circle-color': '#1f5fbf', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
      },
    ],
  }
}
