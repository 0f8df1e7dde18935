/**
 * SYNTHETIC grid (EVN) for the sample: 110 kV trunks along the main corridors, 35 kV / 22 kV
 * feeders along the local roads to the commune seats off the corridors, and from each seat a
 * distribution tree out to most of its villages. A few far branches and the
 * 110 kV trunk to Sốp Cộp are only planned.
 */
import type { Feature, LineString, Position } from 'geojson'
import { createRng } from './create-rng.ts'
import type { Rng } from './create-rng.ts'
import type { RoadNetwork, RoadSection } from './build-road-network.ts'
import { distanceKm, meanderPolyline } from './local-geometry.ts'
import type { LonLat } from './local-geometry.ts'
import type { Commune } from './sample-inputs.ts'
import type { VillageDraft } from './generate-villages.ts'

export type LineStatus = 'existing' | 'planned'

export interface PowerLineProperties {
  code: string
  owner: 'EVN'
  voltage_kv: number
  status: LineStatus
  synthetic: true
}

export interface PowerLineDraft {
  voltageKv: 110 | 35 | 22
  status: LineStatus
  coords: LonLat[]
}

/** kV of the trunk along each corridor (35 kV where no 110 kV line runs). */
const TRUNK_KV: Record<string, 110 | 35> = { QL6: 110, QL37: 110, QL279D: 110, QL4G: 110, QL43: 110, QL6B: 35, QL279: 35 }

/** Trunks along the corridor sections and one feeder along every local road to a commune seat. */
export function generateGridBackbone(
  roads: RoadNetwork,
  communes: readonly Commune[],
  seed: string,
  insideProvince: (p: Position) => boolean,
): PowerLineDraft[] {
  const rng = createRng(`${seed}:power:backbone`)
  const byCode = new Map(communes.map((c) => [c.code, c]))
  const lines: PowerLineDraft[] = []
  const sonMa = communes.find((c) => c.name === 'Sông Mã')
  const mocChau = communes.find((c) => c.name === 'Mộc Châu')

  // Trunks: QL4G beyond Sông Mã (to Sốp Cộp) is planned; QL43 south of Mộc Châu is 35 kV.
  const beyond = new Map<string, boolean>()
  for (const s of roads.sections) {
    if (s.kind !== 'corridor' || !s.corridorId) continue
    const pivot = s.corridorId === 'QL4G' ? sonMa : s.corridorId === 'QL43' ? mocChau : undefined
    const past = beyond.get(s.corridorId) ?? false
    const start = s.coords[0]!
    const isPast = past || (pivot !== undefined && distanceKm(start, pivot.seat) < 0.01)
    beyond.set(s.corridorId, isPast)
    let kv = TRUNK_KV[s.corridorId] ?? 35
    let status: LineStatus = 'existing'
    if (isPast && s.corridorId === 'QL4G') status = 'planned'
    if (isPast && s.corridorId === 'QL43') kv = 35
    lines.push({ voltageKv: kv, status, coords: followRoad(s, 3, rng, insideProvince) })
  }

  // Feeders along the local roads to the seats off the corridors (the seats on a corridor take
  // power from a substation on the trunk). Every commune seat has grid power.
  for (const s of roads.sections) {
    if (s.kind !== 'local') continue
    const commune = byCode.get(s.seatCode ?? '')
    lines.push({ voltageKv: commune?.isWard ? 22 : 35, status: 'existing', coords: followRoad(s, 1.5, rng, insideProvince) })
  }
  return lines
}

/**
 * A commune's distribution tree: a minimum spanning tree from the seat over most of its villages
 * (the far ones left out), cut into lines from each branching point to a leaf. Some far branches
 * are only planned.
 */
