import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { createMeasurements, deleteMeasurement, getMeasurementFeature, listMeasurementFeatures } from '../../services/measurements.service.ts'
import { pageOf, parseBbox, parseTimeBound } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { measurementBodyError } from './batch-errors.ts'
import { MeasurementCollection, MeasurementCreateBody, MeasurementFeature, MeasurementListQuery, MeasurementsCreated } from './measurements.schema.ts'

/** Field measurements (RSRP/RSRQ/SINR samples), observed data kept apart from predictions. */
const measurementsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['measurements'],
      summary: 'List measurements (GeoJSON Points), oldest first, filtered by bbox, operator, technology and time',
      querystring: MeasurementListQuery,
      response: { 200: MeasurementCollection, ...problems(400, 503) },
    },
  }, async (req) => {
    const q = req.query
    return listMeasurementFeatures(app.db, {
      bbox: parseBbox(q.bbox), operatorCode: q.operator, technology: q.technology, from: parseTimeBound(q.from, 'from')?.at, to: parseTimeBound(q.to, 'to'),
    }, pageOf(q))
  })

  app.get('/:id', {
    schema: { tags: ['measurements'], summary: 'One measurement', params: IdParams, response: { 200: MeasurementFeature, ...problems(404, 503) } },
  }, async (req) => getMeasurementFeature(app.db, req.params.id))

  app.post('/', {
    preHandler: app.requireWriter,
    // Errors of the body are named by item here (batch-errors.ts), not by the generic handler.
    attachValidation: true,
    schema: {
      tags: ['measurements'],
      summary: 'Add one measurement or a batch (all or nothing; errors name the item index and field)',
      body: MeasurementCreateBody,
      response: { 201: MeasurementsCreated, ...problems(400, 401, 403, 413, 503) },
    },
  }, async (req, reply) => {
    if (req.validationError) throw measurementBodyError(req.validationError, req.body)
    const body = req.body
    const result = body.type === 'Feature'
      ? await createMeasurements(app.db, [body], req.writeContext(), { fieldPrefix: () => '' })
      : await createMeasurements(app.db, body.features, req.writeContext(), { fieldPrefix: (i) => `features.${i}.` })
    if (result.ids.length === 1) reply.header('location', `/api/measurements/${result.ids[0]}`)
    return reply.status(201).send(result)
  })

  app.delete('/:id', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['measurements'], summary: 'Delete a measurement (kept in the audit log)', params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...problems(401, 403, 404, 503) },
    },
  }, async (req, reply) => {
    await deleteMeasurement(app.db, req.params.id, req.writeContext())
    return reply.status(204).send(null)
  })
}

export default measurementsRoutes
