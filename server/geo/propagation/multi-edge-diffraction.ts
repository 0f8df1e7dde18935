import { fresnelKirchhoffParameter } from './fresnel-kirchhoff-parameter.ts'
import { KNIFE_EDGE_MIN_NU, knifeEdgeLoss } from './knife-edge-loss.ts'

/** Any terrain profile: distances from the start (m, increasing) and heights (m, earth bulge included). */
export interface ProfileLike {
  readonly distancesM: ArrayLike<number>
  readonly heightsM: ArrayLike<number>
}

export type DiffractionMethod = 'deygout' | 'epstein-peterson' | 'bullington'

export interface MultiEdgeDiffractionOptions {
  /** Default `deygout`. */
  method?: DiffractionMethod
  /**
   * Deygout only: how many levels of edges — 1 = the main edge alone, 2 = the main edge plus the
   * strongest edge on each side (at most three edges: the ITU-R construction), 3 = also the edges
   * on each side of those, and so on. Default: no limit (every obstacle of the string is visited).
   */
  maxDepth?: number
  /**
   * The ITU-R empirical corrections (default false). Deygout (forces `maxDepth` 2):
   * L = L_p + T·(L_t + L_r + 10 + 0.04·D), T = 1 − exp(−L_p/6); Bullington:
   * L = L_uc + [1 − exp(−L_uc/6)]·(10 + 0.02·D); D = path length in km. Not for Epstein–Peterson.
   */
  empiricalCorrection?: boolean
}

/** One knife edge used by the construction. */
export interface DiffractionEdge {
  /** Index of the profile sample. */
  index: number
  /** Distance from the start of the profile, m. */
  distanceM: number
  /** Height of the edge (profile height, bulge included), m. */
  heightM: number
  /** Fresnel–Kirchhoff parameter against the line joining the edge's two reference points. */
  nu: number
  /** J(ν) of this edge, dB, before any correction. */
  lossDb: number
  /** 1 = main edge (Deygout), any Epstein–Peterson edge, the Bullington edge; 2 = a sub-edge of the main edge; … */
  depth: number
}

export interface MultiEdgeDiffraction {
  /** Total diffraction loss over the path, dB (≥ 0), in excess of free space. */
  lossDb: number
  /** The edges that contributed (J(ν) > 0), in the order the construction found them. */
  edges: DiffractionEdge[]
}

