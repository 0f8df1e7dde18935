import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  createVillageReport, deleteReport, getReport, listReports, listVillageReports, patchReport,
} from '../../services/status-reports.service.ts'
import { pageOf, parseEnumList } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { REPORT_SOURCES, Report, ReportCreateBody, ReportList, ReportListQuery, ReportPatchBody, VillageReportListQuery } from './reports.schema.ts'

/**
 * Field status reports (observed, kept apart from predictions). Mounted at
 * `/api`: the reports of a village live under `/api/villages/{id}/reports`,
 * every report under `/api/reports`.
 */
const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/villages/:id/reports', {
    schema: {
      tags: ['reports'], summary: 'The status reports of a village, latest first', params: IdParams, querystring: VillageReportListQuery,
      response: { 200: ReportList, ...problems(400, 404, 503) },
    },
  }, async (req) => listVillageReports(app.db, req.params.id, pageOf(req.query), req.viewer))

  app.post('/villages/:id/reports', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['reports'], summary: 'Record a status report for a village', params: IdParams, body: ReportCreateBody,
      response: { 201: Report, ...problems(400, 401, 403, 404, 503) },
    },
  }, async (req, reply) => {
    const report = await createVillageReport(app.db, req.params.id, req.body, req.writeContext())
    return reply.status(201).header('location', `/api/reports/${report.id}`).send(report)
  })

  app.get('/reports', {
    schema: {
      tags: ['reports'], summary: 'Status reports, latest first, filtered by commune, village, dates, source or verification', querystring: ReportListQuery,
      response: { 200: ReportList, ...problems(400, 503) },
    },
  }, async (req) => {
    const q = req.query
    return listReports(app.db, {
      commune: q.commune, village: q.village, from: q.from, to: q.to, source: parseEnumList(q.source, REPORT_SOURCES, 'source'), verified: q.verified,
    }, pageOf(q), req.viewer)
  })

  app.get('/reports/:id', {
    schema: { tags: ['reports'], summary: 'One status report', params: IdParams, response: { 200: Report, ...problems(404, 503) } },
  }, async (req) => getReport(app.db, req.params.id, req.viewer))

  app.patch('/reports/:id', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['reports'], summary: 'Change some fields of a report (e.g. verify it: {"verified": true})', params: IdParams, body: ReportPatchBody,
      response: { 200: Report, ...problems(400, 401, 403, 404, 503) },
    },
  }, async (req) => patchReport(app.db, req.params.id, req.body, req.writeContext()))

  app.delete('/reports/:id', {
    preHandler: app.requireWriter,
    schema: {
      tags: ['reports'], summary: 'Delete a report (kept in the audit log)', params: IdParams,
      response: { 204: Type.Null({ description: 'Deleted' }), ...problems(401, 403, 404, 503) },
    },
  }, async (req, reply) => {
    await deleteReport(app.db, req.params.id, req.writeContext())
    return reply.status(204).send(null)
  })
}

export default reportsRoutes
