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