/**
 * Diffraction loss over a terrain profile treated as knife edges, dB (≥ 0) in excess of free
 * space. `profile` holds the samples between the two terminals (the first and last samples are
 * the terminals' ground points; heights already carry the earth bulge, see `terrainProfile`);
 * `txTipM`/`rxTipM` are the antenna tips, metres above sea level; `wavelengthM` is λ, metres.
 * Every edge costs the ITU-R P.526 §4.1 knife-edge loss J(ν) (`knifeEdgeLoss`).
 *
 * **Obstacles.** Using every DEM sample as an edge makes the answer depend on the DEM step: the
 * flank samples next to a hilltop would be counted as extra edges, with ν inflated by their tiny
 * distance to it (a smooth hill 200 m high and 2 km wide, 900 MHz: 32 dB as one edge, 52 dB with
 * the flank samples as sub-edges, 80 dB and more with deeper recursion). So the candidate edges are the
 * vertices of the taut string (upper convex hull from tip to tip), and consecutive vertices with
 * no terrain between them clear of the segment joining them (ν ≤ −0.78) form ONE obstacle, as
 * the cascaded-cylinder method of ITU-R P.526 §4.4 makes one cylinder of a run of string points (its
 * rounding loss is not added here).
 * A line-of-sight path has no string vertex: its loss is J(ν) of the sample with the largest ν
 * (Fresnel-zone intrusion), whatever the method.
 *
 * **Deygout** (default; J. Deygout, "Multiple knife-edge diffraction of microwaves", IEEE Trans.
 * Antennas Propag. AP-14(4), 1966): the main edge is the vertex with the largest ν against the
 * tip-to-tip line; the same search then runs between the transmitter tip and the main edge's top
 * and between that top and the receiver tip — leaving out the main edge's own obstacle — recursively
 * to `maxDepth` levels; the losses add up. Caveats: it OVERESTIMATES when edges of similar loss are
 * close together (C. L. Giovaneli, IEEE Trans. Antennas Propag. AP-32(3), 1984; two coincident
 * edges still add J(0) = 6 dB for the second); ITU-R P.526 §4.3 subtracts a correction T_c for two such edges
 * (not applied). The three-edge variant ITU-R used for terrain (J. Deygout, "Correction factor for
 * multiple knife-edge diffraction", IEEE Trans. Antennas Propag. 39(8), 1991; option
 * `empiricalCorrection`) adds C = 10 + 0.04·D dB weighted by T, fitted to real (rounded) terrain: it
 * gives MORE loss than the plain construction, even for a single edge.
 *
 * **Epstein–Peterson** (J. Epstein, D. W. Peterson, "An experimental study of wave propagation at
 * 850 Mc", Proc. IRE 41(5), 1953): each obstacle is one edge at the crossing of the string segments
 * entering and leaving it, with ν against the line joining its neighbours' edges; the losses add up.
 * Caveat: it UNDERESTIMATES when edges are close together; P.526 §4.3 adds the (Millington)
 * correction L_c = 10·log10[(a+b)(b+c) / (b·(a+b+c))] for two edges (a, b, c the three spans),
 * valid when each loss exceeds about 15 dB; not applied here.
 *
 * **Bullington** (ITU-R P.526 §4.5.1): one equivalent edge where the steepest rays from the two
 * tips cross. It underestimates multi-ridge paths but, unlike the two constructions above, it is
 * continuous and never grows when the antennas rise or the terrain drops.
 *
 * Not monotone: Deygout and Epstein–Peterson choose discrete edges, so when the choice changes (a
 * new main edge, an obstacle splitting in two, a ridge leaving the string) the total jumps. On
 * seeded random mountain profiles, raising the mast in 5 m steps increased the Deygout loss in
 * about 0.5 % of the steps (median 1.8 dB, worst 16 dB; worse with a depth limit), Epstein–Peterson
 * in 0.2 % (median 3 dB, worst 10 dB); Bullington and `maxDepth: 1` never.
 *
 * Used by the fast path-loss model (`fastPathLoss`) for each receiver.
 */
export function multiEdgeDiffraction(
  profile: ProfileLike,
  txTipM: number,
  rxTipM: number,
  wavelengthM: number,
  options: MultiEdgeDiffractionOptions = {},
): MultiEdgeDiffraction {
  const n = Math.min(profile.distancesM.length, profile.heightsM.length)
  const span = (profile.distancesM[n - 1] ?? 0) - (profile.distancesM[0] ?? 0)
  if (n < 3 || !(span > 0)) return { lossDb: 0, edges: [] }
  const path: Path = { x: profile.distancesM, y: profile.heightsM, last: n - 1, txTipM, rxTipM, wavelengthM }
  const method = options.method ?? 'deygout'
  if (method === 'bullington') return bullington(path, options.empiricalCorrection === true)
  const groups = obstacleGroups(path)
  if (groups.length === 0) {
    const single = singleEdge(path)
    if (method !== 'deygout' || !options.empiricalCorrection) return single
    return { lossDb: correctedDeygoutLoss(path, single.lossDb, 0), edges: single.edges }
  }
  if (method === 'epstein-peterson') return epsteinPeterson(path, groups)
  const groupOf = new Int32Array(n).fill(-1)
  groups.forEach((members, g) => members.forEach((i) => (groupOf[i] = g)))
  const hull = groups.flat()
  if (options.empiricalCorrection) return deygoutCorrected(path, hull, groupOf)
  const maxDepth = Math.max(1, Math.floor(options.maxDepth ?? Infinity))
  const edges: DiffractionEdge[] = []
  const lossDb = deygout(path, hull, groupOf, 0, path.last, 1, maxDepth, edges)
  return { lossDb, edges }
}

