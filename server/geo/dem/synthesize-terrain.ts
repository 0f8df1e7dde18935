import type { AsciiGrid } from '../parse-ascii-grid.ts'
import { createDemTile, SRTM_VOID, type DemTile } from './dem-tile.ts'
import { createSeededRandom } from '../../lib/seeded-random.ts'
import { createGradientNoise, type GradientNoise } from './gradient-noise.ts'
import { normaliseHgtTileName, parseHgtTileName } from './hgt-tile-name.ts'
import { HGT_SIDE } from './parse-hgt.ts'

/**
 * SYNTHETIC terrain at SRTM resolution, made from a REAL coarse grid of mean heights (the bundled
 * 0.1° grid of north-west Vietnam) plus seeded fractal detail. It looks like mountains (ridges,
 * hollows, valley floors, slopes at 30 m resolution) and every 0.1° cell keeps the real mean
 * height of its cell (within a few metres), but no ridge or valley in it is real: it stands in for
 * SRTM until real tiles are fetched, and is labelled SYNTHETIC wherever it is written.
 *
 * The height at a point is a pure function of the point, the coarse grid and the seed:
 *
 *     h = softFloor(base + σ · N, floor),   rounded to whole metres
 *
 * - N: fractal noise of spread ≈ 1. The long octaves (wavelengths 320″ ≈ 10 km down to 40″ ≈ 1.2 km)
 *   form a ridged multifractal (Musgrave: sharp crests, detail gathered on the ridges, smooth
 *   hollows) mixed 70/30 with plain fBm of the same octaves, on coordinates bent by a domain warp
 *   and, for the two longest octaves, stretched 1.7× along azimuth 125°, the NW–SE grain of the
 *   Sông Đà / Hoàng Liên Sơn folds. The short octaves (20″ … 2.5″, ≈ 600 m … 75 m) are plain
 *   gradient noise of a few metres: the 30–90 m texture.
 * - σ: local relief (the spread of heights, m) from the coarse grid: 0.45 × (max − min of the
 *   3 × 3 cells around) + 0.12 × mean height, at most 400 m and at most 0.6 × the lowest
 *   neighbouring mean + 10 m, smoothed over 3 × 3 cells, interpolated bilinearly. On the Sơn La
 *   tiles this gives a spread of 150–270 m within a 0.1° cell and mean slopes of 12–25°.
 * - floor: 0.6 × the lowest mean among the 3 × 3 cells around, interpolated; heights that fall
 *   below it are squeezed towards it (flat valley bottoms, never below 0 m).
 * - base: a Catmull–Rom (C¹) surface through adjusted cell values G, where G solves "the mean of
 *   h over every 0.1° cell equals the coarse grid's value": the cell means of σ·N are estimated
 *   on 20 × 20 points per cell, the cell means of the Catmull–Rom surface are a 5 × 5 stencil of
 *   G, and the linear system is solved by Gauss–Seidel over the whole grid plus a margin of 10
 *   cells (edge values repeated); two more passes correct for the floor, which is not linear.
 *   Because G depends on the whole grid and not on the tile asked for, tiles made separately
 *   join without seams.
 *
 * Tiles are made fast by evaluating base + σ·(long octaves), σ and the floor on a support lattice
 * every 2″ (every sample for 3″ tiles) and interpolating it bilinearly; only the short octaves are
 * computed per sample (≈ 2 s per 1″ tile on one core). The lattice is aligned on whole degrees, so
 * the shared edges of neighbouring tiles are identical.
 */
export const SYNTHETIC_TERRAIN_VERSION = 1

/** Default seed of the bundled synthetic DEM. */
export const DEFAULT_TERRAIN_SEED = 20250701

