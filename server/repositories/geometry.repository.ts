import { sql } from 'kysely'
import type { Geometry, MultiPolygon, Polygon } from 'geojson'
import type { Executor } from '../db/database.ts'
import { stAsGeoJSON, stGeomFromGeoJSON, stIsValid, stIsValidReason, stMakeValidPolygonal } from '../db/postgis.ts'

/** PostGIS's verdict on a geometry: valid, or the reason it is not (e.g. 'Self-intersection[0.5 0.5]'). */
export async function findGeometryValidity(db: Executor, geometry: Geometry): Promise<{ valid: boolean; reason: string }> {
  const g = stGeomFromGeoJSON(geometry)
  const { rows } = await sql<{ valid: boolean; reason: string }>`
    SELECT ${stIsValid(g)} AS valid, ${stIsValidReason(g)} AS reason`.execute(db)
  const row = rows[0]
  if (!row) throw new Error('geometry validity query returned no row')
  return row
}

/**
 * Repairs an invalid polygonal geometry with ST_MakeValid, keeping only its
 * polygons, as a MultiPolygon. Returns the reason it was invalid (null when
 * it was valid and is returned unchanged), so callers can report the repair.
 */
export async function repairPolygonal(db: Executor, geometry: Polygon | MultiPolygon): Promise<{ geometry: Polygon | MultiPolygon; invalidReason: string | null }> {
  const g = stGeomFromGeoJSON(geometry)
  const { rows } = await sql<{ valid: boolean; reason: string; repaired: MultiPolygon }>`
    SELECT ${stIsValid(g)} AS valid, ${stIsValidReason(g)} AS reason,
           ${stAsGeoJSON(stMakeValidPolygonal(g), 7)} AS repaired`.execute(db)
  const row = rows[0]
  if (!row) throw new Error('geometry repair query returned no row')
  return row.valid ? { geometry, invalidReason: null } : { geometry: row.repaired, invalidReason: row.reason }
}

/**
 * Checks many geometries in one query; for each invalid one returns its index,
 * the reason, and the repair (ST_MakeValid keeping the same dimension).
 */
export async function findInvalidGeometries(
  db: Executor,
  geometries: readonly Geometry[],
): Promise<Array<{ index: number; reason: string; repaired: Geometry | null }>> {
  if (geometries.length === 0) return []
  const { rows } = await sql<{ i: number; reason: string; repaired: Geometry | null }>`
    WITH g AS (
      SELECT (ordinality - 1)::int AS i, ST_GeomFromGeoJSON(j) AS geom
      FROM unnest(${geometries.map((g) => JSON.stringify(g))}::text[]) WITH ORDINALITY AS t(j, ordinality)
    )
    SELECT i, ST_IsValidReason(geom) AS reason,
           ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), ST_Dimension(geom) + 1)), 7)::json AS repaired
    FROM g WHERE NOT ST_IsValid(geom)`.execute(db)
  return rows.map((r) => ({ index: r.i, reason: r.reason, repaired: r.repaired }))
}
