import { describe, expect, it } from 'vitest'
import { parseAsciiGrid } from '../../../server/geo/parse-ascii-grid.ts'

// 3 columns × 2 rows, row 0 = north; -9999 is NODATA.
const SMALL = ['ncols 3', 'nrows 2', 'xllcorner 102.0', 'yllcorner 20.0', 'cellsize 0.5', 'NODATA_value -9999', '1 2 3', '4 -9999 6', ''].join('\n')

describe('parseAsciiGrid', () => {
  it('reads the header and the values row-major, north row first', () => {
    const grid = parseAsciiGrid(SMALL)
    expect(grid).toMatchObject({ ncols: 3, nrows: 2, xllcorner: 102, yllcorner: 20, cellsize: 0.5, nodata: -9999 })
    expect(Array.from(grid.values.slice(0, 4))).toEqual([1, 2, 3, 4])
    expect(grid.values[5]).toBe(6)
  })

  it('stores NODATA cells as NaN', () => {
    expect(parseAsciiGrid(SMALL).values[4]).toBeNaN()
  })

  it('turns a cell-centre origin into the lower-left corner', () => {
    const grid = parseAsciiGrid('ncols 1\nnrows 1\nxllcenter 10.25\nyllcenter 20.25\ncellsize 0.5\n7\n')
    expect(grid.xllcorner).toBe(10)
    expect(grid.yllcorner).toBe(20)
  })

  it('accepts keys in any case, CRLF line ends, no NODATA_value (default -9999) and values laid out freely', () => {
    const grid = parseAsciiGrid('NCOLS 2\r\nNROWS 2\r\nXLLCORNER 0\r\nYLLCORNER 0\r\nCELLSIZE 1\r\n1 2 3\r\n-9999\r\n')
    expect(grid.nodata).toBe(-9999)
    expect(Array.from(grid.values.slice(0, 3))).toEqual([1, 2, 3])
    expect(grid.values[3]).toBeNaN()
  })

  it('names the line of a value that is not a number', () => {
    expect(() => parseAsciiGrid(SMALL.replace('4 -9999 6', '4 x 6'))).toThrow(/^line 8: value 'x' is not a number/)
  })

  it('names the short row when values are missing', () => {
    expect(() => parseAsciiGrid(SMALL.replace('4 -9999 6', '4 -9999'))).toThrow(/line 8 has 2 values, ncols is 3/)
  })

  it('names the line where there are too many values', () => {
    expect(() => parseAsciiGrid(`${SMALL}7 8 9\n`)).toThrow(/^line 9: more values than 2 rows × 3 columns = 6/)
  })

  it('names the line where the values start when a required header key is missing', () => {
    expect(() => parseAsciiGrid(SMALL.replace('cellsize 0.5\n', ''))).toThrow(/^line 6: header has no 'cellsize'/)
  })

  it('names the line of a header value that is not a number', () => {
    expect(() => parseAsciiGrid(SMALL.replace('nrows 2', 'nrows two'))).toThrow(/^line 2: header 'nrows' value 'two' is not a number/)
  })

  it('rejects an unknown header key, naming its line', () => {
    expect(() => parseAsciiGrid(SMALL.replace('cellsize 0.5', 'cellsiz 0.5'))).toThrow(/^line 5: unknown header key 'cellsiz'/)
  })

  it('rejects a non-integer ncols and a corner given twice', () => {
    expect(() => parseAsciiGrid(SMALL.replace('ncols 3', 'ncols 2.5'))).toThrow(/^line 1: ncols\/nrows must be a positive integer/)
    expect(() => parseAsciiGrid(SMALL.replace('yllcorner 20.0', 'yllcorner 20.0\nxllcenter 1'))).toThrow(/^line 5: both xllcorner \(line 3\) and xllcenter given/)
  })
})
