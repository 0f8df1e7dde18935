/**
 * The one catalogue of errors a client can see. Each code has a fixed HTTP
 * status and a default message; responses are problem+json (RFC 9457) with
 * `type` = `urn:phusong:problem:<code>` and the code repeated in `code`.
 */
export const ERROR_CATALOGUE = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'invalid-geometry': { status: 400, title: 'The geometry is not valid' },
  'outside-vietnam': { status: 400, title: 'Coordinates are outside Vietnam' },
  'unknown-reference': { status: 400, title: 'A referenced object does not exist' },
  'bbox-too-large': { status: 400, title: 'The bounding box is too large' },
  'import-rejected': { status: 422, title: 'The file was not imported' },
  'unreadable-file': { status: 422, title: 'The file cannot be read' },
  'calibration-too-few-pairs': { status: 422, title: 'Too few measurements to apply a calibration' },
  'no-terrain-data': { status: 422, title: 'No elevation data here' },
  'unauthorized': { status: 401, title: 'Authentication required' },
  'writes-disabled': { status: 403, title: 'Writing is disabled on this server' },
  'not-found': { status: 404, title: 'Not found' },
  'route-not-found': { status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'no-coverage-prediction': { status: 404, title: 'No coverage is predicted here' },
  'duplicate-code': { status: 409, title: 'An object with this code already exists' },
  'coverage-run-in-progress': { status: 409, title: 'A coverage recompute is already running' },
  'coverage-run-finished': { status: 409, title: 'The coverage run has already finished' },
  'coverage-run-not-cancellable': { status: 409, title: 'The coverage run is not running in this server' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'database-unavailable': { status: 503, title: 'The database is unavailable' },
} as const

export type ErrorCode = keyof typeof ERROR_CATALOGUE

/** One problem in a request: where (field path, row or feature) and why. */
export interface ProblemDetail {
  field?: string
  location?: 'body' | 'querystring' | 'params' | 'headers'
  feature?: number
  row?: number
  value?: unknown
  reason: string
}

/** An error that reaches the client as problem+json. */
export class AppError extends Error {
  override name = 'AppError'
  readonly code: ErrorCode
  readonly status: number
  readonly errors: ProblemDetail[] | undefined

  constructor(code: ErrorCode, detail?: string, errors?: ProblemDetail[], options?: { cause?: unknown }) {
    super(detail ?? ERROR_CATALOGUE[code].title, options)
    this.code = code
    this.status = ERROR_CATALOGUE[code].status
    this.errors = errors
  }
}

export function problemType(code: ErrorCode): string {
  return `urn:phusong:problem:${code}`
}
