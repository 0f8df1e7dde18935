import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../../server/db/database.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { createDemTile, SRTM_VOID } from '../../server/geo/dem/dem-tile.ts'
import { encodeHgt } from '../../server/geo/dem/encode-hgt.ts'
import { polygonAreaKm2 } from '../../server/geo/ellipsoidal-area.ts'
import { decodeCompositeTile, NO_RSRP } from '../../server/services/coverage/raster-codec.ts'
import type { WhatIfWindow } from '../../server/services/planning/what-if.service.ts'
import { villagePredictions } from '../../server/services/village-coverage/village-predictions.service.ts'
import { importText } from './coverage-fixtures.ts'
import { resetData } from './engines.ts'
import { createWorld } from './world.ts'

/*
 * The ridge world of the what-if and plan-evaluation tests: two 3″ DEM tiles (N21E103, N21E104) of
 * flat ground at 200 m with a 1,300 m ridge running north–south along lon 103.92 and a 150 m hill
 * west of it; two weak existing sites east of the ridge (A of viettel, B of vnpt); villages on rings
 * around chosen points. With test/helpers/world.ts's communes 04001 (lon 103.9–104.0) and 04002
 * (104.0–104.1), lat 21.3–21.4. Also how to read a current run back (composite tiles, village
 * classes, class polygon areas) and the differences of two runs a what-if must equal.
 */

export const RIDGE_LON = 103.92
export const HILL = { lon: 103.9, lat: 21.35 }
export const RUN = { actor: 'test', radiusM: 2500, onDate: '2025-01-01', full: true, workers: 0 } as const

export function terrainHeight(lon: number, lat: number): number {
  const m = metresPerDegree(lat)
  const ridge = 1300 * Math.exp(-(((lon - RIDGE_LON) / 0.003) ** 2))
  const d2 = ((lon - HILL.lon) * m.lon) ** 2 + ((lat - HILL.lat) * m.lat) ** 2
  const hill = 150 * Math.exp(-d2 / (2 * 300 ** 2))
  return 200 + ridge + hill
}

/** Writes the ridge world's DEM tiles (N21E103 and N21E104, 3″) into an empty `demDir`. */
export function writeRidgeDem(demDir: string): void {
  rmSync(demDir, { recursive: true, force: true })
  mkdirSync(demDir, { recursive: true })
  const side = 1201
  for (const west of [103, 104]) {
    const heights = new Int16Array(side * side)
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) heights[r * side + c] = Math.round(terrainHeight(west + c / 1200, 22 - r / 1200))
    }
    const name = `N21E${west}`
    const tile = createDemTile({ name, west, north: 22, step: 1 / 1200, cols: side, rows: side, heights, voidValue: SRTM_VOID })
    writeFileSync(path.join(demDir, `${name}.hgt`), encodeHgt(tile))
  }
}

export const RIDGE_SITES = 'code,operator,lon,lat,commissioned\nA,viettel,103.95,21.35,2019-01-01\nB,vnpt,103.975,21.35,2019-01-01\n'
export const RIDGE_SECTORS = 'site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\nA,viettel,4G,1800,,360,30,20,0\nB,vnpt,4G,1800,,360,30,20,0\n'

/** Empties the database and loads world.ts's communes and the ridge world's sites and sectors (CSV files written in `dir`, named for the engine). */
export async function seedRidgeWorld(db: Db, dir: string, engine: string): Promise<void> {
  await resetData(db)
  await createWorld(db)
  await importText(db, 'sites', dir, `${engine}-sites.csv`, RIDGE_SITES)
  await importText(db, 'sectors', dir, `${engine}-sectors.csv`, RIDGE_SECTORS)
}

/**
 * Villages on rings around a point (every 45°, at 0.3, 0.9, 1.6 and 2.3 km), population 100 + 10·i,
 * in the commune of world.ts their point falls in (04001 west of lon 104, else 04002).
 */
