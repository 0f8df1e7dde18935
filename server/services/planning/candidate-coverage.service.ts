/**
 * The site optimiser's instance from the database and the DEM (issue 7): an operator's candidate
 * sites near the villages of a scope, the villages with their weights and whether an existing site
 * already serves them, per candidate the villages it would newly serve, its distance to fibre and
 * to the grid, whether a microwave hop reaches a fibre-fed site, its ground height and slope.
 *
 * **Coverage sets: the what-if's own computation, only read at the villages.** For each candidate
 * the sweep runs exactly as `whatIf` runs it (server/services/planning/what-if.service.ts): the
 * window of the current run's global grid around the site with radius `radiusM`, the DEM posts at
 * its cell corners, one `siteSweep` per antenna height and frequency, `sectorRsrpRaster` per sector
 * with the run's bandwidth and environment margin, sector numbers at float4 precision, RSRP
 * quantised to the same half-dB codes, the operator's applied calibration offset added. Instead of
 * merging with the composite tiles and measuring areas, only the cells holding a village of the
 * scope are read: a village is covered when its value is ≥ the run's weak threshold. So a village's
 * class agrees exactly with the what-if's for the same candidate and radius
 * (test/integration/optimise-api.test.ts checks every candidate). The cost is the sweep's:
 * proportional to (radiusM / step)², about 30 ms for three sectors at 5 km on a 1″ grid (2 ms on 3″,
 * 180 ms at 15 km on 1″; measured on one core), so ~30 s per thousand candidates at 5 km on 1″; candidates with no unserved
 * village within the radius are skipped (they could serve nothing new), which is most of them
 * where coverage is already good. The sweeps run in the job's thread, yielding every 20 ms.
 *
 * Existing sites are fixed: a village whose prediction on the run's date (village predictions,
 * calibration included) is weak or better for the operator (or for any operator, with
 * `existingFor: 'any'`) is already served and gains nothing.
 *
 * Backhaul: fibre km = geodesic distance to the nearest existing fibre route (any owner). Beyond the
 * maximum fibre distance (or where a hop is cheaper than the spur) a candidate may use a microwave
 * hop to a fibre-fed site: an *existing* site of the operator within the maximum fibre distance of
 * an existing fibre route (candidates are not hubs for one another: the hop's far end must
 * already stand and be connected), within `maxHopKm`, with `passesFresnelClearance` (≥ 60 % of the
 * first Fresnel zone by default, k = 4/3) over the terrain profile between the two masts
 * (`terrainProfile` from the DEM store, as `GET /api/backhaul`). Hubs are tried nearest first.
 * Power: grid km = distance to the nearest existing power line; solar where allowed.
 */
