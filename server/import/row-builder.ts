import { ValueError } from './values.ts'
import type { FieldProblem } from './layer-definition.ts'

/**
 * Collects the parsed values of one record and every problem with them, so a
 * bad row reports all its faults at once (not just the first).
 */
export class RowBuilder {
  readonly problems: FieldProblem[] = []

  /**
   * Parses `value` of `field`; null when empty. `required` reports an empty
   * value; `min`/`max` bound numbers.
   */
  take<T>(field: string, value: unknown, parse: (v: unknown) => T | null, opts: { required?: boolean; min?: number; max?: number; label?: string } = {}): T | null {
    let parsed: T | null
    try {
      parsed = parse(value)
    } catch (err) {
      if (!(err instanceof ValueError)) throw err
      this.problems.push({ field, value, reason: err.message })
      return null
    }
    if (parsed === null) {
      if (opts.required) this.problems.push({ field, value: value ?? null, reason: `${opts.label ?? field} is missing` })
      return null
    }
    if (typeof parsed === 'number') {
      if (opts.min !== undefined && parsed < opts.min) this.problems.push({ field, value: parsed, reason: `must be at least ${opts.min}` })
      if (opts.max !== undefined && parsed > opts.max) this.problems.push({ field, value: parsed, reason: `must be at most ${opts.max}` })
    }
    return parsed
  }

  problem(field: string | undefined, value: unknown, reason: string): void {
    this.problems.push({ field, value, reason })
  }

  get ok(): boolean {
    return this.problems.length === 0
  }
}
