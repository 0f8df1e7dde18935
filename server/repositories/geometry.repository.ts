import { sql } from 'kysely'
import type { Geometry } from 'geojson'
import type { Executor } from '../db/database.ts'
import { stGeomFromGeoJSON, stIsValid, stIsValidReason } from '../db/postgis.ts'

/** PostGIS's verdict on a geometry: valid, or the reason it is not (e.g. 'Self-intersection[0.5 0.5]'). */
export async function findGeometryValidity(db: Executor, geometry: Geometry): Promise<{ valid: boolean; reason: string }> {
  const g = stGeomFromGeoJSON(geometry)
  const { rows } = await sql<{ valid: boolean; reason: string }>`
    SELECT ${stIsValid(g)} AS valid, ${stIsValidReason(g)} AS reason`.execute(db)
  const row = rows[0]
  if (!row) throw new Error('geometry validity query returned no row')
  return row
}
