// The map style: a plain background plus one GeoJSON source per API layer.
// Self-contained on purpose: no basemap, glyphs, sprites or any other URL, so
// the page works offline and on weak connections. No symbol (text) layers:
// names are shown in popups.
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'

export const BACKGROUND = '#cfd8dc'

/** Operator colours, shared by sites, fibre routes and the legend. */
export const OPERATOR_COLOURS = {
  viettel: '#d7191c',
  vnpt: '#1f5fbf',
  mobifone: '#e8780c',
  other: '#6b4fa0',
} as const

export const VILLAGE_COLOURS = ['#c7e9c0', '#74c476', '#31a354', '#00592a'] as const
export const VILLAGE_POPULATION_STOPS = [0, 300, 800, 2000] as const
export const POWER_LINE_COLOUR = '#7b8089'
export const COMMUNE_FILL = '#f4f0e4'
export const COMMUNE_FILL_HOVER = '#e4d6b0'
export const COMMUNE_OUTLINE = '#8c7b5a'
export const DECOMMISSIONED_COLOUR = '#9aa0a8'

/** Source ids; each is filled from the API resource of the same meaning. */
export const SOURCES = {
  communes: 'communes',
  villages: 'villages',
  sites: 'sites',
  fibre: 'fibre',
  powerLines: 'power-lines',
} as const

export type LayerGroup = keyof typeof SOURCES

/** Style layers per toggle in the panel. */
export const LAYER_GROUPS: Record<LayerGroup, string[]> = {
  communes: ['communes-fill', 'communes-outline'],
  villages: ['villages'],
  sites: ['sites'],
  fibre: ['fibre', 'fibre-planned'],
  powerLines: ['power-lines'],
}

/** Layers that answer clicks and hover, topmost first. */
export const INTERACTIVE_LAYERS = ['sites', 'villages', 'fibre', 'fibre-planned', 'power-lines', 'communes-fill'] as const

const operatorColour: ExpressionSpecification = [
  'match',
  ['downcase', ['to-string', ['get', 'operatorCode']]],
  'viettel', OPERATOR_COLOURS.viettel,
  'vnpt', OPERATOR_COLOURS.vnpt,
  'vinaphone', OPERATOR_COLOURS.vnpt,
  'mobifone', OPERATOR_COLOURS.mobifone,
  OPERATOR_COLOURS.other,
]

const ownerColour: ExpressionSpecification = [
  'match',
  ['downcase', ['to-string', ['get', 'ownerCode']]],
  'viettel', OPERATOR_COLOURS.viettel,
  'vnpt', OPERATOR_COLOURS.vnpt,
  'vinaphone', OPERATOR_COLOURS.vnpt,
  'mobifone', OPERATOR_COLOURS.mobifone,
  OPERATOR_COLOURS.other,
]

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false]
const plannedFibre: ExpressionSpecification = ['in', ['get', 'status'], ['literal', ['planned', 'candidate', 'proposed']]]
const population: ExpressionSpecification = ['to-number', ['coalesce', ['get', 'population'], 0]]

function emptySource(): StyleSpecification['sources'][string] {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' }
}

const layers: LayerSpecification[] = [
  { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } },
  {
    id: 'communes-fill',
    type: 'fill',
    source: SOURCES.communes,
    paint: {
      'fill-color': ['case', hovered, COMMUNE_FILL_HOVER, COMMUNE_FILL],
      'fill-opacity': 0.95,
    },
  },
  {
    id: 'communes-outline',
    type: 'line',
    source: SOURCES.communes,
    paint: {
      'line-color': COMMUNE_OUTLINE,
      'line-width': ['case', hovered, 2.5, 0.8],
    },
  },
  {
    id: 'power-lines',
    type: 'line',
    source: SOURCES.powerLines,
    layout: { 'line-cap': 'round' },
    paint: {
      'line-color': POWER_LINE_COLOUR,
      // Transmission lines (110 kV and up) read as the backbone; distribution lines stay hairlines.
      'line-width': [
        'case', hovered, 3,
        ['interpolate', ['linear'], ['to-number', ['coalesce', ['get', 'voltageKv'], 0]], 0, 0.7, 35, 1, 110, 1.8, 220, 2.4],
      ],
    },
  },
  {
    id: 'fibre',
    type: 'line',
    source: SOURCES.fibre,
    filter: ['!', plannedFibre],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': ownerColour,
      'line-width': ['case', hovered, 4.5, 2.2],
    },
  },
  {
    id: 'fibre-planned',
    type: 'line',
    source: SOURCES.fibre,
    filter: plannedFibre,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': ownerColour,
      'line-width': ['case', hovered, 4, 2],
      'line-dasharray': [2, 1.5],
    },
  },
  {
    id: 'villages',
    type: 'circle',
    source: SOURCES.villages,
    paint: {
      'circle-color': [
        'interpolate', ['linear'], population,
        VILLAGE_POPULATION_STOPS[0], VILLAGE_COLOURS[0],
        VILLAGE_POPULATION_STOPS[1], VILLAGE_COLOURS[1],
        VILLAGE_POPULATION_STOPS[2], VILLAGE_COLOURS[2],
        VILLAGE_POPULATION_STOPS[3], VILLAGE_COLOURS[3],
      ],
      'circle-radius': [
        'interpolate', ['linear'], ['zoom'],
        6, ['interpolate', ['linear'], population, 0, 0.8, 2000, 2],
        7.5, ['interpolate', ['linear'], population, 0, 1.8, 2000, 4.5],
        12, ['interpolate', ['linear'], population, 0, 4, 2000, 11],
      ],
      'circle-stroke-color': ['case', hovered, '#111827', '#ffffff'],
      'circle-stroke-width': ['case', hovered, 2.5, 0.6],
    },
  },
  {
    id: 'sites',
    type: 'circle',
    source: SOURCES.sites,
    // Existing sites on top of planned ones.
    layout: { 'circle-sort-key': ['match', ['get', 'status'], 'existing', 3, 'planned', 2, 'candidate', 1, 0] },
    paint: {
      'circle-color': [
        'match', ['get', 'status'],
        'existing', operatorColour,
        'decommissioned', DECOMMISSIONED_COLOUR,
        '#ffffff',
      ],
      'circle-opacity': ['match', ['get', 'status'], 'decommissioned', 0.7, 'existing', 1, 0.85],
      'circle-radius': [
        'interpolate', ['linear'], ['zoom'],
        6, ['match', ['get', 'status'], 'decommissioned', 1.2, 2],
        7.5, ['match', ['get', 'status'], 'decommissioned', 2.5, 4.5],
        12, ['match', ['get', 'status'], 'decommissioned', 5, 9],
      ],
      'circle-stroke-color': [
        'case', hovered, '#111827',
        ['match', ['get', 'status'], 'existing', '#ffffff', 'decommissioned', '#5b6068', operatorColour],
      ],
      'circle-stroke-width': [
        'interpolate', ['linear'], ['zoom'],
        6, ['case', hovered, 2, ['match', ['get', 'status'], 'existing', 0.5, 'planned', 1.5, 'candidate', 1, 0.5]],
        7.5, ['case', hovered, 3, ['match', ['get', 'status'], 'existing', 1.2, 'planned', 2.5, 'candidate', 1.6, 0.8]],
      ],
    },
  },
]

/** The whole style; data arrive later through `GeoJSONSource.setData`. */
export function createStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'phusong',
    sources: Object.fromEntries(Object.values(SOURCES).map((id) => [id, emptySource()])),
    layers,
  }
}
