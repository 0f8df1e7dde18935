import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../db/database.ts'

/**
 * Vector tile queries. Every layer is a source query giving `id`, `geom`
 * (SRID 4326) and the attributes a map needs, filtered to the tile's envelope
 * (plus its buffer) through the GiST index. Two ways out:
 *  - `mvtTileBytes`: `ST_AsMVTGeom` + `ST_AsMVT` (PostGIS server only: PGlite's
 *    PostGIS is built without protobuf-c, where even ST_AsMVTGeom fails);
 *  - `tileSpaceFeatures`: the same clipping, simplification and snapping done
 *    with plain PostGIS functions (ST_TileEnvelope, ST_ClipByBox2D, ST_Affine,
 *    ST_Simplify, ST_SnapToGrid), geometry returned as GeoJSON in tile
 *    coordinates (0–extent, y down) for an encoder in Node. Works on both engines.
 */

/** The tile grid of every layer at most zooms (units per tile side), and its buffer (1/64 of a side). */
export const TILE_EXTENT = 4096
export const TILE_BUFFER = 64

/**
 * The grid a layer's tile is encoded on. Coverage class polygons follow 1″ (≈ 30 m) raster
 * cells: at low zooms a 4096 grid keeps every staircase step (a z8 tile of Sơn La measured
 * 4.6 MB, 4.7 s), so coverage is encoded on 512 units up to z10 and 1024 at z11–12 (still
 * finer than a screen pixel of a 256-px tile) and simplified to one unit before it is
 * reprojected (below). Every other layer uses 4096.
 */
export function tileExtent(layer: TileLayerName, z: number): number {
  if (layer !== 'coverage-4g') return TILE_EXTENT
  return z <= 10 ? 512 : z <= 12 ? 1024 : TILE_EXTENT
}

/** Which rows a tile holds besides its place: the coverage layer is per operator ('any' = best of all). */
export interface TileFilter {
  operator?: string
}

export type TileLayerName = 'communes' | 'villages' | 'sites' | 'fibre' | 'coverage-4g'

/** Attribute columns per layer (besides `id` and `geom`); the same list feeds TileJSON. */
export const TILE_LAYER_FIELDS: Record<TileLayerName, Record<string, string>> = {
  communes: { code: 'String', name: 'String', type: 'String' },
  villages: { code: 'String', name: 'String', population: 'Number' },
  sites: { code: 'String', name: 'String', operator: 'String', status: 'String' },
  fibre: { code: 'String', owner: 'String', status: 'String' },
  'coverage-4g': { class: 'String', operator: 'String' },
}

/**
 * Layers whose features carry their row id as the MVT feature id (for a map's
 * feature state and popups). Coverage polygons do not: their ids change with
 * every run although the shapes of the tiles a run did not rebuild do not,
 * and an id would make every coverage tile's bytes change with every run.
 */
const FEATURE_IDS: Record<TileLayerName, boolean> = { communes: true, villages: true, sites: true, fibre: true, 'coverage-4g': false }

/**
 * Generalisation by zoom, besides the simplification to the tile's grid that
 * ST_AsMVTGeom (and tileSpaceFeatures) does: a line or polygon whose extent is
 * under one screen pixel (1/256 of the tile) both ways is left out of the tile,
 * since the map could not draw it. Tested on the bounding box, in degrees of
 * longitude and of latitude at the feature's latitude (cheap, through the index).
 */
function largeEnough(z: number): RawBuilder<unknown> {
  const pixelDeg = 360 / 2 ** z / 256
  return sql`(GeometryType(src.geom) IN ('POINT', 'MULTIPOINT')
    OR ST_XMax(src.geom) - ST_XMin(src.geom) >= ${pixelDeg}::float8
    OR ST_YMax(src.geom) - ST_YMin(src.geom) >= ${pixelDeg}::float8 * cos(radians(ST_YMax(src.geom))))`
}

/**
 * The layer's rows touching `box` (an SRID 4326 geometry). With a zoom, coverage polygons are
 * simplified to one unit of the tile grid (in degrees) first; with a filter, coverage is one
 * operator's (or 'any').
 */