const ARCSEC_PER_DEGREE = 3600
/** Extra cells of the solved grid on every side of the coarse grid (edge values repeated). */
const MARGIN_CELLS = 10
/** Tiles can be made up to this far (degrees) outside the coarse grid. */
const REACH_DEGREES = 0.8
/** Subsample points per cell side for the noise means. */
const MEAN_SAMPLES = 20
/** Wavelengths ≥ this (arc seconds) are in the support lattice; shorter ones are computed per sample. */
const MACRO_MIN_WAVELENGTH = 40
/**
 * Octaves: wavelength in arc seconds (1″ ≈ 31 m north–south, 29 m east–west here) and amplitude.
 * The long ones (≥ MACRO_MIN_WAVELENGTH) make the ridged multifractal; the short ones are plain
 * detail of a few metres.
 */
const OCTAVES: ReadonlyArray<readonly [number, number]> = [
  [320, 1],
  [160, 0.7],
  [80, 0.45],
  [40, 0.25],
  [20, 0.1],
  [10, 0.05],
  [5, 0.025],
  [2.5, 0.012],
]
/** Feedback of the ridged multifractal: how strongly a low (valley) octave damps the next ones. */
const RIDGE_GAIN = 2
/** How far (in noise units) crests are rounded off. */
const RIDGE_ROUNDING = 0.05
/** Share of plain fBm mixed into the ridged noise. */
const PLAIN_SHARE = 0.3
/** Mean of the ridged sum and the factor that brings the long-octave noise to a spread of about 1 (measured). */
const RIDGED_MEAN = 1.448
const MACRO_NORMALISATION = 2.904
/** Domain warp of the long octaves, arc seconds. */
const WARP_WAVELENGTH = 240
const WARP_AMPLITUDE = 60
/** Direction of the terrain's grain (azimuth, degrees from north) and the stretch along it. */
const GRAIN_AZIMUTH = 125
const GRAIN_STRETCH = 1.7

/** One octave of noise: wavelength (arc seconds), amplitude, coordinate transform (per arc second) and noise. */
export interface TerrainOctave {
  /** arc seconds */
  wavelength: number
  amplitude: number
  /** rotation and stretch of the coordinates, folded into two rows of a 2 × 2 matrix (per arc second) */
  ux: number
  uy: number
  vx: number
  vy: number
  noise: GradientNoise
}

export interface SyntheticTerrain {
  readonly seed: number
  /** Where tiles can be made: the coarse grid plus 0.8° around it, degrees. */
  readonly extent: { west: number; south: number; east: number; north: number }
  /** The coarse mean height (m) of the 0.1° cell holding the point, edge cells repeated outside the grid. */
  cellTarget(lon: number, lat: number): number
  /** The height (m) at a point, computed in full: no support lattice, no rounding. */
  heightAt(lon: number, lat: number): number
  /** base + σ · long octaves at a point in arc seconds (x = lon·3600, y = lat·3600). */
  macroAt(x: number, y: number): number
  /** σ at a point in arc seconds. */
  sigmaAt(x: number, y: number): number
  /** The valley-floor height (m) at a point in arc seconds, below which heights are squeezed (softFloor). */
  floorAt(x: number, y: number): number
  /** The fractal noise N (all octaves, spread about 1) at a point in arc seconds. */
  noiseAt(x: number, y: number): number
  /** The short octaves at a point in arc seconds; wavelengths below minWavelength left out. */
  microAt(x: number, y: number, minWavelength: number): number
  /** The short octaves (for tight loops: the sum of amplitude · noise(u, v) is microAt). */
  microOctaves(minWavelength: number): ReadonlyArray<Readonly<TerrainOctave>>
}

/**
 * Prepares the terrain for a coarse grid of mean heights (degrees, metres) and a seed: solves the
 * adjusted grid and the relief grid (≈ 0.4 s for the bundled 39 × 31 grid). Reuse it for every tile.
 */
