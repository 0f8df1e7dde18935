import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { applyCalibration, calibrationReport, listCalibrationDisagreements } from '../../services/calibration/calibration.service.ts'
import { problems } from '../common/schemas.ts'
import {
  AppliedCalibrationOffset, ApplyCalibrationBody, CalibrationQuery, CalibrationReport, Disagreements, DisagreementsQuery,
} from './calibration.schema.ts'

/**
 * Calibration of the current coverage run against field measurements: the
 * per-operator offset and error (fitted on the fly), applying an offset, and
 * where predictions and the field disagree most.
 */
const calibrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['calibration'],
      summary: 'Per-operator offset and prediction error against RSRP measurements (current run, fitted on the fly)',
      description: 'Error = measured − predicted. Before and after adding the fitted offset: n, mean, median, RMSE, share within ±6 dB. An offset fitted on fewer than `minPairs` pairs is shown but not applicable (`sufficient: false`, `reason`).',
      querystring: CalibrationQuery,
      response: { 200: CalibrationReport, ...problems(400, 404, 503) },
    },
  }, async (req) => calibrationReport(app.db, { technology: req.query.technology ?? '4G', method: req.query.method }))

  app.post('/apply', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['calibration'],
      summary: "Fit an operator's offset on the current run and store it as the applied one",
      description: 'One applied offset per technology, operator and model: the previous one is un-applied and kept. 422 when the operator has too few measurements with a prediction.',
      security: [{ adminToken: [] }],
      body: ApplyCalibrationBody,
      response: { 201: AppliedCalibrationOffset, ...problems(400, 401, 403, 404, 409, 422, 503) },
    },
  }, async (req, reply) => {
    const stored = await applyCalibration(app.db, { technology: req.body.technology ?? '4G', operator: req.body.operator, method: req.body.method }, req.writeContext())
    return reply.status(201).send(stored)
  })

  app.get('/disagreements', {
    schema: {
      tags: ['calibration'],
      summary: 'Where the current run and the field disagree most',
      description: 'The measurements with the largest |measured − predicted|, and the villages whose latest report says none where good is predicted, or good where none is.',
      querystring: DisagreementsQuery,
      response: { 200: Disagreements, ...problems(400, 404, 503) },
    },
  }, async (req) => listCalibrationDisagreements(app.db, { technology: req.query.technology ?? '4G', limit: req.query.limit ?? 20 }, req.viewer))
}

export default calibrationRoutes
