/**
 * Delimited text read as a stream of rows (csv-parse over fs.createReadStream),
 * shared by the CSV and OpenCelliD readers: the encoding is settled from the
 * first 64 KiB (BOM, UTF-8 check, or the encoding asked for), the rest of the
 * file is checked for UTF-8 as it streams, and every row carries its spreadsheet
 * row number (see SourcePosition).
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { isUtf8 } from 'node:buffer'
import { pipeline } from 'node:stream'
import { CsvError, parse, type Info } from 'csv-parse'
import { decode, decodeStream } from 'iconv-lite'
import {
  checkEncodingName, cleanText, detectBom, findInvalidUtf8, incompleteUtf8Tail, isBlank, lineOfByte, notUtf8Error, readHead,
} from './text-encoding.ts'
import { SourceFormatError, type ReaderOptions } from './types.ts'

const HEAD_BYTES = 64 * 1024
const CHUNK_BYTES = 256 * 1024
/** A row longer than this means an unclosed quote swallowed the file. */
const MAX_ROW_BYTES = 4 * 1024 * 1024

export interface TextPlan {
  /** Decode with iconv-lite from this encoding; undefined means UTF-8, checked as it streams. */
  decodeAs?: string
  /** The start of the file as text, BOM removed (for sniffing the delimiter and header). */
  headText: string
  notes: string[]
}

const CSV_WORDS = { noun: 'The CSV file', saveAs: '"CSV UTF-8" (Excel: File > Save As > CSV UTF-8 (comma delimited); LibreOffice: Character set Unicode (UTF-8))', optionHint: true }

/** Settles how to decode a text file from its first bytes; throws 'empty-file' or 'encoding'. */
export async function planText(path: string, options: ReaderOptions): Promise<TextPlan> {
  const [head, { size }] = await Promise.all([readHead(path, HEAD_BYTES), stat(path)])
  if (size <= head.length && isBlank(head)) throw new SourceFormatError('empty-file', 'The file is empty (no header, no rows)', { hint: 'Export the table again.' })
  const bom = detectBom(head)
  const notes: string[] = []
  if (options.encoding) {
    const decodeAs = checkEncodingName(options.encoding)
    notes.push(`text decoded from ${decodeAs} (as asked)`)
    return { decodeAs, headText: stripBom(decode(head.subarray(0, head.length - incompleteTailFor(head, decodeAs)), decodeAs)), notes }
  }
  if (bom && bom.encoding !== 'utf-8') {
    notes.push(`text is ${bom.encoding === 'utf-16le' ? 'UTF-16 little-endian' : 'UTF-16 big-endian'} (byte-order mark): decoded`)
    return { decodeAs: bom.encoding, headText: stripBom(decode(head.subarray(0, head.length & ~1), bom.encoding)), notes }
  }
  const cut = size > head.length ? head.length - incompleteUtf8Tail(head) : head.length
  const body = head.subarray(0, cut)
  if (!isUtf8(body)) {
    const at = findInvalidUtf8(body)
    throw notUtf8Error(CSV_WORDS, body, at, { line: lineInBuffer(body, at), byte: at })
  }
  if (bom) notes.push('UTF-8 with a byte-order mark (BOM)')
  return { headText: stripBom(body.toString('utf8')), notes }
}

function incompleteTailFor(head: Buffer, encoding: string): number {
  return /^utf-?8$/i.test(encoding) ? incompleteUtf8Tail(head) : /^utf-?16/i.test(encoding) ? head.length & 1 : 0
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function lineInBuffer(buf: Uint8Array, offset: number): number {
  let line = 1
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) line++
  return line
}

export interface Delimiter {
  char: string
  /** The first line was Excel's "sep=;" hint (not a header). */
  sepLine: boolean
  name: string
}

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'vertical bar' }

/** The delimiter of the header line: the most frequent of , ; tab | outside quotes (ties go to the comma). */
export function sniffDelimiter(headText: string): Delimiter {
  const lines = headText.split(/\r?\n/)
  const sep = /^sep=(.)\s*$/i.exec(lines[0] ?? '')
  if (sep) return { char: sep[1]!, sepLine: true, name: DELIMITER_NAMES[sep[1]!] ?? `'${sep[1]}'` }
  const header = lines.find((l) => l.trim() !== '') ?? ''
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 }
  let quoted = false
  for (const ch of header) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch in counts) counts[ch]!++
  }
  let best = ','
  for (const ch of [';', '\t', '|']) if (counts[ch]! > counts[best]!) best = ch
  return { char: best, sepLine: false, name: DELIMITER_NAMES[best]! }
}

