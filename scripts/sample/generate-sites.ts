/**
 * SYNTHETIC BTS sites and sectors for Viettel, VNPT (VinaPhone) and MobiFone: at commune seats,
 * along the road corridors and near larger villages, sparser the farther from a road, so that remote
 * areas stay unserved (the gaps the product is about). A few planned/candidate sites sit near the
 * largest unserved villages; a few old sites are decommissioned.
 */
import type { Feature, Point, Position } from 'geojson'
import type { AsciiGrid } from '../../server/geo/parse-ascii-grid.ts'
import { sampleGridBilinear } from '../../server/geo/sample-grid-bilinear.ts'
import { createRng } from './create-rng.ts'
import type { Rng } from './create-rng.ts'
import type { RoadNetwork } from './build-road-network.ts'
import { bearingDeg, createSegmentIndex, destinationKm, distanceKm, roundLonLat, roundTo } from './local-geometry.ts'
import type { LonLat } from './local-geometry.ts'
import type { Commune } from './sample-inputs.ts'
import type { VillageDraft } from './generate-villages.ts'

export type OperatorCode = 'viettel' | 'vnpt' | 'mobifone'
export type SiteStatus = 'existing' | 'planned' | 'candidate' | 'decommissioned'
export type Technology = '2G' | '3G' | '4G' | '5G'

export interface Sector {
  technology: Technology
  frequency_mhz: number
  azimuth_deg: number
  beamwidth_deg: number
  electrical_tilt_deg: number
  mechanical_tilt_deg: number
  height_m: number
  eirp_dbm: number
  gain_dbi: number
}

export interface SiteProperties {
  code: string
  name: string
  operator_code: OperatorCode
  status: SiteStatus
  ground_elevation_m: number | null
  commissioned_on: string | null
  decommissioned_on: string | null
  synthetic: true
  sectors: Sector[]
}

export type SiteFeature = Feature<Point, SiteProperties>

interface OperatorPlan {
  code: OperatorCode
  prefix: string
  /** sites placed before planned/candidate ones (existing, some later decommissioned) */
  budget: number
  /** chance that a rural commune seat has a site of this operator */
  seatChance: number
  corridorSpacingKm: number
  /** a village site only where this operator has no site closer */
  villageGapKm: number
  villageChance: number
  has4g: number
  planned: number
  candidate: number
}

export const OPERATOR_PLANS: readonly OperatorPlan[] = [
  { code: 'viettel', prefix: 'VTL', budget: 290, seatChance: 1, corridorSpacingKm: 8, villageGapKm: 4, villageChance: 0.6, has4g: 0.94, planned: 12, candidate: 10 },
  { code: 'vnpt', prefix: 'VNP', budget: 130, seatChance: 0.8, corridorSpacingKm: 13, villageGapKm: 6, villageChance: 0.35, has4g: 0.86, planned: 5, candidate: 4 },
  { code: 'mobifone', prefix: 'MBF', budget: 90, seatChance: 0.55, corridorSpacingKm: 18, villageGapKm: 8, villageChance: 0.25, has4g: 0.82, planned: 0, candidate: 3 },
]

type SiteKind = 'urban' | 'seat' | 'corridor' | 'village' | 'gap'

interface SiteDraft {
  operator: OperatorPlan
  position: LonLat
  anchorCommune: Commune
  kind: SiteKind
  status: SiteStatus
  /** along-road bearing for corridor sites (two-sector sites point along the road) */
  roadBearing: number | null
}

export interface SitesOptions {
  seed: string
  communes: readonly Commune[]
  villages: readonly VillageDraft[]
  roads: RoadNetwork
  dem: AsciiGrid
  insideProvince: (p: Position) => boolean
}

const LAST_DAY = '2025-06-30'

