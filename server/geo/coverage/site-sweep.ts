import type { HeightWindow } from '../dem/height-window.ts'
import { heightAtPost } from '../dem/height-window.ts'
import { FREE_SPACE_LOSS_CONSTANT_DB } from '../propagation/free-space-loss.ts'
import { knifeEdgeLossTabulated } from '../propagation/knife-edge-table.ts'
import { wavelength } from '../propagation/wavelength.ts'
import { EARTH_RADIUS_M, metresPerDegree, type RasterGrid } from './raster-grid.ts'
import { sweepLayout } from './radial-sweep.ts'

/**
 * The fast model's path loss from one antenna position to every cell of a
 * raster, by radial sweep straight onto the raster: the work a site's sectors
 * share (they differ only in their antenna pattern, applied afterwards by
 * `sectorRsrpFromSiteSweep`).
 *
 * Same geometry as `radialSweep` (the reference implementation, which keeps
 * every sample): ⌈2π·R/cell⌉ rays, a sample every `stepM`, bilinear heights,
 * earth curvature with k·R, a running horizon for line of sight and the
 * profile's upper convex hull for the dominant obstacle's ν (the main edge of
 * Deygout's construction, ITU-R P.526 J(ν)). What makes it fast:
 *
 * - heights come from a `HeightWindow` (posts at the raster's cell corners) by
 *   index, and the cell a sample falls in is the post cell its bilinear read
 *   already found: no lon/lat arithmetic, no search, no atan2 per cell;
 * - a cell takes the first sample that falls in it (rays in bearing order); the
 *   other samples of that cell (near the site the rays are denser than the
 *   cells) only carry the horizon and the hull forward, so ν, the elevation
 *   angle and the loss are computed about once per cell;
 * - for a receiver behind the horizon only the hull vertices from the horizon
 *   vertex on can hold the largest ν (a vertex before it has a smaller slope
 *   from the antenna and a smaller d₁/d₂, hence a smaller ν), which shortens
 *   the scan; free-space loss is tabulated per step and J(ν) by
 *   `knifeEdgeLossTabulated`.
 *
 * Cells whose centre lies within the radius but that no sample hit (where the
 * rays are about one cell apart) take the value of the neighbouring cell
 * nearer the site; cells whose centre lies beyond the radius are left empty,
 * so the footprint is the disc of cell centres, as in `sampleIndexPerCell`.
 * Heights metres above sea level, distances metres, angles degrees.
 */
export interface SiteSweepInput {
  grid: RasterGrid
  /** Heights at the grid's cell corners: `(cols + 1) × (rows + 1)` posts from the grid's west/north corner. */
  heights: HeightWindow
  siteLon: number
  siteLat: number
  /** Antenna height above ground, m. */
  antennaHeightM: number
  /** Receiver height above ground, m (default 1.5). */
  receiverHeightM?: number
  radiusM: number
  frequencyMhz: number
  /** Environment (clutter) margin added to every path, dB (default 0). */
  environmentMarginDb?: number
  /** Effective earth-radius factor (default 4/3). */
  kFactor?: number
  /** Sample step along the rays, m (default: the smaller cell side). */
  stepM?: number
  /** Also return ν, line of sight and the sample each cell took (tests, diagnostics). */
  diagnostics?: boolean
}

export interface SiteSweep {
  grid: RasterGrid
  radials: number
  samplesPerRadial: number
  stepM: number
  /**
   * Per cell, four floats side by side (one cache line holds a cell, which is what makes the
   * scattered writes of the sweep cheap): [4i] path loss, dB (free space + main-edge diffraction
   * + margin; NaN outside the radius or over unknown terrain); [4i+1] elevation angle from the
   * antenna tip to the receiver, degrees (negative = below); [4i+2] bearing of the ray the cell's
   * sample lies on, degrees clockwise from north; [4i+3] ν of the main edge (−Infinity when
   * nothing rises above the direct path).
   */
  cells: Float32Array
  /** With `diagnostics`: 1 where the receiver sees the antenna tip. */
  lineOfSight?: Uint8Array
  /** With `diagnostics`: the sample the cell took, ray · samplesPerRadial + step (−1 none, −2 copied from a neighbour). */
  sampleIndex?: Int32Array
}

