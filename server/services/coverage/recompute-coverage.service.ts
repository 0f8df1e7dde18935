import { bbox } from '@turf/turf'
import type { MultiPolygon } from 'geojson'
import type { Db, Technology } from '../../db/database.ts'
import { classRaster } from '../../geo/coverage/class-raster.ts'
import { metresPerDegree, windowAround, type RasterGrid } from '../../geo/coverage/raster-grid.ts'
import { radiusFallbackFootprints } from '../../geo/coverage/radius-fallback-footprints.ts'
import { rasterToClassPolygons } from '../../geo/coverage/raster-to-class-polygons.ts'
import type { CoverageThresholds } from '../../geo/propagation/coverage-class.ts'
import { COVERAGE_THRESHOLDS_DBM } from '../../geo/propagation/coverage-class.ts'
import { defaultCoverageRadiusM } from '../../geo/propagation/default-coverage-radius.ts'
import {
  countCoverageTiles, finishCoverageRun, findCurrentCoverageRun, inServiceOn, insertCoveragePolygons, insertCoverageRun, insertCoverageTiles, listSectorsOnAir,
  promoteCoverageRun, untiledCoveragePolygonBoxes, updateCoverageRunProgress, type CoverageSectorRow, type NewCoveragePolygon, type NewCoverageTile,
} from '../../repositories/coverage.repository.ts'
import {
  copyCompositeTiles, fetchSectorRasters, findStoredSectorRasterHashes, findVillageSignalKeys, insertRunSectors, insertSectorRasters, insertVillageBest,
  listRunSectors, listVillagePoints, pruneCoverageRuns, upsertVillageSignal, type StoredSectorRaster, type VillageSignalRow,
} from '../../repositories/sector-rasters.repository.ts'
import type { DemStore } from '../dem/dem-store.ts'
import { insertTileInvalidations } from '../../repositories/tile-invalidations.repository.ts'
import { decodeSectorRaster, encodeCompositeTile, HALF_DB_NONE, halfDbCodeToDecidbm, NO_RSRP } from './raster-codec.ts'
import { demTileFingerprint, FAST_MODEL_VERSION, sectorInputHash } from './sector-input-hash.ts'
import type { SectorJob } from './sector-raster-job.ts'
import { createSectorRasterPool, defaultWorkerCount } from './sector-raster-pool.ts'

export { NO_RSRP } from './raster-codec.ts'

/**
 * A coverage recompute with the fast model, incremental by default.
 *
 * 1. Every sector that is or was on air gets the hash of its inputs (radio,
 *    site position, the DEM tiles under its window, the run's parameters).
 *    Sectors whose hash has a stored raster are not computed again; the others
 *    are, on worker threads (one sweep per site, antenna height and frequency,
 *    shared by its sectors), and their rasters are stored as they arrive.
 * 2. Every village point is sampled from every raster whose window covers it
 *    (only pairs not stored yet), so the villages' predictions on any date are
 *    a join (server/services/village-coverage/).
 *    Composite tiles — the map, from the sectors in service on the date — (0.1° of the DEM grid; best-server RSRP and serving
 *    sector per operator and for any operator, plus class polygons) are built
 *    one at a time from the stored rasters, so memory stays bounded whatever
 *    the province's size: only the rasters of the sectors near the tile being
 *    built are held, in a cache with a byte limit.
 * 3. Incremental: only the tiles touched by a sector that was added, removed
 *    or changed since the current run (its old and its new window) are built;
 *    the others are copied from the current run inside the database. A full
 *    run (`full: true`) computes every sector and builds every tile.
 * 4. The new run becomes current, in one transaction, only once it is
 *    complete; a cancelled or failed run never shows. The stored results of
 *    superseded runs and the rasters no run uses are then dropped.
 *
 * Sites that no DEM covers get the labelled 'radius' model (Turf footprints).
 */

