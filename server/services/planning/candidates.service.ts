/**
 * Candidate BTS sites generated from the terrain (issue 7): the local high points and ridge posts
 * of the DEM near villages without 4G, thinned to a minimum spacing, each described by its ground
 * height, slope, relief and its distances to the nearest fibre route, power line and road.
 *
 * Candidates are sites with status 'candidate' (there is no separate table): planners also place
 * them by hand (`POST /api/sites` with `status: candidate`) or import them (the sites layer reads a
 * status column; "ứng viên", "đề xuất", "proposed" mean candidate), and the visibility rules
 * (services/access/viewer.ts) keep them from the public. Generated ones carry their figures in
 * `attributes` with `source: 'generated'`.
 *
 * Which villages count as uncovered: on the current 4G run, on `onDate` (today by default), a
 * village is uncovered for the operator (or, with `uncoveredFor: 'any'`, for every operator) when
 * its predicted class is 'none' or when nothing is predicted there at all (no sector's raster
 * reaches it: beyond every coverage radius). With no current 4G run, nothing is predicted
 * anywhere, so every village in the scope counts as uncovered; the answer says which rule applied
 * (`coverage.basis`).
 *
 * The geometry is pure (server/geo/candidates/, definitions and citations in its README); this
 * file reads the villages, the DEM and the line layers, and stores the result in one transaction.
 */
import type { Db, SiteStatus } from '../../db/database.ts'
import { AppError, type ProblemDetail } from '../../errors/error-catalogue.ts'
import { CANDIDATE_DEFAULTS, candidateSites, type CandidateCell } from '../../geo/candidates/candidate-sites.ts'
import { postSpacing } from '../../geo/candidates/post-spacing.ts'
import { metresPerDegree } from '../../geo/coverage/raster-grid.ts'
import { heightWindowFromTiles } from '../../geo/dem/height-window.ts'
import { insertAuditEntry } from '../../repositories/audit.repository.ts'
import {
  findLastCandidateNumber, listVillagePoints, lockCandidateCodes, nearestLines,
  type NearestLineRow, type VillagePointRow,
} from '../../repositories/candidates.repository.ts'
import { findCommuneIdsByCodes } from '../../repositories/communes.repository.ts'
import { listOperatorSitesInBbox } from '../../repositories/optimise.repository.ts'
import type { Bbox } from '../../repositories/paging.ts'
import { insertSites, type NewSite } from '../../repositories/sites.repository.ts'
import type { DemStore, DemTileKind } from '../dem/dem-store.ts'
import { resolveOperator } from '../operator-refs.ts'
import { todayInVietnam } from '../../lib/vietnam-time.ts'
import { villagePredictions } from '../village-coverage/village-predictions.service.ts'
import type { WriteContext } from '../write-context.ts'
import { roundTo } from '../../lib/round.ts'

export const CANDIDATE_GENERATION_DEFAULTS = {
  maxDistanceKm: 5,
  minSpacingM: 1000,
  limit: 50,
  uncoveredOnly: true,
  uncoveredFor: 'operator' as 'operator' | 'any',
  avoidExistingSites: true,
  dryRun: false,
  ...CANDIDATE_DEFAULTS,
}

/** Largest side of the searched area (the villages' extent plus the distance), degrees: about 220 km. */
export const MAX_SEARCH_SPAN_DEG = 2
/** Most DEM posts read at once (16 MB of heights); a larger area is read at a coarser, still aligned, step. */
export const MAX_WINDOW_POSTS = 4_000_000
/** The statuses of the operator's sites that hold a place: no candidate is generated within the spacing of one. */
const OCCUPYING_STATUSES: readonly SiteStatus[] = ['existing', 'planned', 'candidate']
/** Why no road distance is given. */
export const ROAD_UNAVAILABLE = 'no roads layer exists in the database yet (communes, villages, sites, sectors, fibre and power lines only)'

export interface GenerateCandidatesInput {
  operatorCode: string
  /** 5-digit commune codes; with `bbox` the villages must be in both. At least one of the two. */
  communeCodes?: readonly string[]
  bbox?: Bbox
  maxDistanceKm?: number
  minSpacingM?: number
  limit?: number
  /** Only villages without coverage (default true); false: every village of the scope. */
  uncoveredOnly?: boolean
  uncoveredFor?: 'operator' | 'any'
  /** No candidate within the spacing of the operator's existing, planned or candidate sites (default true). */
  avoidExistingSites?: boolean
  /** YYYY-MM-DD: sites in service that day count for coverage (default today, Vietnam time). */
  onDate?: string
  dryRun?: boolean
  peakRadiusM?: number
  ridgeHalfLengthM?: number
  reliefRadiusM?: number
  minReliefM?: number
}