export function createSyntheticTerrain(coarse: AsciiGrid, seed: number = DEFAULT_TERRAIN_SEED): SyntheticTerrain {
  const cell = coarse.cellsize * ARCSEC_PER_DEGREE
  if (Math.abs(cell - Math.round(cell)) > 1e-6 || ARCSEC_PER_DEGREE % Math.round(cell) !== 0) {
    throw new RangeError(`the coarse grid's cell size ${coarse.cellsize}° must be a whole number of arc seconds that divides 1°`)
  }
  const cs = Math.round(cell)
  const ncE = coarse.ncols + 2 * MARGIN_CELLS
  const nrE = coarse.nrows + 2 * MARGIN_CELLS
  const westArc = Math.round(coarse.xllcorner * ARCSEC_PER_DEGREE) - MARGIN_CELLS * cs
  const northArc = Math.round((coarse.yllcorner + coarse.nrows * coarse.cellsize) * ARCSEC_PER_DEGREE) + MARGIN_CELLS * cs

  const targets = extendGrid(filledCoarseValues(coarse), coarse.ncols, coarse.nrows, MARGIN_CELLS)
  const sigma = reliefGrid(targets, ncE, nrE)
  const octaves = createOctaves(seed)
  const macroOctaves = octaves.filter((o) => o.wavelength >= MACRO_MIN_WAVELENGTH)
  const microOctaves = octaves.filter((o) => o.wavelength < MACRO_MIN_WAVELENGTH)

  const sigmaAt = (x: number, y: number): number => bilinearCentres(sigma, ncE, nrE, (x - westArc) / cs - 0.5, (northArc - y) / cs - 0.5)
  const [warpX, warpY] = [createGradientNoise(seed ^ 0x3c6ef372), createGradientNoise(seed ^ 0x1b873593)]
  const macroNoise = (x: number, y: number): number => {
    // Domain warp: bends the ridges so they do not run straight.
    const wx = x + WARP_AMPLITUDE * warpX(x / WARP_WAVELENGTH, y / WARP_WAVELENGTH)
    const wy = y + WARP_AMPLITUDE * warpY(x / WARP_WAVELENGTH + 17.3, y / WARP_WAVELENGTH - 9.1)
    // Ridged multifractal (Musgrave): each octave's crest sharpness 1 − |n| squared, and the
    // shorter octaves weighted by the longer ones, so detail gathers on ridges and valleys stay
    // smooth; plus a share of plain fBm from the same octave values.
    let ridged = 0
    let plain = 0
    let weight = 1
    for (const o of macroOctaves) {
      const n = o.noise(wx * o.ux + wy * o.uy, wx * o.vx + wy * o.vy)
      // 1 − |n| with |n| rounded off within ±0.05 of 0, so crests are sharp but not creased.
      let r = 1 + RIDGE_ROUNDING - Math.sqrt(n * n + RIDGE_ROUNDING * RIDGE_ROUNDING)
      r = r * r * weight
      weight = r * RIDGE_GAIN
      if (weight > 1) weight = 1
      ridged += o.amplitude * r
      plain += o.amplitude * n
    }
    return ((1 - PLAIN_SHARE) * (ridged - RIDGED_MEAN) + PLAIN_SHARE * plain) * MACRO_NORMALISATION
  }
  const microAt = (x: number, y: number, minWavelength: number): number => {
    let sum = 0
    for (const o of microOctaves) {
      if (o.wavelength < minWavelength) continue
      sum += o.amplitude * o.noise(x * o.ux + y * o.uy, x * o.vx + y * o.vy)
    }
    return sum
  }

  // σ·N on MEAN_SAMPLES² points per cell, kept for the corrections below.
  const perCell = MEAN_SAMPLES * MEAN_SAMPLES
  const detail = new Float32Array(ncE * nrE * perCell)
  const rhs = new Float64Array(ncE * nrE)
  for (let j = 0; j < nrE; j++) {
    for (let i = 0; i < ncE; i++) {
      let sum = 0
      let k = (j * ncE + i) * perCell
      for (let q = 0; q < MEAN_SAMPLES; q++) {
        const y = northArc - (j + (q + 0.5) / MEAN_SAMPLES) * cs
        for (let p = 0; p < MEAN_SAMPLES; p++) {
          const x = westArc + (i + (p + 0.5) / MEAN_SAMPLES) * cs
          const d = sigmaAt(x, y) * (macroNoise(x, y) + microAt(x, y, 0))
          detail[k++] = d
          sum += d
        }
      }
      rhs[j * ncE + i] = targets[j * ncE + i]! - sum / perCell
    }
  }
  let adjusted = solveCellMeans(rhs, ncE, nrE)

  const floors = floorGrid(targets, ncE, nrE)
  const floorAt = (x: number, y: number): number => bilinearCentres(floors, ncE, nrE, (x - westArc) / cs - 0.5, (northArc - y) / cs - 0.5)
  const baseAt = (x: number, y: number): number => catmullRomCentres(adjusted, ncE, nrE, (x - westArc) / cs - 0.5, (northArc - y) / cs - 0.5)

  // The valley floors (softFloor) are not linear in G: correct G for what they add to each
  // cell's mean, twice (the second pass leaves well under a metre).
  for (let pass = 0; pass < 2; pass++) {
    const miss = new Float64Array(ncE * nrE)
    for (let j = 0; j < nrE; j++) {
      for (let i = 0; i < ncE; i++) {
        let sum = 0
        let k = (j * ncE + i) * perCell
        for (let q = 0; q < MEAN_SAMPLES; q++) {
          const y = northArc - (j + (q + 0.5) / MEAN_SAMPLES) * cs
          for (let p = 0; p < MEAN_SAMPLES; p++) {
            const x = westArc + (i + (p + 0.5) / MEAN_SAMPLES) * cs
            sum += softFloor(baseAt(x, y) + detail[k++]!, floorAt(x, y))
          }
        }
        miss[j * ncE + i] = targets[j * ncE + i]! - sum / perCell
      }
    }
    const correction = solveCellMeans(miss, ncE, nrE)
    adjusted = adjusted.map((g, index) => g + correction[index]!)
  }

  const macroAt = (x: number, y: number): number => baseAt(x, y) + sigmaAt(x, y) * macroNoise(x, y)

  const reach = REACH_DEGREES
  const extent = {
    west: coarse.xllcorner - reach,
    south: coarse.yllcorner - reach,
    east: coarse.xllcorner + coarse.ncols * coarse.cellsize + reach,
    north: coarse.yllcorner + coarse.nrows * coarse.cellsize + reach,
  }
  return {
    seed,
    extent,
    cellTarget(lon, lat) {
      const i = clampIndex(Math.floor((lon * ARCSEC_PER_DEGREE - westArc) / cs), ncE)
      const j = clampIndex(Math.floor((northArc - lat * ARCSEC_PER_DEGREE) / cs), nrE)
      return targets[j * ncE + i]!
    },
    heightAt(lon, lat) {
      const x = lon * ARCSEC_PER_DEGREE
      const y = lat * ARCSEC_PER_DEGREE
      return softFloor(macroAt(x, y) + sigmaAt(x, y) * microAt(x, y, 0), floorAt(x, y))
    },
    macroAt,
    sigmaAt,
    floorAt,
    noiseAt: (x, y) => macroNoise(x, y) + microAt(x, y, 0),
    microAt,
    microOctaves: (minWavelength) =>
      microOctaves.filter((o) => o.wavelength >= minWavelength),
  }
}