export interface RecomputeOptions {
  technology?: Technology
  /** Sites in service on this date count (YYYY-MM-DD, default today). */
  onDate?: string
  /**
   * Computation radius around each site, m. Default: by band and EIRP (`defaultCoverageRadiusM`:
   * where a median open-area model puts the sector 10 dB below the weak threshold), the largest
   * of a site's sectors, capped at 35 km.
   */
  radiusM?: number
  environmentMarginDb?: number
  /** LTE channel bandwidth the EIRP is spread over (default 20 MHz). */
  bandwidthMhz?: number
  /** Compute every sector and build every tile, ignoring what is stored (default false). */
  full?: boolean
  thresholds?: CoverageThresholds
  actor: string
  /** Worker threads (default: one per core; 0 computes in this thread). */
  workers?: number
  /** Byte limit of the decoded sector rasters held while tiles are built (default 256 MiB). */
  rasterCacheBytes?: number
  signal?: AbortSignal
  /** Called with the new run's id as soon as its row exists (the API answers with it). */
  onRunStarted?: (runId: number) => void
  onProgress?: (progress: { done: number; total: number }) => void
}

export interface RecomputeReport {
  runId: number
  status: 'done' | 'cancelled'
  kind: 'full' | 'incremental'
  sectors: number
  sites: number
  /** Sectors whose raster was computed in this run (the others were reused). */
  computedSectors: number
  /** Composite tiles built in this run (the others were copied from the previous run). */
  builtTiles: number
  /** Composite tiles of the run, all operators and "any" together. */
  tiles: number
  /** Sectors at sites no DEM covers: given the labelled 'radius' model (Turf footprints) instead. */
  fallbackSectors: number
  seconds: number
  /** Where the time went, seconds: loading the DEM and planning, sector rasters, composite tiles, the final transaction. */
  phases: { plan: number; sectors: number; villages: number; tiles: number; promote: number }
  /** Village × sector samples taken in this run (the others were stored already). */
  sampledVillages: number
}

/** Composite tile side in degrees. */
export const COMPOSITE_TILE_DEG = 0.1

/** A sector with DEM under its site, its window on the global grid and its inputs' hash. */
interface PlannedSector {
  row: CoverageSectorRow
  hash: string
  radiusM: number
  window: RasterGrid & { col0: number; row0: number }
}