function layerSource(layer: TileLayerName, box: RawBuilder<unknown>, z?: number, filter: TileFilter = {}): RawBuilder<unknown> {
  switch (layer) {
    case 'communes':
      return sql`SELECT c.id, c.code, c.name, c.type::text AS type, c.geom FROM communes c WHERE c.geom && ${box}`
    case 'villages':
      return sql`SELECT v.id, v.code, v.name, v.population, v.geom FROM villages v WHERE v.geom && ${box}`
    case 'sites':
      // Public layer: existing and decommissioned sites only, never planned or candidate.
      return sql`SELECT s.id, s.code, s.name, o.code AS operator, s.status::text AS status, s.geom
        FROM sites s JOIN operators o ON o.id = s.operator_id
        WHERE s.status IN ('existing', 'decommissioned') AND s.geom && ${box}`
    case 'fibre':
      // Public layer: fibre owned by an operator is commercially sensitive, never in a tile.
      return sql`SELECT f.id, f.code, f.owner_name AS owner, f.status::text AS status, f.geom
        FROM fibre_routes f WHERE f.owner_operator_id IS NULL AND f.geom && ${box}`
    case 'coverage-4g': {
      const unitDeg = z === undefined || tileExtent(layer, z) === TILE_EXTENT ? 0 : 360 / 2 ** z / tileExtent(layer, z)
      const geom = unitDeg > 0 ? sql`ST_Simplify(p.geom, ${unitDeg}::float8)` : sql`p.geom`
      const operator = filter.operator === undefined ? sql`` : filter.operator === 'any' ? sql`AND p.operator_id IS NULL` : sql`AND o.code = ${filter.operator}`
      return sql`SELECT p.id::integer AS id, p.class::text AS class, coalesce(o.code, 'any') AS operator, ${geom} AS geom
        FROM coverage_polygons p
        JOIN coverage_runs r ON r.id = p.run_id AND r.is_current AND r.technology = '4G'
        LEFT JOIN operators o ON o.id = p.operator_id
        WHERE p.technology = '4G' AND p.geom && ${box} ${operator}`
    }
  }
}

function attributeList(layer: TileLayerName): RawBuilder<unknown> {
  return sql.join(Object.keys(TILE_LAYER_FIELDS[layer]).map((f) => sql.ref(`src.${f}`)))
}

/** The tile's envelope with its buffer, in 4326, for the index filter. */
function searchBox(z: number, x: number, y: number): RawBuilder<unknown> {
  return sql`ST_Transform(ST_TileEnvelope(${z}::integer, ${x}::integer, ${y}::integer, margin => ${TILE_BUFFER / TILE_EXTENT}::float8), 4326)`
}

/** The tile encoded by PostGIS (`ST_AsMVT`); an empty buffer when no feature falls in it. Server engine only. */
export async function mvtTileBytes(db: Executor, layer: TileLayerName, z: number, x: number, y: number, filter: TileFilter = {}): Promise<Uint8Array> {
  const extent = tileExtent(layer, z)
  const { rows } = await sql<{ tile: Uint8Array | null }>`
    WITH src AS (${layerSource(layer, searchBox(z, x, y), z, filter)}),
    mvt AS (
      SELECT ${FEATURE_IDS[layer] ? sql`src.id, ` : sql``}${attributeList(layer)},
        ST_AsMVTGeom(ST_Transform(src.geom, 3857), ST_TileEnvelope(${z}::integer, ${x}::integer, ${y}::integer), ${extent}, ${(extent * TILE_BUFFER) / TILE_EXTENT}, true) AS geom
      FROM src WHERE ${largeEnough(z)} ORDER BY src.id
    )
    SELECT ST_AsMVT(mvt.*, ${layer}::text, ${extent}, 'geom'${FEATURE_IDS[layer] ? sql`, 'id'` : sql``}) AS tile FROM mvt WHERE mvt.geom IS NOT NULL`.execute(db)
  const tile = rows[0]?.tile
  return tile ? new Uint8Array(tile) : new Uint8Array(0)
}

export interface TileSpaceRow {
  /** The MVT feature id; undefined for layers without one (coverage). */
  id: number | undefined
  /** GeoJSON geometry in tile coordinates (0–tileExtent, y down), integers. */
  geometry: string
  properties: Record<string, unknown>
}

/**
 * The tile's features clipped (to the tile plus its buffer), moved to tile
 * coordinates, simplified (half a tile unit), snapped to the integer grid and
 * made valid, exterior rings positive by the spec's surveyor's formula
 * (clockwise as drawn, y down) — what ST_AsMVTGeom does, for an
 * encoder in Node. Both engines.
 */
