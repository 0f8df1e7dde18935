/**
 * Text encodings of the files people bring: byte-order marks, UTF-8 checks that
 * stream, a guess at what a non-UTF-8 file is (chardet), and the error that says
 * so in words a provincial staff member can act on. Vietnamese Excel exports are
 * often Windows-1258; older documents use the TCVN3 (ABC) font encoding.
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { analyse } from 'chardet'
import { encodingExists } from 'iconv-lite'
import { SourceFormatError, type SourceErrorPosition } from './types.ts'

export interface Bom {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be'
  length: number
}

export function detectBom(head: Uint8Array): Bom | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 }
  return null
}

/** True when the bytes are only a BOM and white space (in UTF-8 or UTF-16). */
export function isBlank(bytes: Uint8Array): boolean {
  const bom = detectBom(bytes)
  const start = bom?.length ?? 0
  const step = bom && bom.encoding !== 'utf-8' ? 2 : 1
  const low = bom?.encoding === 'utf-16be' ? 1 : 0
  for (let i = start; i < bytes.length; i += step) {
    const b = bytes[i + low]
    const other = step === 2 ? bytes[i + 1 - low] : 0
    if (other !== 0 || (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return false
  }
  return true
}

/** How many bytes at the end of `buf` start a UTF-8 character that the next chunk completes (0–3). */
export function incompleteUtf8Tail(buf: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const b = buf[buf.length - back]!
    if ((b & 0xc0) === 0x80) continue
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return need > back ? back : 0
  }
  return 0
}

/**
 * Index of the first byte that is not part of a valid UTF-8 character, or -1.
 * An incomplete character at the very end counts as invalid only when `final`.
 */
export function findInvalidUtf8(buf: Uint8Array, final = true): number {
  let i = 0
  while (i < buf.length) {
    const b = buf[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return i
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07)
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k]
      if (c === undefined) return final ? i : -1
      if ((c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return -1
}

/** True when the bytes before `end` contain at least one multi-byte UTF-8 character. */
function hasUtf8MultiByte(bytes: Uint8Array, end: number): boolean {
  for (let i = 0; i < end; i++) if (bytes[i]! >= 0xc2 && bytes[i]! <= 0xf4) return findInvalidUtf8(bytes.subarray(0, end), false) === -1
  return false
}

export interface EncodingGuess {
  /** A name iconv-lite and `--encoding` accept, e.g. 'windows-1258'. */
  encoding: string
  /** What to call it in a message. */
  label: string
}

const LABELS: Record<string, string> = {
  'windows-1258': 'Windows-1258 (Vietnamese; what Excel on a Vietnamese Windows saves as "CSV")',
  'windows-1252': 'Windows-1252 (Western European)',
  'iso-8859-1': 'ISO-8859-1 (Latin-1)',
  'utf-16le': 'UTF-16 little-endian ("Unicode Text" from Excel)',
  'utf-16be': 'UTF-16 big-endian',
}

/** A likely encoding for bytes that are not UTF-8 (chardet's best guess), or null. */
export function guessEncoding(sample: Uint8Array): EncodingGuess | null {
  const matches = analyse(sample).filter((m) => m.name !== 'UTF-8' && m.name !== 'ASCII')
  const best = matches[0]
  if (!best) return null
  const encoding = best.name.toLowerCase()
  return { encoding, label: LABELS[encoding] ?? best.name }
}

/** The name to decode with, checked; throws 'encoding' for a name iconv-lite does not know. */
export function checkEncodingName(name: string): string {
  const trimmed = name.trim()
  if (!encodingExists(trimmed)) {
    throw new SourceFormatError('encoding', `'${name}' is not a text encoding this importer knows`, {
      hint: 'Use a name such as windows-1258, windows-1252, utf-16le or utf-8.',
    })
  }
  return trimmed
}

/**
 * The error for text that is not UTF-8. `bytes` holds the start of the text (or the
 * part around the problem) with `invalidAt` the index in it of the first bad byte.
 */
export function notUtf8Error(what: { noun: string; saveAs: string; optionHint: boolean }, bytes: Uint8Array, invalidAt: number, position: SourceErrorPosition): SourceFormatError {
  const mixed = hasUtf8MultiByte(bytes, invalidAt)
  const byteHex = `0x${bytes[invalidAt]?.toString(16).toUpperCase().padStart(2, '0') ?? '??'}`
  const guess = guessEncoding(bytes.subarray(Math.max(0, invalidAt - 4096), invalidAt + 4096))
  const fix = what.optionHint ? ` or import it with the encoding option (--encoding ${guess?.encoding ?? 'windows-1258'} on the command line)` : ''
  if (mixed) {
    return new SourceFormatError('encoding', `${what.noun} mixes text encodings: it starts as UTF-8, but byte ${byteHex} here is not UTF-8${guess ? ` (that part looks like ${guess.label})` : ''}`, {
      position,
      hint: `Rows were probably pasted from a file in another encoding. Retype that text, or re-save the whole file as ${what.saveAs}.`,
    })
  }
  const probably = guess ? `it is probably ${guess.label}` : 'its encoding could not be recognised'
  const tcvn3 = guess && /^(windows-1252|iso-8859-1)$/.test(guess.encoding)
    ? ' If Vietnamese names look like "B¶n Nµ TÊu" once decoded, the text is in the old TCVN3 (ABC) font encoding: convert it to Unicode first (e.g. with the Unikey converter).'
    : ''
  return new SourceFormatError('encoding', `${what.noun} is not UTF-8 text (byte ${byteHex} is not UTF-8); ${probably}`, {
    position,
    hint: `Re-save it as ${what.saveAs}${fix}.${tcvn3}`,
  })
}

/** 1-based line of a byte offset in a file (counts LF bytes before it; read again on the error path only). */
export async function lineOfByte(path: string, offset: number): Promise<number> {
  if (offset <= 0) return 1
  let line = 1
  let seen = 0
  const stream = createReadStream(path, { end: offset - 1 })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let i = chunk.indexOf(0x0a)
      while (i !== -1) {
        line++
        i = chunk.indexOf(0x0a, i + 1)
      }
      seen += chunk.length
    }
  } finally {
    stream.destroy()
  }
  return seen > 0 ? line : 1
}

/** Reads up to `length` bytes from the start of a file. */
export async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buf = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buf, 0, length, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

const NON_ASCII = /[^\x00-\x7f]/

/** Trimmed and in Unicode NFC (legacy encodings and macOS give decomposed Vietnamese letters). */
export function cleanText(s: string): string {
  const t = s.trim()
  return NON_ASCII.test(t) ? t.normalize('NFC') : t
}

/** Property values as they should reach the pipeline: strings cleaned, the rest untouched. */
export function cleanProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(properties)) out[cleanText(key)] = typeof value === 'string' ? cleanText(value) : value
  return out
}