interface Path {
  x: ArrayLike<number>
  y: ArrayLike<number>
  last: number
  txTipM: number
  rxTipM: number
  wavelengthM: number
}

/** Height of sample `i` as a diffraction point: the antenna tip at either end, else the terrain. */
function heightAt(path: Path, i: number): number {
  if (i === 0) return path.txTipM
  if (i === path.last) return path.rxTipM
  return path.y[i] ?? Number.NaN
}

/** ν of a point (x, y) against the line from (xa, ya) to (xb, yb). */
function nuAgainst(path: Path, x: number, y: number, xa: number, ya: number, xb: number, yb: number): number {
  const h = y - (ya + ((yb - ya) * (x - xa)) / (xb - xa))
  return fresnelKirchhoffParameter(h, x - xa, xb - x, path.wavelengthM)
}

/** ν of sample i against the line joining samples a and b. */
function nuOf(path: Path, i: number, a: number, b: number): number {
  return nuAgainst(path, path.x[i] ?? 0, heightAt(path, i), path.x[a] ?? 0, heightAt(path, a), path.x[b] ?? 0, heightAt(path, b))
}

function edgeOf(path: Path, index: number, nu: number, depth: number): DiffractionEdge {
  return { index, distanceM: path.x[index] ?? 0, heightM: path.y[index] ?? 0, nu, lossDb: knifeEdgeLoss(nu), depth }
}

/**
 * The obstacles of the path: the interior vertices of the taut string (upper convex hull from tip
 * to tip), in order, grouped so that consecutive vertices with no terrain between them clear of
 * the segment joining them (every sample between has ν > −0.78 against it; always true for
 * neighbouring samples) form ONE obstacle — a hill sampled at many points, as ITU-R P.526 §4.4
 * groups string points into one cylinder. Empty when the line between the tips is clear.
 */
function obstacleGroups(path: Path): number[][] {
  const hull: number[] = []
  for (let i = 0; i <= path.last; i++) {
    while (hull.length >= 2) {
      const o = hull[hull.length - 2] ?? 0
      const a = hull[hull.length - 1] ?? 0
      // Keep `a` only if it lies strictly above the segment o→i.
      const cross =
        ((path.x[a] ?? 0) - (path.x[o] ?? 0)) * (heightAt(path, i) - heightAt(path, o)) -
        (heightAt(path, a) - heightAt(path, o)) * ((path.x[i] ?? 0) - (path.x[o] ?? 0))
      if (cross >= 0) hull.pop()
      else break
    }
    hull.push(i)
  }
  const groups: number[][] = []
  let current: number[] = []
  for (let k = 1; k < hull.length - 1; k++) {
    const i = hull[k] ?? 0
    const previous = current[current.length - 1]
    if (previous !== undefined && !sameObstacle(path, previous, i)) {
      groups.push(current)
      current = []
    }
    current.push(i)
  }
  if (current.length > 0) groups.push(current)
  return groups
}

/** True when no sample between string vertices a < b is clear of the segment a→b (ν ≤ −0.78). */
function sameObstacle(path: Path, a: number, b: number): boolean {
  for (let i = a + 1; i < b; i++) if (!(nuOf(path, i, a, b) > KNIFE_EDGE_MIN_NU)) return false
  return true
}

/** Line-of-sight path: the one sample with the largest ν (Fresnel-zone intrusion), if it costs anything. */
function singleEdge(path: Path): MultiEdgeDiffraction {
  let best = -1
  let bestNu = -Infinity
  for (let i = 1; i < path.last; i++) {
    const nu = nuOf(path, i, 0, path.last)
    if (nu > bestNu) {
      bestNu = nu
      best = i
    }
  }
  if (best < 0 || !(bestNu > KNIFE_EDGE_MIN_NU)) return { lossDb: 0, edges: [] }
  const edge = edgeOf(path, best, bestNu, 1)
  return { lossDb: edge.lossDb, edges: [edge] }
}

