import type { MultiPolygon } from 'geojson'
import { sql } from 'kysely'
import type { Db, Technology } from '../../db/database.ts'

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
  const run = await db.selectFrom('coverage_runs').select('id').where('is_current', '=', true).where('technology', '=', technology).executeTakeFirst()
  if (!run || query.communeIds.length === 0) return { runId: run?.id ?? null, zones: [] }
  const minArea = query.minAreaKm2 ?? 0.01
  const zones: DeadZone[] = []
  for (const communeId of query.communeIds) {
    // The commune minus what each key (0 = any operator) covers, good or weak.
    const keys = [0, ...(query.operatorIds ?? [])]
    const { rows } = await sql<{ key: number; code: string; name: string; dead: string | null }>`
      WITH c AS (SELECT id, code, name, geom FROM communes WHERE id = ${communeId}),
      k AS (SELECT * FROM (VALUES ${sql.join(keys.map((k) => sql`(${k}::int)`))}) AS t (key)),
      covered AS (
        SELECT k.key, ST_Union(ST_Intersection(p.geom, c.geom)) AS g
        FROM k CROSS JOIN c
        JOIN coverage_polygons p ON p.run_id = ${run.id} AND p.technology = ${technology} AND p.class IN ('good', 'weak')
          AND coalesce(p.operator_id, 0) = k.key AND p.geom && c.geom
        GROUP BY k.key
      )
      SELECT k.key, c.code, c.name,
        ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(
          CASE WHEN covered.g IS NULL THEN c.geom ELSE ST_Difference(c.geom, covered.g) END, 3)), 7) AS dead
      FROM k CROSS JOIN c LEFT JOIN covered ON covered.key = k.key`.execute(db)
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
  const { rows } = await sql<{ g: string | null }>`
    SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Difference(ST_GeomFromGeoJSON(${a}), ST_GeomFromGeoJSON(${b})), 3)), 7) AS g`.execute(db)
  return rows[0]?.g ?? null
}

/** Area, villages and population of a zone; null when it is empty or a sliver. */
async function describe(db: Db, communeId: number, geometryJson: string | null, minAreaKm2: number): Promise<Pick<DeadZone, 'geometry' | 'areaKm2' | 'villages' | 'population'> | null> {
  if (geometryJson === null) return null
  const { rows } = await sql<{ area: number; villages: Array<{ id: number; code: string; name: string; population: number | null }> | string | null }>`
    WITH z AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geometryJson}), 4326) AS g)
    SELECT ST_Area(z.g::geography) / 1e6 AS area,
      (SELECT json_agg(json_build_object('id', v.id, 'code', v.code, 'name', v.name, 'population', v.population) ORDER BY v.code)
       FROM villages v WHERE v.commune_id = ${communeId} AND ST_Intersects(v.geom, z.g)) AS villages
    FROM z`.execute(db)
  const row = rows[0]
  if (!row || !(Number(row.area) >= minAreaKm2)) return null
  const villages = typeof row.villages === 'string' ? JSON.parse(row.villages) as DeadZone['villages'] : row.villages ?? []
  return {
    geometry: JSON.parse(geometryJson) as MultiPolygon,
    areaKm2: Number(row.area),
    villages,
    population: villages.reduce((s, v) => s + (v.population ?? 0), 0),
  }
}