export async function recomputeCoverage(db: Db, dem: DemStore, options: RecomputeOptions): Promise<RecomputeReport> {
  const started = performance.now()
  const technology = options.technology ?? '4G'
  const onDate = options.onDate ?? new Date().toISOString().slice(0, 10)
  const radiusOf = (group: readonly CoverageSectorRow[]) => options.radiusM
    ?? Math.max(...group.map((s) => defaultCoverageRadiusM({ frequencyMhz: s.frequency_mhz, eirpDbm: s.eirp_dbm, bandwidthMhz, antennaHeightM: s.height_m })))
  const bandwidthMhz = options.bandwidthMhz ?? 20
  const environmentMarginDb = options.environmentMarginDb ?? 0
  const thresholds = options.thresholds ?? COVERAGE_THRESHOLDS_DBM
  // Every sector that is or was on air gets its raster (villages are sampled from all of them, so
  // the indicators of any date are a join); the composites use those in service on the date.
  const onAir = await listSectorsOnAir(db, technology)
  const sectors = onAir.filter((s) => inServiceOn(s, onDate))
  const inService = new Set(sectors.map((s) => s.sector_id))
  const previous = options.full ? undefined : await findCurrentCoverageRun(db, technology)
  const kind: 'full' | 'incremental' = previous ? 'incremental' : 'full'
  const params: Record<string, unknown> = { technology, onDate, radiusM: options.radiusM ?? null, radiusRule: options.radiusM === undefined ? 'by band and EIRP, at most 35 km' : 'fixed', bandwidthMhz, environmentMarginDb, thresholds, modelVersion: FAST_MODEL_VERSION }
  const runId = await insertCoverageRun(db, { kind, model: 'fast', technology, params, requestedBy: options.actor })
  options.onRunStarted?.(runId)
  const phases = { plan: 0, sectors: 0, villages: 0, tiles: 0, promote: 0 }
  let phaseStarted = started
  const endPhase = (phase: keyof typeof phases) => {
    const now = performance.now()
    phases[phase] = (now - phaseStarted) / 1000
    phaseStarted = now
  }
  const report = (status: 'done' | 'cancelled', extra: Partial<RecomputeReport>): RecomputeReport => ({
    runId, status, kind, sectors: sectors.length, sites: groupBySweep(sectors).length, computedSectors: 0, builtTiles: 0, tiles: 0, fallbackSectors: 0, sampledVillages: 0,
    seconds: (performance.now() - started) / 1000, phases, ...extra,
  })
  try {
    const groups = groupBySweep(onAir)
    // The DEM over every site's disc; the global grid (origin 180° W, 90° N) aligned to its cells.
    const radii = new Map(groups.map((g) => [g, radiusOf(g)]))
    const area = onAir.length > 0 ? await dem.sampler(discsBbox(groups, radii)) : null
    const step = area && area.sampler.tiles.length > 0 ? Math.min(...area.sampler.tiles.map((t) => t.step)) : 1 / 3600
    const grid: RasterGrid = { west: -180, north: 90, stepLon: step, stepLat: step, cols: Math.round(360 / step), rows: Math.round(180 / step) }
    const tileCells = Math.max(1, Math.round(COMPOSITE_TILE_DEG / step))
    Object.assign(params, { step, dem: area?.coverage ? { real: area.coverage.real, synthetic: area.coverage.synthetic, sea: area.coverage.sea, missing: area.coverage.missing } : null })
    await db.updateTable('coverage_runs').set({ params: JSON.stringify(params) }).where('id', '=', runId).execute()

    // ---- 1. Plan: hash every sector, find what is stored ---------------------------------------
    const fingerprints = new Map((area?.sampler.tiles ?? []).map((t) => [t.name, demTileFingerprint(t)] as const))
    const planned: PlannedSector[] = []
    const withDem: PlannedSector[][] = []
    const withoutDem: CoverageSectorRow[] = []
    for (const g of groups) {
      if (!area || area.sampler.sample(g[0]!.lon, g[0]!.lat) === null) {
        withoutDem.push(...g.filter((s) => inService.has(s.sector_id)))
        continue
      }
      const radiusM = radii.get(g)!
      const window = windowAround(grid, g[0]!.lon, g[0]!.lat, radiusM)
      const fps = demFingerprintsUnder(window, area.sampler.tiles, fingerprints)
      const group = g.map((row) => ({ row, window, radiusM, hash: sectorInputHash(row, { radiusM, bandwidthMhz, environmentMarginDb, step }, fps) }))
      withDem.push(group)
      planned.push(...group)
    }
    const stored = options.full ? new Set<string>() : await findStoredSectorRasterHashes(db, planned.map((p) => p.hash))
    const jobs: SectorJob[] = []
    for (const group of withDem) {
      if (group.every((p) => stored.has(p.hash))) continue
      jobs.push({ index: jobs.length, radiusM: group[0]!.radiusM, window: group[0]!.window, sectors: group.map((p) => p.row) })
    }
    const hashOf = new Map(planned.map((p) => [p.row.sector_id, p.hash]))
    // The composites (the map) use the sectors in service on the date.
    const composite = planned.filter((p) => inService.has(p.row.sector_id))

    // Which tiles to build: all of them, or those an added, removed or changed sector touches.
    const compatible = previous !== undefined && sameInputs(previous.params, params)
    const tilesOfNew = tilesUnder(composite.map((p) => p.window), tileCells)
    let toBuild = tilesOfNew
    let touched = new Set<string>()
    if (compatible) {
      const before = await listRunSectors(db, previous.id)
      const key = (sectorId: number, operatorId: number, hash: string) => `${sectorId}|${operatorId}|${hash}`
      const beforeInComposite = before.filter((b) => b.in_composite)
      const nowKeys = new Set(composite.map((p) => key(p.row.sector_id, p.row.operator_id, p.hash)))
      const beforeKeys = new Set(beforeInComposite.map((b) => key(b.sector_id, b.operator_id, b.input_hash)))
      const changedWindows = [
        ...composite.filter((p) => !beforeKeys.has(key(p.row.sector_id, p.row.operator_id, p.hash))).map((p) => p.window),
        ...beforeInComposite.filter((b) => !nowKeys.has(key(b.sector_id, b.operator_id, b.input_hash))).map((b) => windowOfStored(b, grid)),
      ]
      touched = tilesUnder(changedWindows, tileCells)
      toBuild = new Set([...touched].filter((t) => tilesOfNew.has(t)))
    }
    const total = jobs.length + toBuild.size
    let done = 0
    const progress = async (force = false) => {
      options.onProgress?.({ done, total })
      if (force || done % 20 === 0) await updateCoverageRunProgress(db, runId, { totalJobs: total, doneJobs: done })
    }
    await progress(true)
    endPhase('plan')

    // ---- 2. Sector rasters (workers), stored as they arrive ---------------------------------------
    let computedSectors = 0
    if (jobs.length > 0) {
      const pool = createSectorRasterPool(
        { tiles: [...area!.sampler.tiles], bandwidthMhz, environmentMarginDb },
        Math.min(options.workers ?? defaultWorkerCount(), jobs.length),
      )
      let batch: StoredSectorRaster[] = []
      try {
        await pool.run(jobs, async (result) => {
          const window = jobs[result.index]!.window
          for (const r of result.rasters) {
            batch.push({
              input_hash: hashOf.get(r.sectorId)!, sector_id: r.sectorId, west: window.west, north: window.north,
              step_lon: window.stepLon, step_lat: window.stepLat, cols: window.cols, rows: window.rows, rsrp: r.encoded,
            })
          }
          computedSectors += result.rasters.length
          if (batch.length >= 24) {
            await insertSectorRasters(db, batch)
            batch = []
          }
          done++
          await progress()
        }, options.signal)
        if (batch.length > 0 && !options.signal?.aborted) await insertSectorRasters(db, batch)
      } finally {
        await pool.close()
      }
    }
    if (options.signal?.aborted) {
      await finishCoverageRun(db, runId, 'cancelled')
      return report('cancelled', { computedSectors, fallbackSectors: withoutDem.length })
    }
    await insertRunSectors(db, runId, planned.map((p) => ({ sector_id: p.row.sector_id, operator_id: p.row.operator_id, input_hash: p.hash, in_composite: inService.has(p.row.sector_id) })))
    endPhase('sectors')

    // ---- Villages: each one sampled from every raster whose window covers it (new pairs only) ---
    const cache = new DecodedRasterCache(db, options.rasterCacheBytes ?? 256 * 1024 * 1024)
    const sampledVillages = await sampleVillages(db, grid, tileCells, planned, cache, options.signal)
    if (!options.signal?.aborted) await insertVillageBest(db, runId, onDate)
    endPhase('villages')

    // ---- 3. Composite tiles, one at a time --------------------------------------------------------
    const sectorsOfTile = sectorsByTile(composite, tileCells)
    // Row by row, so the rasters of one row of tiles are still cached for the next.
    const order = [...toBuild].map(parseTile).sort((a, b) => a.ty - b.ty || a.tx - b.tx)
    let tiles: NewCoverageTile[] = []
    let polygons: NewCoveragePolygon[] = []
    let builtTiles = 0
    for (const { tx, ty, name } of order) {
      if (options.signal?.aborted) break
      const members = sectorsOfTile.get(name) ?? []
      await cache.load(members)
      const built = buildTile(runId, technology, grid, tileCells, tx, ty, name, members, cache, thresholds)
      tiles.push(...built.tiles)
      polygons.push(...built.polygons)
      builtTiles += built.tiles.length
      if (tiles.length >= 20) {
        await insertCoverageTiles(db, tiles)
        await insertCoveragePolygons(db, polygons)
        tiles = []
        polygons = []
      }
      done++
      await progress()
    }
    if (options.signal?.aborted) {
      await finishCoverageRun(db, runId, 'cancelled')
      return report('cancelled', { computedSectors, fallbackSectors: withoutDem.length })
    }
    const fallbackPolygons = withoutDem.flatMap((s) => radiusFallbackPolygons(runId, technology, s, bandwidthMhz, radiusOf([s])))
    endPhase('tiles')

    // ---- 4. Promote -----------------------------------------------------------------------------------
    // The map's stale areas: the rebuilt composite tiles (and those whose sectors went away) and the
    // radius-fallback polygons (not tiled; old and new); the whole layer when the run is not incremental.
    const rebuilt = [...new Set([...touched, ...toBuild])].map((name) => compositeTileBox(name, tileCells, grid))
    const fallbackBoxes = fallbackPolygons.map((p) => bbox(p.geometry) as [number, number, number, number])
    await db.transaction().execute(async (tx) => {
      const stale = compatible && previous !== undefined ? [...rebuilt, ...fallbackBoxes, ...(await untiledCoveragePolygonBoxes(tx, previous.id))] : [null]
      await insertTileInvalidations(tx, `coverage-${technology.toLowerCase()}`, stale)
      await insertCoverageTiles(tx, tiles)
      await insertCoveragePolygons(tx, [...polygons, ...fallbackPolygons])
      if (compatible) await copyCompositeTiles(tx, previous.id, runId, [...new Set([...touched, ...toBuild])])
      await updateCoverageRunProgress(tx, runId, { totalJobs: total, doneJobs: total })
      await promoteCoverageRun(tx, runId, technology)
      await finishCoverageRun(tx, runId, 'done')
      await pruneCoverageRuns(tx, technology, runId)
    })
    endPhase('promote')
    return report('done', { computedSectors, builtTiles, tiles: await countCoverageTiles(db, runId), fallbackSectors: withoutDem.length, sampledVillages })
  } catch (err) {
    await finishCoverageRun(db, runId, 'failed', err instanceof Error ? err.message : String(err))
    throw err
  }
}

