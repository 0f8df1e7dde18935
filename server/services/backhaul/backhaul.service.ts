/**
 * The microwave backhaul check between two points: the terrain profile read from the DEM store,
 * first-Fresnel-zone clearance with the earth bulge, pass/fail of the clearance rule with the
 * obstruction named, and a sentence a planner can read. No database: the DEM is all it needs.
 *
 * Defaults and why:
 * - frequency 15 GHz: a common backhaul band in Vietnam's mountains for hops of 5–20 km
 *   (ITU-R F.636 14.4–15.35 GHz); lower bands (7/8 GHz) have wider zones, so give the real one.
 * - k = 4/3: the standard atmosphere (ITU-R P.530 §2.2.2 plans 60 % of F1 at the median k);
 *   ask again with kFactor=0.67 for the sub-refraction case.
 * - required clearance 0.6 of F1 (`FRESNEL_CLEARANCE_RULE`).
 * - sample spacing: 30 m (≈ 1″ SRTM), or the DEM's own step where it is finer (a 10 m GeoTIFF);
 *   3″ tiles are sampled at 30 m too, bilinearly.
 */
import { AppError, type ProblemDetail } from '../../errors/error-catalogue.ts'
import { fresnelClearance, type FresnelClearance, type FresnelSample } from '../../geo/backhaul/fresnel-clearance.ts'
import { neededAntennaHeight } from '../../geo/backhaul/needed-antenna-height.ts'
import { metresPerDegree } from '../../geo/coverage/raster-grid.ts'
import { hgtTileName } from '../../geo/dem/hgt-tile-name.ts'
import { DEFAULT_K_FACTOR } from '../../geo/propagation/earth-bulge.ts'
import { FRESNEL_CLEARANCE_RULE } from '../../geo/propagation/line-of-sight.ts'
import { DEFAULT_PROFILE_SPACING_M, terrainProfile } from '../../geo/propagation/terrain-profile.ts'
import { explainOutsideVietnam, VIETNAM_EXTENT } from '../../geo/vietnam-extent.ts'
import type { DemStore, DemTileKind } from '../dem/dem-store.ts'
import { roundTo } from '../../lib/round.ts'

/** Default carrier of the check, MHz: 15 GHz (see the module comment). */
export const DEFAULT_BACKHAUL_FREQUENCY_MHZ = 15_000
/** Longest path checked, m: beyond it the flat-profile geometry drifts more than a DEM cell from the great circle. */
export const MAX_BACKHAUL_PATH_M = 100_000
/** Shortest path checked, m: at least one sample between the ends. */
export const MIN_BACKHAUL_PATH_M = 50

export interface BackhaulEnd {
  lon: number
  lat: number
  /** Antenna height above the ground, m. */
  heightM: number
}

export interface BackhaulQuery {
  from: BackhaulEnd
  to: BackhaulEnd
  /** Default 15 000 MHz. */
  frequencyMhz?: number
  /** Default 4/3. */
  kFactor?: number
  /** Share of the first Fresnel radius to keep clear, default 0.6. */
  requiredClearance?: number
  /** Trees or buildings on the ground between the ends, m (default 0). */
  clutterM?: number
}

/** One sample of the path, as `fresnelClearance` describes it. */
export type BackhaulPoint = FresnelSample

/** The backhaul check as the API shows it (metres rounded to the centimetre, ratios to 0.001). */
export interface BackhaulCheck {
  from: BackhaulEnd & { groundM: number }
  to: BackhaulEnd & { groundM: number }
  frequencyMhz: number
  kFactor: number
  requiredClearance: number
  clutterM: number
  distanceM: number
  spacingM: number
  pass: boolean
  lineOfSight: boolean
  samplesBelowRequired: number
  worst: BackhaulPoint
  obstruction: (BackhaulPoint & { aboveRequiredM: number; blocksLineOfSight: boolean }) | null
  /** Smallest extra antenna height that makes the path pass, m (0 when it passes). */
  neededExtraHeightM: { both: number; fromOnly: number; toOnly: number }
  profile: {
    distanceM: number[]
    groundM: number[]
    bulgeM: number[]
    lineM: number[]
    fresnelRadiusM: number[]
  }
  dem: { synthetic: boolean; tiles: Array<{ name: string; kind: DemTileKind }> }
  verdict: string
}

/** Metres to the centimetre (the answer's precision) unless told otherwise. */
const round = (x: number, digits = 2): number => roundTo(x, digits)
const roundAll = (xs: Float64Array): number[] => Array.from(xs, (x) => round(x))

