import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import { indicatorExport, type IndicatorExportFormat } from '../../services/indicators/indicator-export.service.ts'
import { todayInVietnam } from '../../lib/vietnam-time.ts'
import { communeVillages, indicatorReport, type IndicatorRequest } from '../../services/indicators/indicator-report.service.ts'
import type { Viewer } from '../../services/access/viewer.ts'
import { REPORT_SOURCES } from '../../services/village-status/official-status.ts'
import { parseEnumList } from '../common/query-parsing.ts'
import { problems } from '../common/schemas.ts'
import {
  CommuneVillagesSchema, IndicatorExportQuery, IndicatorExportResponse, IndicatorQuery, IndicatorReportSchema, VillageIndicatorQuery,
} from './indicators.schema.ts'

type Query = Partial<Static<typeof IndicatorQuery>>

/** The query string as an indicators request: the commune list split, the trusted sources checked. */
function requestOf(q: Query, viewer: Viewer): IndicatorRequest {
  return {
    province: q.province, communes: q.commune?.split(','), date: q.date, since: q.since, technology: q.technology, operator: q.operator,
    fibreDistanceM: q.fibreDistanceM, reportMaxAgeDays: q.reportMaxAgeDays, requireVerified: q.requireVerified,
    trustedSources: parseEnumList(q.trustedSources, REPORT_SOURCES, 'trustedSources'), viewer,
  }
}

/**
 * The indicators provincial staff report upward (villages by official status,
 * population covered, villages without grid power, communes reached by fibre),
 * each with its denominator and what it rests on, as JSON and as CSV/XLSX.
 */
const indicatorsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['indicators'],
      summary: 'Indicators per commune and in total, for a province, some communes or every commune, on a date',
      description: 'Each figure gives its denominator (villages, population, communes, villages with known grid power) and, for village counts, how many rest on a field report and how many on the prediction. 400 unknown-reference names an unknown province, commune or operator.',
      querystring: IndicatorQuery,
      response: { 200: IndicatorReportSchema, ...problems(400, 503) },
    },
  }, async (req) => indicatorReport(app.db, requestOf(req.query, req.viewer)))

  app.get('/villages', {
    schema: {
      tags: ['indicators'],
      summary: 'Every village of a commune with its predicted class and RSRP, observed status, official status, basis and the report used',
      querystring: VillageIndicatorQuery,
      response: { 200: CommuneVillagesSchema, ...problems(400, 503) },
    },
  }, async (req) => {
    const q = req.query
    return communeVillages(app.db, { ...requestOf({ ...q, commune: undefined }, req.viewer), communes: [q.commune] })
  })

  app.get('/export', {
    config: { expensive: true },
    schema: {
      tags: ['indicators'],
      summary: 'Download the indicators as XLSX (summary sheet "Tổng hợp" and a sheet per commune) or CSV (the summary table)',
      description: 'Same parameters as GET /api/indicators. Vietnamese headings as provincial reports write them; every share names its denominator.',
      querystring: IndicatorExportQuery,
      response: { 200: IndicatorExportResponse, ...problems(400, 503) },
    },
  }, async (req, reply) => {
    const format = (req.query.format ?? 'xlsx') as IndicatorExportFormat
    const file = await indicatorExport(app.db, requestOf(req.query, req.viewer), format, todayInVietnam())
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body)
  })
}

export default indicatorsRoutes
