import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { toSearchForm } from '../../lib/search-form.ts'
import { EXPORT_CONTENT_TYPES, type ExportFormat } from '../../services/export.service.ts'
import { createPlan, exportPlan, getPlan, listPlanSummaries, patchPlan, removePlan } from '../../services/planning/plans.service.ts'
import { pageOf } from '../common/query-parsing.ts'
import { IdParams, problems } from '../common/schemas.ts'
import type { Technology } from '../../db/database.ts'
import { comparePlans, evaluatePlan, type EvaluationOptions } from '../../services/planning/plan-evaluation.service.ts'
import {
  PlanCompareQuery, PlanComparisonSchema, PlanCreateBody, PlanDetail, PlanEvaluationQuery, PlanEvaluationSchema, PlanExportQuery, PlanList, PlanListQuery, PlanPatchBody,
} from './plans.schema.ts'

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

  app.get('/compare', {
    config: { expensive: true },
    ...guard,
    schema: {
      tags: ['planning'],
      summary: 'Plans side by side: one column per plan; sites, villages and population newly covered (in total and by commune), area, dead zone, cost, backhaul',
      description: 'Evaluates each plan as GET /api/plans/{id}/evaluation does (same cost and backhaul parameters). Rows by commune cover the union of '
        + 'the plans\' communes (0 where a plan changes nothing there). 400 for fewer than 2 or more than 6 ids or a repeated id; 404 for an unknown plan.',
      querystring: PlanCompareQuery,
      response: { 200: PlanComparisonSchema, ...problems(400, 401, 403, 404, 422, 503) },
    },
  }, async (req) => {
    const { ids, ...rest } = req.query
    return comparePlans(app.db, app.demStore, ids.split(',').map((x) => Number(x.trim())), evaluationOptions(rest))
  })

  app.get('/:id/evaluation', {
    config: { expensive: true },
    ...guard,
    schema: {
      tags: ['planning'],
      summary: "A plan's effect, cost and backhaul: villages and population newly covered (by commune), area, dead zone, cost per site, backhaul per site",
      description: "The plan's sites computed together on the current run exactly as a recompute with them added would (the several-site what-if, at "
        + "the run's radius by default); cost from a default model (million VND: 1500 per site, 150 per km of fibre to the nearest route, 400 per km "
        + 'of power line; each overridable, the answer lists the defaults used); backhaul: fibre within backhaulMaxFibreM (2 km), else the best '
        + 'microwave hop (Fresnel rule, 15 GHz, k = 4/3, 60 % of F1) to an existing fibre-fed site of the operator within 30 km. '
        + '404 for an unknown plan or before the first run; 422 no-terrain-data where no DEM covers a site.',
      params: IdParams,
      querystring: PlanEvaluationQuery,
      response: { 200: PlanEvaluationSchema, ...problems(400, 401, 403, 404, 422, 503) },
    },
  }, async (req) => evaluatePlan(app.db, app.demStore, req.params.id, evaluationOptions(req.query)))

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

function evaluationOptions(q: { technology?: string } & Omit<EvaluationOptions, 'technology'>): EvaluationOptions {
  return { ...q, technology: q.technology as Technology | undefined }
}

export default plansRoutes
