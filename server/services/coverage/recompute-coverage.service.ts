import type { MultiPolygon } from 'geojson'
import type { Db, Technology } from '../../db/database.ts'
import { classRaster } from '../../geo/coverage/class-raster.ts'
import { metresPerDegree, windowAround, type RasterGrid } from '../../geo/coverage/raster-grid.ts'
import { radiusFallbackFootprints } from '../../geo/coverage/radius-fallback-footprints.ts'
import { rasterToClassPolygons } from '../../geo/coverage/raster-to-class-polygons.ts'
import {
  finishCoverageRun, insertCoveragePolygons, insertCoverageRun, insertCoverageTiles, listSectorsInService, promoteCoverageRun,
  updateCoverageRunProgress, type CoverageSectorRow, type NewCoveragePolygon, type NewCoverageTile,
} from '../../repositories/coverage.repository.ts'
import type { DemStore } from '../dem/dem-store.ts'
import type { SectorJob } from './sector-raster-job.ts'
import { createSectorRasterPool, defaultWorkerCount } from './sector-raster-pool.ts'

/**
 * A full coverage recompute with the fast model: every sector in service on a
 * date gets its RSRP raster (radial sweep over the DEM, one sweep per site,
 * antenna height and frequency, shared by its sectors), merged into
 * best-server composites per operator and for any operator, in 0.1° tiles of
 * the DEM grid, written under a new run which becomes current only once it is
 * complete (a cancelled or failed run never shows). Sectors are computed on
 * worker threads (the DEM shared between them); composites are merged here.
 * Each composite tile also gets its coverage-class polygons (good / weak /
 * none), stored in PostGIS with their area.
 * Not yet: ITM in the recompute, village sampling, incremental runs (issue 4).
 */