export interface SynthesizeTileOptions {
  /** 1″ (3601 × 3601 samples, default) or 3″ (1201 × 1201). */
  arcSeconds?: 1 | 3
  /** Only part of the tile, in samples from its north-west corner (for tests and previews). */
  window?: { row: number; col: number; rows: number; cols: number }
  /** Rows per step of synthesizeTileSteps (default 200, about 0.1 s at 1″). */
  bandRows?: number
}

/**
 * Makes one SYNTHETIC `.hgt`-shaped tile (Int16 metres, row 0 north, edges shared with its
 * neighbours) step by step: the generator yields the number of rows done after each band of rows,
 * so a caller can give the event loop a turn, and returns the tile. Throws a RangeError for a
 * tile beyond the terrain's extent.
 */
export function* synthesizeTileSteps(terrain: SyntheticTerrain, name: string, options: SynthesizeTileOptions = {}): Generator<number, DemTile, void> {
  const canonical = normaliseHgtTileName(name)
  const corner = parseHgtTileName(name)
  if (!canonical || !corner) throw new RangeError(`'${name}' is not an SRTM tile name like N21E103`)
  const { extent } = terrain
  if (corner.west < extent.west || corner.west + 1 > extent.east || corner.south < extent.south || corner.south + 1 > extent.north) {
    throw new RangeError(
      `${canonical} lies beyond the coarse grid's reach (lon ${extent.west.toFixed(2)}…${extent.east.toFixed(2)}, lat ${extent.south.toFixed(2)}…${extent.north.toFixed(2)}): no synthetic tile can be made there`,
    )
  }
  const arc = options.arcSeconds ?? 1
  const side = HGT_SIDE[arc]
  const win = options.window ?? { row: 0, col: 0, rows: side, cols: side }
  if (![win.row, win.col, win.rows, win.cols].every(Number.isInteger) || win.row < 0 || win.col < 0 || win.rows < 2 || win.cols < 2 || win.row + win.rows > side || win.col + win.cols > side) {
    throw new RangeError(`window ${JSON.stringify(win)} does not fit a ${side} × ${side} tile (at least 2 × 2 samples)`)
  }
  const bandRows = Math.max(1, options.bandRows ?? 200)
  const westArc = corner.west * ARCSEC_PER_DEGREE
  const northArc = (corner.south + 1) * ARCSEC_PER_DEGREE
  // Support lattice step (arc seconds): divides 3600, so the lattice is the same in every tile.
  const sup = arc === 1 ? 2 : 3
  // Octaves shorter than 1.5 samples would only alias at this resolution.
  const minWavelength = 1.5 * arc
  const sc0 = Math.floor((win.col * arc) / sup)
  const sc1 = Math.floor(((win.col + win.cols - 1) * arc) / sup) + 1
  const nsc = sc1 - sc0 + 1

  const fillSupportRow = (sy: number, f: Float64Array, s: Float64Array, g: Float64Array): void => {
    const y = northArc - sy * sup
    for (let k = 0; k < nsc; k++) {
      const x = westArc + (sc0 + k) * sup
      f[k] = terrain.macroAt(x, y)
      s[k] = terrain.sigmaAt(x, y)
      g[k] = terrain.floorAt(x, y)
    }
  }
  // The short octaves, unrolled below (at most four; absent ones have amplitude 0).
  const micro = terrain.microOctaves(minWavelength)
  if (micro.length > 4) throw new Error('synthesizeTileSteps unrolls at most four short octaves')
  const none = { amplitude: 0, ux: 0, uy: 0, vx: 0, vy: 0, noise: () => 0 }
  const [m0, m1, m2, m3] = [micro[0] ?? none, micro[1] ?? none, micro[2] ?? none, micro[3] ?? none]
  const n0 = m0.noise
  const n1 = m1.noise
  const n2 = m2.noise
  const n3 = m3.noise

  let rowA = -2
  let fA = new Float64Array(nsc)
  let sA = new Float64Array(nsc)
  let fB = new Float64Array(nsc)
  let sB = new Float64Array(nsc)
  let gA = new Float64Array(nsc)
  let gB = new Float64Array(nsc)

  const heights = new Int16Array(win.rows * win.cols)
  for (let r = 0; r < win.rows; r++) {
    const row = win.row + r
    const y = northArc - row * arc
    const syExact = (row * arc) / sup
    const sy = Math.floor(syExact)
    const ty = syExact - sy
    if (sy !== rowA) {
      if (sy === rowA + 1) {
        ;[fA, fB] = [fB, fA]
        ;[sA, sB] = [sB, sA]
        ;[gA, gB] = [gB, gA]
      } else fillSupportRow(sy, fA, sA, gA)
      fillSupportRow(sy + 1, fB, sB, gB)
      rowA = sy
    }
    const base = r * win.cols
    for (let c = 0; c < win.cols; c++) {
      const col = win.col + c
      const x = westArc + col * arc
      const sxExact = (col * arc) / sup
      const sx = Math.floor(sxExact)
      const tx = sxExact - sx
      const k = sx - sc0
      const fTop = fA[k]! + (fA[k + 1]! - fA[k]!) * tx
      const fBottom = fB[k]! + (fB[k + 1]! - fB[k]!) * tx
      const sTop = sA[k]! + (sA[k + 1]! - sA[k]!) * tx
      const sBottom = sB[k]! + (sB[k + 1]! - sB[k]!) * tx
      const f = fTop + (fBottom - fTop) * ty
      const s = sTop + (sBottom - sTop) * ty
      const detail =
        m0.amplitude * n0(x * m0.ux + y * m0.uy, x * m0.vx + y * m0.vy) +
        m1.amplitude * n1(x * m1.ux + y * m1.uy, x * m1.vx + y * m1.vy) +
        m2.amplitude * n2(x * m2.ux + y * m2.uy, x * m2.vx + y * m2.vy) +
        m3.amplitude * n3(x * m3.ux + y * m3.uy, x * m3.vx + y * m3.vy)
      let h = f + s * detail
      const gTop = gA[k]! + (gA[k + 1]! - gA[k]!) * tx
      const floor = gTop + (gB[k]! + (gB[k + 1]! - gB[k]!) * tx - gTop) * ty
      if (h < floor) h = softFloor(h, floor)
      heights[base + c] = h >= 9000 ? 9000 : Math.round(h)
    }
    if ((r + 1) % bandRows === 0 && r + 1 < win.rows) yield r + 1
  }
  const step = arc / ARCSEC_PER_DEGREE
  return createDemTile({
    name: canonical,
    west: corner.west + win.col * step,
    north: corner.south + 1 - win.row * step,
    step,
    cols: win.cols,
    rows: win.rows,
    heights,
    voidValue: SRTM_VOID,
  })
}