/**
 * The string vertex strictly between samples a and b, outside the obstacles of a and b, with the
 * largest ν against the line a→b; index −1 when there is none.
 */
function strongestEdge(path: Path, hull: readonly number[], groupOf: Int32Array, a: number, b: number): { index: number; nu: number } {
  let index = -1
  let nu = -Infinity
  const ga = a === 0 ? -2 : groupOf[a]
  const gb = b === path.last ? -3 : groupOf[b]
  for (const i of hull) {
    if (i <= a || i >= b || groupOf[i] === ga || groupOf[i] === gb) continue
    const v = nuOf(path, i, a, b)
    if (v > nu) {
      nu = v
      index = i
    }
  }
  return { index, nu }
}

/** Deygout's recursion between samples a and b; pushes the contributing edges, returns their summed loss. */
function deygout(
  path: Path,
  hull: readonly number[],
  groupOf: Int32Array,
  a: number,
  b: number,
  depth: number,
  maxDepth: number,
  edges: DiffractionEdge[],
): number {
  if (depth > maxDepth) return 0
  const { index, nu } = strongestEdge(path, hull, groupOf, a, b)
  if (index < 0 || !(nu > KNIFE_EDGE_MIN_NU)) return 0
  const edge = edgeOf(path, index, nu, depth)
  edges.push(edge)
  return (
    edge.lossDb +
    deygout(path, hull, groupOf, a, index, depth + 1, maxDepth, edges) +
    deygout(path, hull, groupOf, index, b, depth + 1, maxDepth, edges)
  )
}

/** Three-edge Deygout with the empirical correction L_p + T·(L_t + L_r + C). */
function deygoutCorrected(path: Path, hull: readonly number[], groupOf: Int32Array): MultiEdgeDiffraction {
  const main = strongestEdge(path, hull, groupOf, 0, path.last)
  if (main.index < 0 || !(main.nu > KNIFE_EDGE_MIN_NU)) return { lossDb: 0, edges: [] }
  const mainEdge = edgeOf(path, main.index, main.nu, 1)
  const edges = [mainEdge]
  let subLoss = 0
  for (const [a, b] of [[0, main.index], [main.index, path.last]] as const) {
    const sub = strongestEdge(path, hull, groupOf, a, b)
    if (sub.index >= 0 && sub.nu > KNIFE_EDGE_MIN_NU) {
      const edge = edgeOf(path, sub.index, sub.nu, 2)
      edges.push(edge)
      subLoss += edge.lossDb
    }
  }
  return { lossDb: correctedDeygoutLoss(path, mainEdge.lossDb, subLoss), edges }
}

/** L_p + T·(L_t + L_r + 10 + 0.04·D), T = 1 − exp(−L_p/6), D in km; 0 when L_p is 0. */
function correctedDeygoutLoss(path: Path, mainLossDb: number, subLossDb: number): number {
  const lengthKm = ((path.x[path.last] ?? 0) - (path.x[0] ?? 0)) / 1000
  return mainLossDb + (1 - Math.exp(-mainLossDb / 6)) * (subLossDb + 10 + 0.04 * lengthKm)
}

/**
 * Epstein–Peterson over the obstacles: each obstacle is one knife edge at the crossing of the
 * string segments entering and leaving it (its own vertex for a single-sample obstacle), with ν
 * against the line joining the neighbouring obstacles' edges (or the tips); the losses add up.
 */
