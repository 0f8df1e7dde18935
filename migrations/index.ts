import type { Migration } from 'kysely/migration'
import * as m0001 from './0001_initial_schema.ts'
import * as m0002 from './0002_import_keys.ts'
import * as m0003 from './0003_coverage.ts'
import * as m0004 from './0004_sector_rasters.ts'
import * as m0005 from './0005_village_signal.ts'
import * as m0006 from './0006_calibration.ts'
import * as m0007 from './0007_village_best.ts'
import * as m0008 from './0008_tile_invalidations.ts'
import * as m0009 from './0009_plans.ts'

/**
 * Every migration, by name, in order. Listed statically (not discovered on
 * disk) so the same list works under tsx, vitest and a bundler; a test
 * checks that every file in this folder is listed here.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial_schema': m0001,
  '0002_import_keys': m0002,
  '0003_coverage': m0003,
  '0004_sector_rasters': m0004,
  '0005_village_signal': m0005,
  '0006_calibration': m0006,
  '0007_village_best': m0007,
  '0008_tile_invalidations': m0008,
  '0009_plans': m0009,
}
