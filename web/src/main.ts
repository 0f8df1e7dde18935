// Entry point of the map page: builds the map, loads every layer from the API
// (paged), wires the panel, hover highlight and popups.
//
// Page state for people and tests: <body data-state="loading|ready|error">;
// "ready" once every layer is loaded and drawn.
import 'maplibre-gl/dist/maplibre-gl.css'
import './style.css'

import { LngLatBounds, Map as MapLibreMap, NavigationControl, Popup, ScaleControl, setWorkerUrl } from 'maplibre-gl'
import type { GeoJSONSource, LngLatLike, MapGeoJSONFeature, PointLike } from 'maplibre-gl'
import type { Feature, FeatureCollection, Geometry, LineString, MultiLineString, Point, Position } from 'geojson'
// The worker ships as its own file; Vite copies it into dist/web/assets/.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'

import { ApiError, fetchAllFeatures, fetchHealth } from './api.ts'
import type { CommuneProperties, FibreProperties, PowerLineProperties, SiteProperties, VillageProperties } from './api.ts'
import { initialLanguage, setLanguage, t } from './i18n.ts'
import type { Lang } from './i18n.ts'
import { createStyle, INTERACTIVE_LAYERS, LAYER_GROUPS, SOURCES } from './layers.ts'
import type { LayerGroup } from './layers.ts'
import { Panel, applyLegendColours } from './panel.ts'
import { POPUP_KIND_BY_LAYER, popupContent } from './popups.ts'
import type { PopupKind } from './popups.ts'

type PageState = 'loading' | 'ready' | 'error'

/** Test hook: screen positions of the point features drawn in a layer. */
export interface RenderedPoint {
  layer: string
  id: string | number | undefined
  name: string
  code: string
  /** Viewport (client) coordinates in CSS pixels. */
  x: number
  y: number
}

declare global {
  interface Window {
    __phusong?: { renderedPoints: (layerId: string) => RenderedPoint[] }
  }
}

/** Roughly Sơn La, shown until the communes arrive. */
const INITIAL_VIEW = { center: [104.0, 21.2] as LngLatLike, zoom: 7 }
/** Pixels around a click or tap that still hit a point or a line. */
const HIT_TOLERANCE = 8

function setState(state: PageState): void {
  document.body.dataset.state = state
}

setWorkerUrl(workerUrl)
setLanguage(initialLanguage(), false)
applyLegendColours()

let map: MapLibreMap | null = null
let loadGeneration = 0
let popupState: { kind: PopupKind; properties: Record<string, unknown>; lngLat: LngLatLike } | null = null
/** Original API properties by feature id (rendered features lose nested values such as sectors). */
const propertiesById: Record<LayerGroup, Map<string | number, Record<string, unknown>>> = {
  communes: new Map(),
  villages: new Map(),
  sites: new Map(),
  fibre: new Map(),
  powerLines: new Map(),
}

const panel = new Panel({
  onLanguage: switchLanguage,
  onLayerToggle: (group, visible) => setGroupVisibility(group, visible),
  onRetry: () => {
    if (map) void loadAll()
    else location.reload()
  },
})
panel.render()

// closeOnClick is off: a click on another feature replaces the content instead.
const popup = new Popup({ maxWidth: '300px', offset: 10, closeOnClick: false })
popup.on('close', () => {
  popupState = null
})

try {
  map = new MapLibreMap({
    container: 'map',
    style: createStyle(),
    ...INITIAL_VIEW,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxZoom: 16,
    fadeDuration: 0,
    locale: localeStrings(),
  })
  map.touchZoomRotate.disableRotation()
  map.keyboard.disableRotation()
  map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right')
  map.addControl(new ScaleControl({ maxWidth: 100, unit: 'metric' }), 'bottom-left')
  wireInteraction(map)
  window.__phusong = { renderedPoints: (layerId) => renderedPoints(layerId) }
  void loadAll()
} catch (error) {
  // WebGL missing or disabled: nothing can be drawn.
  console.warn('phusong: map could not start', error)
  panel.showError(String((error as Error).message ?? error), 'errorWebgl')
  setState('error')
}

void fetchHealth()
  .then((health) => panel.setHealth(health))
  .catch(() => panel.setHealth({ status: 'unavailable' }))

function localeStrings(): Record<string, string> {
  return {
    'Map.Title': t('mapLabel'),
    'NavigationControl.ZoomIn': t('zoomIn'),
    'NavigationControl.ZoomOut': t('zoomOut'),
    'Popup.Close': t('closePopup'),
  }
}

function switchLanguage(lang: Lang): void {
  setLanguage(lang)
  // A `?lang=` in the address would override the choice on the next visit.
  const url = new URL(location.href)
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', lang)
    history.replaceState(history.state, '', url)
  }
  panel.render()
  // MapLibre reads its UI strings once; relabel its controls in place.
  const relabel = (selector: string, label: string) => {
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      el.setAttribute('aria-label', label)
      el.title = label
    }
  }
  relabel('.maplibregl-ctrl-zoom-in', t('zoomIn'))
  relabel('.maplibregl-ctrl-zoom-out', t('zoomOut'))
  map?.getCanvas().setAttribute('aria-label', t('mapLabel'))
  if (popupState) showPopup(popupState.kind, popupState.properties, popupState.lngLat)
}

