import type { MultiPolygon } from 'geojson'
import type { Db } from '../../server/db/database.ts'
import { toSearchForm } from '../../server/lib/search-form.ts'
import { insertCommunes, insertProvince } from '../../server/repositories/communes.repository.ts'

/** An axis-aligned square MultiPolygon, WGS84 degrees. */
export function square(minLon: number, minLat: number, size: number): MultiPolygon {
  const [x0, y0, x1, y1] = [minLon, minLat, minLon + size, minLat + size]
  return { type: 'MultiPolygon', coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]] }
}

/**
 * A small hand-built world in Sơn La: one province and two neighbouring
 * communes, each a 0.1° square. Commune A "Chiềng Sơn" (west), B "Mường Bú" (east).
 */
export async function createWorld(db: Db) {
  return db.transaction().execute(async (tx) => {
    const provinceId = await insertProvince(tx, {
      code: '14', name: 'Sơn La', type: 'province', population: 1000, areaKm2: 500, geometry: square(103.8, 21.2, 0.3),
    })
    const commune = (code: string, name: string, minLon: number) => ({
      code, name, nameSearch: toSearchForm(name), type: 'commune' as const, provinceId, population: 500, areaKm2: 120,
      historicalDistrictCode: null, historicalDistrictName: null, attributes: {}, geometry: square(minLon, 21.3, 0.1),
    })
    const [communeA, communeB] = await insertCommunes(tx, [commune('04001', 'Chiềng Sơn', 103.9), commune('04002', 'Mường Bú', 104.0)])
    return { provinceId, communeA: { id: communeA!, code: '04001' }, communeB: { id: communeB!, code: '04002' } }
  })
}
