/**
 * The diacritic-free, lower-case form of a Vietnamese name used for search:
 * "Bản Nà Tấu" → "ban na tau", "Đồng Văn" → "dong van". People on phones
 * type names without diacritics; both the stored names and the typed query
 * go through this function.
 */
export function toSearchForm(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}