import type { Db, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { hornSlope } from '../../geo/candidates/horn-slope.ts'
import { groundDistance } from '../../geo/candidates/ground-distance.ts'
import { passesFresnelClearance, worstFresnelClearanceRatio } from '../../geo/backhaul/fresnel-clearance.ts'
import { metresPerDegree, windowAround, type RasterGrid } from '../../geo/coverage/raster-grid.ts'
import { sectorRsrpRaster } from '../../geo/coverage/sector-rsrp-raster.ts'
import type { SiteSweep } from '../../geo/coverage/site-sweep.ts'
import { heightWindowFromTiles, postsForRaster } from '../../geo/dem/height-window.ts'
import { coverageClass, type CoverageThresholds } from '../../geo/propagation/coverage-class.ts'
import { FRESNEL_CLEARANCE_RULE } from '../../geo/propagation/line-of-sight.ts'
import { terrainProfile } from '../../geo/propagation/terrain-profile.ts'
import { OptimiserCancelled } from '../../planning/optimiser/run-context.ts'
import type { CandidateInput, CostModel, InstanceInput, VillageInput } from '../../planning/optimiser/instance.ts'
import { listAppliedCalibrationOffsets } from '../../repositories/calibration.repository.ts'
import { listVillagePoints, nearestLines, type VillagePointRow } from '../../repositories/candidates.repository.ts'
import { findCurrentCoverageRunDetail } from '../../repositories/coverage.repository.ts'
import { listOperatorSitesInBbox, listSectorsOfSites, type OptimiseSectorRow } from '../../repositories/optimise.repository.ts'
import type { Bbox } from '../../repositories/paging.ts'
import { findMedianSectorRadio } from '../../repositories/planning.repository.ts'
import { DEFAULT_BACKHAUL_FREQUENCY_MHZ } from '../backhaul/backhaul.service.ts'
import { halfDbCode } from '../coverage/raster-codec.ts'
import type { DemStore } from '../dem/dem-store.ts'
import { villagePredictions } from '../village-coverage/village-predictions.service.ts'
import { resolveOperator } from '../operator-refs.ts'
import { invalid, MAX_SEARCH_SPAN_DEG, resolveCommuneIds } from './candidates.service.ts'
import { runParams, type RunParams } from './run-params.ts'
import { DEFAULT_CANDIDATE_CONFIGURATION } from './what-if.service.ts'

export const CANDIDATE_COVERAGE_DEFAULTS = Object.freeze({
  /** Computation radius of each candidate, m, when the run has none. */
  radiusM: 5000,
  maxFibreKm: 5,
  maxGridKm: 5,
  maxHopKm: 30,
  hopFrequencyMhz: DEFAULT_BACKHAUL_FREQUENCY_MHZ,
  hopAntennaHeightM: 30,
  requiredClearance: FRESNEL_CLEARANCE_RULE,
})

/** The cost model's prices (million VND by convention; any one currency unit works). */
export interface CostPrices {
  siteCost: number
  fibreCostPerKm: number
  microwaveHopCost: number
  powerCostPerKm: number
  solarCost: number
}

export const DEFAULT_COSTS: Readonly<CostPrices> = Object.freeze({
  siteCost: 1500,
  fibreCostPerKm: 150,
  microwaveHopCost: 450,
  powerCostPerKm: 120,
  solarCost: 600,
})

export interface CandidateCoverageRequest {
  operatorCode: string
  /** 5-digit commune codes; with `bbox` the villages must be in both. At least one of the two. */
  communeCodes?: readonly string[]
  bbox?: Bbox
  /** Computation radius of each candidate, m (default: the run's radius, else 5 km). */
  radiusM?: number
  /** Who already serves a village: the operator (default) or any operator. */
  existingFor?: 'operator' | 'any'
  /** Objective weights by village code (default: population). */
  villageWeights?: ReadonlyArray<{ code: string; weight: number }>
  maxFibreKm?: number
  maxGridKm?: number
  maxHopKm?: number
  hopFrequencyMhz?: number
  /** Hop antenna height at both ends, m (default 30). */
  hopAntennaHeightM?: number
  /** Share of the first Fresnel radius a hop keeps clear (default 0.6). */
  requiredClearance?: number
  /** Grid power required (no solar anywhere). Default false. */
  requireGridPower?: boolean
  /** Candidates steeper than this are left out (degrees; default: none). */
  maxSlopeDeg?: number
  costs?: Partial<CostPrices>
}

export interface ScopeVillage {
  id: number
  code: string
  name: string
  communeCode: string
  population: number
  weight: number
  /** Already served (weak or better) by an existing site. */
  served: boolean
}

export interface HopToHub {
  siteId: number
  siteCode: string
  distanceKm: number
  clearanceRatio: number
}

export interface CandidateInfo {
  id: number
  code: string
  name: string | null
  lon: number
  lat: number
  groundElevationM: number | null
  slopeDeg: number | null
  /** Villages (indices into `villages`) the candidate would serve at weak or better. */
  covers: number[]
  fibreKm: number
  gridKm: number
  /** The fibre-fed site a microwave hop reaches with the required clearance, or null. */
  hop: HopToHub | null
  configuration: 'own-sectors' | 'operator-default'
}

export interface CandidateCoverage {
  runId: number
  technology: Technology
  onDate: string
  thresholds: CoverageThresholds
  radiusM: number
  operator: { id: number; code: string }
  villages: ScopeVillage[]
  candidates: CandidateInfo[]
  /** Candidates left out before the optimiser: no terrain under them, or too steep. */
  excluded: Array<{ id: number; code: string; reason: 'no-terrain-data' | 'too-steep' }>
  /** Fibre-fed existing sites of the operator the hops may reach. */
  hubs: number
  model: CostModel
  /** What the optimiser reads. */
  input: InstanceInput
  stats: { sweeps: number; skipped: number; hopChecks: number; coverageMs: number; backhaulMs: number }
}

export type CandidateCoveragePhase = 'loading' | 'coverage-sets' | 'backhaul'

export interface CandidateCoverageHooks {
  signal?: AbortSignal
  onProgress?: (phase: CandidateCoveragePhase, fraction: number) => void
}


const OWN_SECTOR_TECHNOLOGY: Technology = '4G'

export interface ResolvedScope {
  operatorId: number
  communeIds: number[] | undefined
  runId: number
  runModel: string
  params: RunParams
}

/**
 * Checks a request against the database before any work: a scope given (communes or a bbox of at
 * most 2° a side), a known operator and known communes, a current 4G run. 400 / 404 as AppErrors.
 */
export async function resolveCandidateScope(db: Db, request: CandidateCoverageRequest): Promise<ResolvedScope> {
  if (!request.communeCodes?.length && !request.bbox) {
    throw new AppError('validation-failed', 'scope: give communeCodes or bbox (the villages to serve)', [
      { field: 'scope', location: 'body', reason: 'communeCodes or bbox is required' },
    ])
  }
  if (request.bbox) {
    const [w, s, e, n] = request.bbox
    if (!(w < e && s < n)) throw invalid('scope.bbox', request.bbox, 'min must be less than max (minLon,minLat,maxLon,maxLat)')
    if (e - w > MAX_SEARCH_SPAN_DEG || n - s > MAX_SEARCH_SPAN_DEG) throw invalid('scope.bbox', request.bbox, `each side must be at most ${MAX_SEARCH_SPAN_DEG}°`)
  }
  const operatorId = await resolveOperator(db, request.operatorCode, 'operatorCode')
  const communeIds = request.communeCodes?.length ? await resolveCommuneIds(db, request.communeCodes, 'scope.communeCodes') : undefined
  const run = await findCurrentCoverageRunDetail(db, OWN_SECTOR_TECHNOLOGY)
  if (!run) throw new AppError('no-coverage-prediction', `No ${OWN_SECTOR_TECHNOLOGY} coverage run is current yet: start one with POST /api/coverage/runs`)
  return { operatorId, communeIds, runId: run.id, runModel: run.model, params: runParams(run.params, run.id) }
}

/**
 * Builds the optimiser's instance for an operator over a scope (see the module comment). 400 for
 * an unknown operator or commune, a missing scope or a scope over 2°; 404 no-coverage-prediction
 * before the first 4G run; throws `OptimiserCancelled` when the signal fires.
 */
export async function buildCandidateCoverage(db: Db, dem: DemStore, request: CandidateCoverageRequest, hooks: CandidateCoverageHooks = {}): Promise<CandidateCoverage> {
  const technology = OWN_SECTOR_TECHNOLOGY
  const { signal, onProgress } = hooks
  const yielder = createYielder(signal)
  onProgress?.('loading', 0)
  const { operatorId, communeIds, runId, runModel, params } = await resolveCandidateScope(db, request)
  const run = { id: runId, model: runModel }
  const d = CANDIDATE_COVERAGE_DEFAULTS
  const radiusM = request.radiusM ?? params.radiusM ?? d.radiusM
  const costs = { ...DEFAULT_COSTS, ...request.costs }
  const model: CostModel = {
    maxFibreKm: request.maxFibreKm ?? d.maxFibreKm,
    maxGridKm: request.maxGridKm ?? d.maxGridKm,
    fibreCostPerKm: costs.fibreCostPerKm,
    microwaveHopCost: costs.microwaveHopCost,
    powerCostPerKm: costs.powerCostPerKm,
    solarCost: costs.solarCost,
    allowSolar: request.requireGridPower !== true,
  }
  const maxHopKm = request.maxHopKm ?? d.maxHopKm

  // ---- Villages of the scope, their weights, who is already served ---------------------------------
  const villageRows = await listVillagePoints(db, { communeIds, bbox: request.bbox })
  const weights = new Map((request.villageWeights ?? []).map((w) => [w.code, w.weight]))
  const unknownWeights = [...weights.keys()].filter((code) => !villageRows.some((v) => v.code === code))
  if (unknownWeights.length > 0) {
    throw new AppError('unknown-reference', `villageWeights: no village of the scope has code ${unknownWeights.slice(0, 10).join(', ')}`, [
      { field: 'villageWeights', location: 'body', value: unknownWeights.slice(0, 10), reason: 'not a village of the scope' },
    ])
  }
  const served = await servedVillages(db, villageRows, operatorId, request.existingFor ?? 'operator', params.onDate, params.thresholds)
  const villages: ScopeVillage[] = villageRows.map((v) => ({
    id: v.id, code: v.code, name: v.name, communeCode: v.commune_code, population: v.population ?? 0,
    weight: weights.get(v.code) ?? v.population ?? 0, served: served.has(v.id),
  }))

  // ---- Candidates: the operator's candidate sites within the radius of a village -------------------
  const excluded: CandidateCoverage['excluded'] = []
  const empty = (): CandidateCoverage => ({
    runId: run.id, technology, onDate: params.onDate, thresholds: params.thresholds, radiusM, operator: { id: operatorId, code: request.operatorCode },
    villages, candidates: [], excluded, hubs: 0, model,
    input: { villages: villages.map(villageInput), candidates: [], model },
    stats: { sweeps: 0, skipped: 0, hopChecks: 0, coverageMs: 0, backhaulMs: 0 },
  })
  if (villageRows.length === 0) return empty()
  const midLat = villageRows.reduce((s, v) => s + v.lat, 0) / villageRows.length
  const mpd = metresPerDegree(midLat)
  const extent: Bbox = [
    Math.min(...villageRows.map((v) => v.lon)) - radiusM / mpd.lon, Math.min(...villageRows.map((v) => v.lat)) - radiusM / mpd.lat,
    Math.max(...villageRows.map((v) => v.lon)) + radiusM / mpd.lon, Math.max(...villageRows.map((v) => v.lat)) + radiusM / mpd.lat,
  ]
  if (extent[2] - extent[0] > MAX_SEARCH_SPAN_DEG + 1 || extent[3] - extent[1] > MAX_SEARCH_SPAN_DEG + 1) {
    throw invalid('scope', request.communeCodes ?? request.bbox, `the villages of the scope plus the radius span more than ${MAX_SEARCH_SPAN_DEG + 1}° a side: ask for fewer communes or a smaller bbox`)
  }
  const siteRows = (await listOperatorSitesInBbox(db, operatorId, extent, ['candidate']))
    .filter((s) => villageRows.some((v) => groundDistance(s.lon, s.lat, v.lon, v.lat) <= radiusM + 100))
  if (siteRows.length === 0) return empty()

  // The candidates' radio: their own 4G sectors, else the operator default of the what-if.
  const own = new Map<number, OptimiseSectorRow[]>()
  for (const s of await listSectorsOfSites(db, siteRows.map((s) => s.id), technology)) {
    const list = own.get(s.site_id)
    if (list) list.push(s)
    else own.set(s.site_id, [s])
  }
  const median = await findMedianSectorRadio(db, operatorId, technology)
  const dc = DEFAULT_CANDIDATE_CONFIGURATION
  const defaultSectors: OptimiseSectorRow[] = dc.azimuthsDeg.map((azimuthDeg) => ({
    site_id: -1, azimuth_deg: azimuthDeg, beamwidth_deg: dc.beamwidthDeg, height_m: dc.heightM, frequency_mhz: dc.frequencyMhz,
    eirp_dbm: median?.eirp_dbm ?? dc.eirpDbm, gain_dbi: median?.gain_dbi ?? dc.gainDbi, electrical_tilt_deg: dc.electricalTiltDeg, mechanical_tilt_deg: dc.mechanicalTiltDeg,
  }))
  const offsetDb = Number((await listAppliedCalibrationOffsets(db, technology)).find((o) => o.operator_id === operatorId && o.model === run.model)?.offset_db ?? 0)
  const [fibre, power] = await Promise.all([nearestLines(db, 'fibre_routes', siteRows), nearestLines(db, 'power_lines', siteRows)])
  onProgress?.('loading', 1)

  // ---- Coverage sets ------------------------------------------------------------------------------------
  const started = performance.now()
  const step = params.step
  const grid: RasterGrid = { west: -180, north: 90, stepLon: step, stepLat: step, cols: Math.round(360 / step), rows: Math.round(180 / step) }
  const area = await dem.sampler([extent[0] - step, extent[1] - step, extent[2] + step, extent[3] + step])
  const cellDiagM = Math.hypot(step * mpd.lon, step * mpd.lat)
  const candidates: CandidateInfo[] = []
  let sweeps = 0
  let skipped = 0
  for (let k = 0; k < siteRows.length; k++) {
    await yielder.maybe()
    onProgress?.('coverage-sets', k / siteRows.length)
    const site = siteRows[k]!
    const ground = area.sampler.sample(site.lon, site.lat)
    if (ground === null) {
      excluded.push({ id: site.id, code: site.code, reason: 'no-terrain-data' })
      continue
    }
    const window = windowAround(grid, site.lon, site.lat, radiusM)
    // The villages this sweep could reach: in the window, not served, with a weight.
    const near: number[] = []
    villageRows.forEach((v, i) => {
      if (villages[i]!.served) return
      if (groundDistance(site.lon, site.lat, v.lon, v.lat) > radiusM + cellDiagM) return
      const col = Math.floor((v.lon - grid.west) / step) - window.col0
      const row = Math.floor((grid.north - v.lat) / step) - window.row0
      if (col >= 0 && row >= 0 && col < window.cols && row < window.rows) near.push(i)
    })
    const heights = heightWindowFromTiles(area.sampler.tiles, postsForRaster(window))
    const sx = Math.round((site.lon - window.west) / step)
    const sy = Math.round((window.north - site.lat) / step)
    const attrSlope = site.attributes.slopeDeg
    const slope = typeof attrSlope === 'number' ? attrSlope : hornSlope(heights, sx, sy)
    const slopeDeg = Number.isFinite(slope) ? Math.round(slope * 10) / 10 : null
    if (request.maxSlopeDeg !== undefined && slopeDeg !== null && slopeDeg > request.maxSlopeDeg) {
      excluded.push({ id: site.id, code: site.code, reason: 'too-steep' })
      continue
    }
    const sectors = own.get(site.id) ?? defaultSectors
    const covers: number[] = []
    if (near.length === 0) skipped++
    else {
      sweeps++
      const codes = new Uint8Array(near.length)
      const cellOf = near.map((i) => {
        const v = villageRows[i]!
        return (Math.floor((grid.north - v.lat) / step) - window.row0) * window.cols + (Math.floor((v.lon - grid.west) / step) - window.col0)
      })
      for (const group of groupBySweep(sectors)) {
        let sweep: SiteSweep | undefined
        for (const s of group) {
          const f4 = Math.fround
          const { rsrpDbm, sweep: used } = sectorRsrpRaster({
            grid: window, heights, siteLon: site.lon, siteLat: site.lat, radiusM, sweep, environmentMarginDb: params.environmentMarginDb,
            radio: {
              antenna: {
                gainDbi: f4(s.gain_dbi), azimuthDeg: s.azimuth_deg === null ? 0 : f4(s.azimuth_deg), horizontalBeamwidthDeg: f4(s.beamwidth_deg),
                electricalTiltDeg: f4(s.electrical_tilt_deg), mechanicalTiltDeg: f4(s.mechanical_tilt_deg),
              },
              heightM: f4(s.height_m), frequencyMhz: f4(s.frequency_mhz), eirpDbm: f4(s.eirp_dbm), bandwidthMhz: params.bandwidthMhz,
            },
          })
          sweep = used
          cellOf.forEach((cell, n) => {
            const code = halfDbCode(rsrpDbm[cell]!)
            if (code > codes[n]!) codes[n] = code
          })
        }
      }
      near.forEach((i, n) => {
        const code = codes[n]!
        if (code > 0 && coverageClass(code / 2 - 160.5 + offsetDb, params.thresholds) !== 'none') covers.push(i)
      })
    }
    candidates.push({
      id: site.id, code: site.code, name: site.name, lon: site.lon, lat: site.lat,
      groundElevationM: site.ground_elevation_m ?? Math.round(ground * 10) / 10, slopeDeg, covers: covers.sort((a, b) => a - b),
      fibreKm: fibre[k] ? fibre[k]!.distanceM / 1000 : Infinity, gridKm: power[k] ? power[k]!.distanceM / 1000 : Infinity,
      hop: null, configuration: own.has(site.id) ? 'own-sectors' : 'operator-default',
    })
  }
  onProgress?.('coverage-sets', 1)
  const coverageMs = performance.now() - started

  // ---- Microwave hops to fibre-fed existing sites -----------------------------------------------------
  const t1 = performance.now()
  const hopDeg = (maxHopKm * 1000) / mpd.lat
  const hubBox: Bbox = [extent[0] - hopDeg / Math.cos((midLat * Math.PI) / 180), extent[1] - hopDeg, extent[2] + hopDeg / Math.cos((midLat * Math.PI) / 180), extent[3] + hopDeg]
  const existing = await listOperatorSitesInBbox(db, operatorId, hubBox, ['existing'])
  const hubFibre = await nearestLines(db, 'fibre_routes', existing)
  const hubs = existing.filter((_, i) => hubFibre[i] !== null && hubFibre[i]!.distanceM / 1000 <= model.maxFibreKm)
  let hopChecks = 0
  const hopHeight = request.hopAntennaHeightM ?? d.hopAntennaHeightM
  const frequencyMhz = request.hopFrequencyMhz ?? d.hopFrequencyMhz
  const requiredClearance = request.requiredClearance ?? d.requiredClearance
  for (let k = 0; k < candidates.length; k++) {
    await yielder.maybe()
    onProgress?.('backhaul', k / Math.max(1, candidates.length))
    const c = candidates[k]!
    // A hop matters when the fibre spur is not allowed, or costs more than the hop.
    if (c.covers.length === 0 || (c.fibreKm <= model.maxFibreKm && model.fibreCostPerKm * c.fibreKm <= model.microwaveHopCost)) continue
    const reachable = hubs
      .map((h) => ({ h, km: groundDistance(c.lon, c.lat, h.lon, h.lat) / 1000 }))
      .filter((x) => x.km <= maxHopKm && x.km > 0.05)
      .sort((a, b) => a.km - b.km || a.h.id - b.h.id)
    for (const { h, km } of reachable) {
      hopChecks++
      const hopArea = await dem.sampler([Math.min(c.lon, h.lon), Math.min(c.lat, h.lat), Math.max(c.lon, h.lon), Math.max(c.lat, h.lat)])
      const profile = terrainProfile([c.lon, c.lat], [h.lon, h.lat], (lon, lat) => hopArea.sampler.sample(lon, lat))
      if (!profile) continue
      const hop = { profile, fromHeightM: hopHeight, toHeightM: hopHeight, frequencyMhz, requiredClearance }
      if (passesFresnelClearance(hop)) {
        c.hop = { siteId: h.id, siteCode: h.code, distanceKm: km, clearanceRatio: worstFresnelClearanceRatio(hop) }
        break
      }
    }
  }
  onProgress?.('backhaul', 1)

  const input: InstanceInput = {
    villages: villages.map(villageInput),
    candidates: candidates.map((c): CandidateInput => ({
      covers: c.covers, siteCost: costs.siteCost, fibreKm: c.fibreKm, microwaveHopOk: c.hop !== null, gridKm: c.gridKm, solarAllowed: true,
    })),
    model,
  }
  return {
    runId: run.id, technology, onDate: params.onDate, thresholds: params.thresholds, radiusM, operator: { id: operatorId, code: request.operatorCode },
    villages, candidates, excluded, hubs: hubs.length, model, input,
    stats: { sweeps, skipped, hopChecks, coverageMs, backhaulMs: performance.now() - t1 },
  }
}

function villageInput(v: ScopeVillage): VillageInput {
  return { population: v.population, weight: v.weight, servedByExisting: v.served }
}

/** Villages of the scope predicted weak or better (for the operator, or any operator) on the run's date, calibration included. */
async function servedVillages(db: Db, villages: readonly VillagePointRow[], operatorId: number, existingFor: 'operator' | 'any', onDate: string, thresholds: CoverageThresholds): Promise<Set<number>> {
  if (villages.length === 0) return new Set()
  const { predictions } = await villagePredictions(db, { technology: OWN_SECTOR_TECHNOLOGY, onDate, villageIds: villages.map((v) => v.id), thresholds })
  const key = existingFor === 'any' ? null : operatorId
  return new Set(predictions.filter((p) => p.operatorId === key && coverageClass(p.rsrpDbm, thresholds) !== 'none').map((p) => p.villageId))
}

/** Sectors that share an antenna height and frequency share one sweep (as in the recompute and the what-if). */
function groupBySweep(rows: readonly OptimiseSectorRow[]): OptimiseSectorRow[][] {
  const groups = new Map<string, OptimiseSectorRow[]>()
  for (const r of rows) {
    const key = `${Math.fround(r.height_m)}:${Math.fround(r.frequency_mhz)}`
    const g = groups.get(key)
    if (g) g.push(r)
    else groups.set(key, [r])
  }
  return [...groups.values()]
}


/** Gives the event loop a turn every `everyMs` (so a cancel and status reads get through) and throws when cancelled. */
function createYielder(signal: AbortSignal | undefined, everyMs = 20): { maybe(): Promise<void> } {
  let last = performance.now()
  return {
    async maybe() {
      if (signal?.aborted) throw new OptimiserCancelled()
      if (performance.now() - last < everyMs) return
      await new Promise<void>((resolve) => setImmediate(resolve))
      last = performance.now()
      if (signal?.aborted) throw new OptimiserCancelled()
    },
  }
}
