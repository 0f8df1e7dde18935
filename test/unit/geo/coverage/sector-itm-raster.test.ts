import { describe, expect, it } from 'vitest'
import { SITE, siteGrid as grid } from '../../../helpers/site-grid.ts'
import { sampleIndexPerCell } from '../../../../server/geo/coverage/radial-sweep.ts'
import { metresPerDegree, type RasterGrid } from '../../../../server/geo/coverage/raster-grid.ts'
import { sectorItmRaster, type SectorItmParameters } from '../../../../server/geo/coverage/sector-itm-raster.ts'
import type { SectorRadio } from '../../../../server/geo/coverage/sector-rsrp-raster.ts'
import { itmPointToPoint } from '../../../../server/geo/propagation/itm/itm-point-to-point.ts'

const m = metresPerDegree(SITE.lat)
function cellAt(g: RasterGrid, bearingDeg: number, metres: number): number {
  const b = (bearingDeg * Math.PI) / 180
  const lon = SITE.lon + (Math.sin(b) * metres) / m.lon
  const lat = SITE.lat + (Math.cos(b) * metres) / m.lat
  return Math.floor((g.north - lat) / g.stepLat) * g.cols + Math.floor((lon - g.west) / g.stepLon)
}

const omni: SectorRadio = { antenna: { gainDbi: 0, azimuthDeg: 0, horizontalBeamwidthDeg: 360, verticalBeamwidthDeg: null }, heightM: 30, frequencyMhz: 1800, eirpDbm: 60, bandwidthMhz: 20 }
const itm: SectorItmParameters = { climate: 2, n0: 301, polarization: 1, epsilon: 15, sigma: 0.005, mdvar: 12, timePct: 50, locationPct: 50, situationPct: 50 }
/** EIRP per resource element of a 20 MHz channel: 60 − 10·log10(12·100) dBm. */
const EIRP_PER_RE = 60 - 10 * Math.log10(1200)

describe('sectorItmRaster (ITM along the radials)', () => {
  it('gives each cell the ITM loss of its sample over the radial prefix (flat ground)', () => {
    const g = grid(3000)
    const { rsrpDbm, lossDb, sweep } = sectorItmRaster({ grid: g, heightAt: () => 100, siteLon: SITE.lon, siteLat: SITE.lat, radio: omni, radiusM: 3000, itm })
    const c = cellAt(g, 45, 2000)
    const idx = sampleIndexPerCell(g, SITE.lon, SITE.lat, sweep)[c]!
    // The sample lies s steps from the site: ITM over s + 1 flat points (the site's ground first).
    const s = (idx % sweep.samplesPerRadial) + 1
    const expected = itmPointToPoint({ profile: { spacingM: sweep.stepM, elevationsM: new Array(s + 1).fill(100) }, txHeightM: 30, rxHeightM: 1.5, frequencyMhz: 1800, ...itm })
    expect(lossDb[idx]!).toBeCloseTo(expected.lossDb, 3)
    expect(rsrpDbm[c]!).toBeCloseTo(EIRP_PER_RE - expected.lossDb, 3)
  })

  it('fills every cell of the disc with at most one evaluation per cell', () => {
    const g = grid(2000)
    const hills = (lon: number, lat: number) => 300 + 120 * Math.sin((lon - SITE.lon) * 700) * Math.cos((lat - SITE.lat) * 500)
    const { rsrpDbm, evaluations } = sectorItmRaster({ grid: g, heightAt: hills, siteLon: SITE.lon, siteLat: SITE.lat, radio: omni, radiusM: 2000, itm })
    const filled = rsrpDbm.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0)
    expect(filled).toBeGreaterThan(10_000)
    expect(evaluations).toBeLessThanOrEqual(filled)
  })

  it('loses signal behind a ridge', () => {
    const ridge = (_lon: number, lat: number) => ((lat - SITE.lat) * m.lat > 800 && (lat - SITE.lat) * m.lat < 900 ? 220 : 100)
    const g = grid(3000)
    const { rsrpDbm } = sectorItmRaster({ grid: g, heightAt: ridge, siteLon: SITE.lon, siteLat: SITE.lat, radio: omni, radiusM: 3000, itm })
    expect(rsrpDbm[cellAt(g, 180, 2000)]! - rsrpDbm[cellAt(g, 0, 2000)]!).toBeGreaterThan(10)
  })

  it('leaves the cells beyond unknown terrain empty', () => {
    const g = grid(2000)
    const hole = (lon: number) => ((lon - SITE.lon) * m.lon > 1000 ? Number.NaN : 100)
    const { rsrpDbm } = sectorItmRaster({ grid: g, heightAt: hole, siteLon: SITE.lon, siteLat: SITE.lat, radio: omni, radiusM: 2000, itm })
    expect(rsrpDbm[cellAt(g, 90, 1500)]).toBeNaN()
    expect(Number.isFinite(rsrpDbm[cellAt(g, 270, 1500)]!)).toBe(true)
  })
})