export interface RecomputeOptions {
  technology?: Technology
  /** Sites in service on this date count (YYYY-MM-DD, default today). */
  onDate?: string
  /** Computation radius around each site, m (default 10 km). */
  radiusM?: number
  environmentMarginDb?: number
  /** LTE channel bandwidth the EIRP is spread over (default 20 MHz). */
  bandwidthMhz?: number
  actor: string
  /** Worker threads (default: one per core; 0 computes in this thread). */
  workers?: number
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

export interface RecomputeReport {
  runId: number
  status: 'done' | 'cancelled'
  sectors: number
  sites: number
  tiles: number
  /** Sectors at sites no DEM covers: given the labelled 'radius' model (Turf footprints) instead. */
  fallbackSectors: number
  seconds: number
}

/** Composite tile side in degrees. */
export const COMPOSITE_TILE_DEG = 0.1
/** "No value" in the Int16 decidBm rasters. */
export const NO_RSRP = -32768

interface CompositeTile {
  tx: number
  ty: number
  best: Int16Array
  server: Int32Array
}

export async function recomputeCoverage(db: Db, dem: DemStore, options: RecomputeOptions): Promise<RecomputeReport> {
  const started = performance.now()
  const technology = options.technology ?? '4G'
  const onDate = options.onDate ?? new Date().toISOString().slice(0, 10)
  const radiusM = options.radiusM ?? 10_000
  const bandwidthMhz = options.bandwidthMhz ?? 20
  const sectors = await listSectorsInService(db, technology, onDate)
  const runId = await insertCoverageRun(db, { kind: 'full', model: 'fast', params: { technology, onDate, radiusM, bandwidthMhz, environmentMarginDb: options.environmentMarginDb ?? 0 }, requestedBy: options.actor })
  try {
    const groups = groupBySweep(sectors)
    await updateCoverageRunProgress(db, runId, { totalJobs: groups.length, doneJobs: 0 })
    if (sectors.length === 0) return await complete(db, runId, [], [], 0, 0, started)

    // The DEM over every site's disc, and the global grid aligned to its cells.
    const bbox = discsBbox(sectors, radiusM)
    const area = await dem.sampler(bbox)
    const step = Math.min(...area.sampler.tiles.map((t) => t.step))
    const west = Math.floor(bbox[0] / step) * step
    const north = Math.ceil(bbox[3] / step) * step
    const grid: RasterGrid = { west, north, stepLon: step, stepLat: step, cols: Math.ceil((bbox[2] - west) / step), rows: Math.ceil((north - bbox[1]) / step) }
    const tileCells = Math.max(1, Math.round(COMPOSITE_TILE_DEG / step))
    const composites = new Map<number | null, Map<string, CompositeTile>>()
    // Sites no DEM covers get the labelled radius model instead of a terrain raster.
    const withDem: CoverageSectorRow[][] = []
    const withoutDem: CoverageSectorRow[] = []
    for (const g of groups) {
      if (area.sampler.sample(g[0]!.lon, g[0]!.lat) !== null) withDem.push(g)
      else withoutDem.push(...g)
    }
    const fallbackPolygons = withoutDem.flatMap((s) => radiusFallbackPolygons(runId, technology, s, bandwidthMhz, radiusM))
    const fallbackSectors = withoutDem.length
    const jobs: SectorJob[] = withDem.map((group, index) => ({ index, sectors: group, window: windowAround(grid, group[0]!.lon, group[0]!.lat, radiusM) }))

    const pool = createSectorRasterPool(
      { tiles: [...area.sampler.tiles], radiusM, bandwidthMhz, environmentMarginDb: options.environmentMarginDb ?? 0 },
      Math.min(options.workers ?? defaultWorkerCount(), Math.max(1, jobs.length)),
    )
    let done = 0
    try {
      await pool.run(jobs, async (result) => {
        const window = jobs[result.index]!.window
        for (const r of result.rasters) {
          for (const key of [r.operatorId, null]) mergeIntoComposite(composites, key, window, r.rsrpDbm, r.sectorId, tileCells)
        }
        done++
        options.onProgress?.({ done, total: groups.length })
        if (done % 20 === 0) await updateCoverageRunProgress(db, runId, { doneJobs: done })
      }, options.signal)
    } finally {
      await pool.close()
    }
    if (options.signal?.aborted) {
      await finishCoverageRun(db, runId, 'cancelled')
      return { runId, status: 'cancelled', sectors: sectors.length, sites: groups.length, tiles: 0, fallbackSectors, seconds: (performance.now() - started) / 1000 }
    }

    const tiles: NewCoverageTile[] = []
    const polygons: NewCoveragePolygon[] = [...fallbackPolygons]
    for (const [operatorId, byTile] of composites) {
      for (const t of byTile.values()) {
        const tileGrid: RasterGrid = {
          west: grid.west + t.tx * tileCells * step, north: grid.north - t.ty * tileCells * step,
          stepLon: step, stepLat: step, cols: tileCells, rows: tileCells,
        }
        tiles.push({
          runId, operatorId, technology, tile: `${t.tx}_${t.ty}`, ...tileGrid,
          bestRsrpDecidbm: new Uint8Array(t.best.buffer), servingSectorIds: new Uint8Array(t.server.buffer),
        })
        // Class polygons of the tile (cell-exact, simplified by half a cell; classes still tile the area).
        const rsrp = Float32Array.from(t.best, (v) => (v === NO_RSRP ? Number.NaN : v / 10))
        const byClass = rasterToClassPolygons(tileGrid, classRaster(rsrp), { simplifyToleranceDeg: step / 2 })
        for (const className of ['good', 'weak', 'none'] as const) {
          polygons.push({ runId, operatorId, technology, className, model: 'fast', geometry: byClass[className] })
        }
      }
    }
    return await complete(db, runId, tiles, polygons, sectors.length, groups.length, started, fallbackSectors)
  } catch (err) {
    await finishCoverageRun(db, runId, 'failed', err instanceof Error ? err.message : String(err))
    throw err
  }
}

async function complete(db: Db, runId: number, tiles: NewCoverageTile[], polygons: NewCoveragePolygon[], sectors: number, sites: number, started: number, fallbackSectors = 0): Promise<RecomputeReport> {
  await db.transaction().execute(async (tx) => {
    await insertCoverageTiles(tx, tiles)
    await insertCoveragePolygons(tx, polygons)
    await updateCoverageRunProgress(tx, runId, { doneJobs: sites })
    await promoteCoverageRun(tx, runId)
    await finishCoverageRun(tx, runId, 'done')
  })
  return { runId, status: 'done', sectors, sites, tiles: tiles.length, fallbackSectors, seconds: (performance.now() - started) / 1000 }
}

/** The labelled radius-model polygons of one sector (for its operator and for any operator). */
function radiusFallbackPolygons(runId: number, technology: Technology, s: CoverageSectorRow, bandwidthMhz: number, radiusM: number): NewCoveragePolygon[] {
  const f = radiusFallbackFootprints({
    lon: s.lon, lat: s.lat, azimuthDeg: s.azimuth_deg, beamwidthDeg: s.beamwidth_deg, frequencyMhz: s.frequency_mhz,
    eirpDbm: s.eirp_dbm, bandwidthMhz, maxRadiusM: radiusM,
  })
  const out: NewCoveragePolygon[] = []
  for (const operatorId of [s.operator_id, null]) {
    for (const [className, geometry] of [['good', f.good], ['weak', f.weak]] as const) {
      if (!geometry) continue
      const multi: MultiPolygon = geometry.type === 'MultiPolygon' ? geometry : { type: 'MultiPolygon', coordinates: [geometry.coordinates] }
      out.push({ runId, operatorId, technology, className, model: 'radius', geometry: multi })
    }
  }
  return out
}

/** Sectors that share a site, antenna height and frequency share one sweep. */
function groupBySweep(sectors: readonly CoverageSectorRow[]): CoverageSectorRow[][] {
  const groups = new Map<string, CoverageSectorRow[]>()
  for (const s of sectors) {
    const key = `${s.site_id}:${s.height_m}:${s.frequency_mhz}`
    const g = groups.get(key)
    if (g) g.push(s)
    else groups.set(key, [s])
  }
  return [...groups.values()]
}

function discsBbox(sectors: readonly CoverageSectorRow[], radiusM: number): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const x of sectors) {
    const m = metresPerDegree(x.lat)
    w = Math.min(w, x.lon - radiusM / m.lon)
    e = Math.max(e, x.lon + radiusM / m.lon)
    s = Math.min(s, x.lat - radiusM / m.lat)
    n = Math.max(n, x.lat + radiusM / m.lat)
  }
  return [w, s, e, n]
}

