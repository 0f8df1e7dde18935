import { inflateRawSync } from 'node:zlib'
import type { Db, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { metresPerDegree, windowAround, type RasterGrid } from '../../geo/coverage/raster-grid.ts'
import { sectorRsrpRaster } from '../../geo/coverage/sector-rsrp-raster.ts'
import type { SiteSweep } from '../../geo/coverage/site-sweep.ts'
import { heightWindowFromTiles, postsForRaster } from '../../geo/dem/height-window.ts'
import { polygonAreaKm2 } from '../../geo/ellipsoidal-area.ts'
import { COVERAGE_THRESHOLDS_DBM, coverageClass, type CoverageClass, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'
import { checkVietnamExtent, VIETNAM_EXTENT } from '../../geo/vietnam-extent.ts'
import { listAppliedCalibrationOffsets } from '../../repositories/calibration.repository.ts'
import { findCurrentCoverageRunDetail, type CoverageSectorRow } from '../../repositories/coverage.repository.ts'
import { findOperatorIdsByCodes } from '../../repositories/operators.repository.ts'
import {
  findMedianSectorRadio, findNearestLine, listCompositeTilesByName, listVillagePointsInBbox, type CompositeTileRow, type VillagePointRow,
} from '../../repositories/planning.repository.ts'
import { decodeCompositeTile, NO_RSRP } from '../coverage/raster-codec.ts'
import { COMPOSITE_TILE_DEG } from '../coverage/recompute-coverage.service.ts'
import type { DemStore, DemTileKind } from '../dem/dem-store.ts'
import { villagePredictions } from '../village-coverage/village-predictions.service.ts'

/**
 * What-if for one candidate site: what it would change on the current coverage run, computed
 * from the candidate's own rasters against the run's composite tiles, without a recompute.
 *
 * 1. The candidate's sectors are computed exactly as a recompute would compute them were the
 *    site real and in service (what `createSectorJobRunner` does: one sweep per antenna height
 *    and frequency, the DEM tiles copied into a post window), on the window of the
 *    run's global grid (origin 180° W, 90° N, the run's step) around the site, with the run's
 *    bandwidth and environment margin, stored precision (sector numbers rounded to float4 as the
 *    `sectors` table keeps them; RSRP in half-dB codes, composites in deci-dBm). So the answer
 *    equals the difference between two full recomputes, with and without the site (integration
 *    test), when `radiusM` is the run's radius.
 * 2. The run's composite tiles under the window (the candidate's operator, and any operator) are
 *    decoded; after = the better of the composite and the candidate, per cell (what a recompute's
 *    best-server merge gives).
 * 3. Class areas (good ≥ thresholds.goodDbm, weak ≥ weakDbm, none below; the run's thresholds)
 *    are sums of cell areas on the WGS84 ellipsoid (the equal-area formula of the class polygons'
 *    `area_km2`, applied to each cell), before and after; transitions none→weak, none→good,
 *    weak→good (a cell with no prediction counts as none there). White zone: cells within the
 *    candidate's radius where no operator reaches weak (or nothing is predicted), before and after.
 *    Overlap: cells the candidate alone serves at weak or better that some operator already served
 *    at weak or better, and its share of the candidate's footprint.
 * 4. Villages whose point lies in the window: their prediction on the run's date (village
 *    predictions, calibration offsets included) against the candidate's value in the cell that
 *    holds the point (the cell a recompute samples), plus the operator's applied offset.
 * 5. Site context: nearest fibre route and power line (not decommissioned; geodesic metres), the
 *    ground height (bilinear) and slope (Horn's 3 × 3 at the DEM's step) at the site. No road layer
 *    exists: `road` is null with the reason.
 *
 * Default configuration (no `sectors`): three sectors at 0°, 120°, 240°, 65° beamwidth, 30 m,
 * 1800 MHz, no tilt, with the median EIRP and gain of the operator's existing sectors of the
 * technology, else 60 dBm and 17 dBi.
 */

export interface CandidateSector {
  /** Boresight azimuth, degrees from north (0–360); may be absent for an omni sector (beamwidth 360). */
  azimuthDeg?: number | null
  beamwidthDeg: number
  /** Antenna height above ground, m. */
  heightM: number
  /** EIRP on boresight, dBm (gain included). */
  eirpDbm: number
  gainDbi: number
  frequencyMhz: number
  electricalTiltDeg?: number
  mechanicalTiltDeg?: number
}

export interface WhatIfCandidate {
  lon: number
  lat: number
  operatorCode: string
  technology?: Technology
  /** Computation radius, m (default 15 km). Give the run's radius to compare with a recompute. */
  radiusM?: number
  sectors?: CandidateSector[]
}

export const DEFAULT_WHAT_IF_RADIUS_M = 15_000
/** The default configuration when a candidate gives no sectors (EIRP and gain: the operator's medians when it has sectors). */
export const DEFAULT_CANDIDATE_CONFIGURATION = Object.freeze({
  azimuthsDeg: [0, 120, 240], beamwidthDeg: 65, heightM: 30, frequencyMhz: 1800, eirpDbm: 60, gainDbi: 17, electricalTiltDeg: 0, mechanicalTiltDeg: 0,
})

export interface ClassAreasKm2 { good: number; weak: number; none: number }
export interface Transitions<T> { noneToWeak: T; noneToGood: T; weakToGood: T }

export interface AreaChange {
  /** Predicted class areas inside the candidate's window, km² ('none': predicted below weak). */
  before: ClassAreasKm2
  after: ClassAreasKm2
  /** Area changing class, km² (no prediction before counts as none). */
  transitions: Transitions<number>
  /** Area at weak or better after that was not before, km². */
  newlyCoveredKm2: number
  /** Inside the candidate's radius: area below weak or without prediction, km². */
  deadZoneKm2: { before: number; after: number }
}

export interface VillageChange {
  id: number
  code: string
  name: string
  population: number | null
  /** Predicted class on the run's date (none when nothing is predicted there). */
  before: CoverageClass
  after: CoverageClass
  beforeRsrpDbm: number | null
  afterRsrpDbm: number
}

export interface VillageChanges {
  villages: VillageChange[]
  counts: Transitions<number>
  population: Transitions<number>
  total: { villages: number; population: number }
}

export interface NearestLine { id: number; code: string; distanceM: number }

export interface WhatIfResult {
  runId: number
  technology: Technology
  operator: { id: number; code: string }
  site: { lon: number; lat: number; groundElevationM: number | null; slopeDeg: number | null }
  radiusM: number
  /** The run's radius when it had a fixed one (a what-if with the same radius equals a recompute), else null. */
  runRadiusM: number | null
  configuration: 'given' | 'operator-default'
  /** For the default configuration: where its EIRP and gain come from. */
  configurationBasis: string | null
  sectors: Array<Required<Omit<CandidateSector, 'azimuthDeg'>> & { azimuthDeg: number | null }>
  thresholds: CoverageThresholds
  /** The window of the run's grid the candidate was computed on. */
  window: { west: number; south: number; east: number; north: number; cols: number; rows: number; stepDeg: number }
  areas: { operator: AreaChange; any: AreaChange }
  /** Where the candidate alone reaches weak or better, and the part already served at weak or better by some operator. */
  overlap: { footprintKm2: number; overlapKm2: number; share: number }
  villages: { operator: VillageChanges; any: VillageChanges }
  distances: {
    fibre: NearestLine | null
    powerLine: NearestLine | null
    road: null
    roadReason: string
  }
  dem: { synthetic: boolean; tiles: Array<{ name: string; kind: DemTileKind }> }
  elapsedMs: number
  phasesMs: { prepare: number; rasters: number; reads: number; composite: number; villages: number }
}

interface RunParams {
  step: number
  onDate: string
  radiusM: number | null
  bandwidthMhz: number
  environmentMarginDb: number
  thresholds: CoverageThresholds
}

const ROAD_REASON = 'no road layer exists in phusong yet'

export async function whatIf(db: Db, dem: DemStore, candidate: WhatIfCandidate): Promise<WhatIfResult> {
  const started = performance.now()
  const { lon, lat } = candidate
  const technology = candidate.technology ?? '4G'
  const outside = checkVietnamExtent({ type: 'Point', coordinates: [lon, lat] })
  if (outside) {
    const e = VIETNAM_EXTENT
    const field = lon < e.minLon || lon > e.maxLon ? 'lon' : 'lat'
    throw new AppError('outside-vietnam', outside.reason, [{ field, location: 'body', value: field === 'lon' ? lon : lat, reason: outside.reason }])
  }
  const operatorId = (await findOperatorIdsByCodes(db, [candidate.operatorCode])).get(candidate.operatorCode)
  if (operatorId === undefined) {
    throw new AppError('unknown-reference', `operatorCode: no operator has code ${candidate.operatorCode}`, [
      { field: 'operatorCode', location: 'body', value: candidate.operatorCode, reason: 'unknown operator (see GET /api/operators)' },
    ])
  }
  const run = await findCurrentCoverageRunDetail(db, technology)
  if (!run) throw new AppError('no-coverage-prediction', `No ${technology} coverage run is current yet: start one with POST /api/coverage/runs`)
  const params = runParams(run.params, run.id)
  const radiusM = candidate.radiusM ?? DEFAULT_WHAT_IF_RADIUS_M

  // The candidate's sectors (as the sectors table would store them: float4).
  let configuration: WhatIfResult['configuration'] = 'given'
  let configurationBasis: string | null = null
  let sectors: WhatIfResult['sectors']
  if (candidate.sectors && candidate.sectors.length > 0) {
    sectors = candidate.sectors.map((s) => ({
      azimuthDeg: s.azimuthDeg ?? null, beamwidthDeg: s.beamwidthDeg, heightM: s.heightM, eirpDbm: s.eirpDbm, gainDbi: s.gainDbi,
      frequencyMhz: s.frequencyMhz, electricalTiltDeg: s.electricalTiltDeg ?? 0, mechanicalTiltDeg: s.mechanicalTiltDeg ?? 0,
    }))
    sectors.forEach((s, i) => {
      if (s.azimuthDeg === null && s.beamwidthDeg < 360) {
        throw new AppError('validation-failed', `sectors.${i}.azimuthDeg: a directional sector needs an azimuth`, [
          { field: `sectors.${i}.azimuthDeg`, location: 'body', reason: 'required when beamwidthDeg is below 360' },
        ])
      }
    })
  } else {
    configuration = 'operator-default'
    const d = DEFAULT_CANDIDATE_CONFIGURATION
    const median = await findMedianSectorRadio(db, operatorId, technology)
    configurationBasis = median
      ? `EIRP ${median.eirp_dbm} dBm and gain ${median.gain_dbi} dBi: medians of ${candidate.operatorCode}'s ${median.n} ${technology} sectors at existing sites`
      : `EIRP ${d.eirpDbm} dBm and gain ${d.gainDbi} dBi: ${candidate.operatorCode} has no ${technology} sector at an existing site`
    sectors = d.azimuthsDeg.map((azimuthDeg) => ({
      azimuthDeg, beamwidthDeg: d.beamwidthDeg, heightM: d.heightM, frequencyMhz: d.frequencyMhz,
      eirpDbm: median?.eirp_dbm ?? d.eirpDbm, gainDbi: median?.gain_dbi ?? d.gainDbi, electricalTiltDeg: d.electricalTiltDeg, mechanicalTiltDeg: d.mechanicalTiltDeg,
    }))
  }
  const f4 = Math.fround
  const rows: CoverageSectorRow[] = sectors.map((s, i) => ({
    sector_id: -(i + 1), site_id: -1, operator_id: operatorId, operator_code: candidate.operatorCode, lon, lat, ground_elevation_m: null, technology,
    frequency_mhz: f4(s.frequencyMhz), azimuth_deg: s.azimuthDeg === null ? null : f4(s.azimuthDeg), beamwidth_deg: f4(s.beamwidthDeg),
    electrical_tilt_deg: f4(s.electricalTiltDeg), mechanical_tilt_deg: f4(s.mechanicalTiltDeg), height_m: f4(s.heightM), eirp_dbm: f4(s.eirpDbm), gain_dbi: f4(s.gainDbi),
  }))

  // The run's global grid and the candidate's window on it; the DEM over the candidate's disc.
  const step = params.step
  const grid: RasterGrid = { west: -180, north: 90, stepLon: step, stepLat: step, cols: Math.round(360 / step), rows: Math.round(180 / step) }
  const window = windowAround(grid, lon, lat, radiusM)
  const m = metresPerDegree(lat)
  const area = await dem.sampler([lon - radiusM / m.lon, lat - radiusM / m.lat, lon + radiusM / m.lon, lat + radiusM / m.lat])
  const ground = area.sampler.sample(lon, lat)
  if (ground === null) {
    throw new AppError('no-terrain-data', `No DEM tile covers the candidate at (${lon}, ${lat}): run npm run dem:fetch (or dem:sample) first`, [
      { field: 'lon', location: 'body', value: lon, reason: 'no elevation data under the candidate' },
    ])
  }
  const demTiles = area.coverage.tiles.filter((t) => t.status !== 'missing').map((t) => ({ name: t.name, kind: t.status as DemTileKind }))

  // Start the database reads; the rasters are computed meanwhile.
  const tileCells = Math.max(1, Math.round(COMPOSITE_TILE_DEG / step))
  const tileNames: string[] = []
  for (let ty = Math.floor(window.row0 / tileCells); ty <= Math.floor((window.row0 + window.rows - 1) / tileCells); ty++) {
    for (let tx = Math.floor(window.col0 / tileCells); tx <= Math.floor((window.col0 + window.cols - 1) / tileCells); tx++) tileNames.push(`${tx}_${ty}`)
  }
  const south = window.north - window.rows * step
  const east = window.west + window.cols * step
  const reads = settleLater(Promise.all([
    listCompositeTilesByName(db, run.id, technology, [operatorId, null], tileNames),
    villagesWithPredictions(db, technology, params.onDate, [window.west, south, east, window.north]),
    listAppliedCalibrationOffsets(db, technology),
    findNearestLine(db, 'fibre_routes', lon, lat),
    findNearestLine(db, 'power_lines', lon, lat),
  ]))
  const prepared = performance.now()

  // ---- 1. The candidate's rasters: best code per cell over its sectors ----------------------------
  const cells = window.cols * window.rows
  const candidateCodes = new Uint8Array(cells)
  // What `createSectorJobRunner` + `encodeSectorRaster` do for a recompute, without the deflate
  // round trip: the heights under the window copied once, one sweep per antenna height and
  // frequency, each sector's RSRP quantised to half-dB codes (the integration test holds this equal
  // to real recomputes).
  const heights = heightWindowFromTiles(area.sampler.tiles, postsForRaster(window))
  for (const group of groupBySweep(rows)) {
    let sweep: SiteSweep | undefined
    for (const s of group) {
      const { rsrpDbm, sweep: used } = sectorRsrpRaster({
        grid: window, heights, siteLon: s.lon, siteLat: s.lat, radiusM, sweep, environmentMarginDb: params.environmentMarginDb,
        radio: {
          antenna: { gainDbi: s.gain_dbi, azimuthDeg: s.azimuth_deg ?? 0, horizontalBeamwidthDeg: s.beamwidth_deg, electricalTiltDeg: s.electrical_tilt_deg, mechanicalTiltDeg: s.mechanical_tilt_deg },
          heightM: s.height_m, frequencyMhz: s.frequency_mhz, eirpDbm: s.eirp_dbm, bandwidthMhz: params.bandwidthMhz,
        },
      })
      sweep = used
      maxHalfDbCodes(rsrpDbm, candidateCodes)
    }
  }
  const rastersDone = performance.now()

  // ---- 2. The composites under the window, as half-dB codes -----------------------------------------
  const [tiles, villages, offsets, fibre, power] = await reads()
  const readsDone = performance.now()
  const currentOperator = new Uint8Array(cells)
  const currentAny = new Uint8Array(cells)
  for (const t of tiles) copyTileCodes(t, t.operator_id === null ? currentAny : currentOperator, window, grid)

  // ---- 3. Areas -----------------------------------------------------------------------------------------
  const classOf = classTable(params.thresholds)
  const rowAreaKm2 = new Float64Array(window.rows)
  for (let r = 0; r < window.rows; r++) {
    const n = window.north - r * step
    const s = window.north - (r + 1) * step
    rowAreaKm2[r] = polygonAreaKm2([[[0, s], [step, s], [step, n], [0, n], [0, s]]])
  }
  const sx = (lon - window.west) / step
  const sy = (window.north - lat) / step
  const inDisc = (c: number, r: number) => {
    const x = (c + 0.5 - sx) * m.lon * step
    const y = (r + 0.5 - sy) * m.lat * step
    return x * x + y * y <= radiusM * radiusM
  }
  const operatorAreas = areaChange(currentOperator, candidateCodes, classOf, rowAreaKm2, window, inDisc)
  const anyAreas = areaChange(currentAny, candidateCodes, classOf, rowAreaKm2, window, inDisc)
  let footprintKm2 = 0
  let overlapKm2 = 0
  for (let r = 0; r < window.rows; r++) {
    const a = rowAreaKm2[r]!
    for (let c = 0, i = r * window.cols; c < window.cols; c++, i++) {
      if (classOf[candidateCodes[i]!]! < CLASS_WEAK) continue
      footprintKm2 += a
      if (classOf[currentAny[i]!]! >= CLASS_WEAK) overlapKm2 += a
    }
  }
  const compositeDone = performance.now()

  // ---- 4. Villages -----------------------------------------------------------------------------------------
  const offsetDb = offsets.find((o) => o.operator_id === operatorId && o.model === run.model)?.offset_db ?? 0
  const villageChanges = { operator: emptyVillageChanges(), any: emptyVillageChanges() }
  for (const v of villages.points) {
    const col = Math.floor((v.lon - grid.west) / step) - window.col0
    const row = Math.floor((grid.north - v.lat) / step) - window.row0
    if (col < 0 || row < 0 || col >= window.cols || row >= window.rows) continue
    const code = candidateCodes[row * window.cols + col]!
    if (code === 0) continue
    const candidateDbm = code / 2 - 160.5 + Number(offsetDb)
    for (const key of ['operator', 'any'] as const) {
      const before = villages.predictions.get(`${v.id}|${key === 'any' ? 'any' : operatorId}`)
      const beforeDbm = before ?? null
      const afterDbm = beforeDbm === null ? candidateDbm : Math.max(beforeDbm, candidateDbm)
      const from = beforeDbm === null ? 'none' : coverageClass(beforeDbm, params.thresholds)
      const to = coverageClass(afterDbm, params.thresholds)
      if (from === to) continue
      addVillageChange(villageChanges[key], { id: v.id, code: v.code, name: v.name, population: v.population, before: from, after: to, beforeRsrpDbm: beforeDbm, afterRsrpDbm: afterDbm })
    }
  }
  const villagesDone = performance.now()

  return {
    runId: run.id,
    technology,
    operator: { id: operatorId, code: candidate.operatorCode },
    site: { lon, lat, groundElevationM: round(ground, 1), slopeDeg: slopeAt(area.sampler.sample, lon, lat, area.sampler.tiles[0]?.step ?? step) },
    radiusM,
    runRadiusM: params.radiusM,
    configuration,
    configurationBasis,
    sectors,
    thresholds: params.thresholds,
    window: { west: window.west, south, east, north: window.north, cols: window.cols, rows: window.rows, stepDeg: step },
    areas: { operator: operatorAreas, any: anyAreas },
    overlap: { footprintKm2, overlapKm2, share: footprintKm2 > 0 ? overlapKm2 / footprintKm2 : 0 },
    villages: villageChanges,
    distances: {
      fibre: fibre ? { id: fibre.id, code: fibre.code, distanceM: round(fibre.distance_m, 1) } : null,
      powerLine: power ? { id: power.id, code: power.code, distanceM: round(power.distance_m, 1) } : null,
      road: null,
      roadReason: ROAD_REASON,
    },
    dem: { synthetic: demTiles.some((t) => t.kind === 'synthetic'), tiles: demTiles },
    elapsedMs: round(performance.now() - started, 1),
    phasesMs: {
      prepare: round(prepared - started, 1), rasters: round(rastersDone - prepared, 1),
      reads: round(readsDone - rastersDone, 1), composite: round(compositeDone - readsDone, 1), villages: round(villagesDone - compositeDone, 1),
    },
  }
}

const CLASS_NO_DATA = 0
const CLASS_NONE = 1
const CLASS_WEAK = 2
const CLASS_GOOD = 3

/**
 * The class of every half-dB code, as the recompute classes a composite cell: code → deci-dBm →
 * float4 dBm (`classRaster` over a Float32Array) against the thresholds; code 0 = no data.
 */
function classTable(thresholds: CoverageThresholds): Uint8Array {
  const out = new Uint8Array(256)
  for (let code = 1; code < 256; code++) {
    const v = Math.fround((code * 5 - 1605) / 10)
    out[code] = v >= thresholds.goodDbm ? CLASS_GOOD : v >= thresholds.weakDbm ? CLASS_WEAK : CLASS_NONE
  }
  out[0] = CLASS_NO_DATA
  return out
}

/** Raises `codes` to each cell's half-dB code of an RSRP raster (exactly as `encodeSectorRaster` quantises; NaN = no value). */
function maxHalfDbCodes(rsrpDbm: Float32Array, codes: Uint8Array): void {
  for (let i = 0; i < rsrpDbm.length; i++) {
    const v = rsrpDbm[i]!
    if (v !== v) continue
    const x = (v + 160.5) * 2
    const code = x < 1 ? 1 : x > 255 ? 255 : (x + 0.5) | 0
    if (code > codes[i]!) codes[i] = code
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** A composite tile's best RSRP (Int16 deci-dBm, little-endian; `decodeCompositeTile` without the serving sectors, which a what-if does not need). */
function decodeBestDecidbm(t: CompositeTileRow): Int16Array {
  const cells = t.cols * t.rows
  if (!LITTLE_ENDIAN) return decodeCompositeTile(t.codec, t.best_rsrp_decidbm, t.serving_sector_ids, cells).best
  const bytes = t.codec === 'deflate' ? inflateRawSync(t.best_rsrp_decidbm) : t.best_rsrp_decidbm
  if (bytes.byteLength !== cells * 2) throw new Error(`composite tile ${t.tile} holds ${bytes.byteLength / 2} cells, expected ${cells}`)
  const out = new Int16Array(cells)
  new Uint8Array(out.buffer).set(bytes)
  return out
}

/** Copies a composite tile's cells inside the window into `out`, as half-dB codes (0 = no value). */
function copyTileCodes(t: CompositeTileRow, out: Uint8Array, window: ReturnType<typeof windowAround>, grid: RasterGrid): void {
  const best = decodeBestDecidbm(t)
  const tileCol0 = Math.round((t.west - grid.west) / grid.stepLon)
  const tileRow0 = Math.round((grid.north - t.north) / grid.stepLat)
  const c0 = Math.max(tileCol0, window.col0)
  const c1 = Math.min(tileCol0 + t.cols, window.col0 + window.cols)
  const r0 = Math.max(tileRow0, window.row0)
  const r1 = Math.min(tileRow0 + t.rows, window.row0 + window.rows)
  for (let r = r0; r < r1; r++) {
    const src = (r - tileRow0) * t.cols - tileCol0
    const dst = (r - window.row0) * window.cols - window.col0
    for (let c = c0; c < c1; c++) {
      const deci = best[src + c]!
      out[dst + c] = deci === NO_RSRP ? 0 : (deci + 1605) / 5
    }
  }
}

function areaChange(
  current: Uint8Array, candidate: Uint8Array, classOf: Uint8Array, rowAreaKm2: Float64Array,
  window: { cols: number; rows: number }, inDisc: (c: number, r: number) => boolean,
): AreaChange {
  const before = [0, 0, 0, 0]
  const after = [0, 0, 0, 0]
  const transitions: Transitions<number> = { noneToWeak: 0, noneToGood: 0, weakToGood: 0 }
  const deadZoneKm2 = { before: 0, after: 0 }
  for (let r = 0; r < window.rows; r++) {
    const a = rowAreaKm2[r]!
    for (let c = 0, i = r * window.cols; c < window.cols; c++, i++) {
      const now = current[i]!
      const cand = candidate[i]!
      const from = classOf[now]!
      const to = classOf[cand > now ? cand : now]!
      before[from]! += a
      after[to]! += a
      if (to !== from) {
        if (to === CLASS_GOOD) {
          if (from === CLASS_WEAK) transitions.weakToGood += a
          else if (from !== CLASS_GOOD) transitions.noneToGood += a
        } else if (to === CLASS_WEAK && from < CLASS_WEAK) transitions.noneToWeak += a
      }
      // Only a cell below weak before can be a dead zone (before, and after when the candidate does not lift it).
      if (from < CLASS_WEAK && inDisc(c, r)) {
        deadZoneKm2.before += a
        if (to < CLASS_WEAK) deadZoneKm2.after += a
      }
    }
  }
  return {
    before: { good: before[CLASS_GOOD]!, weak: before[CLASS_WEAK]!, none: before[CLASS_NONE]! },
    after: { good: after[CLASS_GOOD]!, weak: after[CLASS_WEAK]!, none: after[CLASS_NONE]! },
    transitions,
    newlyCoveredKm2: transitions.noneToWeak + transitions.noneToGood,
    deadZoneKm2,
  }
}

function emptyVillageChanges(): VillageChanges {
  return {
    villages: [],
    counts: { noneToWeak: 0, noneToGood: 0, weakToGood: 0 },
    population: { noneToWeak: 0, noneToGood: 0, weakToGood: 0 },
    total: { villages: 0, population: 0 },
  }
}

function addVillageChange(into: VillageChanges, change: VillageChange): void {
  const key: keyof Transitions<number> = change.after === 'good' ? (change.before === 'weak' ? 'weakToGood' : 'noneToGood') : 'noneToWeak'
  into.villages.push(change)
  into.counts[key]++
  into.population[key] += change.population ?? 0
  into.total.villages++
  into.total.population += change.population ?? 0
}

/** Villages whose point lies in a box, and their predicted RSRP on a date by `${villageId}|${operatorId or 'any'}`. */
async function villagesWithPredictions(db: Db, technology: Technology, onDate: string, bbox: [number, number, number, number]): Promise<{ points: VillagePointRow[]; predictions: Map<string, number> }> {
  const points = await listVillagePointsInBbox(db, bbox)
  const predictions = new Map<string, number>()
  if (points.length === 0) return { points, predictions }
  const { predictions: rows } = await villagePredictions(db, { technology, onDate, villageIds: points.map((p) => p.id) })
  for (const p of rows) predictions.set(`${p.villageId}|${p.operatorId ?? 'any'}`, p.rsrpDbm)
  return { points, predictions }
}

/** Sectors that share an antenna height and frequency share one sweep (as in the recompute). */
function groupBySweep(rows: readonly CoverageSectorRow[]): CoverageSectorRow[][] {
  const groups = new Map<string, CoverageSectorRow[]>()
  for (const r of rows) {
    const key = `${r.height_m}:${r.frequency_mhz}`
    const g = groups.get(key)
    if (g) g.push(r)
    else groups.set(key, [r])
  }
  return [...groups.values()]
}

/** Slope at a point, degrees: Horn's 3 × 3 gradient of the bilinear heights one DEM step apart; null where a neighbour is unknown. */
function slopeAt(sample: (lon: number, lat: number) => number | null, lon: number, lat: number, stepDeg: number): number | null {
  const m = metresPerDegree(lat)
  const z: number[] = []
  for (const dy of [1, 0, -1]) {
    for (const dx of [-1, 0, 1]) {
      const h = sample(lon + dx * stepDeg, lat + dy * stepDeg)
      if (h === null || !Number.isFinite(h)) return null
      z.push(h)
    }
  }
  const [a, b, c, d, , f, g, h, i] = z as [number, number, number, number, number, number, number, number, number]
  const dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) / (8 * stepDeg * m.lon)
  const dzdy = ((a + 2 * b + c) - (g + 2 * h + i)) / (8 * stepDeg * m.lat)
  return round((Math.atan(Math.hypot(dzdx, dzdy)) * 180) / Math.PI, 2)
}

function runParams(raw: unknown, runId: number): RunParams {
  const p = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const step = typeof p.step === 'number' && p.step > 0 ? p.step : null
  const onDate = typeof p.onDate === 'string' ? p.onDate : null
  if (step === null || onDate === null) {
    throw new AppError('no-coverage-prediction', `Coverage run ${runId} records no grid step or date: start a new run with POST /api/coverage/runs`)
  }
  const t = p.thresholds as Partial<CoverageThresholds> | undefined
  return {
    step,
    onDate,
    radiusM: typeof p.radiusM === 'number' ? p.radiusM : null,
    bandwidthMhz: typeof p.bandwidthMhz === 'number' ? p.bandwidthMhz : 20,
    environmentMarginDb: typeof p.environmentMarginDb === 'number' ? p.environmentMarginDb : 0,
    thresholds: typeof t?.goodDbm === 'number' && typeof t.weakDbm === 'number' ? { goodDbm: t.goodDbm, weakDbm: t.weakDbm } : { ...COVERAGE_THRESHOLDS_DBM },
  }
}

/** A promise whose rejection is held until it is awaited (so work in between cannot leave it unhandled). */
function settleLater<T>(p: Promise<T>): () => Promise<T> {
  p.catch(() => undefined)
  return () => p
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
