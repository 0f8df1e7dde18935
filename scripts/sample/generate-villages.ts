/**
 * SYNTHETIC villages (bản, tiểu khu, tổ dân phố) for one commune: positions inside the real commune
 * polygon, clustered loosely around the real commune seat and biased to low ground (valleys) with
 * the coarse DEM; populations that add up exactly to the commune's real population.
 */
import type { Feature, Point } from 'geojson'
import type { AsciiGrid } from '../../server/geo/parse-ascii-grid.ts'
import { sampleGridBilinear } from '../../server/geo/sample-grid-bilinear.ts'
import { createRng } from './create-rng.ts'
import type { Rng } from './create-rng.ts'
import { largestRemainder } from './largest-remainder.ts'
import { distanceKm, offsetKm, roundLonLat } from './local-geometry.ts'
import type { LonLat } from './local-geometry.ts'
import type { Commune } from './sample-inputs.ts'
import { drawUniqueVillageName } from './village-names.ts'
import type { EthnicGroup } from './village-names.ts'

export interface VillageProperties {
  code: string
  name: string
  commune_code: string
  population: number
  households: number
  has_grid_power: boolean
  synthetic: true
  attributes: { ethnic_majority: EthnicGroup }
}

export type VillageFeature = Feature<Point, VillageProperties>

/** A village before grid power is known (that needs the power lines, which need the villages). */
export interface VillageDraft {
  code: string
  name: string
  communeCode: string
  position: LonLat
  population: number
  households: number
  ethnicMajority: EthnicGroup
  /** km from the commune seat */
  seatKm: number
}

/**
 * How many villages a commune gets: 30 to 54, more for more people and more land. Depends on the
 * commune alone, so generating a few communes gives the same villages as generating all of them.
 */
export function villageCountFor(commune: Pick<Commune, 'population' | 'areaKm2'>): number {
  const clamp01 = (v: number): number => Math.max(0, Math.min(1, v))
  const byPopulation = clamp01(Math.log(commune.population / 6000) / Math.log(8))
  const byArea = clamp01((commune.areaKm2 - 50) / 350)
  return Math.round(30 + 12 * byPopulation + 12 * byArea)
}

export function generateCommuneVillages(commune: Commune, dem: AsciiGrid, seed: string): VillageDraft[] {
  const rng = createRng(`${seed}:villages:${commune.code}`)
  const count = villageCountFor(commune)
  const scaleKm = Math.sqrt(commune.areaKm2)
  const elevation = (p: LonLat): number => sampleGridBilinear(dem, p[0], p[1]) ?? 0
  const [lo, hi] = elevationRange(commune, elevation)
  const relativeHeight = (e: number): number => (hi - lo < 20 ? 0.5 : Math.max(0, Math.min(1, (e - lo) / (hi - lo))))

  // 1. Positions: rejection sampling inside the commune with a spacing rule and a valley bias.
  const sigmaKm = (commune.isWard ? 0.22 : 0.3) * scaleKm
  const nearSeatShare = commune.isWard ? 0.8 : 0.5
  let spacingKm = 0.35 * Math.sqrt(commune.areaKm2 / count)
  const points: LonLat[] = []
  const [minX, minY, maxX, maxY] = commune.bbox
  let failures = 0
  while (points.length < count) {
    const candidate: LonLat = rng.chance(nearSeatShare)
      ? offsetKm(commune.seat, rng.normal(0, sigmaKm), rng.normal(0, sigmaKm))
      : [rng.uniform(minX, maxX), rng.uniform(minY, maxY)]
    const p = roundLonLat(candidate)
    const ok =
      commune.contains(p) &&
      points.every((q) => distanceKm(p, q) >= spacingKm) &&
      rng.chance(0.25 + 0.75 * (1 - relativeHeight(elevation(p))) ** 2)
    if (ok) {
      points.push(p)
      failures = 0
    } else if (++failures >= 150) {
      spacingKm *= 0.7 // a small or thin commune: relax the spacing rather than loop forever
      failures = 0
    }
  }

  // 2. Order by distance from the seat: codes and "Tổ dân phố N" / "Tiểu khu N" count outwards.
  const placed = points
    .map((p) => ({ p, seatKm: distanceKm(p, commune.seat) }))
    .sort((a, b) => a.seatKm - b.seatKm || a.p[0] - b.p[0] || a.p[1] - b.p[1])

  // 3. Names and ethnic majority.
  const townBlocks = commune.isWard ? 0 : commune.hasTownSeat ? rng.int(4, 8) : rng.chance(0.45) ? rng.int(1, 3) : 0
  const used = new Set<string>()
  const named = placed.map(({ p, seatKm }, i) => {
    const e = elevation(p)
    if (commune.isWard) {
      const group = rng.weighted<EthnicGroup>(['Kinh', 'Thái', 'Mường'], [0.7, 0.25, 0.05])
      return { p, seatKm, e, name: `Tổ dân phố ${i + 1}`, group }
    }
    if (i < townBlocks) {
      const group = rng.weighted<EthnicGroup>(['Kinh', 'Thái', 'Mường'], [0.6, 0.35, inMuongArea(commune) ? 0.3 : 0.05])
      return { p, seatKm, e, name: `Tiểu khu ${i + 1}`, group }
    }
    const group = drawEthnicGroup(commune, e, relativeHeight(e), seatKm / scaleKm, rng)
    return { p, seatKm, e, name: drawUniqueVillageName(group, rng, used), group }
  })

  // 4. Populations: random weights, heavier near the seat and in valleys, Mông hamlets smaller;
  //    integers that add up to the commune's real population exactly.
  const weights = named.map(({ seatKm, e, group }) => {
    if (commune.isWard) return Math.exp(rng.normal(0, 0.3))
    const nearSeat = 1 + 1.2 * Math.exp(-seatKm / (0.2 * scaleKm))
    const valley = 1.2 - 0.5 * relativeHeight(e)
    const hamlet = group === 'Mông' || group === 'Dao' ? 0.75 : 1
    return Math.exp(Math.max(-1.1, Math.min(1.1, rng.normal(0, 0.5)))) * nearSeat * valley * hamlet
  })
  const populations = largestRemainder(commune.population, weights)

  return named.map((v, i) => {
    const population = populations[i]!
    return {
      code: `${commune.code}-${String(i + 1).padStart(3, '0')}`,
      name: v.name,
      communeCode: commune.code,
      position: v.p,
      population,
      households: Math.max(1, Math.round(population / rng.uniform(4.5, 5.2))),
      ethnicMajority: v.group,
      seatKm: v.seatKm,
    }
  })
}

