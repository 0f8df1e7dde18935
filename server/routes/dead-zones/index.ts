import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../../errors/error-catalogue.ts'
import { findCommuneIdsByCodes } from '../../repositories/communes.repository.ts'
import { deadZones } from '../../services/dead-zones/dead-zones.service.ts'
import { resolveOperator } from '../../services/operator-refs.ts'
import { problems } from '../common/schemas.ts'
import { TechnologySchema } from '../sites/sites.schema.ts'

const MAX_COMMUNES = 20

const DeadZonesQuery = Type.Object({
  commune: Type.String({ minLength: 1, description: `Commune codes, comma-separated (at most ${MAX_COMMUNES})` }),
  operator: Type.Optional(Type.String({ description: 'Operator codes whose single-operator gaps are wanted, comma-separated' })),
  technology: Type.Optional(TechnologySchema),
})

const DeadZoneFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))) }),
  properties: Type.Object({
    commune: Type.String(),
    communeName: Type.String(),
    kind: Type.Union([Type.Literal('white'), Type.Literal('operator-gap')], { description: 'white: no operator predicted; operator-gap: this operator has no signal, another has' }),
    operator: Type.Union([Type.String(), Type.Null()]),
    areaKm2: Type.Number(),
    population: Type.Integer({ description: 'Population of the villages inside' }),
    villages: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), population: Type.Union([Type.Integer(), Type.Null()]) })),
  }),
})

const DeadZoneCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  runId: Type.Union([Type.Integer(), Type.Null()], { description: 'The coverage run the zones come from (null: no coverage computed yet)' }),
  features: Type.Array(DeadZoneFeature),
})

/** Dead zones inside communes: white zones and single-operator gaps (server/services/dead-zones/). */
const deadZonesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: {
      tags: ['coverage'],
      summary: 'White zones and single-operator gaps inside communes, with area, villages and population (GeoJSON)',
      querystring: DeadZonesQuery,
      response: { 200: DeadZoneCollection, ...problems(400, 503) },
    },
  }, async (req) => {
    const codes = [...new Set(req.query.commune.split(',').map((c) => c.trim()).filter((c) => c.length > 0))]
    if (codes.length === 0 || codes.length > MAX_COMMUNES) {
      throw new AppError('validation-failed', `commune: give 1 to ${MAX_COMMUNES} commune codes`, [{ field: 'commune', location: 'querystring', value: req.query.commune, reason: `1 to ${MAX_COMMUNES} codes` }])
    }
    const ids = await findCommuneIdsByCodes(app.db, codes)
    const unknown = codes.filter((c) => !ids.has(c))
    if (unknown.length > 0) {
      throw new AppError('unknown-reference', `commune: no commune has code ${unknown.join(', ')}`, unknown.map((c) => ({ field: 'commune', location: 'querystring', value: c, reason: 'unknown commune' })))
    }
    const operatorCodes = (req.query.operator ?? '').split(',').map((c) => c.trim()).filter((c) => c.length > 0)
    const operatorIds = await Promise.all(operatorCodes.map((c) => resolveOperator(app.db, c, 'operator')))
    const codeOf = new Map(operatorIds.map((id, i) => [id, operatorCodes[i]!]))
    const { runId, zones } = await deadZones(app.db, { communeIds: codes.map((c) => ids.get(c)!), operatorIds, technology: req.query.technology })
    return {
      type: 'FeatureCollection' as const,
      runId,
      features: zones.map((z) => ({
        type: 'Feature' as const,
        geometry: z.geometry,
        properties: {
          commune: z.communeCode, communeName: z.communeName, kind: z.kind, operator: z.operatorId === null ? null : codeOf.get(z.operatorId) ?? null,
          areaKm2: Math.round(z.areaKm2 * 1000) / 1000, population: z.population,
          villages: z.villages.map((v) => ({ code: v.code, name: v.name, population: v.population })),
        },
      })),
    }
  })
}

export default deadZonesRoutes