export function villageCsv(prefix: string, lon: number, lat: number): string {
  const m = metresPerDegree(lat)
  const lines = ['code,name,commune code,lon,lat,population']
  let i = 0
  for (const km of [0.3, 0.9, 1.6, 2.3]) {
    for (let k = 0; k < 8; k++) {
      const a = (k * Math.PI) / 4 + km
      const vLon = lon + (km * 1000 * Math.sin(a)) / m.lon
      const vLat = lat + (km * 1000 * Math.cos(a)) / m.lat
      lines.push(`${prefix}${i},Bản ${prefix}${i},${vLon < 104 ? '04001' : '04002'},${vLon.toFixed(6)},${vLat.toFixed(6)},${100 + 10 * i}`)
      i++
    }
  }
  return `${lines.join('\n')}\n`
}

/** One CSV of two village rings: W near site A (commune 04001) and X far east (commune 04002), where no site reaches. */
export function twoCommuneVillageCsv(): string {
  return villageCsv('W', 103.958, 21.352) + villageCsv('X', 104.03, 21.37).split('\n').slice(1).join('\n')
}

export type Key = number | 'any'
export interface CoverageState {
  /** Decoded composite tiles by `${operator id | 'any'}|${tile}`. */
  tiles: Map<string, { west: number; north: number; cols: number; rows: number; stepLon: number; stepLat: number; best: Int16Array }>
  /** Village classes by `${village id}|${operator id | 'any'}`. */
  villages: Map<string, { className: string; rsrpDbm: number }>
  /** Sum of the class polygons' area_km2 by `${operator id | 'any'}|${class}`. */
  polygonAreas: Map<string, number>
}

/** The current 4G run as stored: composite tiles, village predictions on RUN.onDate, class polygon areas. */
export async function readState(db: Db): Promise<CoverageState> {
  const tiles: CoverageState['tiles'] = new Map()
  const rows = await sql<{ operator_id: number | null; tile: string; west: number; north: number; step_lon: number; step_lat: number; cols: number; rows: number; codec: 'raw' | 'deflate'; best_rsrp_decidbm: Uint8Array; serving_sector_ids: Uint8Array }>`
    SELECT t.operator_id, t.tile, t.west, t.north, t.step_lon, t.step_lat, t.cols, t.rows, t.codec, t.best_rsrp_decidbm, t.serving_sector_ids
    FROM coverage_tiles t JOIN coverage_runs r ON r.id = t.run_id WHERE r.is_current AND r.technology = '4G'`.execute(db)
  for (const t of rows.rows) {
    const d = decodeCompositeTile(t.codec, t.best_rsrp_decidbm, t.serving_sector_ids, t.cols * t.rows)
    tiles.set(`${t.operator_id ?? 'any'}|${t.tile}`, { west: t.west, north: t.north, cols: t.cols, rows: t.rows, stepLon: t.step_lon, stepLat: t.step_lat, best: d.best })
  }
  const villages: CoverageState['villages'] = new Map()
  for (const p of (await villagePredictions(db, { onDate: RUN.onDate })).predictions) {
    villages.set(`${p.villageId}|${p.operatorId ?? 'any'}`, { className: p.className, rsrpDbm: p.rsrpDbm })
  }
  const polygons = await sql<{ key: string; area: number }>`
    SELECT coalesce(p.operator_id::text, 'any') || '|' || p.class AS key, sum(p.area_km2) AS area
    FROM coverage_polygons p JOIN coverage_runs r ON r.id = p.run_id WHERE r.is_current AND r.technology = '4G' GROUP BY 1`.execute(db)
  return { tiles, villages, polygonAreas: new Map(polygons.rows.map((r) => [r.key, Number(r.area)])) }
}

export const CLASSES = ['none', 'weak', 'good'] as const
/** The class of a composite cell as the recompute's class polygons have it (float4 dBm), or null for no prediction. */
export function cellClass(deci: number): 'none' | 'weak' | 'good' | null {
  if (deci === NO_RSRP) return null
  const v = Math.fround(deci / 10)
  return v >= -100 ? 'good' : v >= -115 ? 'weak' : 'none'
}

