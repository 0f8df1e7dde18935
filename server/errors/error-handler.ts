import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, ERROR_CATALOGUE, problemType, type ErrorCode, type ProblemDetail } from './error-catalogue.ts'

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: ErrorCode
  instance: string
  errors?: ProblemDetail[]
}

/** Error codes PostgreSQL and network stacks give when the database cannot be reached. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006',
])

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null
  if (!e) return false
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true
  const message = typeof e.message === 'string' ? e.message : ''
  return /Connection terminated|Cannot use a pool after calling end|PGlite is closed|instance is already closed|driver has already been destroyed|connection timeout|timeout exceeded when trying to connect/i.test(message)
}

/**
 * Constraint violations that reach the database despite the checks in the
 * services (races, rules only the schema knows) are the client's fault: 4xx.
 * Both engines raise PostgreSQL errors with SQLSTATE `code`, `constraint` and `detail`.
 */
function fromDatabaseError(err: unknown): AppError | null {
  const e = err as { code?: unknown; constraint?: unknown; detail?: unknown; message?: unknown } | null
  if (!e || typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return null
  const constraint = typeof e.constraint === 'string' ? e.constraint : undefined
  const detail = typeof e.detail === 'string' ? e.detail : typeof e.message === 'string' ? e.message : ''
  switch (e.code) {
    case '23505': {
      const key = /Key \((.+?)\)=\((.*?)\)/.exec(detail)
      const field = key?.[1]
      return new AppError('duplicate-code', key ? `${field} ${key[2]} already exists` : 'already exists', [
        { field: field ?? constraint ?? 'code', value: key?.[2], reason: 'already exists' },
      ])
    }
    case '23503':
      return new AppError('unknown-reference', detail || 'a referenced object does not exist', [{ field: constraint ?? 'reference', reason: 'unknown reference' }])
    case '23514':
    case '23502':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new AppError('validation-failed', `${detail}${constraint ? ` (${constraint})` : ''}`, [{ field: constraint ?? 'value', reason: detail }])
    default:
      return null
  }
}

/** Maps any thrown error to the catalogue. 5xx details never reach the client. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  const fe = err as FastifyError & { validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>; validationContext?: string }
  if (fe?.validation) {
    const location = (fe.validationContext ?? 'body') as ProblemDetail['location']
    const errors = fe.validation.map((v) => {
      const missing = typeof v.params?.missingProperty === 'string' ? `/${v.params.missingProperty}` : ''
      const extra = typeof v.params?.additionalProperty === 'string' ? `/${v.params.additionalProperty}` : ''
      const field = `${v.instancePath}${missing}${extra}`.replace(/^\//, '').replace(/\//g, '.') || '(root)'
      return { location, field, reason: extra ? 'unknown property' : (v.message ?? 'invalid') }
    })
    const first = errors[0]
    return new AppError('validation-failed', first ? `${location} ${first.field}: ${first.reason}` : undefined, errors)
  }
  if (isDatabaseUnavailable(err)) return new AppError('database-unavailable', undefined, undefined, { cause: err })
  const fromDb = fromDatabaseError(err)
  if (fromDb) return fromDb
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload-too-large', fe.message)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported-media-type', fe.message)
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('validation-failed', fe.message)
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.statusCode === 429) return new AppError('rate-limited', fe.message)
    if (fe.statusCode === 413) return new AppError('payload-too-large', fe.message)
    return new AppError('validation-failed', fe.message)
  }
  return new AppError('internal-error', undefined, undefined, { cause: err })
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const problem: Problem = {
    type: problemType(error.code),
    title: ERROR_CATALOGUE[error.code].title,
    status: error.status,
    detail: error.status >= 500 ? ERROR_CATALOGUE[error.code].title : error.message,
    code: error.code,
    instance: request.url,
    ...(error.errors && error.status < 500 ? { errors: error.errors } : {}),
  }
  return reply.status(error.status).type('application/problem+json').send(problem)
}

/** Fastify error handler: logs server faults, answers problem+json. */
export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(err)
  if (appError.status >= 500) request.log.error({ err }, 'request failed')
  else request.log.info({ code: appError.code, detail: appError.message }, 'request rejected')
  return sendProblem(request, reply, appError)
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(request, reply, new AppError('route-not-found', `No route ${request.method} ${request.url.split('?')[0]}`))
}