function noTerrain(field: 'from' | 'to', value: unknown, reason: string): AppError {
  return new AppError('no-terrain-data', `${field}: ${reason}`, [{ field, location: 'querystring', value, reason }])
}

function invalid(field: 'from' | 'to', value: unknown, reason: string): AppError {
  return new AppError('validation-failed', `${field}: ${reason}`, [{ field, location: 'querystring', value, reason }])
}

function checkInVietnam(field: 'from' | 'to', end: BackhaulEnd): void {
  const e = VIETNAM_EXTENT
  if (end.lon < e.minLon || end.lon > e.maxLon || end.lat < e.minLat || end.lat > e.maxLat) {
    const reason = explainOutsideVietnam(end.lon, end.lat)
    const detail: ProblemDetail = { field, location: 'querystring', value: `${end.lon},${end.lat}`, reason }
    throw new AppError('outside-vietnam', `${field}: ${reason}`, [detail])
  }
}

/**
 * Checks a microwave hop from `from` to `to` over the DEM: samples the terrain profile along the
 * path (`terrainProfile`: evenly spaced in a local projection that follows the great circle to
 * within a DEM cell below 100 km), runs `fresnelClearance` and `neededAntennaHeight`, and says
 * whether synthetic terrain was read. 400 `outside-vietnam` for an end outside Vietnam;
 * 400 `validation-failed` for a path shorter than 50 m or longer than 100 km; 422 `no-terrain-data` where no DEM
 * tile gives a height (an end or a point of the path; the problem names the tile to fetch).
 */
export async function checkBackhaul(dem: DemStore, query: BackhaulQuery): Promise<BackhaulCheck> {
  const { from, to } = query
  checkInVietnam('from', from)
  checkInVietnam('to', to)
  const frequencyMhz = query.frequencyMhz ?? DEFAULT_BACKHAUL_FREQUENCY_MHZ
  const kFactor = query.kFactor ?? DEFAULT_K_FACTOR
  const requiredClearance = query.requiredClearance ?? FRESNEL_CLEARANCE_RULE
  const clutterM = query.clutterM ?? 0
  const a = [from.lon, from.lat] as const
  const b = [to.lon, to.lat] as const

  // The path length as terrainProfile measures it (two samples, no height read).
  const lengthM = terrainProfile(a, b, () => 0, { spacingM: Infinity })!.lengthM
  if (lengthM > MAX_BACKHAUL_PATH_M) {
    throw invalid('to', `${to.lon},${to.lat}`, `the path is ${(lengthM / 1000).toFixed(1)} km long; at most ${MAX_BACKHAUL_PATH_M / 1000} km is checked (split a longer route into hops)`)
  }
  if (lengthM < MIN_BACKHAUL_PATH_M) {
    throw invalid('to', `${to.lon},${to.lat}`, `the path is ${lengthM.toFixed(1)} m long; give two points at least ${MIN_BACKHAUL_PATH_M} m apart`)
  }

  const bbox = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])] as const
  const area = await dem.sampler(bbox)
  const missingTile = (lon: number, lat: number) =>
    `no terrain height at (${lon.toFixed(5)}, ${lat.toFixed(5)}): DEM tile ${hgtTileName(lat, lon)} is not installed (npm run dem:fetch)`
  if (area.sampler.sample(from.lon, from.lat) === null) throw noTerrain('from', `${from.lon},${from.lat}`, missingTile(from.lon, from.lat))
  if (area.sampler.sample(to.lon, to.lat) === null) throw noTerrain('to', `${to.lon},${to.lat}`, missingTile(to.lon, to.lat))

  // The DEM's resolution in metres (north–south), at most the default 30 m; sea tiles (one flat 1° cell) do not count.
  const mPerDeg = metresPerDegree((from.lat + to.lat) / 2).lat
  const steps = area.sampler.tiles.map((t) => t.step * mPerDeg).filter((m) => m < 1000)
  const spacingM = Math.min(DEFAULT_PROFILE_SPACING_M, ...steps)

  const tilesRead = new Set<string>()
  const gap = { lon: to.lon, lat: to.lat }
  const heightAt = (lon: number, lat: number): number | null => {
    const h = area.sampler.sample(lon, lat)
    // terrainProfile stops at the first sample without a height: that is the one to name.
    if (h === null) Object.assign(gap, { lon, lat })
    else tilesRead.add(hgtTileName(lat, lon))
    return h
  }
  const profile = terrainProfile(a, b, heightAt, { spacingM, kFactor })
  if (!profile) {
    throw noTerrain('to', `${to.lon},${to.lat}`, `the path crosses a gap in the DEM: ${missingTile(gap.lon, gap.lat)}`)
  }

  const result = fresnelClearance({ profile, fromHeightM: from.heightM, toHeightM: to.heightM, frequencyMhz, kFactor, clutterM, requiredClearance })
  const tiles = [...tilesRead]
    .sort()
    .flatMap((name) => {
      const kind = dem.source(name)?.kind
      return kind ? [{ name, kind }] : []
    })
  const synthetic = tiles.some((t) => t.kind === 'synthetic')
  const needed = {
    both: round(neededAntennaHeight(result, 'both')),
    fromOnly: round(neededAntennaHeight(result, 'from')),
    toOnly: round(neededAntennaHeight(result, 'to')),
  }
  const worst = pointOut(result.worst!)
  const obstruction = result.obstruction
    ? { ...pointOut(result.obstruction), aboveRequiredM: round(result.obstruction.aboveRequiredM), blocksLineOfSight: result.obstruction.blocksLineOfSight }
    : null
  return {
    from: { ...from, groundM: round(profile.groundM[0]!) },
    to: { ...to, groundM: round(profile.groundM[profile.groundM.length - 1]!) },
    frequencyMhz,
    kFactor,
    requiredClearance,
    clutterM,
    distanceM: round(profile.lengthM),
    spacingM: round(profile.spacingM),
    pass: result.pass,
    lineOfSight: result.lineOfSight,
    samplesBelowRequired: result.samplesBelowRequired,
    worst,
    obstruction,
    neededExtraHeightM: needed,
    profile: {
      distanceM: roundAll(result.distancesM),
      groundM: roundAll(result.groundM),
      bulgeM: roundAll(result.bulgeM),
      lineM: roundAll(result.lineM),
      fresnelRadiusM: roundAll(result.fresnelRadiusM),
    },
    dem: { synthetic, tiles },
    verdict: backhaulVerdict(result, needed, synthetic),
  }
}