/** Makes one SYNTHETIC tile in one go (see synthesizeTileSteps). About 2 s for a 1″ tile. */
export function synthesizeTile(terrain: SyntheticTerrain, name: string, options: SynthesizeTileOptions = {}): DemTile {
  const steps = synthesizeTileSteps(terrain, name, options)
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

// ---------------------------------------------------------------------------------------------

function createOctaves(seed: number): TerrainOctave[] {
  const random = createSeededRandom(seed ^ 0x5eed7e11)
  const grain = (GRAIN_AZIMUTH * Math.PI) / 180
  return OCTAVES.map(([wavelength, amplitude], index) => {
    // The long octaves follow the grain; the others get unrelated angles (hides the lattice).
    const angle = wavelength >= 160 ? Math.PI / 2 - grain : random() * 2 * Math.PI
    const stretch = wavelength >= 160 ? GRAIN_STRETCH : 1
    const cos = Math.cos(angle)
    const sin = Math.sin(angle)
    // u runs along the grain (stretched), v across it.
    return {
      wavelength,
      amplitude,
      ux: cos / (wavelength * stretch),
      uy: sin / (wavelength * stretch),
      vx: -sin / wavelength,
      vy: cos / wavelength,
      noise: createGradientNoise((Math.imul(seed, 0x9e3779b1) + index * 0x632be5ab) | 0),
    }
  })
}

/** The coarse values with NODATA (NaN) cells filled from their neighbours. */
function filledCoarseValues(coarse: AsciiGrid): Float64Array {
  const { ncols, nrows } = coarse
  const v = Float64Array.from(coarse.values)
  let missing = v.reduce((n, x) => n + (Number.isNaN(x) ? 1 : 0), 0)
  if (missing === v.length) throw new RangeError('the coarse grid has no value at all')
  while (missing > 0) {
    const next = Float64Array.from(v)
    for (let j = 0; j < nrows; j++) {
      for (let i = 0; i < ncols; i++) {
        if (!Number.isNaN(v[j * ncols + i]!)) continue
        let sum = 0
        let n = 0
        for (let dj = -1; dj <= 1; dj++) {
          for (let di = -1; di <= 1; di++) {
            const jj = j + dj
            const ii = i + di
            if (jj < 0 || jj >= nrows || ii < 0 || ii >= ncols) continue
            const x = v[jj * ncols + ii]!
            if (!Number.isNaN(x)) {
              sum += x
              n++
            }
          }
        }
        if (n > 0) {
          next[j * ncols + i] = sum / n
          missing--
        }
      }
    }
    v.set(next)
  }
  return v
}

/** The grid with `margin` cells added on every side, edge values repeated. */
function extendGrid(values: Float64Array, ncols: number, nrows: number, margin: number): Float64Array {
  const ncE = ncols + 2 * margin
  const nrE = nrows + 2 * margin
  const out = new Float64Array(ncE * nrE)
  for (let j = 0; j < nrE; j++) {
    const sj = Math.min(nrows - 1, Math.max(0, j - margin))
    for (let i = 0; i < ncE; i++) {
      const si = Math.min(ncols - 1, Math.max(0, i - margin))
      out[j * ncE + i] = values[sj * ncols + si]!
    }
  }
  return out
}

/** σ per cell (m): see the module comment. */
function reliefGrid(t: Float64Array, nc: number, nr: number): Float64Array {
  const raw = new Float64Array(nc * nr)
  const cap = new Float64Array(nc * nr)
  for (let j = 0; j < nr; j++) {
    for (let i = 0; i < nc; i++) {
      let lo = Number.POSITIVE_INFINITY
      let hi = Number.NEGATIVE_INFINITY
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) {
          const v = t[clampIndex(j + dj, nr) * nc + clampIndex(i + di, nc)]!
          if (v < lo) lo = v
          if (v > hi) hi = v
        }
      }
      const mean = t[j * nc + i]!
      cap[j * nc + i] = Math.min(400, 0.6 * Math.max(0, lo) + 10)
      raw[j * nc + i] = Math.min(0.45 * (hi - lo) + 0.12 * Math.max(0, mean), cap[j * nc + i]!)
    }
  }
  // Smoothed over 3 × 3 cells, the caps applied again (smoothing would lift a low cell's σ).
  const smooth = new Float64Array(nc * nr)
  for (let j = 0; j < nr; j++) {
    for (let i = 0; i < nc; i++) {
      let sum = 0
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) sum += raw[clampIndex(j + dj, nr) * nc + clampIndex(i + di, nc)]!
      }
      smooth[j * nc + i] = Math.max(2, Math.min(sum / 9, cap[j * nc + i]!))
    }
  }
  return smooth
}