/** Header cells → property names: trimmed, NFC; an empty name becomes 'column N', a repeated one gets ' (2)'. */
export function headerNames(cells: readonly string[], notes: string[]): string[] {
  const seen = new Set<string>()
  const renamed: string[] = []
  const names = cells.map((cell, i) => {
    let name = cleanText(cell)
    if (!name) {
      name = `column ${i + 1}`
      renamed.push(`column ${i + 1} has no name: called '${name}'`)
    }
    if (seen.has(name)) {
      let k = 2
      while (seen.has(`${name} (${k})`)) k++
      renamed.push(`column ${i + 1} repeats the name '${name}': called '${name} (${k})'`)
      name = `${name} (${k})`
    }
    seen.add(name)
    return name
  })
  notes.push(...renamed)
  return names
}

export interface CsvRow {
  cells: string[]
  /** Spreadsheet row (header = 1 when there is one; blank lines count). */
  row: number
  /** Line of the file where the row ends (differs from `row` after a multi-line cell). */
  line: number
}

/** The rows of the file, streamed; `close()` releases the file (also done when iteration stops). */
export function openCsvRows(path: string, delimiter: Delimiter, plan: TextPlan): { rows: AsyncGenerator<CsvRow, void, undefined>; close(): void } {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES })
  const parser = parse({
    delimiter: delimiter.char,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_ROW_BYTES,
    from_line: delimiter.sepLine ? 2 : 1,
  })
  // Errors reach the consumer through the parser's iterator; the callback only has to exist.
  if (plan.decodeAs) pipeline(file, decodeStream(plan.decodeAs), parser, () => {})
  else pipeline(file, utf8Guard(path), parser, () => {})
  const close = (): void => {
    parser.destroy()
    file.destroy()
  }
  async function* rows(): AsyncGenerator<CsvRow, void, undefined> {
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
        yield { cells: record, row: info.records + info.empty_lines, line: info.lines }
      }
    } catch (err) {
      throw csvError(err)
    } finally {
      close()
    }
  }
  return { rows: rows(), close }
}

/** Passes the bytes through, failing with an 'encoding' error at the first byte that is not UTF-8. */
function utf8Guard(path: string) {
  return async function* guard(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let offset = 0
    let carry: Buffer | undefined
    for await (const chunk of source) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk
      const tail = incompleteUtf8Tail(buf)
      const body = tail ? buf.subarray(0, buf.length - tail) : buf
      if (!isUtf8(body)) {
        const at = findInvalidUtf8(body)
        throw notUtf8Error(CSV_WORDS, body, at, { line: await lineOfByte(path, offset + at), byte: offset + at })
      }
      carry = tail ? Buffer.from(buf.subarray(buf.length - tail)) : undefined
      offset += body.length
      yield chunk
    }
    if (carry) throw notUtf8Error(CSV_WORDS, carry, 0, { line: await lineOfByte(path, offset), byte: offset })
  }
}

/** csv-parse's errors → SourceFormatError with the spreadsheet row. */
function csvError(err: unknown): unknown {
  if (!(err instanceof CsvError)) return err
  const records = typeof err.records === 'number' ? err.records : 0
  const empty = typeof err.empty_lines === 'number' ? err.empty_lines : 0
  const line = typeof err.lines === 'number' ? err.lines : undefined
  const position = { row: records + empty + 1, ...(line === undefined ? {} : { line }) }
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
    case 'CSV_MAX_RECORD_SIZE':
      return new SourceFormatError('bad-csv', 'A double quote (") opened in this row is never closed, so the rest of the file runs into one cell', {
        position, hint: 'Close the quote, or remove it. A quote inside a quoted cell is written twice ("").', cause: err,
      })
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new SourceFormatError('bad-csv', 'A quoted cell is followed by other characters before the next delimiter', {
        position, hint: 'A quote inside a quoted cell must be written twice (""). Fix that cell or export the table again.', cause: err,
      })
    default:
      return new SourceFormatError('bad-csv', `The CSV file cannot be read: ${err.message}`, { position, hint: 'Export the table again as CSV UTF-8.', cause: err })
  }
}