/** Whether a previous run's tiles can be reused: same grid, channel, margin, thresholds and model. */
function sameInputs(previous: unknown, b: Record<string, unknown>): boolean {
  if (previous === null || typeof previous !== 'object') return false
  const a = previous as Record<string, unknown>
  return ['technology', 'radiusM', 'radiusRule', 'bandwidthMhz', 'environmentMarginDb', 'step', 'modelVersion', 'thresholds']
    .every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]))
}

/** A composite tile's WGS84 bounds [west, south, east, north] on the global grid. */
function compositeTileBox(name: string, tileCells: number, grid: RasterGrid): [number, number, number, number] {
  const { tx, ty } = parseTile(name)
  const west = grid.west + tx * tileCells * grid.stepLon
  const north = grid.north - ty * tileCells * grid.stepLat
  return [west, north - tileCells * grid.stepLat, west + tileCells * grid.stepLon, north]
}

function parseTile(name: string): { tx: number; ty: number; name: string } {
  const [tx, ty] = name.split('_').map(Number) as [number, number]
  return { tx, ty, name }
}

/** The sectors whose window overlaps each composite tile, by tile name. */
function sectorsByTile(sectors: readonly PlannedSector[], tileCells: number): Map<string, PlannedSector[]> {
  const byTile = new Map<string, PlannedSector[]>()
  for (const p of sectors) {
    for (const t of tilesUnder([p.window], tileCells)) {
      const list = byTile.get(t)
      if (list) list.push(p)
      else byTile.set(t, [p])
    }
  }
  return byTile
}

