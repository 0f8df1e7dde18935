import type { Db, Technology } from '../../db/database.ts'
import { findCoverageTileAt, findCurrentCoverageRun } from '../../repositories/coverage.repository.ts'
import { decodeCompositeTile, NO_RSRP } from './raster-codec.ts'

/**
 * Predicted best-server RSRP at a point from the current run's composite
 * (operator null = any operator): the value of the cell containing the point,
 * and the serving sector. Null where nothing is predicted.
 */
export async function predictedRsrpAt(
  db: Db, operatorId: number | null, technology: Technology, lon: number, lat: number,
): Promise<{ rsrpDbm: number; servingSectorId: number; runId: number } | null> {
  const run = await findCurrentCoverageRun(db, technology)
  if (!run) return null
  const tile = await findCoverageTileAt(db, run.id, operatorId, technology, lon, lat)
  if (!tile) return null
  const c = Math.floor((lon - tile.west) / tile.step_lon)
  const r = Math.floor((tile.north - lat) / tile.step_lat)
  if (c < 0 || r < 0 || c >= tile.cols || r >= tile.rows) return null
  const i = r * tile.cols + c
  const decoded = decodeCompositeTile(tile.codec, tile.best_rsrp_decidbm, tile.serving_sector_ids, tile.cols * tile.rows)
  const best = decoded.best[i]!
  if (best === NO_RSRP) return null
  return { rsrpDbm: best / 10, servingSectorId: decoded.server[i]!, runId: run.id }
}
