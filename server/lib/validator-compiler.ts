import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchema, FastifySchemaCompiler } from 'fastify'

/**
 * Request validation with two Ajv instances. Query strings and path params
 * arrive as text, so they are coerced to the schema's types; JSON bodies are
 * validated as sent, never coerced (coercion would turn a `null` azimuth
 * into 0, or "12" into 12 without telling anyone).
 */
export function createValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const common = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false } as const
  const coercing = addFormats.default(new Ajv.default({ ...common, coerceTypes: 'array' }))
  const strictBody = addFormats.default(new Ajv.default({ ...common, coerceTypes: false }))
  return ({ schema, httpPart }) => (httpPart === 'body' ? strictBody : coercing).compile(schema)
}
