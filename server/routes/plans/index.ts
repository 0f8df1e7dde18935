import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { toSearchForm } from '../../lib/search-form.ts'
import { EXPORT_CONTENT_TYPES, type ExportFormat } from '../../services/export.service.ts'
import { createPlan, exportPlan, getPlan, listPlanSummaries, patchPlan, removePlan } from '../../services/planning/plans.service.ts'
import { pageOf } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import { PlanCreateBody, PlanDetail, PlanExportQuery, PlanList, PlanListQuery, PlanPatchBody } from './plans.schema.ts'

/**
 * Planning scenarios (server/services/planning/plans.service.ts). Plans are an
 * operator's private work: every route needs the admin token until accounts
 * and planner roles exist (issue 8 scopes a planner to its operator's plans).
 */
const plansRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = { preHandler: app.requireWriter }

  app.get('/', {
    ...guard,
    schema: { tags: ['planning'], summary: 'List plans (scenarios), optionally of one operator', querystring: PlanListQuery, response: { 200: PlanList, ...problems(400, 401, 403, 503) } },
  }, async (req) => listPlanSummaries(app.db, { operatorCode: req.query.operator }, pageOf(req.query)))

  app.get('/:id', {
    ...guard,
    schema: { tags: ['planning'], summary: 'One plan with its proposed sites (GeoJSON)', params: IdParams, response: { 200: PlanDetail, ...problems(401, 403, 404, 503) } },
  }, async (req) => getPlan(app.db, req.params.id))

  app.post('/', {
    ...guard,
    schema: { tags: ['planning'], summary: 'Save a plan: a named set of proposed sites of one operator', body: PlanCreateBody, response: { 201: PlanDetail, ...problems(400, 401, 403, 409, 503) } },
  }, async (req, reply) => {
    const plan = await createPlan(app.db, req.body, req.writeContext())
    return reply.status(201).header('location', `${req.url.replace(/\/$/, '')}/${plan.id}`).send(plan)
  })

  app.patch('/:id', {
    ...guard,
    schema: { tags: ['planning'], summary: 'Rename a plan, change its description, or replace its sites', params: IdParams, body: PlanPatchBody, response: { 200: PlanDetail, ...problems(400, 401, 403, 404, 409, 503) } },
  }, async (req) => patchPlan(app.db, req.params.id, req.body, req.writeContext()))

  app.delete('/:id', {
    ...guard,
    schema: { tags: ['planning'], summary: 'Delete a plan', params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404, 503) } },
  }, async (req, reply) => {
    await removePlan(app.db, req.params.id, req.writeContext())
    return reply.code(204).send(null)
  })

  app.get('/:id/export', {
    ...guard,
    schema: {
      tags: ['planning'], summary: 'Export a plan\'s sites for the field survey: GeoJSON, KML or CSV',
      params: IdParams, querystring: PlanExportQuery,
      response: { 200: Type.Unknown({ description: 'the file' }), ...problems(400, 401, 403, 404, 503) },
    },
  }, async (req, reply) => {
    const format = (req.query.format ?? 'geojson') as ExportFormat
    const { stream, plan } = await exportPlan(app.db, req.params.id, format)
    const slug = toSearchForm(plan.name).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `plan-${plan.id}`
    return reply.type(EXPORT_CONTENT_TYPES[format]).header('content-disposition', `attachment; filename="phusong-plan-${slug}.${format}"`).send(stream)
  })
}

export default plansRoutes
