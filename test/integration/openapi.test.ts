import { beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CATALOGUE } from '../../server/errors/error-catalogue.ts'
import { createValidatorCompiler } from '../../server/lib/validator-compiler.ts'
import { Problem } from '../../server/routes/common/schemas.ts'
import { useAppOnWorld } from '../helpers/test-app.ts'

/**
 * The OpenAPI document at /docs/json (@fastify/swagger, built from the routes'
 * TypeBox schemas) and the UI at /docs. The document is built from static
 * schemas and does not depend on the database engine, so this file runs on the
 * embedded engine only.
 */

// ---- What the test holds fixed on purpose ---------------------------------------------------

/**
 * Every error code a client can see. Renaming or removing one breaks clients
 * that branch on `code`: this list fails on purpose when the catalogue changes.
 */
const STABLE_ERROR_CODES = [
  'validation-failed',
  'invalid-geometry',
  'outside-vietnam',
  'unknown-reference',
  'bbox-too-large',
  'import-rejected',
  'unreadable-file',
  'calibration-too-few-pairs',
  'no-terrain-data',
  'unauthorized',
  'writes-disabled',
  'not-found',
  'route-not-found',
  'method-not-allowed',
  'no-coverage-prediction',
  'duplicate-code',
  'coverage-run-in-progress',
  'coverage-run-finished',
  'coverage-run-not-cancellable',
  'payload-too-large',
  'unsupported-media-type',
  'rate-limited',
  'internal-error',
  'database-unavailable',
]


/**
 * Error responses documented with another body than problem+json: the health
 * check answers 503 with its own report (status and engine) so that probes can
 * read it.
 */
const NON_PROBLEM_ERRORS = new Set(['GET /health/ 503'])

/** Routes the app serves that are not part of the API: the web app and the docs UI itself. */
const UNDOCUMENTED = (path: string) => path === '/' || path === '/*' || path === '*' || path === '/docs' || path.startsWith('/docs/')

// ---- A little of OpenAPI 3.0 ----------------------------------------------------------------

type JsonSchema = Record<string, unknown>
interface Example { value: unknown }
interface Parameter { name: string; in: string; required?: boolean; schema?: JsonSchema; example?: unknown; examples?: Record<string, Example> }
interface Media { schema?: JsonSchema; example?: unknown; examples?: Record<string, Example> }
interface Operation {
  summary?: string
  tags?: string[]
  parameters?: Parameter[]
  requestBody?: { content: Record<string, Media> }
  responses: Record<string, { description: string; content?: Record<string, Media> }>
}
interface OpenApiDocument { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>> }

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options']

interface Op { key: string; method: string; path: string; op: Operation }

function operationsOf(doc: OpenApiDocument): Op[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([m, op]) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), path, op })))
}

/** The examples given with a parameter or a body, whichever way @fastify/swagger wrote them. */
function examplesOf(holder: { example?: unknown; examples?: Record<string, Example> }): unknown[] {
  return [
    ...(holder.example === undefined ? [] : [holder.example]),
    ...Object.values(holder.examples ?? {}).map((e) => e.value),
  ]
}

/** Every `example` inside a schema, with the subschema it belongs to. */
function nestedExamples(schema: unknown, where: string, out: { where: string; schema: JsonSchema; value: unknown }[] = []) {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => nestedExamples(s, `${where}[${i}]`, out))
  } else if (schema !== null && typeof schema === 'object') {
    const s = schema as JsonSchema
    if ('example' in s) out.push({ where, schema: s, value: s.example })
    for (const [k, v] of Object.entries(s)) {
      if (k !== 'example' && k !== 'default' && k !== 'enum' && k !== 'const') nestedExamples(v, `${where}.${k}`, out)
    }
  }
  return out
}

/** Paths ("GET /api/villages/{id}") of the routes the app registered, read from printRoutes(). */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = []
  const out: string[] = []
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1]!.length / 4
    stack.length = depth
    const path = stack.join('') + m[2]!
    stack.push(m[2]!)
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'HEAD')) {
      out.push(`${method} ${path}`)
    }
  }
  return out
}

