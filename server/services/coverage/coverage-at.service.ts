import type { Db, Technology } from '../../db/database.ts'
import { findCoverageTileAt, findCurrentCoverageRun } from '../../repositories/coverage.repository.ts'
import { NO_RSRP } from './recompute-coverage.service.ts'

/**
 * Predicted best-server RSRP at a point from the current run's composite
 * (operator null = any operator): the value of the cell containing the point,
 * and the serving sector. Null where nothing is predicted.
 */
export async function predictedRsrpAt(
  db: Db, operatorId: number | null, technology: Technology, lon: number, lat: number,
): Promise<{ rsrpDbm: number; servingSectorId: number; runId: number } | null> {
  const run = await findCurrentCoverageRun(db)
  if (!run) return null
  const tile = await findCoverageTileAt(db, run.id, operatorId, technology, lon, lat)
  if (!tile) return null
  const c = Math.floor((lon - tile.west) / tile.step_lon)
  const r = Math.floor((tile.north - lat) / tile.step_lat)
  if (c < 0 || r < 0 || c >= tile.cols || r >= tile.rows) return null
  const i = r * tile.cols + c
  // Stored little-endian (Int16 tenths of dBm, Int32 sector ids).
  const best = new DataView(tile.best_rsrp_decidbm.buffer, tile.best_rsrp_decidbm.byteOffset, tile.best_rsrp_decidbm.byteLength).getInt16(i * 2, true)
  if (best === NO_RSRP) return null
  const server = new DataView(tile.serving_sector_ids.buffer, tile.serving_sector_ids.byteOffset, tile.serving_sector_ids.byteLength).getInt32(i * 4, true)
  return { rsrpDbm: best / 10, servingSectorId: server, runId: run.id }
}