export function generateSites(options: SitesOptions): SiteFeature[] {
  const { seed, communes, villages, roads, dem, insideProvince } = options
  const byCode = new Map(communes.map((c) => [c.code, c]))
  const elevation = (p: Position): number | null => sampleGridBilinear(dem, p[0] ?? NaN, p[1] ?? NaN)
  const roadIndex = createSegmentIndex(roads.sections.map((s) => s.coords))
  const drafts: SiteDraft[] = []
  const nearestKm = (p: Position, filter: (s: SiteDraft) => boolean): number => {
    let best = Infinity
    for (const s of drafts) if (filter(s)) best = Math.min(best, distanceKm(p, s.position))
    return best
  }

  for (const op of OPERATOR_PLANS) {
    const rng = createRng(`${seed}:sites:${op.code}`)
    const mine = (s: SiteDraft): boolean => s.operator === op
    const add = (d: Omit<SiteDraft, 'operator' | 'status'>): void => {
      drafts.push({ ...d, operator: op, status: 'existing' })
    }

    // 1. Commune seats: wards (towns) get several sites, rural seats one (two when large).
    for (const c of communes) {
      const n = c.isWard
        ? 1 + Math.floor(c.population / (op.code === 'viettel' ? 15000 : op.code === 'vnpt' ? 25000 : 30000)) + (op.code === 'viettel' ? 1 : 0)
        : rng.chance(op.seatChance)
          ? 1 + (c.population > 30000 && op.code !== 'mobifone' ? 1 : 0)
          : 0
      for (let k = 0; k < n; k++) {
        const spreadKm = c.isWard ? 2 : 1.5
        const minSepKm = c.isWard ? 0.5 : 1.2
        const p = placeNear(c.seat, 0.15, spreadKm, !c.isWard, rng, insideProvince, elevation, (q) => nearestKm(q, mine) >= minSepKm)
        if (p) add({ position: p, anchorCommune: c, kind: c.isWard ? 'urban' : 'seat', roadBearing: null })
      }
    }

    // 2. Along the corridors, every `corridorSpacingKm` or so, a little off the road.
    for (const s of roads.sections) {
      if (s.kind !== 'corridor') continue
      let along = 0
      let next = op.corridorSpacingKm * rng.uniform(0.4, 1)
      for (let i = 1; i < s.coords.length; i++) {
        const a = s.coords[i - 1]!
        const b = s.coords[i]!
        along += distanceKm(a, b)
        if (along < next) continue
        along = 0
        next = op.corridorSpacingKm * rng.uniform(0.7, 1.3)
        const road = bearingDeg(a, b)
        const side = rng.chance(0.5) ? 90 : -90
        const p = roundLonLat(destinationKm(b, road + side, rng.uniform(0.15, 0.8)))
        if (!insideProvince(p) || nearestKm(p, mine) < 0.6 * op.corridorSpacingKm) continue
        const commune = communeAt(p, communes) ?? nearestCommune(p, communes)
        add({ position: p, anchorCommune: commune, kind: 'corridor', roadBearing: road })
      }
    }

    // 3. Near the larger villages where this operator has nothing close; rarer far from roads.
    const byPopulation = [...villages].sort((a, b) => b.population - a.population || a.code.localeCompare(b.code))
    for (const v of byPopulation) {
      if (drafts.filter(mine).length >= op.budget) break
      const c = byCode.get(v.communeCode)
      if (!c || c.isWard || nearestKm(v.position, mine) < op.villageGapKm) continue
      const roadKm = roadIndex.distanceKm(v.position, 30)
      const reach = roadKm <= 3 ? 1 : roadKm <= 7 ? 0.45 : 0.12
      if (!rng.chance(op.villageChance * reach)) continue
      const p = placeNear(v.position, 0.3, 1.5, true, rng, insideProvince, elevation, (q) => nearestKm(q, mine) >= op.villageGapKm * 0.8)
      if (p) add({ position: p, anchorCommune: c, kind: 'village', roadBearing: null })
    }
  }

  // 4. Planned and candidate sites near the largest villages that no site serves (> 5 km away).
  const gapRng = createRng(`${seed}:sites:gaps`)
  const unserved = villages
    .filter((v) => nearestKm(v.position, () => true) > 5)
    .sort((a, b) => b.population - a.population || a.code.localeCompare(b.code))
  const quota = new Map<OperatorPlan, { planned: number; candidate: number }>(OPERATOR_PLANS.map((o) => [o, { planned: o.planned, candidate: o.candidate }]))
  for (const v of unserved) {
    const open = OPERATOR_PLANS.filter((o) => quota.get(o)!.planned + quota.get(o)!.candidate > 0)
    if (open.length === 0) break
    const op = gapRng.weighted(open, open.map((o) => quota.get(o)!.planned + quota.get(o)!.candidate))
    const q = quota.get(op)!
    if (nearestKm(v.position, (s) => s.kind === 'gap') < 4) continue
    const status: SiteStatus = gapRng.chance(q.planned / (q.planned + q.candidate)) ? 'planned' : 'candidate'
    const p = placeNear(v.position, 0.3, 2, true, gapRng, insideProvince, elevation, () => true)
    if (!p) continue
    q[status === 'planned' ? 'planned' : 'candidate']--
    drafts.push({ operator: op, position: p, anchorCommune: byCode.get(v.communeCode)!, kind: 'gap', status, roadBearing: null })
  }

  // 5. Codes, names, dates and sectors.
  const features: SiteFeature[] = []
  for (const op of OPERATOR_PLANS) {
    const rng = createRng(`${seed}:sites:${op.code}:details`)
    const names = new Map<string, number>()
    const mine = drafts.filter((d) => d.operator === op)
    const decommission = Math.max(1, Math.round(0.02 * mine.length))
    const old = mine.filter((d) => d.kind !== 'gap' && d.kind !== 'urban')
    for (let k = 0; k < decommission && old.length > 0; k++) {
      old.splice(rng.int(0, old.length - 1), 1)[0]!.status = 'decommissioned'
    }
    mine.forEach((d, i) => {
      const commune = communeAt(d.position, communes) ?? d.anchorCommune
      const n = (names.get(commune.code) ?? 0) + 1
      names.set(commune.code, n)
      const dates = drawDates(d, rng)
      const ground = elevation(d.position)
      features.push({
        type: 'Feature',
        properties: {
          code: `${op.prefix}-SLA-${String(i + 1).padStart(4, '0')}`,
          name: `${commune.name} ${String(n).padStart(2, '0')}`,
          operator_code: op.code,
          status: d.status,
          ground_elevation_m: ground === null ? null : Math.round(ground),
          commissioned_on: dates.commissioned,
          decommissioned_on: dates.decommissioned,
          synthetic: true,
          sectors: drawSectors(d, dates.commissioned, rng),
        },
        geometry: { type: 'Point', coordinates: [d.position[0], d.position[1]] },
      })
    })
  }
  return features
}

