/**
 * SYNTHETIC fibre routes per operator: along the road corridors the operator runs, and along the
 * local roads to the commune seats it has reached (not all: the farther a seat is from a corridor,
 * the less likely). Some spurs and one corridor per smaller operator are only planned. One route per
 * road section per operator, on the road's geometry.
 */
import type { Feature, LineString } from 'geojson'
import { createRng } from './create-rng.ts'
import type { RoadNetwork } from './build-road-network.ts'
import type { OperatorCode } from './generate-sites.ts'
import type { LineStatus } from './generate-power-lines.ts'

export interface FibreProperties {
  code: string
  owner_code: OperatorCode
  status: LineStatus
  synthetic: true
}

export type FibreFeature = Feature<LineString, FibreProperties>

interface FibrePlan {
  code: OperatorCode
  prefix: string
  corridors: readonly string[]
  plannedCorridors: readonly string[]
  /** chance of reaching a seat: `reach - perKm × km of local road`, at least `floor` */
  reach: number
  perKm: number
  floor: number
  /** chance that an unreached seat has a planned spur */
  plannedSpur: number
}

const FIBRE_PLANS: readonly FibrePlan[] = [
  { code: 'viettel', prefix: 'VTL', corridors: ['QL6', 'QL37', 'QL43', 'QL279', 'QL279D', 'QL4G', 'QL6B'], plannedCorridors: [], reach: 0.98, perKm: 0.015, floor: 0.3, plannedSpur: 0.5 },
  { code: 'vnpt', prefix: 'VNP', corridors: ['QL6', 'QL37', 'QL43', 'QL279D', 'QL4G', 'QL6B'], plannedCorridors: ['QL279'], reach: 0.8, perKm: 0.025, floor: 0.1, plannedSpur: 0.3 },
  { code: 'mobifone', prefix: 'MBF', corridors: ['QL6', 'QL37', 'QL279D', 'QL43'], plannedCorridors: ['QL4G'], reach: 0.45, perKm: 0.025, floor: 0.03, plannedSpur: 0.15 },
]

const RANK: Record<LineStatus, number> = { planned: 1, existing: 2 }

export function generateFibre(roads: RoadNetwork, seed: string): FibreFeature[] {
  const byId = new Map(roads.sections.map((s) => [s.id, s]))
  const features: FibreFeature[] = []
  for (const plan of FIBRE_PLANS) {
    const rng = createRng(`${seed}:fibre:${plan.code}`)
    const status = new Map<string, LineStatus>()
    const raise = (id: string, to: LineStatus): void => {
      // A route needs every section between it and the corridor: carry the status up the tree.
      for (let s = byId.get(id); s; s = s.parentId ? byId.get(s.parentId) : undefined) {
        const now = status.get(s.id)
        if (now && RANK[now] >= RANK[to]) break
        status.set(s.id, to)
      }
    }
    for (const s of roads.sections) {
      if (s.kind === 'corridor') {
        if (plan.corridors.includes(s.corridorId ?? '')) raise(s.id, 'existing')
        else if (plan.plannedCorridors.includes(s.corridorId ?? '')) raise(s.id, 'planned')
        continue
      }
      const km = s.startTreeKm + s.lengthKm
      const p = Math.max(plan.floor, plan.reach - plan.perKm * km)
      if (rng.chance(p)) raise(s.id, 'existing')
      else if (rng.chance(plan.plannedSpur)) raise(s.id, 'planned')
    }
    let n = 0
    for (const s of roads.sections) {
      const st = status.get(s.id)
      if (!st) continue
      features.push({
        type: 'Feature',
        properties: { code: `${plan.prefix}-FO-${String(++n).padStart(3, '0')}`, owner_code: plan.code, status: st, synthetic: true },
        geometry: { type: 'LineString', coordinates: s.coords.map((p) => [p[0], p[1]]) },
      })
    }
  }
  return features
}