export function siteSweep(input: SiteSweepInput): SiteSweep {
  const { grid, heights } = input
  if (heights.cols !== grid.cols + 1 || heights.rows !== grid.rows + 1
    || Math.abs(heights.west - grid.west) > grid.stepLon * 1e-6 || Math.abs(heights.north - grid.north) > grid.stepLat * 1e-6) {
    throw new RangeError('siteSweep: the height window must hold the posts at the corners of the raster cells')
  }
  const cols = grid.cols
  const rows = grid.rows
  const pc = heights.cols
  const H = heights.heights
  const k = input.kFactor ?? 4 / 3
  const rxH = input.receiverHeightM ?? 1.5
  const margin = input.environmentMarginDb ?? 0
  const lambda = wavelength(input.frequencyMhz)
  const m = metresPerDegree(input.siteLat)
  const { radials, samplesPerRadial: S, stepM } = sweepLayout(grid, input.siteLat, input.radiusM, input.stepM)

  const n = cols * rows
  const cells = new Float32Array(n * 4).fill(Number.NaN)
  // Which cells have their sample: one byte per cell, so the check every sample makes stays in cache.
  const claimed = new Uint8Array(n)
  const diagnostics = input.diagnostics === true
  const losOut = diagnostics ? new Uint8Array(n) : undefined
  const sampleOut = diagnostics ? new Int32Array(n).fill(-1) : undefined

  // The site in post coordinates (x east, y south); its ground and the antenna tip.
  const sx = (input.siteLon - grid.west) / grid.stepLon
  const sy = (grid.north - input.siteLat) / grid.stepLat
  const ground = heightAtPost(heights, sx, sy)
  const txTip = (Number.isFinite(ground) ? ground : 0) + input.antennaHeightM

  // Per step: distance, its inverse, the earth's bulge, free-space loss + margin.
  const dist = new Float64Array(S)
  const invD = new Float64Array(S)
  const bulge = new Float64Array(S)
  const base = new Float64Array(S)
  const twoKR = 2 * k * EARTH_RADIUS_M
  const fsplConst = FREE_SPACE_LOSS_CONSTANT_DB + 20 * Math.log10(input.frequencyMhz) + margin
  for (let s = 0; s < S; s++) {
    const d = (s + 1) * stepM
    dist[s] = d
    invD[s] = 1 / d
    bulge[s] = (d * d) / twoKR
    base[s] = fsplConst + 20 * Math.log10(d / 1000)
  }
  const nuScale = 2 / lambda
  const degPerRad = 180 / Math.PI
  const hullD = new Float64Array(S)
  const hullH = new Float64Array(S)
  const pxPerM = 1 / (m.lon * grid.stepLon)
  const pyPerM = 1 / (m.lat * grid.stepLat)

  const ctx: RayContext = {
    cols, rows, pc, H, S, sx, sy, txTip, rxH, nuScale, degPerRad, dist, invD, bulge, base, hullD, hullH,
    cells, claimed, losOut: losOut ?? null, sampleOut: sampleOut ?? null,
  }
  for (let ray = 0; ray < radials; ray++) {
    const bearing = (ray * 2 * Math.PI) / radials
    sweepRay(ctx, ray, (ray * 360) / radials, Math.sin(bearing) * stepM * pxPerM, -Math.cos(bearing) * stepM * pyPerM)
  }

  // The footprint is the disc of cell centres: drop cells beyond it, fill the few inside no sample hit.
  // (The last sample is at S·step: a cell centre up to half a step beyond it still takes it.)
  const rEff = Math.min(input.radiusM, (S + 0.5) * stepM)
  const r2 = rEff * rEff
  const cellX = m.lon * grid.stepLon
  const cellY = m.lat * grid.stepLat
  for (let r = 0; r < rows; r++) {
    const y = (r + 0.5 - sy) * cellY
    for (let c = 0; c < cols; c++) {
      const x = (c + 0.5 - sx) * cellX
      const cell = r * cols + c
      const inside = x * x + y * y <= r2
      const claimed = cells[cell * 4] === cells[cell * 4]
      if (!inside) {
        if (claimed) {
          cells.fill(Number.NaN, cell * 4, cell * 4 + 4)
          if (diagnostics) { losOut![cell] = 0; sampleOut![cell] = -1 }
        }
        continue
      }
      if (claimed) continue
      // Unknown terrain under the cell (a corner post without a height) stays unknown.
      const post = r * pc + c
      if (Number.isNaN(H[post]! + H[post + 1]! + H[post + pc]! + H[post + pc + 1]!)) continue
      // A hole: copy the neighbour one step towards the site (swept before it), else another claimed neighbour.
      const from = neighbourTowards(c, r, sx, sy, cols, rows, cells)
      if (from < 0) continue
      cells.copyWithin(cell * 4, from * 4, from * 4 + 4)
      if (diagnostics) { losOut![cell] = losOut![from]!; sampleOut![cell] = -2 }
    }
  }
  return {
    grid, radials, samplesPerRadial: S, stepM, cells,
    ...(diagnostics ? { lineOfSight: losOut, sampleIndex: sampleOut } : {}),
  }
}

