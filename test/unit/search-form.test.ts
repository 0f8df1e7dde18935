import { describe, expect, it } from 'vitest'
import { toSearchForm } from '../../server/lib/search-form.ts'

describe('toSearchForm', () => {
  it.each([
    ['Bản Nà Tấu', 'ban na tau'],
    ['Đồng Văn', 'dong van'],
    ['Mường Lèo', 'muong leo'],
    ['Tổ dân phố 3', 'to dan pho 3'],
    ['  Huổi   Một ', 'huoi mot'],
    ['XÃ CHIỀNG SƠN', 'xa chieng son'],
    // Precomposed (NFC) and decomposed (NFD) input give the same form.
    ['Chi\u1EC1ng', 'chieng'],
    ['Chie\u0302\u0300ng', 'chieng'],
  ])('%s → %s', (name, expected) => {
    expect(toSearchForm(name)).toBe(expected)
  })
})