function epsteinPeterson(path: Path, groups: readonly number[][]): MultiEdgeDiffraction {
  // Each obstacle's equivalent edge (x, y) and the sample reported for it.
  const vertices: Array<{ x: number; y: number; index: number }> = [{ x: path.x[0] ?? 0, y: path.txTipM, index: 0 }]
  groups.forEach((members, g) => {
    const first = members[0] ?? 0
    const last = members[members.length - 1] ?? 0
    if (first === last) {
      vertices.push({ x: path.x[first] ?? 0, y: heightAt(path, first), index: first })
      return
    }
    const before = g === 0 ? 0 : (groups[g - 1]?.at(-1) ?? 0)
    const after = g === groups.length - 1 ? path.last : (groups[g + 1]?.[0] ?? path.last)
    const s1 = slope(path, before, first)
    const s2 = slope(path, last, after)
    const xf = path.x[first] ?? 0
    const xl = path.x[last] ?? 0
    const x = (heightAt(path, last) - heightAt(path, first) + s1 * xf - s2 * xl) / (s1 - s2)
    const y = heightAt(path, first) + s1 * (x - xf)
    let index = first
    for (const i of members) if (Math.abs((path.x[i] ?? 0) - x) < Math.abs((path.x[index] ?? 0) - x)) index = i
    vertices.push({ x, y, index })
  })
  vertices.push({ x: path.x[path.last] ?? 0, y: path.rxTipM, index: path.last })

  const edges: DiffractionEdge[] = []
  let lossDb = 0
  for (let k = 1; k < vertices.length - 1; k++) {
    const p = vertices[k - 1]
    const v = vertices[k]
    const q = vertices[k + 1]
    if (!p || !v || !q) continue
    const nu = nuAgainst(path, v.x, v.y, p.x, p.y, q.x, q.y)
    const edge: DiffractionEdge = { index: v.index, distanceM: v.x, heightM: v.y, nu, lossDb: knifeEdgeLoss(nu), depth: 1 }
    if (edge.lossDb > 0) {
      edges.push(edge)
      lossDb += edge.lossDb
    }
  }
  return { lossDb, edges }
}

/** Slope of the line from sample a to sample b (tips at the ends), m/m. */
function slope(path: Path, a: number, b: number): number {
  return (heightAt(path, b) - heightAt(path, a)) / ((path.x[b] ?? 0) - (path.x[a] ?? 0))
}

/**
 * Bullington's single equivalent edge, as in ITU-R P.526 §4.5.1 (heights here already carry the
 * earth bulge): on a line-of-sight path the sample with the largest ν; otherwise the crossing of
 * the steepest ray from the transmitter tip over the terrain with the steepest ray from the
 * receiver tip. With `corrected`, P.526's L_uc + [1 − exp(−L_uc/6)]·(10 + 0.02·d) (d in km).
 */
function bullington(path: Path, corrected: boolean): MultiEdgeDiffraction {
  const x0 = path.x[0] ?? 0
  const d = (path.x[path.last] ?? 0) - x0
  const hts = path.txTipM
  const hrs = path.rxTipM
  let stim = -Infinity
  let srim = -Infinity
  for (let i = 1; i < path.last; i++) {
    const di = (path.x[i] ?? 0) - x0
    const yi = path.y[i] ?? Number.NaN
    stim = Math.max(stim, (yi - hts) / di)
    srim = Math.max(srim, (yi - hrs) / (d - di))
  }
  const str = (hrs - hts) / d
  let result: MultiEdgeDiffraction
  if (!(stim >= str)) {
    result = singleEdge(path)
  } else {
    const db = (hrs - hts + srim * d) / (stim + srim)
    const yb = hts + stim * db
    const nu = nuAgainst(path, x0 + db, yb, x0, hts, x0 + d, hrs)
    let index = 1
    for (let i = 2; i < path.last; i++) if (Math.abs((path.x[i] ?? 0) - x0 - db) < Math.abs((path.x[index] ?? 0) - x0 - db)) index = i
    const edge: DiffractionEdge = { index, distanceM: x0 + db, heightM: yb, nu, lossDb: knifeEdgeLoss(nu), depth: 1 }
    result = edge.lossDb > 0 ? { lossDb: edge.lossDb, edges: [edge] } : { lossDb: 0, edges: [] }
  }
  if (!corrected) return result
  const luc = result.lossDb
  return { lossDb: luc + (1 - Math.exp(-luc / 6)) * (10 + 0.02 * (d / 1000)), edges: result.edges }
}