export interface CandidateProperties {
  /** The stored site's code (on a dry run, the code it would get). */
  code: string
  rank: number
  status: 'candidate'
  source: 'generated'
  kind: 'peak' | 'ridge'
  groundElevationM: number
  slopeDeg: number | null
  reliefM: number
  score: number
  nearestVillageId: number
  nearestVillageCode: string
  nearestVillageName: string
  distanceToVillageM: number
  nearestFibreCode: string | null
  distanceToFibreM: number | null
  nearestPowerLineCode: string | null
  distanceToPowerLineM: number | null
  distanceToRoadM: null
}

export interface GeneratedCandidates {
  dryRun: boolean
  created: number
  operator: { code: string }
  parameters: Required<Omit<GenerateCandidatesInput, 'operatorCode' | 'communeCodes' | 'bbox'>> & { communeCodes: string[] | null; bbox: number[] | null }
  coverage: { technology: '4G'; runId: number | null; onDate: string; uncoveredFor: 'operator' | 'any'; basis: 'prediction' | 'no-current-run' | 'not-used'; rule: string }
  villages: {
    inScope: number
    targeted: number
    targets: Array<{ id: number; code: string; name: string; communeCode: string; reason: 'predicted-none' | 'no-prediction' | 'no-current-run' | 'all-villages' }>
  }
  dem: { stepDeg: number | null; postSpacingM: { dx: number; dy: number } | null; posts: number; synthetic: boolean; tiles: Array<{ name: string; kind: DemTileKind | 'missing' }> }
  counts: { peaks: number; ridgeCells: number; withinDistance: number; aboveRelief: number; nearExistingSites: number; nearBetterCandidate: number }
  road: { available: false; reason: string }
  candidates: {
    type: 'FeatureCollection'
    features: Array<{ type: 'Feature'; id: number | null; geometry: { type: 'Point'; coordinates: [number, number] }; properties: CandidateProperties }>
  }
}


/** A 400 validation-failed naming a body field. */
export function invalid(field: string, value: unknown, reason: string): AppError {
  const detail: ProblemDetail = { field, location: 'body', value, reason }
  return new AppError('validation-failed', `${field}: ${reason}`, [detail])
}

/** The ids of communes by code (a planning scope), or a 400 unknown-reference naming the body field and the unknown codes. */
export async function resolveCommuneIds(db: Db, codes: readonly string[], field: string): Promise<number[]> {
  const found = await findCommuneIdsByCodes(db, codes)
  const unknown = codes.filter((c) => !found.has(c))
  if (unknown.length > 0) {
    throw new AppError('unknown-reference', `${field}: no commune has code ${unknown.join(', ')}`, [
      { field, location: 'body', value: unknown, reason: 'unknown commune code' },
    ])
  }
  return [...found.values()]
}

/** The code prefix of an operator's generated candidates: `CAND-<operator>-`, numbered from 0001. */
export function candidateCodePrefix(operatorCode: string): string {
  return `CAND-${operatorCode}-`
}

/**
 * Generates candidate sites for an operator near the uncovered villages of some communes or a
 * bbox (see the module comment), and unless `dryRun` stores them as sites with status
 * 'candidate', codes `CAND-<operator>-<n>` continuing the operator's numbering, all in one
 * transaction with one audit entry per site. 400 for an unknown operator or commune, a missing
 * scope or an area over 2°; 422 no-terrain-data when no DEM tile covers the area.
 */