function setGroupVisibility(group: LayerGroup, visible: boolean): void {
  if (!map) return
  for (const layerId of LAYER_GROUPS[group]) {
    map.setLayoutProperty(layerId, 'visibility', visible ? 'visible' : 'none')
  }
}

/** Loads every layer in parallel; each is drawn as soon as it arrives. */
async function loadAll(): Promise<void> {
  const m = map
  if (!m) return
  const generation = ++loadGeneration
  const controller = new AbortController()
  setState('loading')
  panel.hideError()
  panel.setCounts({ communes: null, villages: null, sites: null, fibreKm: null, powerLinesKm: null })
  if (!m.loaded()) await new Promise<void>((resolve) => m.once('load', () => resolve()))

  const show = <G extends Geometry, P>(group: LayerGroup, data: FeatureCollection<G, P>) => {
    if (generation !== loadGeneration) return
    const index = propertiesById[group]
    index.clear()
    for (const f of data.features) {
      const id = (f.properties as { id?: string | number } | null)?.id ?? f.id
      if (id !== undefined && f.properties) index.set(id, f.properties as Record<string, unknown>)
    }
    m.getSource<GeoJSONSource>(SOURCES[group])?.setData(data as FeatureCollection)
  }

  const tasks = [
    fetchAllFeatures<Geometry, CommuneProperties>('communes', controller.signal).then((data) => {
      show('communes', data)
      panel.setCounts({ communes: data.features.length })
      fitToData(m, data)
    }),
    fetchAllFeatures<Point, VillageProperties>('villages', controller.signal).then((data) => {
      show('villages', data)
      panel.setCounts({ villages: data.features.length })
    }),
    fetchAllFeatures<Point, SiteProperties>('sites', controller.signal).then((data) => {
      show('sites', data)
      panel.setCounts({ sites: data.features.length })
    }),
    fetchAllFeatures<LineString | MultiLineString, FibreProperties>('fibre', controller.signal).then((data) => {
      show('fibre', data)
      panel.setCounts({ fibreKm: totalKm(data) })
    }),
    fetchAllFeatures<LineString | MultiLineString, PowerLineProperties>('power-lines', controller.signal).then((data) => {
      show('powerLines', data)
      panel.setCounts({ powerLinesKm: totalKm(data) })
    }),
  ]

  try {
    await Promise.all(tasks)
    // Wait until the new data are drawn.
    await new Promise<void>((resolve) => m.once('idle', () => resolve()))
    if (generation === loadGeneration) setState('ready')
  } catch (error) {
    controller.abort()
    if (generation !== loadGeneration) return
    const code = error instanceof ApiError ? `${error.path} → ${error.status || 'network'}` : String(error)
    console.warn('phusong: loading the map layers failed:', error)
    panel.showError(code)
    setState('error')
  }
}

function fitToData(m: MapLibreMap, data: FeatureCollection): void {
  const bounds = new LngLatBounds()
  const extend = (positions: unknown): void => {
    if (Array.isArray(positions) && typeof positions[0] === 'number') {
      bounds.extend([positions[0], positions[1] as number])
    } else if (Array.isArray(positions)) {
      for (const p of positions) extend(p)
    }
  }
  for (const f of data.features) {
    if (f.geometry && 'coordinates' in f.geometry) extend(f.geometry.coordinates)
  }
  if (bounds.isEmpty()) return
  const side = 12
  const canvas = m.getCanvas().getBoundingClientRect()
  const left = panel.coversMapLeft ? Math.round(panel.width) + 20 : side
  // Leave room for the zoom buttons on the right when there is room to spare.
  const right = canvas.width > 640 ? side + 40 : side
  // Keep the padding sane on small or odd viewports.
  const safeLeft = canvas.width - left - right > 200 ? left : side
  m.fitBounds(bounds, { padding: { top: side, bottom: side + 24, left: safeLeft, right }, animate: false })
}

/** Total length in km: `lengthKm` when the API gives it, else measured on the sphere. */
function totalKm(data: FeatureCollection<LineString | MultiLineString, { lengthKm: number | null }>): number {
  let sum = 0
  for (const f of data.features) {
    const km = f.properties?.lengthKm
    sum += typeof km === 'number' && Number.isFinite(km) ? km : measureKm(f)
  }
  return sum
}

function measureKm(f: Feature<LineString | MultiLineString | null>): number {
  if (!f.geometry) return 0
  const lines: Position[][] = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates
  const R = 6371.0088
  const rad = Math.PI / 180
  let km = 0
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [lon1 = 0, lat1 = 0] = line[i - 1] ?? []
      const [lon2 = 0, lat2 = 0] = line[i] ?? []
      const a =
        Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
        Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2
      km += 2 * R * Math.asin(Math.min(1, Math.sqrt(a)))
    }
  }
  return km
}