/**
 * A point 0.15–`maxKm` km from the anchor, inside the province and accepted by `accept`; on hills
 * when `preferHigh` (the highest of a few tries, by the DEM). Null after 60 failed tries.
 */
function placeNear(
  anchor: Position,
  minKm: number,
  maxKm: number,
  preferHigh: boolean,
  rng: Rng,
  inside: (p: Position) => boolean,
  elevation: (p: Position) => number | null,
  accept: (p: LonLat) => boolean,
): LonLat | null {
  let best: LonLat | null = null
  let bestElevation = -Infinity
  let found = 0
  for (let t = 0; t < 60 && found < (preferHigh ? 4 : 1); t++) {
    const p = roundLonLat(destinationKm(anchor, rng.uniform(0, 360), rng.uniform(minKm, maxKm)))
    if (!inside(p) || !accept(p)) continue
    found++
    const e = elevation(p) ?? 0
    if (e > bestElevation) {
      best = p
      bestElevation = e
    }
  }
  return best
}

function communeAt(p: Position, communes: readonly Commune[]): Commune | undefined {
  return communes.find((c) => c.contains(p))
}

function nearestCommune(p: Position, communes: readonly Commune[]): Commune {
  let best = communes[0]!
  for (const c of communes) if (distanceKm(p, c.seat) < distanceKm(p, best.seat)) best = c
  return best
}

/** ISO date `days` days after 2008-01-01 (UTC). */
function isoDay(days: number): string {
  return new Date(Date.UTC(2008, 0, 1) + days * 86_400_000).toISOString().slice(0, 10)
}
const dayOf = (iso: string): number => Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(2008, 0, 1)) / 86_400_000)