export async function generateCandidates(db: Db, dem: DemStore, input: GenerateCandidatesInput, ctx: WriteContext): Promise<GeneratedCandidates> {
  const d = CANDIDATE_GENERATION_DEFAULTS
  const p = {
    maxDistanceKm: input.maxDistanceKm ?? d.maxDistanceKm,
    minSpacingM: input.minSpacingM ?? d.minSpacingM,
    limit: input.limit ?? d.limit,
    uncoveredOnly: input.uncoveredOnly ?? d.uncoveredOnly,
    uncoveredFor: input.uncoveredFor ?? d.uncoveredFor,
    avoidExistingSites: input.avoidExistingSites ?? d.avoidExistingSites,
    onDate: input.onDate ?? todayInVietnam(),
    dryRun: input.dryRun ?? d.dryRun,
    peakRadiusM: input.peakRadiusM ?? d.peakRadiusM,
    ridgeHalfLengthM: input.ridgeHalfLengthM ?? d.ridgeHalfLengthM,
    reliefRadiusM: input.reliefRadiusM ?? d.reliefRadiusM,
    minReliefM: input.minReliefM ?? d.minReliefM,
  }
  // Scope and references.
  if (!input.communeCodes?.length && !input.bbox) {
    throw new AppError('validation-failed', 'Give communeCodes or bbox: the villages to serve', [
      { field: 'communeCodes', location: 'body', reason: 'communeCodes or bbox is required' },
    ])
  }
  if (input.bbox) {
    const [w, s, e, n] = input.bbox
    if (!(w < e && s < n)) throw invalid('bbox', input.bbox, 'min must be less than max (order is minLon,minLat,maxLon,maxLat)')
    if (e - w > MAX_SEARCH_SPAN_DEG || n - s > MAX_SEARCH_SPAN_DEG) throw invalid('bbox', input.bbox, `each side must be at most ${MAX_SEARCH_SPAN_DEG}°`)
  }
  const operatorId = await resolveOperator(db, input.operatorCode, 'operatorCode')
  const communeIds = input.communeCodes?.length ? await resolveCommuneIds(db, input.communeCodes, 'communeCodes') : undefined

  // Target villages.
  const villages = await listVillagePoints(db, { communeIds, bbox: input.bbox })
  const targets = await uncoveredVillages(db, villages, operatorId, p)
  const base: Omit<GeneratedCandidates, 'dem' | 'counts' | 'candidates' | 'created'> = {
    dryRun: p.dryRun,
    operator: { code: input.operatorCode },
    parameters: { ...p, communeCodes: input.communeCodes ? [...input.communeCodes] : null, bbox: input.bbox ? [...input.bbox] : null },
    coverage: {
      technology: '4G', runId: targets.runId, onDate: p.onDate, uncoveredFor: p.uncoveredFor, basis: targets.basis,
      rule: `a village is uncovered when the current 4G run predicts class 'none' there for ${p.uncoveredFor === 'any' ? 'every operator' : `${input.operatorCode}`}, or predicts nothing (no sector reaches it); with no current run every village counts as uncovered`,
    },
    villages: {
      inScope: villages.length,
      targeted: targets.villages.length,
      targets: targets.villages.map((t) => ({ id: t.village.id, code: t.village.code, name: t.village.name, communeCode: t.village.commune_code, reason: t.reason })),
    },
    road: { available: false, reason: ROAD_UNAVAILABLE },
  }
  const empty = { dem: { stepDeg: null, postSpacingM: null, posts: 0, synthetic: false, tiles: [] }, counts: { peaks: 0, ridgeCells: 0, withinDistance: 0, aboveRelief: 0, nearExistingSites: 0, nearBetterCandidate: 0 } }
  if (targets.villages.length === 0) return { ...base, ...empty, created: 0, candidates: { type: 'FeatureCollection', features: [] } }

  // The DEM around them: their extent plus the distance plus the largest neighbourhood.
  const targetPoints = targets.villages.map((t) => ({ lon: t.village.lon, lat: t.village.lat }))
  const marginM = p.maxDistanceKm * 1000 + Math.max(p.peakRadiusM, p.ridgeHalfLengthM) + 200
  const midLat = targetPoints.reduce((s, t) => s + t.lat, 0) / targetPoints.length
  const mpd = metresPerDegree(midLat)
  const area: Bbox = [
    Math.min(...targetPoints.map((t) => t.lon)) - marginM / mpd.lon,
    Math.min(...targetPoints.map((t) => t.lat)) - marginM / mpd.lat,
    Math.max(...targetPoints.map((t) => t.lon)) + marginM / mpd.lon,
    Math.max(...targetPoints.map((t) => t.lat)) + marginM / mpd.lat,
  ]
  if (area[2] - area[0] > MAX_SEARCH_SPAN_DEG || area[3] - area[1] > MAX_SEARCH_SPAN_DEG) {
    throw invalid(input.communeCodes?.length ? 'communeCodes' : 'bbox', input.communeCodes ?? input.bbox,
      `the uncovered villages plus ${p.maxDistanceKm} km span more than ${MAX_SEARCH_SPAN_DEG}° a side: ask for fewer communes or a smaller bbox`)
  }
  const coverage = dem.coverage([...area])
  if (coverage.real + coverage.synthetic === 0) {
    throw new AppError('no-terrain-data', `No DEM tile covers the area around the villages (${coverage.tiles.map((t) => t.name).join(', ')}): run npm run dem:fetch or dem:sample`, [
      { field: input.communeCodes?.length ? 'communeCodes' : 'bbox', location: 'body', value: input.communeCodes ?? input.bbox, reason: 'no elevation data here' },
    ])
  }
  const { sampler } = await dem.sampler([...area])
  const landTiles = sampler.tiles.filter((t) => t.cols > 2)
  let step = Math.min(...landTiles.map((t) => t.step))
  const postsAt = (s: number) => (Math.floor((area[2] - area[0]) / s) + 2) * (Math.floor((area[3] - area[1]) / s) + 2)
  if (postsAt(step) > MAX_WINDOW_POSTS) step *= Math.ceil(Math.sqrt(postsAt(step) / MAX_WINDOW_POSTS))
  const west = Math.floor(area[0] / step) * step
  const north = Math.ceil(area[3] / step) * step
  const posts = { west, north, stepLon: step, stepLat: step, cols: Math.ceil((area[2] - west) / step) + 1, rows: Math.ceil((north - area[1]) / step) + 1 }
  const window = heightWindowFromTiles(sampler.tiles, posts)

  const occupied = p.avoidExistingSites ? await listOperatorSitesInBbox(db, operatorId, [...area], OCCUPYING_STATUSES) : []
  const search = candidateSites(window, {
    targets: targetPoints, maxDistanceM: p.maxDistanceKm * 1000, minSpacingM: p.minSpacingM, occupied, limit: p.limit,
    peakRadiusM: p.peakRadiusM, ridgeHalfLengthM: p.ridgeHalfLengthM, reliefRadiusM: p.reliefRadiusM, minReliefM: p.minReliefM,
  })
  const fibre = await nearestLines(db, 'fibre_routes', search.candidates)
  const power = await nearestLines(db, 'power_lines', search.candidates)
  const spacing = postSpacing(posts)
  const demInfo = {
    stepDeg: step,
    postSpacingM: { dx: roundTo(spacing.dx, 1), dy: roundTo(spacing.dy, 1) },
    posts: posts.cols * posts.rows,
    synthetic: coverage.synthetic > 0,
    tiles: coverage.tiles.map((t) => ({ name: t.name, kind: t.status })),
  }
  const counts = {
    peaks: search.counts.peaks, ridgeCells: search.counts.ridgeCells, withinDistance: search.counts.withinDistance,
    aboveRelief: search.counts.aboveRelief, nearExistingSites: search.counts.nearOccupied, nearBetterCandidate: search.counts.nearBetter,
  }
  const describe = (c: CandidateCell, k: number, code: string): CandidateProperties => {
    const v = targets.villages[c.nearestTarget.index]!.village
    return {
      code, rank: k + 1, status: 'candidate', source: 'generated', kind: c.kind,
      groundElevationM: roundTo(c.elevationM, 1), slopeDeg: c.slopeDeg === null ? null : roundTo(c.slopeDeg, 1),
      reliefM: roundTo(c.reliefM, 1), score: roundTo(c.reliefM, 1),
      nearestVillageId: v.id, nearestVillageCode: v.code, nearestVillageName: v.name, distanceToVillageM: Math.round(c.nearestTarget.distanceM),
      ...lineFigures('Fibre', fibre[k] ?? null), ...lineFigures('PowerLine', power[k] ?? null),
      distanceToRoadM: null,
    } as CandidateProperties
  }

  const write = async (): Promise<Array<{ id: number | null; props: CandidateProperties; cell: CandidateCell }>> => {
    if (p.dryRun) {
      const last = await findLastCandidateNumber(db, operatorId, candidateCodePrefix(input.operatorCode))
      return search.candidates.map((c, k) => ({ id: null, cell: c, props: describe(c, k, candidateCode(input.operatorCode, last + k + 1)) }))
    }
    return db.transaction().execute(async (tx) => {
      await lockCandidateCodes(tx)
      const last = await findLastCandidateNumber(tx, operatorId, candidateCodePrefix(input.operatorCode))
      const described = search.candidates.map((c, k) => ({ cell: c, props: describe(c, k, candidateCode(input.operatorCode, last + k + 1)) }))
      const generatedAt = new Date().toISOString()
      const rows: NewSite[] = described.map(({ cell, props }) => ({
        operatorId,
        code: props.code,
        name: `Ứng viên gần ${props.nearestVillageName}`,
        status: 'candidate',
        groundElevationM: props.groundElevationM >= -100 && props.groundElevationM <= 3500 ? props.groundElevationM : null,
        commissionedOn: null,
        decommissionedOn: null,
        attributes: {
          ...Object.fromEntries(Object.entries(props).filter(([key]) => !['code', 'status', 'groundElevationM', 'rank'].includes(key))),
          roadUnavailableReason: ROAD_UNAVAILABLE,
          generatedAt,
          coverageRunId: targets.runId,
          demSynthetic: demInfo.synthetic,
          parameters: { maxDistanceKm: p.maxDistanceKm, minSpacingM: p.minSpacingM, reliefRadiusM: p.reliefRadiusM, peakRadiusM: p.peakRadiusM, ridgeHalfLengthM: p.ridgeHalfLengthM },
        },
        synthetic: false,
        geometry: { type: 'Point', coordinates: [roundTo(cell.lon, 7), roundTo(cell.lat, 7)] },
      }))
      const ids = rows.length > 0 ? await insertSites(tx, rows) : []
      for (let k = 0; k < ids.length; k++) {
        await insertAuditEntry(tx, {
          actor: ctx.actor, action: 'create', entity: 'site', entityId: String(ids[k]),
          details: { code: rows[k]!.code, operator: input.operatorCode, status: 'candidate', source: 'generated' },
        })
      }
      return described.map((x, k) => ({ ...x, id: ids[k] ?? null }))
    })
  }
  const stored = await write()
  return {
    ...base,
    created: p.dryRun ? 0 : stored.length,
    dem: demInfo,
    counts,
    candidates: {
      type: 'FeatureCollection',
      features: stored.map((s) => ({
        type: 'Feature', id: s.id, geometry: { type: 'Point', coordinates: [roundTo(s.cell.lon, 7), roundTo(s.cell.lat, 7)] }, properties: s.props,
      })),
    },
  }
}

