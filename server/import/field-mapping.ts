import { toSearchForm } from '../lib/search-form.ts'

/**
 * Matches a file's own field names ("Tên bản", "Kinh độ", "POP_2019") to a
 * layer's canonical fields through alias lists, ignoring case, diacritics,
 * spaces and underscores. Unmatched source fields are kept as free attributes.
 */
export interface FieldSpec {
  /** Other names this field goes by in Vietnamese and English files. */
  aliases: readonly string[]
}

/** 'Tên_bản' → 'ten ban', 'operatorCode' → 'operator code'. */
const normalise = (name: string) => toSearchForm(name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' '))

export interface FieldMapping<K extends string> {
  /** canonical field → source field name */
  sourceOf: Partial<Record<K, string>>
  /** source fields that match no canonical field */
  unmatched: string[]
}

/**
 * `ignored`: source fields that are derived values of an export (ids, names
 * of referenced objects, lengths): they are neither mapped nor kept.
 */
export function mapFields<K extends string>(sourceFields: readonly string[], specs: Record<K, FieldSpec>, ignored: readonly string[] = []): FieldMapping<K> {
  const sourceOf: Partial<Record<K, string>> = {}
  const ignoredForms = new Set(ignored.map(normalise))
  const claimed = new Set<string>(sourceFields.filter((f) => ignoredForms.has(normalise(f))))
  const bySearchForm = new Map(sourceFields.map((f) => [normalise(f), f]))
  for (const [canonical, spec] of Object.entries(specs) as Array<[K, FieldSpec]>) {
    for (const name of [canonical, ...spec.aliases]) {
      const source = bySearchForm.get(normalise(name))
      if (source !== undefined && !claimed.has(source)) {
        sourceOf[canonical] = source
        claimed.add(source)
        break
      }
    }
  }
  return { sourceOf, unmatched: sourceFields.filter((f) => !claimed.has(f)) }
}
