import { sql, type Expression, type RawBuilder } from 'kysely'
import type { Geometry as GeoJsonGeometry } from 'geojson'
import type { GeometryValue } from './database.ts'

/**
 * Typed PostGIS helpers: the only place where PostGIS function names are
 * written. Repositories compose these instead of pasting SQL strings.
 * Everything is SRID 4326 (WGS84 lon/lat).
 */

export const SRID = 4326

/**
 * A GeoJSON geometry as a PostGIS geometry in 4326, Z/M dropped. Points go
 * through ST_MakePoint (no JSON to build or parse: the bulk of an import).
 */
export function stGeomFromGeoJSON(geometry: GeoJsonGeometry): RawBuilder<GeometryValue> {
  if (geometry.type === 'Point') {
    const [x, y] = geometry.coordinates
    return sql<GeometryValue>`ST_SetSRID(ST_MakePoint(${x}::float8, ${y}::float8), ${sql.lit(SRID)})`
  }
  return sql<GeometryValue>`ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), ${sql.lit(SRID)}))`
}

/** Polygons become MultiPolygons, lines MultiLineStrings (the column types). */
export function stMulti(geom: Expression<GeometryValue>): RawBuilder<GeometryValue> {
  return sql<GeometryValue>`ST_Multi(${geom})`
}

/** A geometry column as a parsed GeoJSON object, coordinates rounded to `decimals` (6 ≈ 0.1 m). */
export function stAsGeoJSON(geom: Expression<GeometryValue | null> | RawBuilder<unknown>, decimals = 6): RawBuilder<GeoJsonGeometry> {
  return sql<GeoJsonGeometry>`ST_AsGeoJSON(${geom}, ${sql.lit(decimals)})::json`
}

/** The envelope of a bbox [minLon, minLat, maxLon, maxLat]. */
export function stMakeEnvelope(bbox: readonly [number, number, number, number]): RawBuilder<GeometryValue> {
  const [minX, minY, maxX, maxY] = bbox
  return sql<GeometryValue>`ST_MakeEnvelope(${minX}, ${minY}, ${maxX}, ${maxY}, ${SRID})`
}

/** Bounding-box overlap (`&&`): uses the GiST index. */
export function bboxOverlaps(a: Expression<GeometryValue>, b: Expression<GeometryValue>): RawBuilder<boolean> {
  return sql<boolean>`${a} && ${b}`
}

export function stIntersects(a: Expression<GeometryValue>, b: Expression<GeometryValue>): RawBuilder<boolean> {
  return sql<boolean>`ST_Intersects(${a}, ${b})`
}

export function stIsValid(geom: Expression<GeometryValue>): RawBuilder<boolean> {
  return sql<boolean>`ST_IsValid(${geom})`
}

export function stIsValidReason(geom: Expression<GeometryValue>): RawBuilder<string> {
  return sql<string>`ST_IsValidReason(${geom})`
}

export function stGeometryType(geom: Expression<GeometryValue>): RawBuilder<string> {
  return sql<string>`GeometryType(${geom})`
}

/** [minLon, minLat, maxLon, maxLat] of a geometry, as separate numbers. */
export function stExtentParts(geom: Expression<GeometryValue>) {
  return {
    minX: sql<number>`ST_XMin(${geom})`,
    minY: sql<number>`ST_YMin(${geom})`,
    maxX: sql<number>`ST_XMax(${geom})`,
    maxY: sql<number>`ST_YMax(${geom})`,
  }
}

/** Length on the WGS84 spheroid, kilometres. */
export function stLengthKm(geom: Expression<GeometryValue>): RawBuilder<number> {
  return sql<number>`ST_Length(${geom}::geography) / 1000.0`
}

/** Is a point covered by a polygon (boundary included)? */
export function stCovers(polygon: Expression<GeometryValue>, point: Expression<GeometryValue>): RawBuilder<boolean> {
  return sql<boolean>`ST_Covers(${polygon}, ${point})`
}

/** ST_MakeValid keeping only the polygons (a repaired bow-tie can yield lines), as a MultiPolygon. */
export function stMakeValidPolygonal(geom: Expression<GeometryValue>): RawBuilder<GeometryValue> {
  return sql<GeometryValue>`ST_Multi(ST_CollectionExtract(ST_MakeValid(${geom}), 3))`
}
