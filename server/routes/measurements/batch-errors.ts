import { AppError, type ProblemDetail } from '../../errors/error-catalogue.ts'
import { toAppError } from '../../errors/error-handler.ts'
import { BODY_BRANCH } from './measurements.schema.ts'

interface AjvError { instancePath: string; schemaPath: string; keyword?: string; message?: string; params?: Record<string, unknown> }
const MAX_LISTED = 100

/**
 * The body schema is "a Feature or a FeatureCollection" (anyOf), so Ajv reports
 * the errors of both shapes. Keeps those of the shape the client sent (by its
 * `type`) and names the item of each: `feature` is its index in `features`
 * (0 for a lone Feature), `field` the path inside the body.
 */
export function measurementBodyError(error: Error & { validation?: AjvError[] }, body: unknown): AppError {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined
  if (type !== 'Feature' && type !== 'FeatureCollection') {
    return new AppError('validation-failed', "body: expected a GeoJSON Feature or FeatureCollection of measurements", [
      { field: 'type', location: 'body', value: type, reason: "must be 'Feature' or 'FeatureCollection'" },
    ])
  }
  const branch = `#/anyOf/${BODY_BRANCH[type]}/`
  const own = simplified((error.validation ?? []).filter((v) => v.schemaPath.startsWith(branch)))
  const base = toAppError(Object.assign(new Error(error.message), { validation: own, validationContext: 'body' }))
  const errors: ProblemDetail[] = (base.errors ?? []).map((e) => {
    const index = type === 'Feature' ? 0 : /^features\.(\d+)(\.|$)/.exec(e.field ?? '')?.[1]
    return index === undefined ? e : { feature: Number(index), ...e }
  })
  const first = errors[0]
  const where = first?.feature !== undefined ? `item ${first.feature}, ` : ''
  const refused = new Set(errors.map((e) => e.feature).filter((i) => i !== undefined)).size
  return new AppError('validation-failed', `${refused > 0 ? `${refused} measurements refused, nothing written; ` : ''}first: ${where}${first?.field ?? 'body'}: ${first?.reason ?? 'invalid'}`, errors.slice(0, MAX_LISTED))
}

/**
 * One reason per field where Ajv gives several for a union: `null` allowed
 * ("must be null") and "must match a schema in anyOf" are dropped when a more
 * telling reason remains, and a choice of constants becomes "must be one of …".
 */
function simplified(errors: readonly AjvError[]): AjvError[] {
  const groups = new Map<string, AjvError[]>()
  for (const e of errors) {
    const key = `${e.instancePath}|${String(e.params?.missingProperty ?? '')}|${String(e.params?.additionalProperty ?? '')}`
    const group = groups.get(key)
    if (group) group.push(e)
    else groups.set(key, [e])
  }
  const out: AjvError[] = []
  for (const group of groups.values()) {
    const isNull = (e: AjvError) => e.keyword === 'type' && e.params?.type === 'null'
    const consts = group.filter((e) => e.keyword === 'const')
    if (consts.length > 0) {
      const allowed = consts.map((e) => String(e.params?.allowedValue))
      out.push({ ...consts[0]!, message: `must be one of ${allowed.join(', ')}${group.some(isNull) ? ' or null' : ''}` })
      continue
    }
    const telling = group.filter((e) => e.keyword !== 'anyOf' && !isNull(e))
    out.push(...(telling.length > 0 ? telling : group))
  }
  return out
}
