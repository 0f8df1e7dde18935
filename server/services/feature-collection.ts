import type { Feature, Geometry } from 'geojson'
import type { Page } from '../repositories/paging.ts'

/** A GeoJSON FeatureCollection with OGC-style counts. */
export interface PagedFeatureCollection<P> {
  type: 'FeatureCollection'
  numberMatched: number
  numberReturned: number
  features: Array<Feature<Geometry, P> & { id: number }>
}

export function toFeature<P>(id: number, geometry: Geometry, properties: P): Feature<Geometry, P> & { id: number } {
  return { type: 'Feature', id, geometry, properties }
}

export function toFeatureCollection<R, P>(
  result: { rows: R[]; total: number },
  toFeatureOf: (row: R) => Feature<Geometry, P> & { id: number },
): PagedFeatureCollection<P> {
  return {
    type: 'FeatureCollection',
    numberMatched: result.total,
    numberReturned: result.rows.length,
    features: result.rows.map(toFeatureOf),
  }
}

export type { Page }
