import { sql } from 'kysely'
import type { Executor, Tx } from '../db/database.ts'
import { bboxOverlaps, stMakeEnvelope } from '../db/postgis.ts'
import type { Bbox } from './paging.ts'

/**
 * The SQL of candidate-site generation (services/planning/candidates.service.ts): the villages of
 * a scope as points, the nearest fibre route and power line to each candidate, and the numbering
 * of generated candidate codes (the sites already standing near them: optimise.repository.ts).
 */

export interface VillagePointRow {
  id: number
  code: string
  name: string
  commune_code: string
  population: number | null
  lon: number
  lat: number
}

/** Villages in some communes (ids) and/or a bbox, as points, by code. */
export async function listVillagePoints(db: Executor, scope: { communeIds?: readonly number[]; bbox?: Bbox }): Promise<VillagePointRow[]> {
  let q = db.selectFrom('villages as v').innerJoin('communes as c', 'c.id', 'v.commune_id')
    .select(['v.id', 'v.code', 'v.name', 'c.code as commune_code', 'v.population'])
    .select([sql<number>`ST_X(v.geom)`.as('lon'), sql<number>`ST_Y(v.geom)`.as('lat')])
  if (scope.communeIds) q = q.where('v.commune_id', 'in', scope.communeIds.length > 0 ? [...scope.communeIds] : [-1])
  if (scope.bbox) q = q.where(bboxOverlaps(sql.ref('v.geom'), stMakeEnvelope(scope.bbox)))
  const rows = await q.orderBy('v.code').execute()
  return rows.map((r) => ({ ...r, lon: Number(r.lon), lat: Number(r.lat) }))
}

export interface NearestLineRow {
  code: string
  distanceM: number
}

/** The line tables a candidate is measured against. */
export type LineTable = 'fibre_routes' | 'power_lines'

/** How many lines the KNN step hands to the exact geodesic comparison (see nearestLines). */
const KNN_SHORTLIST = 8

/**
 * For each point, the nearest line of `table` whose status is 'existing', with its geodesic
 * distance in metres (`ST_Distance` on geography, WGS84 spheroid); null where the table has none.
 * One statement: the points are unnested, and for each a LATERAL subquery takes the few nearest
 * lines by the index-assisted `<->` operator (planar distance in degrees) and keeps the one
 * geodesically nearest among them: a degree of longitude is shorter than one of latitude, so the
 * planar order can differ from the geodesic one, but not beyond a shortlist of 8.
 */
export async function nearestLines(db: Executor, table: LineTable, points: ReadonlyArray<{ lon: number; lat: number }>): Promise<Array<NearestLineRow | null>> {
  if (points.length === 0) return []
  const lons = `{${points.map((p) => p.lon).join(',')}}`
  const lats = `{${points.map((p) => p.lat).join(',')}}`
  const { rows } = await sql<{ i: number; code: string | null; distance_m: number | null }>`
    WITH pts AS (
      SELECT i, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g
      FROM unnest(${lons}::float8[], ${lats}::float8[]) WITH ORDINALITY AS p(lon, lat, i)
    )
    SELECT pts.i, n.code, n.distance_m
    FROM pts
    LEFT JOIN LATERAL (
      SELECT k.code, ST_Distance(k.geom::geography, pts.g::geography) AS distance_m
      FROM (
        SELECT l.code, l.geom FROM ${sql.table(table)} l
        WHERE l.status = 'existing'
        ORDER BY l.geom <-> pts.g
        LIMIT ${sql.lit(KNN_SHORTLIST)}
      ) k
      ORDER BY distance_m, k.code
      LIMIT 1
    ) n ON true
    ORDER BY pts.i`.execute(db)
  return rows.map((r) => (r.code === null || r.distance_m === null ? null : { code: r.code, distanceM: Number(r.distance_m) }))
}

/**
 * Serialises candidate numbering: a transaction-scoped advisory lock, so two generations at once
 * cannot pick the same codes (the second waits for the first to commit).
 */
export async function lockCandidateCodes(tx: Tx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('phusong:candidate-site-codes'))`.execute(tx)
}

/** The highest n among an operator's site codes `<prefix><n>` (0 when none). */
export async function findLastCandidateNumber(db: Executor, operatorId: number, prefix: string): Promise<number> {
  const pattern = `^${prefix.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}([0-9]+)$`
  const row = await db.selectFrom('sites')
    .select(sql<number | null>`max(substring(code from ${pattern})::bigint)`.as('n'))
    .where('operator_id', '=', operatorId)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}
