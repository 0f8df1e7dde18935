/**
 * A SYNTHETIC road skeleton for the sample: the main corridors (son-la-corridors.ts) cut into
 * sections between commune seats, plus one local road to every other commune seat, branching off
 * the nearest point of the network built so far (a Prim-style tree). Not written out itself: fibre
 * routes and power feeders follow it, and site placement uses it.
 */
import type { Position } from 'geojson'
import { createRng } from './create-rng.ts'
import { destinationKm, distanceKm, meanderPolyline, polylineLengthKm } from './local-geometry.ts'
import type { LonLat } from './local-geometry.ts'
import type { Commune } from './sample-inputs.ts'
import type { CorridorSpec } from './son-la-corridors.ts'

export interface RoadSection {
  /** `QL6-01` for corridor sections, `L-<commune code>` for local roads */
  id: string
  kind: 'corridor' | 'local'
  corridorId: string | null
  /** local roads: the section they branch off; corridor sections: null */
  parentId: string | null
  /** local roads: the commune whose seat they lead to */
  seatCode: string | null
  /** km along local roads from the corridor to the start of this section (0 for corridor sections) */
  startTreeKm: number
  lengthKm: number
  coords: LonLat[]
}

export interface RoadNetwork {
  sections: RoadSection[]
  /** commune code → ids of the sections that end at its seat */
  seatSections: Map<string, string[]>
  /** commune code → km along local roads from the nearest corridor (0 on a corridor) */
  seatTreeKm: Map<string, number>
}

export interface RoadNetworkOptions {
  seed: string
  corridors: readonly CorridorSpec[]
  communes: readonly Commune[]
  insideProvince: (p: Position) => boolean
}

export function buildRoadNetwork(options: RoadNetworkOptions): RoadNetwork {
  const { seed, corridors, communes, insideProvince } = options
  const byName = new Map(communes.map((c) => [c.name, c]))
  const sections: RoadSection[] = []
  const seatSections = new Map<string, string[]>()
  const seatTreeKm = new Map<string, number>()
  const addSeatSection = (code: string, id: string): void => {
    const list = seatSections.get(code) ?? []
    list.push(id)
    seatSections.set(code, list)
  }

  for (const corridor of corridors) {
    const rng = createRng(`${seed}:roads:${corridor.id}`)
    const seats = corridor.waypoints.map((name) => {
      const c = byName.get(name)
      if (!c) throw new Error(`corridor ${corridor.id}: no commune named ${name}`)
      return c
    })
    const points: Array<{ p: LonLat; code: string | null }> = seats.map((c) => ({ p: c.seat, code: c.code }))
    if (corridor.start) {
      const t = terminal(points[0]!.p, corridor.start.bearingDeg, corridor.start.maxKm, insideProvince)
      if (t) points.unshift({ p: t, code: null })
    }
    if (corridor.end) {
      const t = terminal(points[points.length - 1]!.p, corridor.end.bearingDeg, corridor.end.maxKm, insideProvince)
      if (t) points.push({ p: t, code: null })
    }
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!
      const b = points[i]!
      const coords = meanderPolyline([a.p, b.p], { stepKm: 0.5, swing: 0.1, maxSwingKm: 1.5, rng, keep: insideProvince })
      const id = `${corridor.id}-${String(i).padStart(2, '0')}`
      sections.push({ id, kind: 'corridor', corridorId: corridor.id, parentId: null, seatCode: null, startTreeKm: 0, lengthKm: polylineLengthKm(coords), coords })
      for (const end of [a, b]) {
        if (end.code) {
          addSeatSection(end.code, id)
          seatTreeKm.set(end.code, 0)
        }
      }
    }
  }

  // Prim: connect the remaining seats one by one, nearest first, to the nearest network vertex.
  interface Vertex {
    p: LonLat
    sectionId: string
    treeKm: number
  }
  const vertices: Vertex[] = []
  const addVertices = (s: RoadSection): void => {
    let along = 0
    s.coords.forEach((p, i) => {
      if (i > 0) along += distanceKm(s.coords[i - 1]!, p)
      vertices.push({ p, sectionId: s.id, treeKm: s.startTreeKm + along })
    })
  }
  sections.forEach(addVertices)

  const pending = communes.filter((c) => !seatTreeKm.has(c.code))
  const best = new Map<string, { d: number; v: Vertex }>()
  const relax = (from: number): void => {
    for (const c of pending) {
      let b = best.get(c.code)
      for (let i = from; i < vertices.length; i++) {
        const v = vertices[i]!
        const d = distanceKm(c.seat, v.p)
        if (!b || d < b.d) b = { d, v }
      }
      if (b) best.set(c.code, b)
    }
  }
  relax(0)
  const rng = createRng(`${seed}:roads:local`)
  while (pending.length > 0) {
    let k = 0
    for (let i = 1; i < pending.length; i++) {
      if (best.get(pending[i]!.code)!.d < best.get(pending[k]!.code)!.d) k = i
    }
    const c = pending.splice(k, 1)[0]!
    const attach = best.get(c.code)!.v
    const coords = meanderPolyline([attach.p, c.seat], { stepKm: 0.4, swing: 0.12, maxSwingKm: 1.2, rng, keep: insideProvince })
    const section: RoadSection = {
      id: `L-${c.code}`,
      kind: 'local',
      corridorId: null,
      parentId: attach.sectionId,
      seatCode: c.code,
      startTreeKm: attach.treeKm,
      lengthKm: polylineLengthKm(coords),
      coords,
    }
    sections.push(section)
    addSeatSection(c.code, section.id)
    seatTreeKm.set(c.code, attach.treeKm + section.lengthKm)
    const from = vertices.length
    addVertices(section)
    relax(from)
  }
  return { sections, seatSections, seatTreeKm }
}

/** The last point before leaving the province going from `p` towards `bearing`, or null if < 2 km. */
function terminal(p: LonLat, bearing: number, maxKm: number, inside: (p: Position) => boolean): LonLat | null {
  let last: LonLat | null = null
  for (let km = 0.5; km <= maxKm; km += 0.5) {
    const q = destinationKm(p, bearing, km)
    if (!inside(q)) break
    last = km >= 2 ? destinationKm(p, bearing, Math.max(2, km - 0.5)) : null
  }
  return last
}
