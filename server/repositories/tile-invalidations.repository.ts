import { sql } from 'kysely'
import type { Executor } from '../db/database.ts'

/** A stale area of a tile layer; `bbox` null = the whole layer. */
export interface TileInvalidation {
  seq: number
  layer: string
  bbox: [number, number, number, number] | null
}

/** The newest invalidation's sequence number (0 when none). */
export async function latestInvalidationSeq(db: Executor): Promise<number> {
  const row = await db.selectFrom('tile_invalidations').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()
  return row?.seq == null ? 0 : Number(row.seq)
}

/** Invalidations after `seq`, oldest first, at most `limit`. */
export async function invalidationsSince(db: Executor, seq: number, limit: number): Promise<TileInvalidation[]> {
  const rows = await db.selectFrom('tile_invalidations').select(['seq', 'layer', 'west', 'south', 'east', 'north'])
    .where('seq', '>', String(seq)).orderBy('seq').limit(limit).execute()
  return rows.map((r) => ({
    seq: Number(r.seq),
    layer: r.layer,
    bbox: r.west === null || r.south === null || r.east === null || r.north === null ? null : [r.west, r.south, r.east, r.north],
  }))
}

/** Records stale areas (the recompute's rebuilt composite tiles, in its promoting transaction). */
export async function insertTileInvalidations(db: Executor, layer: string, boxes: ReadonlyArray<[number, number, number, number] | null>): Promise<void> {
  if (boxes.length === 0) return
  await db.insertInto('tile_invalidations')
    .values(boxes.map((b) => (b ? { layer, west: b[0], south: b[1], east: b[2], north: b[3] } : { layer, west: null, south: null, east: null, north: null })))
    .execute()
}

/** Keeps the newest `keep` rows (a process that falls further behind drops its whole cache). */
export async function pruneTileInvalidations(db: Executor, keep: number): Promise<void> {
  await sql`DELETE FROM tile_invalidations WHERE seq <= (SELECT max(seq) FROM tile_invalidations) - ${keep}`.execute(db)
}

/** The smallest sequence number still stored (0 when none). */
export async function oldestInvalidationSeq(db: Executor): Promise<number> {
  const row = await db.selectFrom('tile_invalidations').select((eb) => eb.fn.min('seq').as('seq')).executeTakeFirst()
  return row?.seq == null ? 0 : Number(row.seq)
}