/** Names of the composite tiles the windows overlap. */
function tilesUnder(windows: ReadonlyArray<{ col0: number; row0: number; cols: number; rows: number }>, tileCells: number): Set<string> {
  const out = new Set<string>()
  for (const w of windows) {
    if (w.cols <= 0 || w.rows <= 0) continue
    for (let ty = Math.floor(w.row0 / tileCells); ty <= Math.floor((w.row0 + w.rows - 1) / tileCells); ty++) {
      for (let tx = Math.floor(w.col0 / tileCells); tx <= Math.floor((w.col0 + w.cols - 1) / tileCells); tx++) out.add(`${tx}_${ty}`)
    }
  }
  return out
}

/** A stored raster's window on the global grid. */
function windowOfStored(s: { west: number; north: number; cols: number; rows: number }, grid: RasterGrid): { col0: number; row0: number; cols: number; rows: number } {
  return { col0: Math.round((s.west - grid.west) / grid.stepLon), row0: Math.round((grid.north - s.north) / grid.stepLat), cols: s.cols, rows: s.rows }
}

/** Fingerprints of the DEM tiles a window overlaps, in name order. */
function demFingerprintsUnder(window: RasterGrid, tiles: ReadonlyArray<{ name: string; west: number; north: number; step: number; cols: number; rows: number }>, fingerprints: Map<string, string>): string[] {
  const east = window.west + window.cols * window.stepLon
  const south = window.north - window.rows * window.stepLat
  return tiles
    .filter((t) => t.west <= east && t.west + (t.cols - 1) * t.step >= window.west && t.north >= south && t.north - (t.rows - 1) * t.step <= window.north)
    .map((t) => `${t.name}:${fingerprints.get(t.name)}`)
    .sort()
}

