/**
 * Drops the keys whose value is `undefined`, so a partial update sets only
 * what the caller gave (null stays: it clears a column).
 */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>
}
