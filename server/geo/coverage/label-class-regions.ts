export interface ClassRegions {
  /** Per cell (row-major): the region's number, 0, 1, 2… in row-major order of each region's first cell; −1 for no data (0). */
  region: Int32Array
  /** Per region: its number of cells. */
  cells: Int32Array
  /** Per region: its class (the cell value, 1…255). */
  value: Uint8Array
}

/**
 * The regions of a class raster (`cols × rows` bytes, row-major, 0 = no data):
 * maximal sets of cells of one class connected through shared sides
 * (4-connectivity: cells touching only at a corner are separate regions).
 * Flood fill with an explicit stack, O(cells). Used by
 * `rasterToClassPolygons` to tie holes to their shells and to drop small
 * islands.
 */
export function labelClassRegions(cols: number, rows: number, classes: Uint8Array): ClassRegions {
  const n = cols * rows
  if (classes.length !== n) throw new RangeError(`class raster has ${classes.length} cells, grid ${cols}×${rows} needs ${n}`)
  const region = new Int32Array(n).fill(-1)
  const stack = new Int32Array(n)
  let cells = new Int32Array(1024)
  let value = new Uint8Array(1024)
  let count = 0
  for (let start = 0; start < n; start++) {
    const v = classes[start]!
    if (v === 0 || region[start]! >= 0) continue
    if (count === cells.length) {
      cells = grow(cells, new Int32Array(count * 2))
      value = grow(value, new Uint8Array(count * 2))
    }
    const id = count++
    let size = 0
    let top = 0
    stack[top++] = start
    region[start] = id
    while (top > 0) {
      const cell = stack[--top]!
      size++
      const c = cell % cols
      if (c > 0 && classes[cell - 1] === v && region[cell - 1]! < 0) { region[cell - 1] = id; stack[top++] = cell - 1 }
      if (c < cols - 1 && classes[cell + 1] === v && region[cell + 1]! < 0) { region[cell + 1] = id; stack[top++] = cell + 1 }
      if (cell >= cols && classes[cell - cols] === v && region[cell - cols]! < 0) { region[cell - cols] = id; stack[top++] = cell - cols }
      if (cell + cols < n && classes[cell + cols] === v && region[cell + cols]! < 0) { region[cell + cols] = id; stack[top++] = cell + cols }
    }
    cells[id] = size
    value[id] = v
  }
  return { region, cells: cells.slice(0, count), value: value.slice(0, count) }
}

function grow<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from)
  return to
}
