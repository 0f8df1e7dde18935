/** One WKT node: `KEYWORD["name", 1.5, CHILD[...], ...]`. */
export interface WktNode {
  /** Upper-cased keyword: GEOGCS, PROJCS, DATUM, PARAMETER, TOWGS84… */
  keyword: string
  /** Arguments in order: quoted strings, numbers, bare words (AXIS directions: EAST) and child nodes. */
  args: Array<string | number | WktNode>
}

/**
 * Parses Well-Known Text for coordinate systems (WKT1 as written in ESRI/OGC .prj files, and the
 * bracket syntax of WKT2) into a tree of nodes. Accepts `[]` and `()` as brackets and `""` inside
 * strings. Throws Error with the character offset on malformed text.
 *
 * Used by crsFromPrj to read the coordinate system of uploaded shapefiles.
 */
export function parseWkt(text: string): WktNode {
  let pos = 0

  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++
  }
  const fail = (what: string): never => {
    throw new Error(`malformed WKT at character ${pos}: ${what} (near "${text.slice(Math.max(0, pos - 15), pos + 15)}")`)
  }

  const parseNode = (): WktNode => {
    skipSpace()
    const start = pos
    while (pos < text.length && /[A-Za-z0-9_]/.test(text[pos] ?? '')) pos++
    if (pos === start) fail('expected a keyword')
    const keyword = text.slice(start, pos).toUpperCase()
    skipSpace()
    const open = text[pos]
    if (open !== '[' && open !== '(') return fail(`expected "[" after ${keyword}`)
    const close = open === '[' ? ']' : ')'
    pos++
    const args: WktNode['args'] = []
    for (;;) {
      skipSpace()
      const c = text[pos]
      if (c === undefined) fail(`unterminated ${keyword}`)
      if (c === close && args.length === 0) {
        pos++
        break
      }
      args.push(parseValue())
      skipSpace()
      const next = text[pos]
      if (next === ',') {
        pos++
      } else if (next === close) {
        pos++
        break
      } else {
        fail(`expected "," or "${close}" in ${keyword}`)
      }
    }
    return { keyword, args }
  }

  const parseValue = (): string | number | WktNode => {
    skipSpace()
    const c = text[pos]
    if (c === '"') {
      let value = ''
      pos++
      for (;;) {
        const ch = text[pos]
        if (ch === undefined) return fail('unterminated string')
        if (ch === '"') {
          if (text[pos + 1] === '"') {
            value += '"'
            pos += 2
            continue
          }
          pos++
          return value
        }
        value += ch
        pos++
      }
    }
    const number = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(pos))
    if (number) {
      pos += number[0].length
      return Number(number[0])
    }
    const start = pos
    while (pos < text.length && /[A-Za-z0-9_]/.test(text[pos] ?? '')) pos++
    const word = text.slice(start, pos)
    if (word === '') return fail('expected a value')
    skipSpace()
    if (text[pos] === '[' || text[pos] === '(') {
      pos = start
      return parseNode()
    }
    return word
  }

  // Strip a UTF-8 byte-order mark some tools write at the start of .prj files.
  if (text.charCodeAt(0) === 0xfeff) pos = 1
  const root = parseNode()
  skipSpace()
  if (pos < text.length) fail('text after the end of the WKT')
  return root
}

/** The first child node with this keyword (one of several, e.g. GEOGCS or BASEGEOGCRS), searched depth-first. */
export function findWktNode(node: WktNode, ...keywords: string[]): WktNode | null {
  for (const arg of node.args) {
    if (typeof arg === 'object') {
      if (keywords.includes(arg.keyword)) return arg
      const deeper = findWktNode(arg, ...keywords)
      if (deeper) return deeper
    }
  }
  return null
}

/** The direct children with this keyword. */
export function wktChildren(node: WktNode, keyword: string): WktNode[] {
  return node.args.filter((a): a is WktNode => typeof a === 'object' && a.keyword === keyword)
}

/** The node's name: its first argument when that is a string ("" otherwise). */
export function wktName(node: WktNode | null): string {
  const first = node?.args[0]
  return typeof first === 'string' ? first : ''
}

/** The node's numeric arguments, in order. */
export function wktNumbers(node: WktNode | null): number[] {
  return (node?.args ?? []).filter((a): a is number => typeof a === 'number')
}
