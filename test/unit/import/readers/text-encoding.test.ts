import { describe, expect, it } from 'vitest'
import { cleanText, detectBom, findInvalidUtf8, guessEncoding, incompleteUtf8Tail, isBlank } from '../../../../server/import/readers/text-encoding.ts'
import { encodeWindows1258 } from '../../../fixtures/import/windows-1258.ts'

describe('text encodings', () => {
  it('recognises byte-order marks', () => {
    expect(detectBom(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', length: 3 })
    expect(detectBom(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toEqual({ encoding: 'utf-16le', length: 2 })
    expect(detectBom(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toEqual({ encoding: 'utf-16be', length: 2 })
    expect(detectBom(Buffer.from('abc'))).toBeNull()
  })

  it('calls a file blank when it holds only a BOM and white space, in UTF-8 or UTF-16', () => {
    expect(isBlank(Buffer.from('\ufeff \r\n\t', 'utf8'))).toBe(true)
    expect(isBlank(Buffer.from('\ufeff \r\n', 'utf16le'))).toBe(true)
    expect(isBlank(Buffer.from('\ufeff a', 'utf16le'))).toBe(false)
    expect(isBlank(Buffer.from(' x '))).toBe(false)
  })

  it('finds the first byte that is not UTF-8, and tells a character cut by a chunk boundary from a bad one', () => {
    const ok = Buffer.from('Bản Nà Tấu')
    expect(findInvalidUtf8(ok)).toBe(-1)
    expect(findInvalidUtf8(Buffer.concat([Buffer.from('Bản '), encodeWindows1258('Nà')]))).toBe(7)
    expect(findInvalidUtf8(Buffer.from([0xc0, 0x80]))).toBe(0) // overlong
    expect(findInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0) // surrogate
    const ends = Buffer.from('Xã Mường Bú Bản Tấ')
    const cut = ends.subarray(0, ends.length - 1) // 'ấ' is 3 bytes: two of them left
    expect(incompleteUtf8Tail(cut)).toBe(2)
    expect(findInvalidUtf8(cut, false)).toBe(-1)
    expect(findInvalidUtf8(cut, true)).toBe(cut.length - 2)
    expect(incompleteUtf8Tail(ok)).toBe(0)
  })

  it('guesses Windows-1258 for Vietnamese text from Windows', () => {
    const sample = encodeWindows1258('Mã bản,Tên bản,Xã\nMB01,Bản Nà Tấu,Mường Bú\nCN01,Bản Lả Mường,Chiềng Ngần\n')
    expect(guessEncoding(sample)?.encoding).toBe('windows-1258')
  })

  it('trims and composes text to NFC', () => {
    expect(cleanText('  Ba\u0309n Na\u0300 Tâ\u0301u ')).toBe('Bản Nà Tấu')
  })
})
