import type { Geometry } from 'geojson'
import gjv from 'geojson-validation'
import type { Executor } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { checkVietnamExtent } from '../geo/vietnam-extent.ts'
import { findGeometryValidity } from '../repositories/geometry.repository.ts'

/**
 * Checks an incoming geometry before anything is written: GeoJSON structure
 * (geojson-validation), allowed type, every position inside Vietnam, and
 * validity as PostGIS judges it (ST_IsValidReason; points are always valid, so only lines and
 * polygons are sent to it). Throws a 400 AppError
 * naming the field and the reason.
 */
export async function assertAcceptableGeometry(
  db: Executor,
  geometry: Geometry,
  field: string,
  allowedTypes: readonly Geometry['type'][],
): Promise<void> {
  if (!allowedTypes.includes(geometry.type)) {
    throw new AppError('invalid-geometry', `${field}: expected ${allowedTypes.join(' or ')}, got ${geometry.type}`, [
      { field, location: 'body', value: geometry.type, reason: `geometry type must be ${allowedTypes.join(' or ')}` },
    ])
  }
  const structural = gjv.valid(geometry, true)
  if (Array.isArray(structural) && structural.length > 0) {
    throw new AppError('invalid-geometry', `${field}: ${structural[0]}`, structural.map((reason) => ({ field, location: 'body' as const, reason: String(reason) })))
  }
  const outside = checkVietnamExtent(geometry)
  if (outside) {
    throw new AppError('outside-vietnam', `${field}: ${outside.reason}`, [
      { field, location: 'body', value: outside.coordinate, reason: outside.reason },
    ])
  }
  // A point with finite coordinates (checked above) is always valid for PostGIS: no query for it.
  if (geometry.type === 'Point' || geometry.type === 'MultiPoint') return
  const { valid, reason } = await findGeometryValidity(db, geometry)
  if (!valid) {
    throw new AppError('invalid-geometry', `${field}: ${reason}`, [{ field, location: 'body', reason }])
  }
}
