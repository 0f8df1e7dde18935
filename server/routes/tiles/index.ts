import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../errors/error-catalogue.ts'
import { listOperators } from '../../repositories/operators.repository.ts'
import { mapStyle } from '../../services/tiles/map-style.ts'
import { isTileLayer } from '../../services/tiles/tile-layers.ts'
import { COMBINED, combinedTileJson, isValidTile, tileJson, type ServedTile } from '../../services/tiles/tiles.service.ts'
import { problems } from '../common/schemas.ts'
import { TileBytes, TileJson, TileJsonParams, TileParams, TileQuery } from './tiles.schema.ts'

const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile'
/**
 * Browsers and proxies keep a tile a minute, then revalidate with its ETag
 * (304 when unchanged). The server's own cache is exact: a change to the data
 * under a tile drops it at once (services/tiles/tiles.service.ts).
 */
const TILE_CACHE_CONTROL = 'public, max-age=60'

function layerOr404(layer: string) {
  if (layer === COMBINED) return COMBINED
  if (!isTileLayer(layer)) throw new AppError('not-found', `No tile layer named ${layer}`)
  return layer
}

function sendTile(req: FastifyRequest, reply: FastifyReply, tile: ServedTile) {
  reply.header('cache-control', TILE_CACHE_CONTROL).header('x-cache', tile.cached ? 'hit' : 'miss')
  if (tile.bytes.byteLength === 0) return reply.code(204).send(null)
  reply.header('etag', tile.etag)
  const inm = req.headers['if-none-match']
  if (inm !== undefined && inm.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === tile.etag || t === '*')) {
    return reply.code(304).send(null)
  }
  return reply.type(MVT_CONTENT_TYPE).send(Buffer.from(tile.bytes.buffer, tile.bytes.byteOffset, tile.bytes.byteLength))
}

/**
 * Vector tiles of the public layers (server/services/tiles/): encoded by
 * ST_AsMVT on the PostGIS server, by @maplibre/vt-pbf in Node on the
 * embedded engine; `public` is every layer in one tile. Tiles are public
 * (the same for every viewer): only what the public may see is in them.
 * Empty tiles and zooms outside a layer's range: 204 No Content.
 */
const tilesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Operator codes (reference data): read again only when a code is not among them.
  let operatorCodes = new Set<string>()
  async function checkOperator(code: string): Promise<void> {
    if (code === 'any' || operatorCodes.has(code)) return
    operatorCodes = new Set((await listOperators(app.db)).map((o) => o.code))
    if (!operatorCodes.has(code)) throw new AppError('not-found', `No operator with code ${code}`)
  }

  app.get('/:layer/:z/:x/:y.mvt', {
    schema: {
      tags: ['tiles'],
      summary: 'One vector tile of a layer, or of every layer (`public`); 204 when empty or outside the layer\'s zooms',
      params: TileParams,
      querystring: TileQuery,
      response: { 200: TileBytes, 204: Type.Null({ description: 'Empty tile' }), 304: Type.Null({ description: 'Not modified (If-None-Match)' }), ...problems(400, 404, 503) },
    },
  }, async (req, reply) => {
    const layer = layerOr404(req.params.layer)
    const { z, x, y } = req.params
    if (!isValidTile(z, x, y)) {
      throw new AppError('validation-failed', `No tile ${z}/${x}/${y}: x and y must be below 2^z`, [{ field: 'x', location: 'params', value: `${z}/${x}/${y}`, reason: 'outside the tile pyramid' }])
    }
    const { operator } = req.query
    if (operator !== undefined) {
      if (layer !== 'coverage-4g') {
        throw new AppError('validation-failed', `operator: only the coverage-4g layer is per operator`, [{ field: 'operator', location: 'querystring', value: operator, reason: 'coverage-4g only' }])
      }
      await checkOperator(operator)
    }
    return sendTile(req, reply, await app.tiles.tile(layer, z, x, y, { operator }))
  })

  app.get('/public.json', {
    schema: {
      tags: ['tiles'],
      summary: 'TileJSON 3.0.0 of the combined source: every public layer in one vector tile',
      response: { 200: TileJson, ...problems(503) },
    },
  }, async (req) => combinedTileJson(app.db, `${req.protocol}://${req.host}${app.prefix}/${COMBINED}/{z}/{x}/{y}.mvt`))

  app.get('/style.json', {
    schema: {
      tags: ['tiles'],
      summary: 'A MapLibre style over phusong\'s own tiles only (public layers and hillshade from the terrain tiles)',
      response: { 200: Type.Object({ version: Type.Literal(8) }, { additionalProperties: true }) },
    },
  }, async (req) => mapStyle(`${req.protocol}://${req.host}`))

  app.get('/:layer.json', {
    schema: {
      tags: ['tiles'],
      summary: 'TileJSON 3.0.0 of a layer: tile URL template, zooms, bounds, fields',
      params: TileJsonParams,
      response: { 200: TileJson, ...problems(404, 503) },
    },
  }, async (req) => {
    const layer = layerOr404(req.params.layer)
    const url = `${req.protocol}://${req.host}${app.prefix}/${layer}/{z}/{x}/{y}.mvt`
    return layer === COMBINED ? combinedTileJson(app.db, url) : tileJson(app.db, layer, url)
  })
}

export default tilesRoutes
