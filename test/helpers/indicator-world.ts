import path from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../../server/db/database.ts'
import { metresPerDegree } from '../../server/geo/coverage/raster-grid.ts'
import { recomputeCoverage } from '../../server/services/coverage/recompute-coverage.service.ts'
import type { DemStore } from '../../server/services/dem/dem-store.ts'
import { importText, planeDemStore } from './coverage-fixtures.ts'
import { createWorld } from './world.ts'

/**
 * A hand-built world where every class is known by construction, for the indicator tests. The DEM
 * is a tilted plane (every path in sight), the antennas omni at 30 m, 1800 MHz, EIRP 30 dBm over
 * 20 MHz: RSRP ≈ 30 − 10·log10(1200) − FSPL = −98.4 − 20·log10(d km) dBm, less ≤ 1 dB of antenna
 * and Fresnel-zone loss. So 500 m → ≈ −93 (good), 2 km → ≈ −105 (weak), 8 km → ≈ −117 (none),
 * and beyond the 9 km radius nothing is predicted (unknown).
 *
 * Commune A 04001 (103.9–104.0 E, 21.3–21.4 N): site S1 (viettel, since 2019) near its south-west
 * corner, villages A1 (500 m, 100 people), A2 (2 km, 200), A3 (8 km NE, 300, no grid power),
 * A4 (9.7 km N, beyond the radius, 400). A fibre route crosses commune A.
 * Commune B 04002 (104.0–104.1 E): site S2 (vnpt, from 2024-06-01), villages B1 (500 m, 50) and
 * B2 (2 km, 50), grid power unknown.
 * Coverage: a full recompute on 2026-01-01 at 9 km.
 */
const m = metresPerDegree(21.3)
export const east = (lon: number, km: number) => lon + km / (m.lon / 1000)
export const north = (lat: number, km: number) => lat + km / (m.lat / 1000)
export const S1 = { lon: 103.91, lat: 21.31 }
export const S2 = { lon: 104.05, lat: 21.35 }

export interface IndicatorWorld {
  dem: DemStore
  communeA: number
  communeB: number
  /** Village ids by code. */
  ids: Record<string, number>
}

/** Builds the world in an emptied database; DEM and import files go under `dir`. */
export async function buildIndicatorWorld(db: Db, dir: string, before?: () => Promise<void>): Promise<IndicatorWorld> {
  const world = await createWorld(db)
  await before?.()
  const dem = await planeDemStore(path.join(dir, 'dem'), ['N21E103', 'N21E104'])
  await importText(db, 'sites', dir, 'sites.csv', `code,operator,lon,lat,commissioned\nS1,viettel,${S1.lon},${S1.lat},2019-01-01\nS2,vnpt,${S2.lon},${S2.lat},2024-06-01\n`)
  await importText(db, 'sectors', dir, 'sectors.csv', 'site code,operator,technology,frequency,azimuth,beamwidth,height,eirp,gain\nS1,viettel,4G,1800,,360,30,30,0\nS2,vnpt,4G,1800,,360,30,30,0\n')
  const d45 = 8 / Math.SQRT2
  const villages = [
    ['A1', '04001', east(S1.lon, 0.5), S1.lat, 100, 'true'],
    ['A2', '04001', east(S1.lon, 2), S1.lat, 200, 'true'],
    ['A3', '04001', east(S1.lon, d45), north(S1.lat, d45), 300, 'false'],
    ['A4', '04001', east(S1.lon, 0.5), north(S1.lat, 9.7), 400, 'true'],
    ['B1', '04002', east(S2.lon, 0.5), S2.lat, 50, ''],
    ['B2', '04002', east(S2.lon, 2), S2.lat, 50, ''],
  ]
  await importText(db, 'villages', dir, 'villages.csv', `code,name,commune code,lon,lat,population,grid power\n${villages.map((v) => `${v[0]},Bản ${v[0]},${v[1]},${v[2]},${v[3]},${v[4]},${v[5]}`).join('\n')}\n`)
  await importText(db, 'fibre', dir, 'fibre.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'F1', owner: 'viettel' }, geometry: { type: 'LineString', coordinates: [[103.85, 21.33], [103.95, 21.33]] } }] }))
  const ids = Object.fromEntries((await sql<{ code: string; id: number }>`SELECT code, id FROM villages`.execute(db)).rows.map((r) => [r.code, r.id]))
  const run = await recomputeCoverage(db, dem, { actor: 'test', radiusM: 9000, onDate: '2026-01-01', full: true })
  if (run.status !== 'done') throw new Error(`the world's recompute ended ${run.status}`)
  return { dem, communeA: world.communeA.id, communeB: world.communeB.id, ids }
}