function drawDates(d: SiteDraft, rng: Rng): { commissioned: string | null; decommissioned: string | null } {
  if (d.status === 'planned' || d.status === 'candidate') return { commissioned: null, decommissioned: null }
  const last = dayOf(LAST_DAY)
  // Towns first (from 2008), then seats and roads, then villages (rural coverage programmes).
  const [from, to] =
    d.kind === 'urban' ? ['2008-01-01', '2014-12-31'] : d.kind === 'seat' ? ['2008-01-01', '2017-12-31'] : d.kind === 'corridor' ? ['2009-01-01', '2019-12-31'] : ['2012-01-01', LAST_DAY]
  if (d.status === 'decommissioned') {
    const commissioned = rng.int(dayOf(from), Math.min(dayOf(to), dayOf('2020-12-31')))
    const decommissioned = rng.int(commissioned + 2 * 365, last)
    return { commissioned: isoDay(commissioned), decommissioned: isoDay(decommissioned) }
  }
  return { commissioned: isoDay(rng.int(dayOf(from), dayOf(to))), decommissioned: null }
}

function drawSectors(d: SiteDraft, commissioned: string | null, rng: Rng): Sector[] {
  const op = d.operator
  const year = commissioned ? Number(commissioned.slice(0, 4)) : 2026
  const urban = d.kind === 'urban'
  const techs: Array<{ technology: Technology; frequency: number }> = []
  if (d.status === 'planned' || d.status === 'candidate') {
    techs.push({ technology: '4G', frequency: rng.chance(0.5) ? 900 : 1800 })
  } else {
    if (rng.chance(year < 2016 ? 0.85 : 0.35)) techs.push({ technology: '2G', frequency: op.code === 'viettel' || rng.chance(0.6) ? 900 : 1800 })
    if (rng.chance(year < 2020 ? 0.65 : 0.25)) techs.push({ technology: '3G', frequency: 2100 })
    if (techs.length === 0 || rng.chance(op.has4g)) {
      const low = !urban && rng.chance(op.code === 'viettel' ? 0.35 : 0.2)
      techs.push({ technology: '4G', frequency: low ? 900 : 1800 })
      if (urban && rng.chance(0.3)) techs.push({ technology: '4G', frequency: 2600 })
    }
    if (urban && d.status === 'existing' && op.code !== 'mobifone' && rng.chance(op.code === 'viettel' ? 0.3 : 0.12)) {
      techs.push({ technology: '5G', frequency: 3500 })
    }
  }

  // Azimuths shared by all technologies (antennas on the same brackets): 3 at ~120°, or 2 along
  // the road for some corridor sites.
  const base = rng.int(0, 119)
  const azimuths =
    d.kind === 'corridor' && d.roadBearing !== null && rng.chance(0.25)
      ? [d.roadBearing, d.roadBearing + 180]
      : [0, 120, 240].map((a) => a + base + rng.int(-10, 10))
  const mastM = urban ? rng.int(20, 30) : rng.int(27, 45)
  const sectors: Sector[] = []
  for (const { technology, frequency } of techs) {
    const heightM = Math.max(20, mastM - rng.int(0, 3))
    for (const a of azimuths) {
      const azimuth = ((Math.round(a) % 360) + 360) % 360
      sectors.push({
        technology,
        frequency_mhz: frequency,
        azimuth_deg: azimuth,
        beamwidth_deg: frequency <= 900 && rng.chance(0.2) ? 90 : 65,
        electrical_tilt_deg: urban ? rng.int(4, 8) : rng.int(1, 6),
        mechanical_tilt_deg: urban ? rng.int(0, 3) : rng.int(0, 4),
        height_m: heightM,
        eirp_dbm: roundTo(eirpRange(technology, rng), 1),
        gain_dbi: roundTo(frequency <= 900 ? rng.uniform(15, 16.5) : rng.uniform(16.5, 18), 1),
      })
    }
  }
  return sectors
}

function eirpRange(t: Technology, rng: Rng): number {
  switch (t) {
    case '2G':
      return rng.uniform(50, 57)
    case '3G':
      return rng.uniform(52, 59)
    case '4G':
      return rng.uniform(55, 63)
    case '5G':
      return rng.uniform(58, 65)
  }
}
