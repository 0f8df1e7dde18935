import type { FeatureCollection } from 'geojson'

/**
 * Writes a FeatureCollection as stable text: one feature per line (small diffs in git, easy to
 * grep), keys in the order the objects were built, a trailing newline. The same input always gives
 * the same bytes, which is what the determinism tests compare.
 */
export function serializeFeatureCollection(fc: FeatureCollection): string {
  if (fc.features.length === 0) return '{"type":"FeatureCollection","features":[]}\n'
  const lines = fc.features.map((f) => JSON.stringify(f))
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`
}