/** Everything one ray reads and writes, in one object of fixed shape (keeps the hot loop in a small, well-optimised function). */
interface RayContext {
  cols: number
  rows: number
  pc: number
  H: Float32Array
  S: number
  sx: number
  sy: number
  txTip: number
  rxH: number
  nuScale: number
  degPerRad: number
  dist: Float64Array
  invD: Float64Array
  bulge: Float64Array
  base: Float64Array
  hullD: Float64Array
  hullH: Float64Array
  cells: Float32Array
  claimed: Uint8Array
  losOut: Uint8Array | null
  sampleOut: Int32Array | null
}

function sweepRay(ctx: RayContext, ray: number, rayDeg: number, dx: number, dy: number): void {
  const { cols, rows, pc, H, S, sx, sy, txTip, rxH, nuScale, degPerRad, dist, invD, bulge, base, hullD, hullH, cells, claimed, losOut, sampleOut } = ctx
  let horizon = -Infinity
  let horizonVertex = 0
  let hullSize = 0
  for (let s = 0; s < S; s++) {
    const px = sx + (s + 1) * dx
    const py = sy + (s + 1) * dy
    // Off the window: the ray has left the known terrain for good (the window is a rectangle).
    if (!(px >= 0 && py >= 0 && px < cols && py < rows)) break
    const j = px | 0
    const i = py | 0
    const fx = px - j
    const fy = py - i
    const p = i * pc + j
    const h00 = H[p]!
    const h01 = H[p + 1]!
    const h10 = H[p + pc]!
    const top = h00 + fx * (h01 - h00)
    const h = top + fy * (h10 + fx * (H[p + pc + 1]! - h10) - top)
    if (h !== h) continue
    const hc = h - bulge[s]!
    const invd = invD[s]!
    const slope = (hc - txTip) * invd
    const cell = i * cols + j
    if (claimed[cell] === 0) {
      claimed[cell] = 1
      const o = cell * 4
      const d = dist[s]!
      const rxSlope = slope + rxH * invd
      let nu: number
      if (rxSlope < horizon) {
        // Behind the horizon: the largest c²/(d₁d₂) from the horizon vertex on (c > 0 at least there).
        // Fractions compared by cross-multiplying: no division in the loop.
        let bestNum = 0
        let bestDen = 1
        for (let v = horizonVertex; v < hullSize; v++) {
          const d1 = hullD[v]!
          const c = hullH[v]! - txTip - rxSlope * d1
          const num = c * c
          const den = d1 * (d - d1)
          if (c > 0 && num * bestDen > bestNum * den) {
            bestNum = num
            bestDen = den
          }
        }
        nu = Math.sqrt((bestNum / bestDen) * nuScale * d)
      } else if (hullSize > 0) {
        // In sight: every vertex lies below the direct path; the one nearest to it (in ν) counts.
        let bestNum = Infinity
        let bestDen = 1
        for (let v = 0; v < hullSize; v++) {
          const d1 = hullD[v]!
          const c = hullH[v]! - txTip - rxSlope * d1
          const num = c * c
          const den = d1 * (d - d1)
          if (num * bestDen < bestNum * den) {
            bestNum = num
            bestDen = den
          }
        }
        nu = -Math.sqrt((bestNum / bestDen) * nuScale * d)
      } else {
        nu = -Infinity
      }
      cells[o] = base[s]! + knifeEdgeLossTabulated(nu)
      cells[o + 1] = atanFast(rxSlope) * degPerRad
      cells[o + 2] = rayDeg
      cells[o + 3] = nu
      if (losOut !== null) {
        losOut[cell] = rxSlope >= horizon ? 1 : 0
        sampleOut![cell] = ray * S + s
      }
    }
    const newHorizon = slope >= horizon
    if (newHorizon) horizon = slope
    const d = dist[s]!
    // Upper hull (monotone chain): drop vertices that fall below the chord to the new point.
    while (hullSize >= 2) {
      const ax = hullD[hullSize - 2]!
      const ay = hullH[hullSize - 2]!
      const bx = hullD[hullSize - 1]!
      const by = hullH[hullSize - 1]!
      if ((bx - ax) * (hc - ay) - (by - ay) * (d - ax) >= 0) hullSize--
      else break
    }
    // Only a new horizon can pop the horizon vertex; should rounding pop it anyway, rescan from earlier.
    if (horizonVertex > hullSize) horizonVertex = Math.max(0, hullSize - 1)
    hullD[hullSize] = d
    hullH[hullSize] = hc
    hullSize++
    if (newHorizon) horizonVertex = hullSize - 1
  }
}