/**
 * Mean over a cell of the Catmull–Rom kernel centred 0, ±1, ±2 cells away (continuous average,
 * worked out by hand from the kernel's pieces): [a0, a1, a2] with a0 + 2a1 + 2a2 = 1.
 */
const CELL_MEAN_WEIGHTS = [0.8385416666666666, 0.09375, -0.013020833333333334] as const

/**
 * Solves Σ a_di · a_dj · G[j+dj, i+di] = rhs[j, i] for G (indices clamped at the edges), i.e. the
 * Catmull–Rom surface through G has the cell means rhs. Gauss–Seidel; the system is diagonally
 * dominant enough (eigenvalues of the stencil 0.39…1) to converge in a few dozen sweeps.
 */
function solveCellMeans(rhs: Float64Array, nc: number, nr: number): Float64Array {
  const g = Float64Array.from(rhs)
  const w = [CELL_MEAN_WEIGHTS[2], CELL_MEAN_WEIGHTS[1], CELL_MEAN_WEIGHTS[0], CELL_MEAN_WEIGHTS[1], CELL_MEAN_WEIGHTS[2]]
  const diagonal = CELL_MEAN_WEIGHTS[0] * CELL_MEAN_WEIGHTS[0]
  for (let sweep = 0; sweep < 500; sweep++) {
    let worst = 0
    for (let j = 0; j < nr; j++) {
      for (let i = 0; i < nc; i++) {
        let mean = 0
        for (let dj = -2; dj <= 2; dj++) {
          const row = clampIndex(j + dj, nr) * nc
          const wj = w[dj + 2]!
          for (let di = -2; di <= 2; di++) mean += wj * w[di + 2]! * g[row + clampIndex(i + di, nc)]!
        }
        const r = rhs[j * nc + i]! - mean
        if (Math.abs(r) > worst) worst = Math.abs(r)
        g[j * nc + i] = g[j * nc + i]! + r / diagonal
      }
    }
    if (worst < 1e-3) break
  }
  return g
}