/**
 * Samples every village point from every sector raster whose window covers it, except the pairs
 * already stored for the same point: the sector's RSRP in the cell that holds the village (the
 * same cell, and so the same value, as the composite tile there). Returns the pairs sampled.
 */
async function sampleVillages(db: Db, grid: RasterGrid, tileCells: number, planned: readonly PlannedSector[], cache: DecodedRasterCache, signal?: AbortSignal): Promise<number> {
  const villages = await listVillagePoints(db)
  if (villages.length === 0 || planned.length === 0) return 0
  const stored = await findVillageSignalKeys(db, [...new Set(planned.map((p) => p.hash))])
  const byTile = sectorsByTile(planned, tileCells)
  // Pairs to sample, grouped by raster.
  const wanted = new Map<string, { p: PlannedSector; cells: Array<{ villageId: number; lon: number; lat: number; index: number }> }>()
  for (const v of villages) {
    const col = Math.floor((v.lon - grid.west) / grid.stepLon)
    const row = Math.floor((grid.north - v.lat) / grid.stepLat)
    for (const p of byTile.get(`${Math.floor(col / tileCells)}_${Math.floor(row / tileCells)}`) ?? []) {
      const w = p.window
      if (col < w.col0 || row < w.row0 || col >= w.col0 + w.cols || row >= w.row0 + w.rows) continue
      const before = stored.get(`${v.id}|${p.hash}`)
      if (before && before.lon === v.lon && before.lat === v.lat) continue
      let entry = wanted.get(p.hash)
      if (!entry) {
        entry = { p, cells: [] }
        wanted.set(p.hash, entry)
      }
      entry.cells.push({ villageId: v.id, lon: v.lon, lat: v.lat, index: (row - w.row0) * w.cols + (col - w.col0) })
    }
  }
  // North to south, so rasters near each other are decoded while the cache still holds them.
  const order = [...wanted.values()].sort((a, b) => a.p.window.row0 - b.p.window.row0 || a.p.window.col0 - b.p.window.col0)
  let rows: VillageSignalRow[] = []
  let sampled = 0
  for (let i = 0; i < order.length; i += 16) {
    if (signal?.aborted) return sampled
    const batch = order.slice(i, i + 16)
    await cache.load(batch.map((e) => e.p))
    for (const { p, cells } of batch) {
      const codes = cache.get(p.hash)
      for (const c of cells) {
        const code = codes[c.index]!
        rows.push({ village_id: c.villageId, input_hash: p.hash, lon: c.lon, lat: c.lat, rsrp_dbm: code === HALF_DB_NONE ? null : halfDbCodeToDecidbm(code) / 10 })
      }
      sampled += cells.length
    }
    if (rows.length >= 4000) {
      await upsertVillageSignal(db, rows)
      rows = []
    }
  }
  await upsertVillageSignal(db, rows)
  return sampled
}

/** Decoded sector rasters (one code byte per cell) by hash, least recently used dropped beyond a byte limit. */
class DecodedRasterCache {
  private readonly entries = new Map<string, Uint8Array>()
  private bytes = 0
  constructor(private readonly db: Db, private readonly maxBytes: number) {}

  /** Makes the rasters of these sectors available (decoding those not held), then trims the cache. */
  async load(members: readonly PlannedSector[]): Promise<void> {
    const hashes = [...new Set(members.map((p) => p.hash))]
    const missing = hashes.filter((h) => !this.entries.has(h))
    for (const h of hashes) this.touch(h)
    if (missing.length === 0) return
    const cellsOf = new Map(members.map((p) => [p.hash, p.window.cols * p.window.rows]))
    for (const r of await fetchSectorRasters(this.db, missing)) {
      const codes = decodeSectorRaster(r.rsrp, cellsOf.get(r.input_hash) ?? r.cols * r.rows)
      this.entries.set(r.input_hash, codes)
      this.bytes += codes.byteLength
    }
    // Evict the least recently used, never the ones this tile needs.
    const needed = new Set(hashes)
    for (const [h, codes] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      if (needed.has(h)) continue
      this.entries.delete(h)
      this.bytes -= codes.byteLength
    }
  }

  get(hash: string): Uint8Array {
    const codes = this.entries.get(hash)
    if (!codes) throw new Error(`sector raster ${hash} is not stored`)
    return codes
  }