function pointOut(p: NonNullable<FresnelClearance['worst']>): BackhaulPoint {
  return {
    index: p.index,
    distanceM: round(p.distanceM),
    groundM: round(p.groundM),
    bulgeM: round(p.bulgeM),
    clutterM: round(p.clutterM),
    obstructionM: round(p.obstructionM),
    lineM: round(p.lineM),
    fresnelRadiusM: round(p.fresnelRadiusM),
    clearanceM: round(p.clearanceM),
    clearanceRatio: round(p.clearanceRatio, 3),
  }
}

const km = (m: number): string => (m >= 1000 ? `${(m / 1000).toFixed(2)} km` : `${Math.round(m)} m`)
const metres = (m: number): string => `${m.toFixed(Math.abs(m) < 1 ? 2 : 1)} m`

/** One or two sentences: the verdict, where, by how much, and what would fix it. */
function backhaulVerdict(r: FresnelClearance, needed: BackhaulCheck['neededExtraHeightM'], synthetic: boolean): string {
  const rule = `${Math.round(r.requiredClearance * 100)} % of the first Fresnel zone`
  const band = r.frequencyMhz < 1000 ? `${+r.frequencyMhz.toFixed(1)} MHz` : `${+(r.frequencyMhz / 1000).toFixed(3)} GHz`
  const conditions = `at ${band} with k = ${r.kFactor === DEFAULT_K_FACTOR ? '4/3' : String(r.kFactor)}`
  const caveat = synthetic ? ' The terrain on this path is synthetic (generated sample data): check again with real DEM tiles.' : ''
  const w = r.worst!
  if (r.pass) {
    return `Passes: the path keeps at least ${rule} clear ${conditions}; the tightest point is ${km(w.distanceM)} from A ` +
      `with ${metres(w.clearanceM)} of clearance below the direct line (${Math.round(w.clearanceRatio * 100)} % of the zone's radius).${caveat}`
  }
  const o = r.obstruction!
  const what = o.clutterM > 0 ? 'the ground and clutter' : 'the ground'
  const how = o.blocksLineOfSight
    ? `rises ${metres(-o.clearanceM)} above the direct line (no line of sight)`
    : `reaches ${metres(o.aboveRequiredM)} into the ${rule} that must stay clear`
  return `Fails ${conditions}: ${what} at ${km(o.distanceM)} from A (${o.groundM.toFixed(0)} m above sea level, ` +
    `${metres(o.bulgeM)} of earth bulge) ${how}. Raising both antennas by ${metres(needed.both)} would pass ` +
    `(or A alone by ${metres(needed.fromOnly)}, B alone by ${metres(needed.toOnly)}).${caveat}`
}
