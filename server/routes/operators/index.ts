import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listOperatorSummaries } from '../../services/operators.service.ts'
import { Nullable, problems } from '../common/schemas.ts'

const Operator = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), mcc: Nullable(Type.Integer()), mnc: Nullable(Type.Integer()) })

/** Mobile network operators (MCC 452): reference data. */
const operatorsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: { tags: ['operators'], summary: 'List operators', response: { 200: Type.Object({ operators: Type.Array(Operator) }), ...problems(503) } },
  }, async () => ({ operators: await listOperatorSummaries(app.db) }))
}

export default operatorsRoutes
