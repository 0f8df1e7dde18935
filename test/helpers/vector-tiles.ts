import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'

// Decoding vector tiles in tests, with the parser MapLibre's own tools use.

/** The web mercator tile containing a WGS84 point. */
export function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z
  const x = Math.floor(((lon + 180) / 360) * n)
  const r = (lat * Math.PI) / 180
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
  return [z, x, y]
}

export function decode(bytes: Uint8Array): VectorTile {
  return new VectorTile(new PbfReader(bytes))
}

export interface Decoded { id: number | undefined; type: number; properties: Record<string, unknown>; bbox: number[]; ringAreas: number[] }

/** Signed area of each ring in tile units (the spec's surveyor's formula: exterior rings positive). */
function ringAreas(rings: { x: number; y: number }[][]): number[] {
  return rings.map((r) => r.reduce((sum, p, i) => { const q = r[(i + 1) % r.length]!; return sum + (p.x * q.y - q.x * p.y) }, 0) / 2)
}

export function features(layer: VectorTileLayer | undefined): Decoded[] {
  if (!layer) return []
  const out: Decoded[] = []
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i)
    out.push({ id: f.id, type: f.type, properties: { ...f.properties }, bbox: f.bbox(), ringAreas: f.type === 3 ? ringAreas(f.loadGeometry()) : [] })
  }
  // By id; features without one (coverage) by their attributes and extent.
  const rest = (f: Decoded) => JSON.stringify([f.properties, f.bbox])
  return out.sort((a, b) => (a.id ?? 0) - (b.id ?? 0) || rest(a).localeCompare(rest(b)))
}