/**
 * Heights below the valley floor `floor` (m, ≥ 0) are squeezed towards it: a height d below the
 * floor ends up d / (1 + d / floor) below it, so valley bottoms flatten out (as river plains do)
 * and no height falls below 0 m.
 */
function softFloor(h: number, floor: number): number {
  if (h >= floor) return h
  const d = floor - h
  return floor <= 0 ? 0 : floor - d / (1 + d / floor)
}

/** Valley floor per cell (m): 0.6 × the lowest mean among the 3 × 3 cells around. */
function floorGrid(t: Float64Array, nc: number, nr: number): Float64Array {
  const out = new Float64Array(nc * nr)
  for (let j = 0; j < nr; j++) {
    for (let i = 0; i < nc; i++) {
      let lo = Number.POSITIVE_INFINITY
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) lo = Math.min(lo, t[clampIndex(j + dj, nr) * nc + clampIndex(i + di, nc)]!)
      }
      out[j * nc + i] = 0.6 * Math.max(0, lo)
    }
  }
  return out
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i
}

/** Bilinear between cell centres; u, v in cells from the first centre (column, row from the north). */
function bilinearCentres(grid: Float64Array, nc: number, nr: number, u: number, v: number): number {
  const cu = u < 0 ? 0 : u > nc - 1 ? nc - 1 : u
  const cv = v < 0 ? 0 : v > nr - 1 ? nr - 1 : v
  const i = Math.min(nc - 2, Math.floor(cu))
  const j = Math.min(nr - 2, Math.floor(cv))
  const tx = cu - i
  const ty = cv - j
  const a = grid[j * nc + i]!
  const b = grid[j * nc + i + 1]!
  const c = grid[(j + 1) * nc + i]!
  const d = grid[(j + 1) * nc + i + 1]!
  const top = a + (b - a) * tx
  const bottom = c + (d - c) * tx
  return top + (bottom - top) * ty
}