/**
 * Whether a village has grid electricity, from its distance (km) to the nearest existing power
 * line: almost always when a line passes by, rarely when it is far off.
 */
export function drawGridPower(lineKm: number, rng: Rng): boolean {
  const withoutPower = lineKm <= 1 ? 0.004 : lineKm <= 2.5 ? 0.05 : lineKm <= 5 ? 0.4 : 0.85
  return !rng.chance(withoutPower)
}

export function toVillageFeature(v: VillageDraft, hasGridPower: boolean): VillageFeature {
  return {
    type: 'Feature',
    properties: {
      code: v.code,
      name: v.name,
      commune_code: v.communeCode,
      population: v.population,
      households: v.households,
      has_grid_power: hasGridPower,
      synthetic: true,
      attributes: { ethnic_majority: v.ethnicMajority },
    },
    geometry: { type: 'Point', coordinates: [v.position[0], v.position[1]] },
  }
}

/** 10th and 90th percentile of the DEM over a ~1 km lattice inside the commune. */
function elevationRange(commune: Commune, elevation: (p: LonLat) => number): [number, number] {
  const [minX, minY, maxX, maxY] = commune.bbox
  const values: number[] = []
  const stepX = 0.01
  const stepY = 0.009
  for (let x = minX + stepX / 2; x < maxX; x += stepX) {
    for (let y = minY + stepY / 2; y < maxY; y += stepY) {
      if (commune.contains([x, y])) values.push(elevation([x, y]))
    }
  }
  if (values.length === 0) values.push(elevation(commune.seat))
  values.sort((a, b) => a - b)
  const at = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * values.length))]!
  return [at(0.1), at(0.9)]
}

// Rough home areas of the smaller groups in Sơn La (by post-2025 commune name).
const XINH_MUN_AREA = new Set(['Chiềng Hặc', 'Lóng Phiêng', 'Phiêng Khoài', 'Yên Sơn', 'Chiềng Khoong', 'Mường Hung', 'Púng Bánh', 'Mường Lèo', 'Mường Lạn', 'Sốp Cộp', 'Chiềng Khương'])
const LA_HA_AREA = new Set(['Mường La', 'Chiềng Lao', 'Chiềng Hoa', 'Ngọc Chiến', 'Quỳnh Nhai', 'Mường Giôn', 'Mường Chiên', 'Mường Bú'])
const KHANG_AREA = new Set(['Quỳnh Nhai', 'Mường Giôn', 'Mường Chiên', 'Mường Sại', 'Chiềng La', 'Long Hẹ', 'Thuận Châu', 'Mường É'])

/** The Mường live mostly in the east (former Phù Yên and Bắc Yên districts). */
function inMuongArea(c: Commune): boolean {
  return c.seat[0] > 104.43 && c.seat[1] > 21.05
}

function drawEthnicGroup(c: Commune, elevationM: number, relativeHeight: number, seatShare: number, rng: Rng): EthnicGroup {
  const east = c.seat[0] > 104.2
  const groups: EthnicGroup[] = ['Thái', 'Mông', 'Kinh', 'Mường', 'Dao', 'Khơ Mú', 'Xinh Mun', 'La Ha', 'Kháng']
  const weights = [
    5 * (1 - relativeHeight) + 0.8,
    (elevationM > 900 ? 3 : elevationM > 600 ? 1.2 : 0.3) * (0.3 + 2 * relativeHeight),
    0.3 + (seatShare < 0.25 ? 1 : 0),
    inMuongArea(c) ? 3 : 0.05,
    0.15 + (east ? 1.2 * relativeHeight : 0),
    c.seat[0] < 104.0 ? 0.5 : 0.15,
    XINH_MUN_AREA.has(c.name) ? 0.6 : 0,
    LA_HA_AREA.has(c.name) ? 0.3 : 0,
    KHANG_AREA.has(c.name) ? 0.25 : 0,
  ]
  return rng.weighted(groups, weights)
}