function candidateCode(operatorCode: string, n: number): string {
  return `${candidateCodePrefix(operatorCode)}${String(n).padStart(4, '0')}`
}

function lineFigures<K extends 'Fibre' | 'PowerLine'>(kind: K, line: NearestLineRow | null): Record<`nearest${K}Code` | `distanceTo${K}M`, string | number | null> {
  return { [`nearest${kind}Code`]: line?.code ?? null, [`distanceTo${kind}M`]: line ? Math.round(line.distanceM) : null } as Record<`nearest${K}Code` | `distanceTo${K}M`, string | number | null>
}

interface Targets {
  runId: number | null
  basis: 'prediction' | 'no-current-run' | 'not-used'
  villages: Array<{ village: VillagePointRow; reason: 'predicted-none' | 'no-prediction' | 'no-current-run' | 'all-villages' }>
}

/** The villages to serve: the uncovered ones (see the module comment), or all with uncoveredOnly false. */
async function uncoveredVillages(db: Db, villages: VillagePointRow[], operatorId: number, p: { uncoveredOnly: boolean; uncoveredFor: 'operator' | 'any'; onDate: string }): Promise<Targets> {
  if (!p.uncoveredOnly) return { runId: null, basis: 'not-used', villages: villages.map((village) => ({ village, reason: 'all-villages' })) }
  if (villages.length === 0) return { runId: null, basis: 'prediction', villages: [] }
  const { runId, predictions } = await villagePredictions(db, { technology: '4G', onDate: p.onDate, villageIds: villages.map((v) => v.id) })
  if (runId === null) return { runId, basis: 'no-current-run', villages: villages.map((village) => ({ village, reason: 'no-current-run' })) }
  const key = p.uncoveredFor === 'any' ? null : operatorId
  const predicted = new Set<number>()
  const covered = new Set<number>()
  for (const pr of predictions) {
    if (pr.operatorId !== key) continue
    predicted.add(pr.villageId)
    if (pr.className !== 'none') covered.add(pr.villageId)
  }
  return {
    runId,
    basis: 'prediction',
    villages: villages.filter((v) => !covered.has(v.id)).map((village) => ({ village, reason: predicted.has(village.id) ? 'predicted-none' : 'no-prediction' })),
  }
}