/** Catmull–Rom (cubic convolution, a = −½) between cell centres, indices clamped at the edges. */
function catmullRomCentres(grid: Float64Array, nc: number, nr: number, u: number, v: number): number {
  const i = Math.floor(u)
  const j = Math.floor(v)
  const tx = u - i
  const ty = v - j
  const wx0 = ((-tx + 2) * tx - 1) * tx * 0.5
  const wx1 = ((3 * tx - 5) * tx * tx + 2) * 0.5
  const wx2 = ((-3 * tx + 4) * tx + 1) * tx * 0.5
  const wx3 = (tx - 1) * tx * tx * 0.5
  const wy0 = ((-ty + 2) * ty - 1) * ty * 0.5
  const wy1 = ((3 * ty - 5) * ty * ty + 2) * 0.5
  const wy2 = ((-3 * ty + 4) * ty + 1) * ty * 0.5
  const wy3 = (ty - 1) * ty * ty * 0.5
  const c0 = clampIndex(i - 1, nc)
  const c1 = clampIndex(i, nc)
  const c2 = clampIndex(i + 1, nc)
  const c3 = clampIndex(i + 2, nc)
  let sum = 0
  const wy = [wy0, wy1, wy2, wy3]
  for (let k = 0; k < 4; k++) {
    const row = clampIndex(j - 1 + k, nr) * nc
    sum += wy[k]! * (wx0 * grid[row + c0]! + wx1 * grid[row + c1]! + wx2 * grid[row + c2]! + wx3 * grid[row + c3]!)
  }
  return sum
}