/**
 * arctangent within 1e-5 rad (6e-4°) of Math.atan: a degree-11 odd minimax polynomial on [−1, 1]
 * (Abramowitz & Stegun 4.4.49 form), atan(x) = ±π/2 − atan(1/x) beyond. The elevation angle
 * only feeds the vertical antenna pattern, whose 12·(θ/θ3dB)² changes by < 0.001 dB for that.
 */
export function atanFast(x: number): number {
  const ax = x < 0 ? -x : x
  const inv = ax > 1
  const t = inv ? 1 / ax : ax
  const t2 = t * t
  let r = t * (0.99997726 + t2 * (-0.33262347 + t2 * (0.19354346 + t2 * (-0.11643287 + t2 * (0.05265332 + t2 * -0.0117212)))))
  if (inv) r = Math.PI / 2 - r
  return x < 0 ? -r : r
}

function neighbourTowards(c: number, r: number, sx: number, sy: number, cols: number, rows: number, cells: Float32Array): number {
  const stepC = Math.sign(sx - (c + 0.5))
  const stepR = Math.sign(sy - (r + 0.5))
  const candidates: Array<[number, number]> = [[c + stepC, r + stepR], [c + stepC, r], [c, r + stepR], [c - stepC, r], [c, r - stepR]]
  for (const [cc, rr] of candidates) {
    if (cc < 0 || rr < 0 || cc >= cols || rr >= rows) continue
    const i = rr * cols + cc
    if (cells[i * 4] === cells[i * 4]) return i
  }
  return -1
}

export interface SectorAntennaPattern {
  /** Boresight bearing, degrees clockwise from north. */
  azimuthDeg: number
  /** Horizontal half-power beamwidth, degrees; ≥ 360 = omni. */
  horizontalBeamwidthDeg: number
  /** Vertical half-power beamwidth, degrees (default 10); null = no vertical pattern. */
  verticalBeamwidthDeg?: number | null
  electricalTiltDeg?: number
  mechanicalTiltDeg?: number
  /** A_m, dB (default 25). */
  frontToBackDb?: number
  /** SLA_v, dB (default 20). */
  sideLobeLevelDb?: number
}

/**
 * One sector's RSRP raster from its site's sweep: EIRP per resource element
 * minus the path loss minus the 3GPP antenna attenuation towards each cell
 * (the same formula as `antennaAttenuation`, inlined: A = min(A_H + A_V, A_m)).
 */
export function sectorRsrpFromSiteSweep(sweep: SiteSweep, antenna: SectorAntennaPattern, eirpPerReDbm: number): Float32Array {
  const n = sweep.cells.length / 4
  const out = new Float32Array(n)
  const am = antenna.frontToBackDb ?? 25
  const omni = antenna.horizontalBeamwidthDeg >= 360
  const hScale = omni ? 0 : 12 / (antenna.horizontalBeamwidthDeg * antenna.horizontalBeamwidthDeg)
  const az = antenna.azimuthDeg
  const theta3 = antenna.verticalBeamwidthDeg === undefined ? 10 : antenna.verticalBeamwidthDeg
  const vScale = theta3 === null ? 0 : 12 / (theta3 * theta3)
  const tilt = (antenna.electricalTiltDeg ?? 0) + (antenna.mechanicalTiltDeg ?? 0)
  const sla = antenna.sideLobeLevelDb ?? 20
  const cells = sweep.cells
  for (let i = 0; i < n; i++) {
    const loss = cells[i * 4]!
    if (loss !== loss) {
      out[i] = Number.NaN
      continue
    }
    let phi = cells[i * 4 + 2]! - az
    phi -= 360 * Math.round(phi / 360)
    let horizontal = hScale * phi * phi
    if (horizontal > am) horizontal = am
    const t = -cells[i * 4 + 1]! - tilt
    let vertical = vScale * t * t
    if (vertical > sla) vertical = sla
    let attenuation = horizontal + vertical
    if (attenuation > am) attenuation = am
    out[i] = eirpPerReDbm - attenuation - loss
  }
  return out
}