/** Fastify path to the document's form: `:id` → `{id}`, no trailing slash. */
const normalisePath = (path: string) => (path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1'))


// ---- The tests ----------------------------------------------------------------------------

describe('OpenAPI document (embedded engine: the document does not depend on it)', () => {
  const ctx = useAppOnWorld('embedded')
  let doc: OpenApiDocument
  let ops: Op[]

  // The app's own validators: query and path values coerced, bodies strict.
  const compile = createValidatorCompiler()
  const validate = (schema: JsonSchema, value: unknown, httpPart: 'body' | 'querystring') => {
    const fn = compile({ schema, httpPart, method: 'GET', url: '/' }) as ((data: unknown) => boolean) & { errors?: unknown }
    const ok = fn(structuredClone(value))
    return ok ? null : fn.errors
  }

  beforeAll(async () => {
    const res = await ctx.app.inject('/docs/json')
    expect(res.statusCode).toBe(200)
    doc = res.json()
    ops = operationsOf(doc)
  })

  it('is OpenAPI 3.0.x and /docs serves the HTML UI', async () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/)
    expect(doc.info.title).toBe('phusong API')
    const ui = await ctx.app.inject('/docs')
    const page = ui.statusCode === 302 ? await ctx.app.inject(ui.headers.location as string) : ui
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
  })

  it('documents every route the app registered', () => {
    expect(ops.length).toBeGreaterThanOrEqual(55)
    const documented = new Set(ops.map((o) => `${o.method} ${normalisePath(o.path)}`))
    for (const key of ['GET /api/villages', 'POST /api/villages', 'GET /ogc/collections/{collectionId}/items', 'GET /tiles/{layer}/{z}/{x}/{y}.mvt']) {
      expect(documented, key).toContain(key)
    }
    const routes = registeredRoutes(ctx.app.printRoutes({ commonPrefix: false }))
      .filter((r) => !UNDOCUMENTED(r.split(' ')[1]!))
      .map((r) => { const [method, path] = r.split(' '); return `${method} ${normalisePath(path!)}` })
    expect(routes.length).toBeGreaterThanOrEqual(55)
    expect([...new Set(routes)].filter((r) => !documented.has(r)).sort()).toEqual([])
    expect([...documented].filter((r) => !routes.includes(r)).sort()).toEqual([])
  })

  it('gives every operation a summary, tags and a success response', () => {
    for (const { key, op } of ops) {
      expect(op.summary, key).toMatch(/\S/)
      expect(op.tags?.length ?? 0, key).toBeGreaterThan(0)
      expect(Object.keys(op.responses).some((s) => /^[23]\d\d$/.test(s)), key).toBe(true)
    }
  })

  it('has an example for every operation that takes parameters or a body', () => {
    const missing = ops.filter(({ op }) => {
      if (!op.parameters?.length && !op.requestBody) return false
      const inParams = (op.parameters ?? []).some((p) => examplesOf(p).length > 0 || nestedExamples(p.schema, '').length > 0)
      const inBody = Object.values(op.requestBody?.content ?? {}).some((m) => examplesOf(m).length > 0 || nestedExamples(m.schema, '').length > 0)
      return !inParams && !inBody
    }).map((o) => o.key)
    expect(missing).toEqual([])
  })

  it('has bodies with a whole example for every create and patch', () => {
    const withoutWholeExample = ops
      .filter(({ op }) => op.requestBody !== undefined)
      .filter(({ op }) => Object.entries(op.requestBody!.content).some(([type, m]) => type === 'application/json' && examplesOf(m).length === 0))
      .map((o) => o.key)
    expect(withoutWholeExample).toEqual([])
  })

  it('has only examples that validate against their own schema', () => {
    const failures: unknown[] = []
    let checked = 0
    for (const { key, op } of ops) {
      for (const p of op.parameters ?? []) {
        const wrapper = { type: 'object', properties: { [p.name]: p.schema ?? {} }, required: p.required ? [p.name] : [] }
        for (const value of examplesOf(p)) {
          checked++
          const errors = validate(wrapper, { [p.name]: value }, 'querystring')
          if (errors) failures.push({ key, parameter: p.name, value, errors })
        }
        for (const n of nestedExamples(p.schema, `${p.name}`)) {
          checked++
          const errors = validate(n.schema, n.value, 'querystring')
          if (errors) failures.push({ key, parameter: n.where, value: n.value, errors })
        }
      }
      const media = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => ({ where: `body ${type}`, m })),
        ...Object.entries(op.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, m]) => ({ where: `${status} ${type}`, m }))),
      ]
      for (const { where, m } of media) {
        if (!m.schema) continue
        for (const value of examplesOf(m)) {
          checked++
          const errors = validate(m.schema, value, 'body')
          if (errors) failures.push({ key, where, value, errors })
        }
        for (const n of nestedExamples(m.schema, where)) {
          checked++
          const errors = validate(n.schema, n.value, 'body')
          if (errors) failures.push({ key, where: n.where, value: n.value, errors })
        }
      }
    }
    expect(failures).toEqual([])
    expect(checked).toBeGreaterThan(50)
  })

  it('documents every error response as problem+json with a status from the catalogue', () => {
    const problemKeys = Object.keys(Problem.properties).sort()
    const catalogueStatuses = new Set<number>(Object.values(ERROR_CATALOGUE).map((e) => e.status))
    const wrong: string[] = []
    for (const { key, op } of ops) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(status) || NON_PROBLEM_ERRORS.has(`${key} ${status}`)) continue
        if (!catalogueStatuses.has(Number(status))) wrong.push(`${key} ${status}: no catalogue code has this status`)
        const media = Object.entries(response.content ?? {})
        if (media.length === 0) wrong.push(`${key} ${status}: no body`)
        for (const [type, m] of media) {
          if (type !== 'application/json' && type !== 'application/problem+json') wrong.push(`${key} ${status}: ${type}`)
          const props = Object.keys((m.schema?.properties ?? {}) as object)
          const required = [...((m.schema?.required ?? []) as string[])]
          if (!problemKeys.every((k) => props.includes(k))) wrong.push(`${key} ${status}: properties ${props.join(',')}`)
          if (!Problem.required.every((k: string) => required.includes(k))) wrong.push(`${key} ${status}: required ${required.join(',')}`)
        }
      }
    }
    expect(wrong).toEqual([])
  })

  it('keeps every error code of the catalogue stable', () => {
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...STABLE_ERROR_CODES].sort())
    for (const [code, { status }] of Object.entries(ERROR_CATALOGUE)) {
      expect(code, code).toMatch(/^[a-z]+(-[a-z]+)*$/)
      expect(status >= 400 && status < 600, code).toBe(true)
    }
  })

  it('answers an unknown route with a catalogue code as problem+json', async () => {
    const res = await ctx.app.inject('/api/no-such-route')
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ type: 'urn:phusong:problem:route-not-found', code: 'route-not-found', status: 404 })
  })
})
