import { sql } from 'kysely'
import { migrations } from '../../migrations/index.ts'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../server/db/connect.ts'
import { migrateToLatest } from '../../server/db/migrate.ts'
import { enginesUnderTest, resetData, sharedDatabase } from '../helpers/engines.ts'
import { createWorld } from '../helpers/world.ts'

const GEOMETRY_COLUMNS = [
  ['provinces', 'geom', 'MULTIPOLYGON'], ['communes', 'geom', 'MULTIPOLYGON'], ['villages', 'geom', 'POINT'],
  ['villages', 'area_geom', 'MULTIPOLYGON'], ['sites', 'geom', 'POINT'], ['fibre_routes', 'geom', 'MULTILINESTRING'],
  ['power_lines', 'geom', 'MULTILINESTRING'], ['measurements', 'geom', 'POINT'],
] as const

const LATEST_MIGRATION = Object.keys(migrations).at(-1)

describe.each(enginesUnderTest())('schema v1 on the %s engine', (engine) => {
  let h: DatabaseHandle
  beforeAll(async () => {
    h = await sharedDatabase(engine)
  })
  afterEach(async () => resetData(h.db))

  it('applies nothing when already at the latest migration', async () => {
    const report = await migrateToLatest(h.db)
    expect(report.applied).toEqual([])
    expect(report.latest).toBe(LATEST_MIGRATION)
  })

  it('stores every geometry in SRID 4326 with the declared type and a GiST index', async () => {
    const { rows } = await sql<{ f_table_name: string; f_geometry_column: string; srid: number; type: string }>`
      SELECT f_table_name, f_geometry_column, srid, type FROM geometry_columns
      WHERE f_table_schema = current_schema()`.execute(h.db)
    for (const [table, column, type] of GEOMETRY_COLUMNS) {
      expect(rows).toContainEqual({ f_table_name: table, f_geometry_column: column, srid: 4326, type })
    }
    const { rows: indexes } = await sql<{ indexdef: string }>`
      SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE '%USING gist%'`.execute(h.db)
    for (const [table, column] of GEOMETRY_COLUMNS) {
      const pattern = new RegExp(`ON (\\S+\\.)?${table} USING gist \\(${column}\\)`)
      expect(indexes.some((i) => pattern.test(i.indexdef)), `GiST index on ${table}.${column}`).toBe(true)
    }
  })

  it('has the operators of MCC 452 as reference data', async () => {
    const { rows } = await sql<{ code: string; mnc: number }>`SELECT code, mnc FROM operators ORDER BY mnc`.execute(h.db)
    expect(rows.map((r) => r.code)).toEqual(expect.arrayContaining(['mobifone', 'vnpt', 'viettel']))
    expect(rows.find((r) => r.code === 'viettel')?.mnc).toBe(4)
  })

  it('rejects an invalid (self-intersecting) polygon with a check constraint', async () => {
    const world = await createWorld(h.db)
    const bowtie = 'MULTIPOLYGON(((103.9 21.3,104.0 21.4,104.0 21.3,103.9 21.4,103.9 21.3)))'
    await expect(sql`INSERT INTO communes (code, name, name_search, province_id, geom)
      VALUES ('04999', 'X', 'x', ${world.provinceId}, ST_GeomFromText(${bowtie}, 4326))`.execute(h.db))
      .rejects.toMatchObject({ code: '23514' })
  })

  it('rejects coordinates outside Vietnam, including swapped lat/lon', async () => {
    const world = await createWorld(h.db)
    await expect(sql`INSERT INTO villages (code, name, name_search, commune_id, geom)
      VALUES ('V-SWAP', 'Bản A', 'ban a', ${world.communeA.id}, ST_SetSRID(ST_MakePoint(21.3, 103.9), 4326))`.execute(h.db))
      .rejects.toMatchObject({ code: '23514' })
    await expect(sql`INSERT INTO villages (code, name, name_search, commune_id, geom)
      VALUES ('V-PARIS', 'Paris', 'paris', ${world.communeA.id}, ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326))`.execute(h.db))
      .rejects.toMatchObject({ code: '23514' })
  })

  it('rejects a geometry of the wrong type or SRID', async () => {
    const world = await createWorld(h.db)
    await expect(sql`INSERT INTO villages (code, name, name_search, commune_id, geom)
      VALUES ('V-LINE', 'Bản B', 'ban b', ${world.communeA.id}, ST_GeomFromText('LINESTRING(103.9 21.3, 103.95 21.35)', 4326))`.execute(h.db))
      .rejects.toThrow(/geometry type|Geometry type/i)
    await expect(sql`INSERT INTO villages (code, name, name_search, commune_id, geom)
      VALUES ('V-3405', 'Bản C', 'ban c', ${world.communeA.id}, ST_SetSRID(ST_MakePoint(103.9, 21.3), 3405))`.execute(h.db))
      .rejects.toThrow(/SRID/i)
  })

  it('rejects values outside their enum or range', async () => {
    const world = await createWorld(h.db)
    const site = await sql<{ id: number }>`INSERT INTO sites (operator_id, code, geom)
      SELECT id, 'S1', ST_SetSRID(ST_MakePoint(103.95, 21.35), 4326) FROM operators WHERE code = 'viettel' RETURNING id`.execute(h.db)
    const siteId = site.rows[0]!.id
    expect(world.communeA.id).toBeGreaterThan(0)
    await expect(sql`INSERT INTO sites (operator_id, code, status, geom)
      SELECT id, 'S2', 'active', ST_SetSRID(ST_MakePoint(103.95, 21.35), 4326) FROM operators WHERE code = 'viettel'`.execute(h.db))
      .rejects.toMatchObject({ code: '22P02' })
    await expect(sql`INSERT INTO sectors (site_id, technology, frequency_mhz, azimuth_deg, height_m, eirp_dbm)
      VALUES (${siteId}, '4G', 1800, 360, 30, 60)`.execute(h.db)).rejects.toMatchObject({ code: '23514' })
    await expect(sql`INSERT INTO sectors (site_id, technology, frequency_mhz, azimuth_deg, height_m, eirp_dbm)
      VALUES (${siteId}, '6G', 1800, 10, 30, 60)`.execute(h.db)).rejects.toMatchObject({ code: '22P02' })
    await expect(sql`UPDATE sites SET commissioned_on = '2020-01-01', decommissioned_on = '2019-01-01' WHERE id = ${siteId}`.execute(h.db))
      .rejects.toMatchObject({ code: '23514' })
  })
})