/** Keeps, per composite cell, the strongest sector (best server) and its id. */
function mergeIntoComposite(
  composites: Map<number | null, Map<string, CompositeTile>>,
  key: number | null,
  window: RasterGrid & { col0: number; row0: number },
  rsrpDbm: Float32Array,
  sectorId: number,
  tileCells: number,
): void {
  let tiles = composites.get(key)
  if (!tiles) {
    tiles = new Map()
    composites.set(key, tiles)
  }
  for (let r = 0; r < window.rows; r++) {
    const gr = window.row0 + r
    const ty = Math.floor(gr / tileCells)
    const tr = gr - ty * tileCells
    for (let c = 0; c < window.cols; c++) {
      const v = rsrpDbm[r * window.cols + c]!
      if (Number.isNaN(v)) continue
      const gc = window.col0 + c
      const tx = Math.floor(gc / tileCells)
      const id = `${tx}_${ty}`
      let tile = tiles.get(id)
      if (!tile) {
        tile = { tx, ty, best: new Int16Array(tileCells * tileCells).fill(NO_RSRP), server: new Int32Array(tileCells * tileCells) }
        tiles.set(id, tile)
      }
      const i = tr * tileCells + (gc - tx * tileCells)
      const deci = Math.max(-32767, Math.min(32767, Math.round(v * 10)))
      if (deci > tile.best[i]!) {
        tile.best[i] = deci
        tile.server[i] = sectorId
      }
    }
  }
}
