import { Type } from 'typebox'
import { MAX_TILE_ZOOM, TILE_LAYER_NAMES } from '../../services/tiles/tile-layers.ts'

const layerDescription = `Layer: ${TILE_LAYER_NAMES.join(', ')}, or public (every layer in one tile)`

export const TileParams = Type.Object({
  layer: Type.String({ description: layerDescription, examples: ['communes'] }),
  z: Type.Integer({ minimum: 0, maximum: MAX_TILE_ZOOM, description: `Zoom (0–${MAX_TILE_ZOOM})`, examples: [12] }),
  x: Type.Integer({ minimum: 0, description: 'Column (0 to 2^z − 1)', examples: [3229] }),
  y: Type.Integer({ minimum: 0, description: 'Row from the north (0 to 2^z − 1)', examples: [1793] }),
})

export const TileQuery = Type.Object({
  operator: Type.Optional(Type.String({
    pattern: '^[a-z0-9_-]{1,32}$',
    description: 'coverage-4g only: one operator\'s coverage by code, or `any` (the best of all operators; the default)',
    examples: ['viettel'],
  })),
})

export const TileJsonParams = Type.Object({
  layer: Type.String({ description: layerDescription, examples: ['villages'] }),
})

export const TileBytes = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'Mapbox Vector Tile 2.1 (application/vnd.mapbox-vector-tile), one layer named as the path (every public layer for `public`)' })

export const TileJson = Type.Object({
  tilejson: Type.Literal('3.0.0'),
  name: Type.String(),
  description: Type.String(),
  scheme: Type.Literal('xyz'),
  tiles: Type.Array(Type.String()),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  bounds: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  center: Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }),
  vector_layers: Type.Array(Type.Object({
    id: Type.String(),
    description: Type.String(),
    minzoom: Type.Integer(),
    maxzoom: Type.Integer(),
    fields: Type.Record(Type.String(), Type.String()),
  })),
})
