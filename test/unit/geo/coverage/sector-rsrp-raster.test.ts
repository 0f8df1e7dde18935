import { describe, expect, it } from 'vitest'
import { SITE, siteGrid as grid } from '../../../helpers/site-grid.ts'
import { sectorRsrpRaster, type SectorRadio } from '../../../../server/geo/coverage/sector-rsrp-raster.ts'
import { metresPerDegree, type RasterGrid } from '../../../../server/geo/coverage/raster-grid.ts'

const m = metresPerDegree(SITE.lat)
/** The value of the cell whose centre is nearest to a point `metres` from the site along a bearing. */
function valueAt(g: RasterGrid, raster: Float32Array, bearingDeg: number, metres: number): number {
  const b = (bearingDeg * Math.PI) / 180
  const lon = SITE.lon + (Math.sin(b) * metres) / m.lon
  const lat = SITE.lat + (Math.cos(b) * metres) / m.lat
  const c = Math.floor((lon - g.west) / g.stepLon)
  const r = Math.floor((g.north - lat) / g.stepLat)
  return raster[r * g.cols + c]!
}

const omni: SectorRadio = { antenna: { gainDbi: 0, azimuthDeg: 0, horizontalBeamwidthDeg: 360, verticalBeamwidthDeg: null }, heightM: 30, frequencyMhz: 1800, eirpDbm: 60, bandwidthMhz: 20 }

describe('sectorRsrpRaster (fast model)', () => {
  it('equals the free-space link budget on flat open ground (hand-computed)', () => {
    const g = grid(3000)
    const { rsrpDbm } = sectorRsrpRaster({ grid: g, heightAt: () => 100, siteLon: SITE.lon, siteLat: SITE.lat, radio: omni, radiusM: 3000 })
    // At 2 km, 1800 MHz: FSPL = 32.45 + 20·log10(1800) + 20·log10(2) = 103.57 dB;
    // EIRP per resource element = 60 − 10·log10(12·100) = 29.21 dBm → RSRP ≈ −74.36 dBm.
    // The cell's centre is within half a cell (≈ 15 m) of 2 km: ±0.07 dB.
    expect(valueAt(g, rsrpDbm, 45, 2000)).toBeCloseTo(-74.36, 0)
    expect(Math.abs(valueAt(g, rsrpDbm, 45, 2000) - -74.36)).toBeLessThan(0.1)
  })

  it('loses signal behind a ridge and gains it back from a higher mast', () => {
    const ridge = (_lon: number, lat: number) => ((lat - SITE.lat) * m.lat > 800 && (lat - SITE.lat) * m.lat < 900 ? 220 : 100)
    const g = grid(3000)
    const low = sectorRsrpRaster({ grid: g, heightAt: ridge, siteLon: SITE.lon, siteLat: SITE.lat, radio: omni, radiusM: 3000 }).rsrpDbm
    const high = sectorRsrpRaster({ grid: g, heightAt: ridge, siteLon: SITE.lon, siteLat: SITE.lat, radio: { ...omni, heightM: 150 }, radiusM: 3000 }).rsrpDbm
    const south = valueAt(g, low, 180, 2000) // open side
    const north = valueAt(g, low, 0, 2000) // behind the ridge
    expect(south - north).toBeGreaterThan(10)
    expect(valueAt(g, high, 0, 2000)).toBeGreaterThan(north)
  })

  it('a higher mast never gives lower RSRP with an omni antenna (flat and hilly ground)', () => {
    const hills = (lon: number, lat: number) => 300 + 120 * Math.sin((lon - SITE.lon) * 700) * Math.cos((lat - SITE.lat) * 500)
    const g = grid(2500)
    const a = sectorRsrpRaster({ grid: g, heightAt: hills, siteLon: SITE.lon, siteLat: SITE.lat, radio: { ...omni, heightM: 20 }, radiusM: 2500 }).rsrpDbm
    const b = sectorRsrpRaster({ grid: g, heightAt: hills, siteLon: SITE.lon, siteLat: SITE.lat, radio: { ...omni, heightM: 40 }, radiusM: 2500 }).rsrpDbm
    let compared = 0
    for (let i = 0; i < a.length; i++) {
      if (Number.isNaN(a[i]!)) continue
      compared++
      expect(b[i]!, `cell ${i}`).toBeGreaterThanOrEqual(a[i]! - 1e-3)
    }
    expect(compared).toBeGreaterThan(10_000)
  })

  it('applies the sector pattern: 3 dB at the beam edge, the front-to-back ratio behind', () => {
    const g = grid(3000)
    const sector: SectorRadio = { ...omni, antenna: { gainDbi: 17, azimuthDeg: 90, horizontalBeamwidthDeg: 65, verticalBeamwidthDeg: null, frontToBackDb: 25 } }
    const { rsrpDbm } = sectorRsrpRaster({ grid: g, heightAt: () => 100, siteLon: SITE.lon, siteLat: SITE.lat, radio: sector, radiusM: 3000 })
    const front = valueAt(g, rsrpDbm, 90, 2000)
    expect(front - valueAt(g, rsrpDbm, 90 + 32.5, 2000)).toBeCloseTo(3, 0)
    expect(front - valueAt(g, rsrpDbm, 270, 2000)).toBeCloseTo(25, 0)
  })
})
