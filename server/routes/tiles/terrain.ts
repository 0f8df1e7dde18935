import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../../errors/error-catalogue.ts'
import { TERRAIN_MAX_ZOOM, TERRAIN_MIN_ZOOM, terrainTile } from '../../services/tiles/terrain-tiles.service.ts'
import { problems } from '../common/schemas.ts'

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 22, examples: [10] }),
  x: Type.Integer({ minimum: 0, examples: [807] }),
  y: Type.Integer({ minimum: 0, examples: [448] }),
})

/** Terrain tiles (Terrarium PNG) and their TileJSON, from the DEM in the data directory. */
const terrainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/terrain.json', {
    schema: { tags: ['tiles'], summary: 'TileJSON of the terrain tiles (raster-dem, Terrarium encoding)', response: { 200: Type.Object({}, { additionalProperties: true }) } },
  }, async (req) => {
    const base = `${req.protocol}://${req.host}`
    return {
      tilejson: '3.0.0', name: 'phusong terrain', scheme: 'xyz', encoding: 'terrarium', tileSize: 256,
      tiles: [`${base}/tiles/terrain/{z}/{x}/{y}.png`], minzoom: TERRAIN_MIN_ZOOM, maxzoom: TERRAIN_MAX_ZOOM,
      attribution: 'Elevation: NASA SRTM where real tiles are present; otherwise SYNTHETIC terrain (phusong sample: real 0.1° means + seeded detail)',
    }
  })

  app.get('/terrain/:z/:x/:y.png', {
    schema: {
      tags: ['tiles'],
      summary: 'A terrain tile: 256 × 256 PNG, Terrarium encoding (height = R·256 + G + B/256 − 32768 m); 204 where no DEM tile exists or outside zooms 5–14',
      params: TileParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 204: Type.Null(), 304: Type.Null(), ...problems(400, 503) },
    },
  }, async (req, reply) => {
    const { z, x, y } = req.params
    if (x >= 2 ** z || y >= 2 ** z) {
      throw new AppError('validation-failed', `x and y must be below 2^z = ${2 ** z}`, [{ field: x >= 2 ** z ? 'x' : 'y', location: 'params', value: x >= 2 ** z ? x : y, reason: `below ${2 ** z}` }])
    }
    if (z < TERRAIN_MIN_ZOOM || z > TERRAIN_MAX_ZOOM) return reply.code(204).send(null)
    const tile = await terrainTile(app.demStore, z, x, y)
    if (!tile) return reply.code(204).send(null)
    reply.header('etag', tile.etag).header('cache-control', 'public, max-age=3600')
    if (tile.synthetic) reply.header('x-phusong-dem', 'synthetic')
    if (req.headers['if-none-match'] === tile.etag) return reply.code(304).send(null)
    return reply.type('image/png').send(tile.png)
  })
}

export default terrainRoutes
