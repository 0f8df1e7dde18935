/**
 * A raster in ESRI ASCII grid form, in memory.
 *
 * Units are those of the file: for the bundled DEMs, x/y in degrees (WGS84 lon/lat) and values in
 * metres above sea level.
 */
export interface AsciiGrid {
  ncols: number
  nrows: number
  /** x of the west edge of the grid (the lower-left corner of the lower-left cell). */
  xllcorner: number
  /** y of the south edge of the grid (the lower-left corner of the lower-left cell). */
  yllcorner: number
  /** cell width and height, same unit as x/y. */
  cellsize: number
  /** the NODATA_value of the file (ESRI's default -9999 when the header has none). */
  nodata: number
  /** ncols × nrows values, row-major, row 0 = north; NODATA cells hold NaN. */
  values: Float32Array
}

const REQUIRED_KEYS = ['ncols', 'nrows', 'cellsize'] as const

/**
 * Parses an ESRI ASCII grid (`.asc`): a header of `key value` lines (ncols, nrows,
 * xllcorner/yllcorner or xllcenter/yllcenter, cellsize, optional NODATA_value; keys are
 * case-insensitive) followed by nrows × ncols numbers, north row first. A `*center` origin is turned
 * into the corner form. Values may be laid out on lines in any way as long as the total is right.
 *
 * Used to load the bundled coarse DEM (`data/dem/*.asc`) for the sample generator and smoke tests.
 * Throws an Error naming the line and what was wrong on malformed input.
 */
export function parseAsciiGrid(text: string): AsciiGrid {
  const lines = text.split(/\r?\n/)
  const header = new Map<string, { value: number; line: number }>()
  let i = 0
  for (; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim()
    if (raw === '') continue
    const tokens = raw.split(/\s+/)
    const key = (tokens[0] ?? '').toLowerCase()
    if (/^[-+]?(\d|\.\d)/.test(key)) break // first data line
    const lineNo = i + 1
    if (!/^[a-z_]+$/.test(key)) throw new Error(`line ${lineNo}: expected a header key, got '${tokens[0]}'`)
    if (!['ncols', 'nrows', 'xllcorner', 'yllcorner', 'xllcenter', 'yllcenter', 'cellsize', 'nodata_value'].includes(key)) {
      throw new Error(`line ${lineNo}: unknown header key '${tokens[0]}'`)
    }
    if (tokens.length !== 2) throw new Error(`line ${lineNo}: header '${tokens[0]}' needs exactly one value, got ${tokens.length - 1}`)
    const value = Number(tokens[1])
    if (!Number.isFinite(value)) throw new Error(`line ${lineNo}: header '${tokens[0]}' value '${tokens[1]}' is not a number`)
    if (header.has(key)) throw new Error(`line ${lineNo}: header '${tokens[0]}' given twice`)
    header.set(key, { value, line: lineNo })
  }
  const headerEnd = i + 1

  for (const key of REQUIRED_KEYS) {
    if (!header.has(key)) throw new Error(`line ${headerEnd}: header has no '${key}' before the values start`)
  }
  const get = (key: string): { value: number; line: number } | undefined => header.get(key)
  const ncols = get('ncols')!
  const nrows = get('nrows')!
  const cellsize = get('cellsize')!
  for (const dim of [ncols, nrows]) {
    if (!Number.isInteger(dim.value) || dim.value < 1) {
      throw new Error(`line ${dim.line}: ncols/nrows must be a positive integer, got ${dim.value}`)
    }
  }
  if (!(cellsize.value > 0)) throw new Error(`line ${cellsize.line}: cellsize must be positive, got ${cellsize.value}`)

  const x = originOf(header, 'x', headerEnd, cellsize.value)
  const y = originOf(header, 'y', headerEnd, cellsize.value)
  const nodata = get('nodata_value')?.value ?? -9999

  const expected = ncols.value * nrows.value
  const values = new Float32Array(expected)
  let n = 0
  let firstOddLine: { line: number; count: number } | null = null
  for (; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim()
    if (raw === '') continue
    const tokens = raw.split(/\s+/)
    const lineNo = i + 1
    if (tokens.length !== ncols.value && firstOddLine === null) firstOddLine = { line: lineNo, count: tokens.length }
    for (const token of tokens) {
      const v = Number(token)
      if (!Number.isFinite(v)) throw new Error(`line ${lineNo}: value '${token}' is not a number`)
      if (n >= expected) {
        throw new Error(
          `line ${lineNo}: more values than ${nrows.value} rows × ${ncols.value} columns = ${expected}` +
            oddLineHint(firstOddLine, ncols.value),
        )
      }
      values[n++] = v === nodata ? Number.NaN : v
    }
  }
  if (n < expected) {
    throw new Error(
      `line ${lines.length}: end of file after ${n} values, expected ${nrows.value} rows × ${ncols.value} columns = ${expected}` +
        oddLineHint(firstOddLine, ncols.value),
    )
  }
  return { ncols: ncols.value, nrows: nrows.value, xllcorner: x, yllcorner: y, cellsize: cellsize.value, nodata, values }
}

function originOf(
  header: Map<string, { value: number; line: number }>,
  axis: 'x' | 'y',
  headerEnd: number,
  cellsize: number,
): number {
  const corner = header.get(`${axis}llcorner`)
  const center = header.get(`${axis}llcenter`)
  if (corner && center) {
    throw new Error(`line ${center.line}: both ${axis}llcorner (line ${corner.line}) and ${axis}llcenter given`)
  }
  if (corner) return corner.value
  if (center) return center.value - cellsize / 2
  throw new Error(`line ${headerEnd}: header has no '${axis}llcorner' or '${axis}llcenter' before the values start`)
}

function oddLineHint(odd: { line: number; count: number } | null, ncols: number): string {
  return odd ? ` (line ${odd.line} has ${odd.count} values, ncols is ${ncols})` : ''
}