export async function tileSpaceFeatures(db: Executor, layer: TileLayerName, z: number, x: number, y: number, filter: TileFilter = {}): Promise<TileSpaceRow[]> {
  const fields = Object.keys(TILE_LAYER_FIELDS[layer])
  const extent = tileExtent(layer, z)
  const { rows } = await sql<{ id: number; geometry: string; props: Record<string, unknown> }>`
    WITH env AS (
      SELECT e, ST_XMin(e) AS x0, ST_YMax(e) AS y1, ${extent}::float8 / (ST_XMax(e) - ST_XMin(e)) AS sx, ${extent}::float8 / (ST_YMax(e) - ST_YMin(e)) AS sy
      FROM (SELECT ST_TileEnvelope(${z}::integer, ${x}::integer, ${y}::integer) AS e) t
    ),
    src AS (${layerSource(layer, searchBox(z, x, y), z, filter)}),
    clipped AS (
      SELECT src.id, ${attributeList(layer)},
        ST_ClipByBox2D(ST_Transform(src.geom, 3857), ST_Expand(env.e, (ST_XMax(env.e) - ST_XMin(env.e)) * ${TILE_BUFFER / TILE_EXTENT}::float8)::box2d) AS g,
        env.x0, env.y1, env.sx, env.sy
      FROM src, env WHERE ${largeEnough(z)}
    ),
    tiled AS (
      SELECT clipped.*, ST_SnapToGrid(ST_Simplify(ST_Affine(g, sx, 0, 0, -sy, -x0 * sx, y1 * sy), 0.5, true), 1) AS t
      FROM clipped WHERE NOT ST_IsEmpty(g)
    ),
    valid AS (
      SELECT tiled.*, CASE WHEN ST_Dimension(t) = 2 THEN ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(ST_RemoveRepeatedPoints(t)), 3)) ELSE t END AS v
      FROM tiled WHERE t IS NOT NULL AND NOT ST_IsEmpty(t)
    )
    SELECT id, ST_AsGeoJSON(v, 0) AS geometry, jsonb_build_object(${sql.join(fields.map((f) => sql`${f}::text, ${sql.ref(f)}`))}) AS props
    FROM valid WHERE v IS NOT NULL AND NOT ST_IsEmpty(v) AND (ST_Dimension(v) < 2 OR ST_Area(v) > 0)
    ORDER BY id`.execute(db)
  return rows.map((r) => ({ id: FEATURE_IDS[layer] ? r.id : undefined, geometry: r.geometry, properties: r.props }))
}

/**
 * The extent of the layers' data together, WGS84 [west, south, east, north], or null when they
 * are all empty: one query however many layers.
 */
export async function layerBounds(db: Executor, layers: readonly TileLayerName[]): Promise<[number, number, number, number] | null> {
  if (layers.length === 0) return null
  const all = sql`ST_MakeEnvelope(-180, -90, 180, 90, 4326)`
  const sources = sql.join(layers.map((l) => sql`SELECT geom FROM (${layerSource(l, all)}) s`), sql` UNION ALL `)
  const { rows } = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null }>`
    WITH src AS (${sources}), ext AS (SELECT ST_Extent(geom) AS b FROM src)
    SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM ext`.execute(db)
  const r = rows[0]
  if (!r || r.w === null || r.s === null || r.e === null || r.n === null) return null
  return [r.w, r.s, r.e, r.n]
}

/** A province's name and the extent of its polygon and communes together, or those of all communes; undefined when there is none. */
export async function exportArea(db: Executor, provinceCode: string | undefined): Promise<{ name: string; bounds: [number, number, number, number] } | undefined> {
  if (provinceCode !== undefined) {
    const { rows: [r] } = await sql<{ name: string; w: number; s: number; e: number; n: number }>`
      WITH p AS (SELECT id, name, geom FROM provinces WHERE code = ${provinceCode}),
      ext AS (SELECT ST_Extent(g) AS b FROM (SELECT geom AS g FROM p UNION ALL SELECT c.geom FROM communes c JOIN p ON c.province_id = p.id) u)
      SELECT p.name, ST_XMin(ext.b) AS w, ST_YMin(ext.b) AS s, ST_XMax(ext.b) AS e, ST_YMax(ext.b) AS n FROM p, ext`.execute(db)
    return r ? { name: r.name, bounds: [r.w, r.s, r.e, r.n] } : undefined
  }
  const { rows: [r] } = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null }>`
    WITH ext AS (SELECT ST_Extent(geom) AS b FROM communes)
    SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM ext`.execute(db)
  if (!r || r.w === null || r.s === null || r.e === null || r.n === null) return undefined
  return { name: 'all communes', bounds: [r.w, r.s, r.e, r.n] }
}

/**
 * The tiles of zoom z in an x/y range whose envelope touches the area: the province polygon
 * or one of its communes (about 73 km² of commune area lies outside the simplified province
 * outline), or any commune. The GiST indexes do the filtering.
 */
export async function tilesTouchingArea(db: Executor, provinceCode: string | undefined, z: number, range: { x0: number; x1: number; y0: number; y1: number }): Promise<[number, number][]> {
  const touches = provinceCode === undefined
    ? sql`EXISTS (SELECT 1 FROM communes c WHERE ST_Intersects(c.geom, t.env))`
    : sql`(EXISTS (SELECT 1 FROM provinces p WHERE p.code = ${provinceCode} AND ST_Intersects(p.geom, t.env))
        OR EXISTS (SELECT 1 FROM communes c JOIN provinces p ON p.id = c.province_id WHERE p.code = ${provinceCode} AND ST_Intersects(c.geom, t.env)))`
  const { rows } = await sql<{ x: number; y: number }>`
    WITH t AS (
      SELECT x, y, ST_Transform(ST_TileEnvelope(${z}::integer, x, y), 4326) AS env
      FROM generate_series(${range.x0}::integer, ${range.x1}::integer) x, generate_series(${range.y0}::integer, ${range.y1}::integer) y
    )
    SELECT t.x, t.y FROM t WHERE ${touches}`.execute(db)
  return rows.map((r) => [r.x, r.y])
}
