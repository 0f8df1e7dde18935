import type { MultiPolygon } from 'geojson'
import type { Db, Technology } from '../../db/database.ts'
import { describeCommuneZone, differenceOfPolygons, findCurrentCoverageRun, listCommuneDeadAreas } from '../../repositories/coverage.repository.ts'

/**
 * Dead zones inside communes, from the current coverage run of a technology:
 *
 * - a **white zone** is where no operator's signal is predicted (nothing, or
 *   below the weak threshold, from every operator): the commune minus the
 *   any-operator good and weak polygons;
 * - an **operator gap** is where one operator has no signal but another has:
 *   the operator's dead zone minus the white zone.
 *
 * Each comes with its area (km², WGS84 ellipsoid, PostGIS geography), the
 * villages whose point lies in it and their population. Computed on demand per
 * commune with PostGIS (union of the class polygons that overlap the commune,
 * then differences); areas smaller than `minAreaKm2` (default 0.01 km², about
 * ten 30 m cells) are dropped as slivers of the polygon tiling.
 */
export interface DeadZone {
  communeId: number
  communeCode: string
  communeName: string
  kind: 'white' | 'operator-gap'
  /** For an operator gap: the operator without signal. */
  operatorId: number | null
  geometry: MultiPolygon
  areaKm2: number
  villages: Array<{ id: number; code: string; name: string; population: number | null }>
  population: number
}

export interface DeadZoneQuery {
  communeIds: readonly number[]
  technology?: Technology
  /** Operators whose gaps are wanted (default: none — white zones only). */
  operatorIds?: readonly number[]
  minAreaKm2?: number
}

export async function deadZones(db: Db, query: DeadZoneQuery): Promise<{ runId: number | null; zones: DeadZone[] }> {
  const technology = query.technology ?? '4G'
  const run = await findCurrentCoverageRun(db, technology)
  if (!run || query.communeIds.length === 0) return { runId: run?.id ?? null, zones: [] }
  const minArea = query.minAreaKm2 ?? 0.01
  const zones: DeadZone[] = []
  for (const communeId of query.communeIds) {
    // The commune minus what each key (0 = any operator) covers, good or weak.
    const rows = await listCommuneDeadAreas(db, run.id, technology, communeId, [0, ...(query.operatorIds ?? [])])
    const white = rows.find((r) => r.key === 0)
    if (!white) continue
    for (const r of rows) {
      // An operator's gap is its dead zone outside the white zone.
      const geometryJson = r.key === 0 ? r.dead : await difference(db, r.dead, white.dead)
      const zone = await describe(db, communeId, geometryJson, minArea)
      if (!zone) continue
      zones.push({ communeId, communeCode: r.code, communeName: r.name, kind: r.key === 0 ? 'white' : 'operator-gap', operatorId: r.key === 0 ? null : r.key, ...zone })
    }
  }
  return { runId: run.id, zones }
}

async function difference(db: Db, a: string | null, b: string | null): Promise<string | null> {
  if (a === null) return null
  if (b === null) return a
  return differenceOfPolygons(db, a, b)
}

/** Area, villages and population of a zone; null when it is empty or a sliver. */
async function describe(db: Db, communeId: number, geometryJson: string | null, minAreaKm2: number): Promise<Pick<DeadZone, 'geometry' | 'areaKm2' | 'villages' | 'population'> | null> {
  if (geometryJson === null) return null
  const row = await describeCommuneZone(db, communeId, geometryJson)
  if (!row || !(row.area >= minAreaKm2)) return null
  return {
    geometry: JSON.parse(geometryJson) as MultiPolygon,
    areaKm2: row.area,
    villages: row.villages,
    population: row.villages.reduce((s, v) => s + (v.population ?? 0), 0),
  }
}