export function generateVillageFeeders(
  commune: Commune,
  villages: readonly VillageDraft[],
  seed: string,
  insideProvince: (p: Position) => boolean,
): PowerLineDraft[] {
  const rng = createRng(`${seed}:power:feeders:${commune.code}`)
  const kv: 22 | 35 = commune.isWard || rng.chance(0.3) ? 22 : 35
  const sortedKm = villages.map((v) => v.seatKm).sort((a, b) => a - b)
  const reachKm = sortedKm[Math.min(sortedKm.length - 1, Math.floor(rng.uniform(0.75, 0.95) * sortedKm.length))] ?? 0
  const nodes: LonLat[] = [commune.seat, ...villages.filter((v) => v.seatKm <= reachKm).map((v) => v.position)]

  // Prim's MST rooted at the seat (node 0).
  const parent = new Array<number>(nodes.length).fill(-1)
  const dist = nodes.map((p) => distanceKm(p, nodes[0]!))
  const inTree = new Array<boolean>(nodes.length).fill(false)
  inTree[0] = true
  for (let i = 1; i < nodes.length; i++) parent[i] = 0
  for (let added = 1; added < nodes.length; added++) {
    let k = -1
    for (let i = 1; i < nodes.length; i++) if (!inTree[i] && (k < 0 || dist[i]! < dist[k]!)) k = i
    inTree[k] = true
    for (let i = 1; i < nodes.length; i++) {
      if (inTree[i]) continue
      const d = distanceKm(nodes[i]!, nodes[k]!)
      if (d < dist[i]!) {
        dist[i] = d
        parent[i] = k
      }
    }
  }
  const children = nodes.map(() => [] as number[])
  for (let i = 1; i < nodes.length; i++) children[parent[i]!]!.push(i)

  // Paths: from a branching node, follow the first child down; other children start new paths.
  const paths: number[][] = []
  const stack: Array<[number, number]> = children[0]!.map((c) => [0, c])
  while (stack.length > 0) {
    const [from, first] = stack.shift()!
    const path = [from, first]
    let at = first
    while (children[at]!.length > 0) {
      const [next, ...others] = children[at]!
      for (const o of others) stack.push([at, o])
      path.push(next!)
      at = next!
    }
    paths.push(path)
  }

  const lines: PowerLineDraft[] = []
  for (const path of paths) {
    const coords = path.map((i) => nodes[i]!).filter((p) => insideProvince(p))
    if (coords.length < 2) continue
    const farKm = distanceKm(nodes[path[path.length - 1]!]!, commune.seat)
    const status: LineStatus = farKm > 6 && rng.chance(0.2) ? 'planned' : 'existing'
    lines.push({ voltageKv: kv, status, coords })
  }
  return lines
}

export function toPowerLineFeatures(lines: readonly PowerLineDraft[]): Feature<LineString, PowerLineProperties>[] {
  const counters = new Map<number, number>()
  return lines.map((l) => {
    const n = (counters.get(l.voltageKv) ?? 0) + 1
    counters.set(l.voltageKv, n)
    return {
      type: 'Feature',
      properties: {
        code: `EVN-${l.voltageKv}KV-${String(n).padStart(4, '0')}`,
        owner: 'EVN',
        voltage_kv: l.voltageKv,
        status: l.status,
        synthetic: true,
      },
      geometry: { type: 'LineString', coordinates: l.coords.map((p) => [p[0], p[1]]) },
    }
  })
}

/** A line that keeps near a road section: the road's vertex every `everyKm`, re-bent a little. */
function followRoad(s: RoadSection, everyKm: number, rng: Rng, inside: (p: Position) => boolean): LonLat[] {
  const anchors: LonLat[] = [s.coords[0]!]
  let along = 0
  for (let i = 1; i < s.coords.length; i++) {
    along += distanceKm(s.coords[i - 1]!, s.coords[i]!)
    if (along >= everyKm || i === s.coords.length - 1) {
      anchors.push(s.coords[i]!)
      along = 0
    }
  }
  return meanderPolyline(anchors, { stepKm: everyKm, swing: 0.08, maxSwingKm: 0.3, rng, keep: inside })
}