  private touch(hash: string): void {
    const codes = this.entries.get(hash)
    if (codes) {
      this.entries.delete(hash)
      this.entries.set(hash, codes)
    }
  }
}

/** One composite tile per operator present and for any operator, with its class polygons. */
function buildTile(
  runId: number, technology: Technology, grid: RasterGrid, tileCells: number, tx: number, ty: number, name: string,
  members: readonly PlannedSector[], cache: DecodedRasterCache, thresholds: CoverageThresholds,
): { tiles: NewCoverageTile[]; polygons: NewCoveragePolygon[] } {
  const n = tileCells * tileCells
  const byKey = new Map<number | null, { best: Uint8Array; server: Int32Array }>()
  const layer = (key: number | null) => {
    let l = byKey.get(key)
    if (!l) {
      l = { best: new Uint8Array(n), server: new Int32Array(n) }
      byKey.set(key, l)
    }
    return l
  }
  const tileCol0 = tx * tileCells
  const tileRow0 = ty * tileCells
  for (const p of members) {
    const codes = cache.get(p.hash)
    const w = p.window
    const c0 = Math.max(tileCol0, w.col0)
    const c1 = Math.min(tileCol0 + tileCells, w.col0 + w.cols)
    const r0 = Math.max(tileRow0, w.row0)
    const r1 = Math.min(tileRow0 + tileCells, w.row0 + w.rows)
    if (c0 >= c1 || r0 >= r1) continue
    const own = layer(p.row.operator_id)
    const any = layer(null)
    const id = p.row.sector_id
    for (let r = r0; r < r1; r++) {
      const src = (r - w.row0) * w.cols - w.col0
      const dst = (r - tileRow0) * tileCells - tileCol0
      for (let c = c0; c < c1; c++) {
        const code = codes[src + c]!
        if (code === 0) continue
        const i = dst + c
        if (code > own.best[i]!) {
          own.best[i] = code
          own.server[i] = id
        }
        if (code > any.best[i]!) {
          any.best[i] = code
          any.server[i] = id
        }
      }
    }
  }
  const tileGrid: RasterGrid = {
    west: grid.west + tileCol0 * grid.stepLon, north: grid.north - tileRow0 * grid.stepLat,
    stepLon: grid.stepLon, stepLat: grid.stepLat, cols: tileCells, rows: tileCells,
  }
  const tiles: NewCoverageTile[] = []
  const polygons: NewCoveragePolygon[] = []
  for (const [operatorId, l] of byKey) {
    const decidbm = new Int16Array(n)
    const rsrp = new Float32Array(n)
    let any = false
    for (let i = 0; i < n; i++) {
      const code = l.best[i]!
      decidbm[i] = halfDbCodeToDecidbm(code)
      rsrp[i] = code === 0 ? Number.NaN : decidbm[i]! / 10
      if (code !== 0) any = true
    }
    if (!any) continue
    const encoded = encodeCompositeTile(decidbm, l.server)
    tiles.push({ runId, operatorId, technology, tile: name, ...tileGrid, bestRsrpDecidbm: encoded.best, servingSectorIds: encoded.server, codec: 'deflate' })
    // Class polygons of the tile (cell-exact, simplified by half a cell; classes still tile the area).
    const byClass = rasterToClassPolygons(tileGrid, classRaster(rsrp, thresholds), { simplifyToleranceDeg: grid.stepLon / 2 })
    for (const className of ['good', 'weak', 'none'] as const) {
      polygons.push({ runId, operatorId, technology, className, model: 'fast', tile: name, geometry: byClass[className] })
    }
  }
  return { tiles, polygons }
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
      out.push({ runId, operatorId, technology, className, model: 'radius', tile: null, geometry: multi })
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

function discsBbox(groups: readonly CoverageSectorRow[][], radii: Map<CoverageSectorRow[], number>): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const g of groups) {
    const x = g[0]!
    const radiusM = radii.get(g)!
    const m = metresPerDegree(x.lat)
    w = Math.min(w, x.lon - radiusM / m.lon)
    e = Math.max(e, x.lon + radiusM / m.lon)
    s = Math.min(s, x.lat - radiusM / m.lat)
    n = Math.max(n, x.lat + radiusM / m.lat)
  }
  return [w, s, e, n]
}