/**
 * Inside the what-if's windows, from the two runs' composite tiles: class areas before and after,
 * area by transition, and the dead zone inside some site's disc (as the site sweep draws it).
 */
export function areaDiff(before: CoverageState, after: CoverageState, key: Key, windows: readonly WhatIfWindow[], sites: ReadonlyArray<{ lon: number; lat: number }>, radiusM: number) {
  const out = {
    before: { good: 0, weak: 0, none: 0 }, after: { good: 0, weak: 0, none: 0 },
    transitions: { noneToWeak: 0, noneToGood: 0, weakToGood: 0 }, deadZoneKm2: { before: 0, after: 0 },
  }
  for (const w of windows) {
    const step = w.stepDeg
    const col0 = Math.round((w.west + 180) / step)
    const row0 = Math.round((90 - w.north) / step)
    const classAt = (state: CoverageState, col: number, row: number) => {
      const tileCells = Math.round(0.1 / step)
      const tile = state.tiles.get(`${key}|${Math.floor(col / tileCells)}_${Math.floor(row / tileCells)}`)
      if (!tile) return null
      const tc0 = Math.round((tile.west + 180) / step)
      const tr0 = Math.round((90 - tile.north) / step)
      return cellClass(tile.best[(row - tr0) * tile.cols + (col - tc0)]!)
    }
    // The sites whose disc reaches into this window (their cell offsets measured from its corner).
    const discs = sites.map((s) => ({ sx: (s.lon - w.west) / step, sy: (w.north - s.lat) / step, m: metresPerDegree(s.lat) }))
    for (let r = 0; r < w.rows; r++) {
      const n = w.north - r * step
      const s = w.north - (r + 1) * step
      const a = polygonAreaKm2([[[0, s], [step, s], [step, n], [0, n], [0, s]]])
      for (let c = 0; c < w.cols; c++) {
        const b = classAt(before, col0 + c, row0 + r)
        const f = classAt(after, col0 + c, row0 + r)
        if (b) out.before[b] += a
        if (f) out.after[f] += a
        const from = b ?? 'none'
        const to = f ?? 'none'
        if (from === 'none' && to === 'weak') out.transitions.noneToWeak += a
        if (from === 'none' && to === 'good') out.transitions.noneToGood += a
        if (from === 'weak' && to === 'good') out.transitions.weakToGood += a
        const inDisc = discs.some(({ sx, sy, m }) => {
          const x = (c + 0.5 - sx) * m.lon * step
          const y = (r + 0.5 - sy) * m.lat * step
          return x * x + y * y <= radiusM ** 2
        })
        if (inDisc) {
          if (from === 'none') out.deadZoneKm2.before += a
          if (to === 'none') out.deadZoneKm2.after += a
        }
      }
    }
  }
  return out
}

/** Villages changing class between the two runs' predictions. */
export function villageDiff(before: CoverageState, after: CoverageState, key: Key, population: Map<number, number>) {
  const changes: Array<{ id: number; before: string; after: string }> = []
  const counts = { noneToWeak: 0, noneToGood: 0, weakToGood: 0 }
  const pop = { noneToWeak: 0, noneToGood: 0, weakToGood: 0 }
  for (const [id, p] of population) {
    const from = before.villages.get(`${id}|${key}`)?.className ?? 'none'
    const to = after.villages.get(`${id}|${key}`)?.className ?? 'none'
    if (from === to) continue
    changes.push({ id, before: from, after: to })
    const k = to === 'good' ? (from === 'weak' ? 'weakToGood' : 'noneToGood') : 'noneToWeak'
    counts[k]++
    pop[k] += p
  }
  return { changes: changes.sort((a, b) => a.id - b.id), counts, population: pop }
}