/**
 * The feature under a screen point: points and lines within HIT_TOLERANCE
 * (sites before villages before lines, nearest first), else the commune.
 */
function pickFeature(m: MapLibreMap, point: { x: number; y: number }): MapGeoJSONFeature | null {
  const layers = INTERACTIVE_LAYERS.filter((id) => id !== 'communes-fill' && m.getLayer(id))
  const box: [PointLike, PointLike] = [
    [point.x - HIT_TOLERANCE, point.y - HIT_TOLERANCE],
    [point.x + HIT_TOLERANCE, point.y + HIT_TOLERANCE],
  ]
  const near = m.queryRenderedFeatures(box, { layers: [...layers] })
  if (near.length > 0) {
    const rank = (f: MapGeoJSONFeature) => (INTERACTIVE_LAYERS as readonly string[]).indexOf(f.layer.id)
    const distance = (f: MapGeoJSONFeature) => {
      if (f.geometry.type !== 'Point') return 0
      const p = m.project(f.geometry.coordinates as [number, number])
      return Math.hypot(p.x - point.x, p.y - point.y)
    }
    near.sort((a, b) => rank(a) - rank(b) || distance(a) - distance(b))
    return near[0] ?? null
  }
  return m.queryRenderedFeatures([point.x, point.y], { layers: ['communes-fill'] })[0] ?? null
}

function originalProperties(f: MapGeoJSONFeature): Record<string, unknown> {
  const group = (Object.keys(LAYER_GROUPS) as LayerGroup[]).find((g) => LAYER_GROUPS[g].includes(f.layer.id))
  const id = f.id ?? (f.properties as { id?: string | number }).id
  return (group && id !== undefined && propertiesById[group].get(id)) || f.properties
}

function showPopup(kind: PopupKind, properties: Record<string, unknown>, lngLat: LngLatLike): void {
  if (!map) return
  popupState = { kind, properties, lngLat }
  popup.setLngLat(lngLat).setDOMContent(popupContent(kind, properties))
  if (!popup.isOpen()) popup.addTo(map)
  const close = popup.getElement()?.querySelector('.maplibregl-popup-close-button')
  close?.setAttribute('aria-label', t('closePopup'))
  close?.setAttribute('title', t('closePopup'))
}

function wireInteraction(m: MapLibreMap): void {
  let hovered: { source: string; id: string | number } | null = null
  const setHover = (f: MapGeoJSONFeature | null) => {
    const next = f && f.id !== undefined ? { source: f.source, id: f.id } : null
    if (hovered && next && hovered.source === next.source && hovered.id === next.id) return
    if (hovered) m.setFeatureState(hovered, { hover: false })
    hovered = next
    if (hovered) m.setFeatureState(hovered, { hover: true })
    m.getCanvas().style.cursor = f && f.layer.id !== 'communes-fill' ? 'pointer' : ''
  }
  m.on('mousemove', (e) => setHover(pickFeature(m, e.point)))
  m.on('mouseout', () => setHover(null))
  /** Opens the popup of the feature at a screen point, or closes it when there is none. */
  const describeAt = (point: { x: number; y: number }) => {
    const f = pickFeature(m, point)
    const kind = f ? POPUP_KIND_BY_LAYER[f.layer.id] : undefined
    if (!f || !kind) {
      popup.remove()
      return
    }
    const lngLat: LngLatLike =
      f.geometry.type === 'Point' ? (f.geometry.coordinates as [number, number]) : m.unproject([point.x, point.y])
    showPopup(kind, originalProperties(f), lngLat)
  }
  m.on('click', (e) => describeAt(e.point))
  // Keyboard: with the map focused (arrow keys pan, +/- zoom), Enter describes
  // what lies at the centre of the map.
  m.getCanvas().addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return
    const canvas = m.getCanvas().getBoundingClientRect()
    describeAt({ x: canvas.width / 2, y: canvas.height / 2 })
  })
  m.on('error', (e) => console.error('phusong: map error', e.error))
}

function renderedPoints(layerId: string): RenderedPoint[] {
  if (!map) return []
  const m = map
  const rect = m.getCanvas().getBoundingClientRect()
  const seen = new Set<string | number>()
  const out: RenderedPoint[] = []
  for (const f of m.queryRenderedFeatures({ layers: [layerId] })) {
    if (f.geometry.type !== 'Point' || f.id === undefined || seen.has(f.id)) continue
    seen.add(f.id)
    const p = m.project(f.geometry.coordinates as [number, number])
    const props = f.properties as { name?: string; code?: string }
    out.push({ layer: layerId, id: f.id, name: props.name ?? '', code: props.code ?? '', x: rect.left + p.x, y: rect.top + p.y })
  }
  return out
}
