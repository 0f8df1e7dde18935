import { sql } from 'kysely'
import type { Executor, Technology } from '../db/database.ts'
import { base64FromBytea, bytesFromBase64 } from '../db/bytea.ts'
import { bboxOverlaps, stMakeEnvelope } from '../db/postgis.ts'
import type { Bbox } from './paging.ts'

/*
 * Planning reads (services/planning/): a run's composite tiles by name, the villages in a box,
 * the nearest fibre route and power line, and an operator's typical 4G radio.
 */

/** A composite tile of a run as stored (rasters still encoded: services/coverage/raster-codec.ts). */
export interface CompositeTileRow {
  operator_id: number | null
  tile: string
  west: number
  north: number
  cols: number
  rows: number
  codec: 'raw' | 'deflate'
  /** Best RSRP per cell (Int16 deci-dBm, encoded as stored); the serving sectors are not read. */
  best_rsrp_decidbm: Uint8Array
}

/** The composite tiles of a run with these names, for these operators (null = any operator): their best RSRP only. */
export async function listCompositeTilesByName(
  db: Executor, runId: number, technology: Technology, operatorIds: ReadonlyArray<number | null>, tiles: readonly string[],
): Promise<CompositeTileRow[]> {
  if (tiles.length === 0 || operatorIds.length === 0) return []
  const ids = operatorIds.filter((id): id is number => id !== null)
  const withAny = operatorIds.includes(null)
  const rows = await db.selectFrom('coverage_tiles')
    .select(['operator_id', 'tile', 'west', 'north', 'cols', 'rows', 'codec',
      base64FromBytea('best_rsrp_decidbm').as('best')])
    .where('run_id', '=', runId).where('technology', '=', technology).where('tile', 'in', [...tiles])
    .where((eb) => eb.or([
      ...(withAny ? [eb('operator_id', 'is', null)] : []),
      ...(ids.length > 0 ? [eb('operator_id', 'in', ids)] : []),
    ]))
    .execute()
  return rows.map(({ best, ...rest }) => ({ ...rest, best_rsrp_decidbm: bytesFromBase64(best) }))
}

export interface VillagePointRow {
  id: number
  code: string
  name: string
  population: number | null
  lon: number
  lat: number
  commune_code: string
  commune_name: string
}

/** Villages whose point lies in a box, by id, with their commune's code and name. */
export async function listVillagePointsInBbox(db: Executor, bbox: Bbox): Promise<VillagePointRow[]> {
  return db.selectFrom('villages as v').innerJoin('communes as c', 'c.id', 'v.commune_id')
    .select(['v.id', 'v.code', 'v.name', 'v.population', sql<number>`ST_X(v.geom)`.as('lon'), sql<number>`ST_Y(v.geom)`.as('lat'),
      'c.code as commune_code', 'c.name as commune_name'])
    .where(bboxOverlaps(sql.ref('v.geom'), stMakeEnvelope(bbox)))
    .orderBy('v.id')
    .execute()
}

export interface NearestLineRow {
  id: number
  code: string
  /** Geodesic distance on the WGS84 ellipsoid, m. */
  distance_m: number
}

/**
 * The fibre route or power line (not decommissioned) nearest a point, by geodesic distance:
 * the few nearest by the planar index (`<->`, degrees) are measured as geography, the least kept.
 */
export async function findNearestLine(db: Executor, table: 'fibre_routes' | 'power_lines', lon: number, lat: number): Promise<NearestLineRow | undefined> {
  const point = sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`
  const { rows } = await sql<NearestLineRow>`
    WITH near AS (
      SELECT id, code, geom FROM ${sql.table(table)}
      WHERE status <> 'decommissioned'
      ORDER BY geom <-> ${point} LIMIT 8
    )
    SELECT id, code, ST_Distance(geom::geography, ${point}::geography) AS distance_m
    FROM near ORDER BY distance_m, id LIMIT 1`.execute(db)
  const row = rows[0]
  return row && { ...row, distance_m: Number(row.distance_m) }
}

/** The median EIRP and gain of an operator's sectors of a technology at existing sites, and how many there are. */
export async function findMedianSectorRadio(db: Executor, operatorId: number, technology: Technology): Promise<{ eirp_dbm: number; gain_dbi: number; n: number } | undefined> {
  const { rows } = await sql<{ eirp_dbm: number | null; gain_dbi: number | null; n: number }>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x.eirp_dbm) AS eirp_dbm,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY x.gain_dbi) AS gain_dbi, count(*) AS n
    FROM sectors x JOIN sites s ON s.id = x.site_id
    WHERE s.operator_id = ${operatorId} AND x.technology = ${technology} AND s.status = 'existing'`.execute(db)
  const row = rows[0]
  if (!row || Number(row.n) === 0 || row.eirp_dbm === null || row.gain_dbi === null) return undefined
  return { eirp_dbm: Number(row.eirp_dbm), gain_dbi: Number(row.gain_dbi), n: Number(row.n) }
}

export interface FibreFedSiteRow {
  id: number
  code: string
  name: string | null
  lon: number
  lat: number
  /** Geodesic distance from the point asked about, m. */
  distance_m: number
  /** The highest antenna of the site's sectors, m (null: no sector). */
  height_m: number | null
}

/**
 * An operator's existing sites within `maxDistanceM` of a point that are fed by fibre (some fibre
 * route, not decommissioned, within `maxFibreM` of the site), nearest first (geodesic metres).
 */
export async function listFibreFedSitesNear(
  db: Executor, operatorId: number, lon: number, lat: number, maxDistanceM: number, maxFibreM: number, limit: number,
): Promise<FibreFedSiteRow[]> {
  const point = sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography`
  const { rows } = await sql<FibreFedSiteRow>`
    SELECT s.id, s.code, s.name, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat,
      ST_Distance(s.geom::geography, ${point}) AS distance_m,
      (SELECT max(x.height_m) FROM sectors x WHERE x.site_id = s.id) AS height_m
    FROM sites s
    WHERE s.operator_id = ${operatorId} AND s.status = 'existing'
      AND ST_DWithin(s.geom::geography, ${point}, ${maxDistanceM})
      AND EXISTS (SELECT 1 FROM fibre_routes r WHERE r.status <> 'decommissioned' AND ST_DWithin(r.geom::geography, s.geom::geography, ${maxFibreM}))
    ORDER BY distance_m, s.id
    LIMIT ${limit}`.execute(db)
  return rows.map((r) => ({ ...r, lon: Number(r.lon), lat: Number(r.lat), distance_m: Number(r.distance_m), height_m: r.height_m === null ? null : Number(r.height_m) }))
}
