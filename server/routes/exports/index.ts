import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { LAYER_NAMES, type LayerName } from '../../import/layer-definition.ts'
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, exportStream, type ExportFormat } from '../../services/export.service.ts'
import { parseBbox } from '../common/query-parsing.ts'
import { BboxQuery, CommuneCodeQuery, problems } from '../common/schemas.ts'

/** Export of a layer as GeoJSON, CSV (UTF-8 with BOM) or KML, for field surveys and spreadsheets. */
const exportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:layer', {
    schema: {
      tags: ['exports'],
      summary: 'Export a layer (whole or filtered) as a file',
      params: Type.Object({ layer: Type.String({ enum: [...LAYER_NAMES] }) }),
      querystring: Type.Object({
        format: Type.Optional(Type.String({ enum: [...EXPORT_FORMATS], default: 'geojson' })),
        ...BboxQuery,
        ...CommuneCodeQuery,
        status: Type.Optional(Type.String({ description: 'comma-separated statuses (sites, fibre, power lines)' })),
      }),
      response: { 200: Type.Unknown({ description: 'the file: GeoJSON, CSV (UTF-8 with BOM) or KML' }), ...problems(400, 503) },
    },
  }, async (req, reply) => {
    const layer = req.params.layer as LayerName
    const format = (req.query.format ?? 'geojson') as ExportFormat
    const filter = {
      bbox: parseBbox(req.query.bbox), commune: req.query.commune,
      status: req.query.status?.split(',').map((s) => s.trim()).filter(Boolean),
    }
    const date = new Date().toISOString().slice(0, 10)
    const ext = format === 'geojson' ? 'geojson' : format
    return reply
      .type(EXPORT_CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="phusong-${layer}${filter.commune ? `-${filter.commune}` : ''}-${date}.${ext}"`)
      .send(exportStream(app.db, layer, format, filter, req.viewer))
  })
}

export default exportsRoutes
