import { inflateRawSync } from 'node:zlib'
import type { Db, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { metresPerDegree, windowAround, type RasterGrid } from '../../geo/coverage/raster-grid.ts'
import { sectorRsrpRaster } from '../../geo/coverage/sector-rsrp-raster.ts'
import type { SiteSweep } from '../../geo/coverage/site-sweep.ts'
import { heightWindowFromTiles, postsForRaster } from '../../geo/dem/height-window.ts'
import { polygonAreaKm2 } from '../../geo/ellipsoidal-area.ts'
import { coverageClass, type CoverageClass, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'
import { checkVietnamExtent, VIETNAM_EXTENT } from '../../geo/vietnam-extent.ts'
import { listAppliedCalibrationOffsets } from '../../repositories/calibration.repository.ts'
import { findCurrentCoverageRunDetail, type CoverageSectorRow } from '../../repositories/coverage.repository.ts'
import { findOperatorIdsByCodes } from '../../repositories/operators.repository.ts'
import {
  findMedianSectorRadio, findNearestLine, listCompositeTilesByName, listVillagePointsInBbox, type CompositeTileRow, type VillagePointRow,
} from '../../repositories/planning.repository.ts'
import { createTileCache } from '../../geo/dem/tile-cache.ts'
import { NO_RSRP } from '../coverage/raster-codec.ts'
import { runParams } from './run-params.ts'
import { COMPOSITE_TILE_DEG } from '../coverage/recompute-coverage.service.ts'
import type { DemStore, DemTileKind } from '../dem/dem-store.ts'
import { villagePredictions } from '../village-coverage/village-predictions.service.ts'
import { roundTo } from '../../lib/round.ts'

/**
 * What-if for one candidate site (`whatIf`) or several sites of one operator at once (`whatIfSites`,
 * a plan's sites): what they would change on the current coverage run, computed from their own
 * rasters against the run's composite tiles, without a recompute. Several sites: each is swept on
 * its own window as below; windows that overlap are joined into their bounding window (until the
 * windows are disjoint), the sites' codes merged there by best server, and that merged with the
 * composite; the dead zone is inside any site's radius. One candidate is the case of one site.
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
  /** The commune the village belongs to. */
  commune: { code: string; name: string }
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


const ROAD_REASON = 'no road layer exists in phusong yet'

/** One site of a several-site what-if (a plan's site): its position and sectors (absent: the operator default). */
export interface WhatIfSite {
  lon: number
  lat: number
  sectors?: CandidateSector[]
}

export interface WhatIfSitesInput {
  operatorCode: string
  technology?: Technology
  /** Computation radius around each site, m (default 15 km); 'run': the run's radius when it had one (what a recompute uses), else 15 km. */
  radiusM?: number | 'run'
  sites: readonly WhatIfSite[]
}

/** A window of the run's grid, in degrees and cells. */
export interface WhatIfWindow { west: number; south: number; east: number; north: number; cols: number; rows: number; stepDeg: number }

/** What a several-site what-if says about each site. */
export interface WhatIfSiteResult {
  lon: number
  lat: number
  groundElevationM: number | null
  slopeDeg: number | null
  configuration: 'given' | 'operator-default'
  configurationBasis: string | null
  sectors: WhatIfResult['sectors']
  /** The window of the run's grid this site was computed on. */
  window: WhatIfWindow
  distances: WhatIfResult['distances']
}

/**
 * Several sites at once: each site is swept on its own window exactly as for one candidate, the
 * sites merged by best server (the best half-dB code per cell over every sector of every site) and
 * that merged with the run's composite: what a recompute with all of them added gives.
 */
export interface WhatIfSitesResult {
  runId: number
  technology: Technology
  operator: { id: number; code: string }
  radiusM: number
  runRadiusM: number | null
  thresholds: CoverageThresholds
  sites: WhatIfSiteResult[]
  /**
   * The disjoint windows the sites were merged on: the sites' windows, those that overlap joined
   * into their bounding window until no two overlap (one window for one site or a compact plan).
   */
  windows: WhatIfWindow[]
  /** As for one candidate; the dead zone is inside any site's radius, the overlap is the sites' joint footprint. */
  areas: { operator: AreaChange; any: AreaChange }
  overlap: { footprintKm2: number; overlapKm2: number; share: number }
  villages: { operator: VillageChanges; any: VillageChanges }
  dem: { synthetic: boolean; tiles: Array<{ name: string; kind: DemTileKind }> }
  elapsedMs: number
  phasesMs: WhatIfResult['phasesMs']
}

/** Where a problem with a site's input is reported: the single what-if's body fields, or `sites.<i>.<field>`. */
export interface FieldNaming { field: (site: number, name: string) => string; location: 'body' | 'querystring' | 'params' }
const SINGLE_CANDIDATE: FieldNaming = { field: (_site, name) => name, location: 'body' }
const SEVERAL_SITES: FieldNaming = { field: (site, name) => `sites.${site}.${name}`, location: 'body' }

export async function whatIf(db: Db, dem: DemStore, candidate: WhatIfCandidate): Promise<WhatIfResult> {
  const r = await whatIfSites(db, dem, {
    operatorCode: candidate.operatorCode, technology: candidate.technology, radiusM: candidate.radiusM,
    sites: [{ lon: candidate.lon, lat: candidate.lat, sectors: candidate.sectors }],
  }, SINGLE_CANDIDATE)
  const s = r.sites[0]!
  return {
    runId: r.runId,
    technology: r.technology,
    operator: r.operator,
    site: { lon: s.lon, lat: s.lat, groundElevationM: s.groundElevationM, slopeDeg: s.slopeDeg },
    radiusM: r.radiusM,
    runRadiusM: r.runRadiusM,
    configuration: s.configuration,
    configurationBasis: s.configurationBasis,
    sectors: s.sectors,
    thresholds: r.thresholds,
    window: s.window,
    areas: r.areas,
    overlap: r.overlap,
    villages: r.villages,
    distances: s.distances,
    dem: r.dem,
    elapsedMs: r.elapsedMs,
    phasesMs: r.phasesMs,
  }
}

/** A site prepared for its sweep: its sectors as rows, its window, its DEM heights. */
interface PreparedSite {
  lon: number
  lat: number
  ground: number
  slopeDeg: number | null
  configuration: WhatIfSiteResult['configuration']
  configurationBasis: string | null
  sectors: WhatIfResult['sectors']
  rows: CoverageSectorRow[]
  window: RasterGrid & { col0: number; row0: number }
  heights: ReturnType<typeof heightWindowFromTiles>
}

/** A box of the global grid, in cells: [col0, col1) × [row0, row1). */
interface CellBox { col0: number; col1: number; row0: number; row1: number; sites: number[] }

/**
 * What several sites of one operator would change together on the current coverage run (the
 * what-if of one candidate, generalised: see the module comment). `naming` says how a problem with
 * a site's input names the field.
 */
export async function whatIfSites(db: Db, dem: DemStore, input: WhatIfSitesInput, naming: FieldNaming = SEVERAL_SITES): Promise<WhatIfSitesResult> {
  const started = performance.now()
  const technology = input.technology ?? '4G'
  if (input.sites.length === 0) {
    throw new AppError('validation-failed', 'sites: at least one site is needed', [{ field: 'sites', location: naming.location, reason: 'empty' }])
  }
  input.sites.forEach(({ lon, lat }, i) => {
    const outside = checkVietnamExtent({ type: 'Point', coordinates: [lon, lat] })
    if (!outside) return
    const e = VIETNAM_EXTENT
    const name = lon < e.minLon || lon > e.maxLon ? 'lon' : 'lat'
    throw new AppError('outside-vietnam', outside.reason, [{ field: naming.field(i, name), location: naming.location, value: name === 'lon' ? lon : lat, reason: outside.reason }])
  })
  const operatorId = (await findOperatorIdsByCodes(db, [input.operatorCode])).get(input.operatorCode)
  if (operatorId === undefined) {
    throw new AppError('unknown-reference', `operatorCode: no operator has code ${input.operatorCode}`, [
      { field: 'operatorCode', location: naming.location, value: input.operatorCode, reason: 'unknown operator (see GET /api/operators)' },
    ])
  }
  const run = await findCurrentCoverageRunDetail(db, technology)
  if (!run) throw new AppError('no-coverage-prediction', `No ${technology} coverage run is current yet: start one with POST /api/coverage/runs`)
  const params = runParams(run.params, run.id)
  const radiusM = input.radiusM === 'run' ? params.radiusM ?? DEFAULT_WHAT_IF_RADIUS_M : input.radiusM ?? DEFAULT_WHAT_IF_RADIUS_M
  const step = params.step
  const grid: RasterGrid = { west: -180, north: 90, stepLon: step, stepLat: step, cols: Math.round(360 / step), rows: Math.round(180 / step) }

  // The operator default configuration, read once (only when some site gives no sectors).
  let defaultSectors: { sectors: WhatIfResult['sectors']; basis: string } | undefined
  const operatorDefault = async () => {
    if (defaultSectors) return defaultSectors
    const d = DEFAULT_CANDIDATE_CONFIGURATION
    const median = await findMedianSectorRadio(db, operatorId, technology)
    const basis = median
      ? `EIRP ${median.eirp_dbm} dBm and gain ${median.gain_dbi} dBi: medians of ${input.operatorCode}'s ${median.n} ${technology} sectors at existing sites`
      : `EIRP ${d.eirpDbm} dBm and gain ${d.gainDbi} dBi: ${input.operatorCode} has no ${technology} sector at an existing site`
    defaultSectors = {
      basis,
      sectors: d.azimuthsDeg.map((azimuthDeg) => ({
        azimuthDeg, beamwidthDeg: d.beamwidthDeg, heightM: d.heightM, frequencyMhz: d.frequencyMhz,
        eirpDbm: median?.eirp_dbm ?? d.eirpDbm, gainDbi: median?.gain_dbi ?? d.gainDbi, electricalTiltDeg: d.electricalTiltDeg, mechanicalTiltDeg: d.mechanicalTiltDeg,
      })),
    }
    return defaultSectors
  }

  // ---- Each site: its sectors (as the sectors table would store them: float4), window and DEM ----------
  const demTiles = new Map<string, DemTileKind>()
  const prepared: PreparedSite[] = []
  for (const [i, site] of input.sites.entries()) {
    const { lon, lat } = site
    let configuration: WhatIfSiteResult['configuration'] = 'given'
    let configurationBasis: string | null = null
    let sectors: WhatIfResult['sectors']
    if (site.sectors && site.sectors.length > 0) {
      sectors = site.sectors.map((s) => ({
        azimuthDeg: s.azimuthDeg ?? null, beamwidthDeg: s.beamwidthDeg, heightM: s.heightM, eirpDbm: s.eirpDbm, gainDbi: s.gainDbi,
        frequencyMhz: s.frequencyMhz, electricalTiltDeg: s.electricalTiltDeg ?? 0, mechanicalTiltDeg: s.mechanicalTiltDeg ?? 0,
      }))
      sectors.forEach((s, k) => {
        if (s.azimuthDeg === null && s.beamwidthDeg < 360) {
          const field = naming.field(i, `sectors.${k}.azimuthDeg`)
          throw new AppError('validation-failed', `${field}: a directional sector needs an azimuth`, [
            { field, location: naming.location, reason: 'required when beamwidthDeg is below 360' },
          ])
        }
      })
    } else {
      const d = await operatorDefault()
      configuration = 'operator-default'
      configurationBasis = d.basis
      sectors = d.sectors.map((s) => ({ ...s }))
    }
    const f4 = Math.fround
    const rows: CoverageSectorRow[] = sectors.map((s, k) => ({
      sector_id: -(k + 1), site_id: -(i + 1), operator_id: operatorId, operator_code: input.operatorCode, lon, lat, ground_elevation_m: null, technology,
      frequency_mhz: f4(s.frequencyMhz), azimuth_deg: s.azimuthDeg === null ? null : f4(s.azimuthDeg), beamwidth_deg: f4(s.beamwidthDeg),
      electrical_tilt_deg: f4(s.electricalTiltDeg), mechanical_tilt_deg: f4(s.mechanicalTiltDeg), height_m: f4(s.heightM), eirp_dbm: f4(s.eirpDbm), gain_dbi: f4(s.gainDbi),
    }))
    // The site's window on the run's global grid; the DEM over its disc.
    const window = windowAround(grid, lon, lat, radiusM)
    const m = metresPerDegree(lat)
    const area = await dem.sampler([lon - radiusM / m.lon, lat - radiusM / m.lat, lon + radiusM / m.lon, lat + radiusM / m.lat])
    const ground = area.sampler.sample(lon, lat)
    if (ground === null) {
      const field = naming.field(i, 'lon')
      throw new AppError('no-terrain-data', `No DEM tile covers ${input.sites.length > 1 ? `site ${i + 1}` : 'the candidate'} at (${lon}, ${lat}): run npm run dem:fetch (or dem:sample) first`, [
        { field, location: naming.location, value: lon, reason: 'no elevation data under the site' },
      ])
    }
    for (const t of area.coverage.tiles) if (t.status !== 'missing') demTiles.set(t.name, t.status as DemTileKind)
    prepared.push({
      lon, lat, ground, configuration, configurationBasis, sectors, rows, window,
      slopeDeg: slopeAt(area.sampler.sample, lon, lat, area.sampler.tiles[0]?.step ?? step),
      heights: heightWindowFromTiles(area.sampler.tiles, postsForRaster(window)),
    })
  }

  // The sites' windows, joined where they overlap, until the boxes are disjoint.
  const boxes = disjointBoxes(prepared.map((p, i) => ({ col0: p.window.col0, col1: p.window.col0 + p.window.cols, row0: p.window.row0, row1: p.window.row0 + p.window.rows, sites: [i] })))
  const boxWindow = (b: CellBox) => ({ west: grid.west + b.col0 * step, north: grid.north - b.row0 * step, stepLon: step, stepLat: step, col0: b.col0, row0: b.row0, cols: b.col1 - b.col0, rows: b.row1 - b.row0 })
  const windowOut = (w: { west: number; north: number; cols: number; rows: number }): WhatIfWindow =>
    ({ west: w.west, south: w.north - w.rows * step, east: w.west + w.cols * step, north: w.north, cols: w.cols, rows: w.rows, stepDeg: step })

  // Start the database reads; the rasters are computed meanwhile.
  const tileCells = Math.max(1, Math.round(COMPOSITE_TILE_DEG / step))
  const tileNames = new Set<string>()
  for (const b of boxes) {
    for (let ty = Math.floor(b.row0 / tileCells); ty <= Math.floor((b.row1 - 1) / tileCells); ty++) {
      for (let tx = Math.floor(b.col0 / tileCells); tx <= Math.floor((b.col1 - 1) / tileCells); tx++) tileNames.add(`${tx}_${ty}`)
    }
  }
  const outer = boxes.reduce((o, b) => ({ col0: Math.min(o.col0, b.col0), col1: Math.max(o.col1, b.col1), row0: Math.min(o.row0, b.row0), row1: Math.max(o.row1, b.row1), sites: [] }))
  const reads = settleLater(Promise.all([
    compositeTiles(db, run, technology, operatorId, [...tileNames]),
    villagesWithPredictions(db, technology, params.onDate, [grid.west + outer.col0 * step, grid.north - outer.row1 * step, grid.west + outer.col1 * step, grid.north - outer.row0 * step]),
    listAppliedCalibrationOffsets(db, technology),
    Promise.all(prepared.map((p) => findNearestLine(db, 'fibre_routes', p.lon, p.lat))),
    Promise.all(prepared.map((p) => findNearestLine(db, 'power_lines', p.lon, p.lat))),
  ]))
  const preparedAt = performance.now()

  // ---- 1. The sites' rasters: best code per cell over their sectors, on each box -----------------------
  // What `createSectorJobRunner` + `encodeSectorRaster` do for a recompute, without the deflate
  // round trip: the heights under the site's window copied once, one sweep per antenna height and
  // frequency, each sector's RSRP quantised to half-dB codes (the integration test holds this equal
  // to real recomputes); then each site's codes raised into its box.
  const boxCodes = boxes.map((b) => new Uint8Array((b.col1 - b.col0) * (b.row1 - b.row0)))
  boxes.forEach((b, bi) => {
    const into = boxCodes[bi]!
    const boxCols = b.col1 - b.col0
    for (const si of b.sites) {
      const p = prepared[si]!
      const w = p.window
      const codes = new Uint8Array(w.cols * w.rows)
      for (const group of groupBySweep(p.rows)) {
        let sweep: SiteSweep | undefined
        for (const s of group) {
          const { rsrpDbm, sweep: used } = sectorRsrpRaster({
            grid: w, heights: p.heights, siteLon: s.lon, siteLat: s.lat, radiusM, sweep, environmentMarginDb: params.environmentMarginDb,
            radio: {
              antenna: { gainDbi: s.gain_dbi, azimuthDeg: s.azimuth_deg ?? 0, horizontalBeamwidthDeg: s.beamwidth_deg, electricalTiltDeg: s.electrical_tilt_deg, mechanicalTiltDeg: s.mechanical_tilt_deg },
              heightM: s.height_m, frequencyMhz: s.frequency_mhz, eirpDbm: s.eirp_dbm, bandwidthMhz: params.bandwidthMhz,
            },
          })
          sweep = used
          maxHalfDbCodes(rsrpDbm, codes)
        }
      }
      for (let r = 0; r < w.rows; r++) {
        const dst = (w.row0 - b.row0 + r) * boxCols + (w.col0 - b.col0)
        for (let c = 0, i = r * w.cols; c < w.cols; c++, i++) {
          const code = codes[i]!
          if (code > into[dst + c]!) into[dst + c] = code
        }
      }
    }
  })
  const rastersDone = performance.now()

  // ---- 2. The composites under each box, as half-dB codes; 3. areas ----------------------------------------
  const [tiles, villages, offsets, fibres, powers] = await reads()
  const readsDone = performance.now()
  const classOf = classTable(params.thresholds)
  const operatorAreas = emptyAreaChange()
  const anyAreas = emptyAreaChange()
  let footprintKm2 = 0
  let overlapKm2 = 0
  const boxCurrent: Array<{ operator: Uint8Array; any: Uint8Array }> = []
  boxes.forEach((b, bi) => {
    const window = boxWindow(b)
    const cells = window.cols * window.rows
    const current = { operator: new Uint8Array(cells), any: new Uint8Array(cells) }
    boxCurrent.push(current)
    for (const t of tiles) copyTileCodes(t, t.operator_id === null ? current.any : current.operator, window, grid)
    const rowAreaKm2 = new Float64Array(window.rows)
    for (let r = 0; r < window.rows; r++) {
      const n = window.north - r * step
      const s = window.north - (r + 1) * step
      rowAreaKm2[r] = polygonAreaKm2([[[0, s], [step, s], [step, n], [0, n], [0, s]]])
    }
    // Inside some site's radius (each site's disc as its own sweep draws it), as a mask.
    const discs = b.sites.map((si) => {
      const p = prepared[si]!
      return { sx: (p.lon - window.west) / step, sy: (window.north - p.lat) / step, m: metresPerDegree(p.lat) }
    })
    const inDisc = discMask(window, discs, step, radiusM)
    const candidateCodes = boxCodes[bi]!
    addAreaChange(operatorAreas, current.operator, candidateCodes, classOf, rowAreaKm2, window, inDisc)
    addAreaChange(anyAreas, current.any, candidateCodes, classOf, rowAreaKm2, window, inDisc)
    for (let r = 0; r < window.rows; r++) {
      const a = rowAreaKm2[r]!
      for (let c = 0, i = r * window.cols; c < window.cols; c++, i++) {
        if (classOf[candidateCodes[i]!]! < CLASS_WEAK) continue
        footprintKm2 += a
        if (classOf[current.any[i]!]! >= CLASS_WEAK) overlapKm2 += a
      }
    }
  })
  const compositeDone = performance.now()

  // ---- 4. Villages -----------------------------------------------------------------------------------------
  const offsetDb = offsets.find((o) => o.operator_id === operatorId && o.model === run.model)?.offset_db ?? 0
  const villageChanges = { operator: emptyVillageChanges(), any: emptyVillageChanges() }
  for (const v of villages.points) {
    const col = Math.floor((v.lon - grid.west) / step)
    const row = Math.floor((grid.north - v.lat) / step)
    const bi = boxes.findIndex((b) => col >= b.col0 && col < b.col1 && row >= b.row0 && row < b.row1)
    if (bi < 0) continue
    const b = boxes[bi]!
    const code = boxCodes[bi]![(row - b.row0) * (b.col1 - b.col0) + (col - b.col0)]!
    if (code === 0) continue
    const candidateDbm = code / 2 - 160.5 + Number(offsetDb)
    for (const key of ['operator', 'any'] as const) {
      const before = villages.predictions.get(`${v.id}|${key === 'any' ? 'any' : operatorId}`)
      const beforeDbm = before ?? null
      const afterDbm = beforeDbm === null ? candidateDbm : Math.max(beforeDbm, candidateDbm)
      const from = beforeDbm === null ? 'none' : coverageClass(beforeDbm, params.thresholds)
      const to = coverageClass(afterDbm, params.thresholds)
      if (from === to) continue
      addVillageChange(villageChanges[key], {
        id: v.id, code: v.code, name: v.name, population: v.population, commune: { code: v.commune_code, name: v.commune_name },
        before: from, after: to, beforeRsrpDbm: beforeDbm, afterRsrpDbm: afterDbm,
      })
    }
  }
  const villagesDone = performance.now()

  const tilesRead = [...demTiles].sort(([a], [b]) => a.localeCompare(b)).map(([name, kind]) => ({ name, kind }))
  return {
    runId: run.id,
    technology,
    operator: { id: operatorId, code: input.operatorCode },
    radiusM,
    runRadiusM: params.radiusM,
    thresholds: params.thresholds,
    sites: prepared.map((p, i) => {
      const fibre = fibres[i]
      const power = powers[i]
      return {
        lon: p.lon, lat: p.lat, groundElevationM: roundTo(p.ground, 1), slopeDeg: p.slopeDeg,
        configuration: p.configuration, configurationBasis: p.configurationBasis, sectors: p.sectors, window: windowOut(p.window),
        distances: {
          fibre: fibre ? { id: fibre.id, code: fibre.code, distanceM: roundTo(fibre.distance_m, 1) } : null,
          powerLine: power ? { id: power.id, code: power.code, distanceM: roundTo(power.distance_m, 1) } : null,
          road: null,
          roadReason: ROAD_REASON,
        },
      }
    }),
    windows: boxes.map((b) => windowOut(boxWindow(b))),
    areas: { operator: operatorAreas, any: anyAreas },
    overlap: { footprintKm2, overlapKm2, share: footprintKm2 > 0 ? overlapKm2 / footprintKm2 : 0 },
    villages: villageChanges,
    dem: { synthetic: tilesRead.some((t) => t.kind === 'synthetic'), tiles: tilesRead },
    elapsedMs: roundTo(performance.now() - started, 1),
    phasesMs: {
      prepare: roundTo(preparedAt - started, 1), rasters: roundTo(rastersDone - preparedAt, 1),
      reads: roundTo(readsDone - rastersDone, 1), composite: roundTo(compositeDone - readsDone, 1), villages: roundTo(villagesDone - compositeDone, 1),
    },
  }
}

/** Joins boxes that share a cell into their bounding box, again and again, until no two share one. */
function disjointBoxes(boxes: CellBox[]): CellBox[] {
  const out = boxes.map((b) => ({ ...b, sites: [...b.sites] }))
  let joined = true
  while (joined) {
    joined = false
    for (let i = 0; i < out.length && !joined; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!
        const b = out[j]!
        if (a.col0 < b.col1 && b.col0 < a.col1 && a.row0 < b.row1 && b.row0 < a.row1) {
          out[i] = { col0: Math.min(a.col0, b.col0), col1: Math.max(a.col1, b.col1), row0: Math.min(a.row0, b.row0), row1: Math.max(a.row1, b.row1), sites: [...a.sites, ...b.sites].sort((x, y) => x - y) }
          out.splice(j, 1)
          joined = true
          break
        }
      }
    }
  }
  return out
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

/** A composite tile's best RSRP per cell, decoded (Int16 deci-dBm). */
interface DecodedComposite {
  operator_id: number | null
  west: number
  north: number
  cols: number
  rows: number
  best: Int16Array
}

/** A composite tile's best RSRP (Int16 deci-dBm, little-endian as stored; the serving sectors are not read). */
function decodeBestDecidbm(t: CompositeTileRow): Int16Array {
  const cells = t.cols * t.rows
  const bytes = t.codec === 'deflate' ? inflateRawSync(t.best_rsrp_decidbm) : t.best_rsrp_decidbm
  if (bytes.byteLength !== cells * 2) throw new Error(`composite tile ${t.tile} holds ${bytes.byteLength / 2} cells, expected ${cells}`)
  const out = new Int16Array(cells)
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes)
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    for (let i = 0; i < cells; i++) out[i] = view.getInt16(i * 2, true)
  }
  return out
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * Decoded composite tiles by run, operator and tile, least recently used dropped first, bounded by
 * bytes: a planner moving a candidate around one valley asks for the same tiles again and again.
 * A run's tiles never change (a new run has a new id), so nothing needs invalidating. The tiles a
 * request lacks are read in one query and `set` into the cache.
 */
const compositeCache = createTileCache<DecodedComposite>({
  maxBytes: 96 * 1024 * 1024,
  sizeOf: (t) => t.best.byteLength,
  load: (key) => Promise.reject(new Error(`composite tile ${key} is only ever set, not loaded`)),
})
const compositeKey = (run: RunKey, operatorId: number | null, tile: string) => `${run.id}@${run.created_at.getTime()}|${operatorId ?? 'any'}|${tile}`
/** A run as the cache knows it: its id with its creation time (ids restart when a database is emptied and refilled). */
interface RunKey { id: number; created_at: Date }

/** The run's composite tiles of these names for the operator and for any operator, decoded: from the cache, the rest read and decoded. */
async function compositeTiles(db: Db, run: RunKey, technology: Technology, operatorId: number, names: readonly string[]): Promise<DecodedComposite[]> {
  const out: DecodedComposite[] = []
  const missing = new Map<number | null, string[]>([[operatorId, []], [null, []]])
  for (const op of [operatorId, null]) {
    for (const name of names) {
      const key = compositeKey(run, op, name)
      if (compositeCache.has(key)) {
        out.push(await compositeCache.get(key))
      } else {
        missing.get(op)!.push(name)
      }
    }
  }
  for (const [op, wanted] of missing) {
    if (wanted.length === 0) continue
    for (const row of await listCompositeTilesByName(db, run.id, technology, [op], wanted)) {
      const decoded = { operator_id: row.operator_id, west: row.west, north: row.north, cols: row.cols, rows: row.rows, best: decodeBestDecidbm(row) }
      compositeCache.set(compositeKey(run, row.operator_id, row.tile), decoded)
      out.push(decoded)
    }
  }
  return out
}

/** Copies a composite tile's cells inside the window into `out`, as half-dB codes (0 = no value). */
function copyTileCodes(t: DecodedComposite, out: Uint8Array, window: ReturnType<typeof windowAround>, grid: RasterGrid): void {
  const best = t.best
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

/**
 * The cells of a window whose centre lies within `radiusM` of some disc centre (local metres per
 * degree at the site), by the same test per cell as a sweep's footprint; a disc's cells in a row
 * are contiguous, so only the ends of each row's run are tested.
 */
function discMask(
  window: { cols: number; rows: number }, discs: ReadonlyArray<{ sx: number; sy: number; m: { lon: number; lat: number } }>, step: number, radiusM: number,
): Uint8Array {
  const mask = new Uint8Array(window.cols * window.rows)
  const r2 = radiusM * radiusM
  for (const { sx, sy, m } of discs) {
    const inside = (c: number, y2: number) => {
      const x = (c + 0.5 - sx) * m.lon * step
      return x * x + y2 <= r2
    }
    for (let r = 0; r < window.rows; r++) {
      const y = (r + 0.5 - sy) * m.lat * step
      const y2 = y * y
      if (y2 > r2) continue
      const half = Math.sqrt(r2 - y2) / (m.lon * step)
      let lo = Math.max(0, Math.floor(sx - half - 0.5) - 1)
      let hi = Math.min(window.cols - 1, Math.ceil(sx + half - 0.5) + 1)
      while (lo <= hi && !inside(lo, y2)) lo++
      while (hi >= lo && !inside(hi, y2)) hi--
      if (lo <= hi) mask.fill(1, r * window.cols + lo, r * window.cols + hi + 1)
    }
  }
  return mask
}

function emptyAreaChange(): AreaChange {
  return {
    before: { good: 0, weak: 0, none: 0 },
    after: { good: 0, weak: 0, none: 0 },
    transitions: { noneToWeak: 0, noneToGood: 0, weakToGood: 0 },
    newlyCoveredKm2: 0,
    deadZoneKm2: { before: 0, after: 0 },
  }
}

/** Adds a window's class areas, transitions and dead zone (current composite vs merged with the candidate codes) to `into`. */
function addAreaChange(
  into: AreaChange, current: Uint8Array, candidate: Uint8Array, classOf: Uint8Array, rowAreaKm2: Float64Array,
  window: { cols: number; rows: number }, inDisc: Uint8Array,
): void {
  const before = [0, 0, 0, 0]
  const after = [0, 0, 0, 0]
  const transitions = into.transitions
  const deadZoneKm2 = into.deadZoneKm2
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
      if (from < CLASS_WEAK && inDisc[i] === 1) {
        deadZoneKm2.before += a
        if (to < CLASS_WEAK) deadZoneKm2.after += a
      }
    }
  }
  into.before.good += before[CLASS_GOOD]!
  into.before.weak += before[CLASS_WEAK]!
  into.before.none += before[CLASS_NONE]!
  into.after.good += after[CLASS_GOOD]!
  into.after.weak += after[CLASS_WEAK]!
  into.after.none += after[CLASS_NONE]!
  into.newlyCoveredKm2 = transitions.noneToWeak + transitions.noneToGood
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
  return roundTo((Math.atan(Math.hypot(dzdx, dzdy)) * 180) / Math.PI, 2)
}


/** A promise whose rejection is held until it is awaited (so work in between cannot leave it unhandled). */
function settleLater<T>(p: Promise<T>): () => Promise<T> {
  p.catch(() => undefined)
  return () => p
}

