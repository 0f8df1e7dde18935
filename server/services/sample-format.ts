import type { LineStatus, SiteStatus, Technology } from '../db/database.ts'

/**
 * The property shapes of the bundled sample files (data/son-la/*.geojson and
 * data/son-la/synthetic/*.geojson): what sample-data.service.ts reads and
 * scripts/generate-sample.ts writes (scripts/sample/format-contract.ts
 * makes the compiler check the generator against these).
 */
export interface ProvinceProps { code: string; name: string; type: string; population: number | null; area_km2: number | null }
export interface CommuneProps {
  code: string; name: string; type: string; province_code: string; population: number | null; area_km2: number | null
  historical_district_code: string | null; historical_district_name: string | null; attributes?: Record<string, unknown>
}
export interface VillageProps {
  code: string; name: string; commune_code: string; population: number | null; households: number | null
  has_grid_power: boolean | null; synthetic?: boolean; attributes?: Record<string, unknown>
}
export interface SectorProps {
  technology: Technology; frequency_mhz: number; azimuth_deg: number | null; beamwidth_deg: number
  electrical_tilt_deg: number; mechanical_tilt_deg: number; height_m: number; eirp_dbm: number; gain_dbi: number
}
export interface SiteProps {
  code: string; name: string | null; operator_code: string; status: SiteStatus; ground_elevation_m: number | null
  commissioned_on: string | null; decommissioned_on: string | null; synthetic?: boolean; sectors?: SectorProps[]
}
export interface FibreProps { code: string; owner_code: string | null; owner_name?: string | null; status: LineStatus; synthetic?: boolean }
export interface PowerLineProps { code: string; owner: string; voltage_kv: number | null; status: LineStatus; synthetic?: boolean }

