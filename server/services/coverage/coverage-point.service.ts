import type { CoverageModel, Db, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { hgtTileName } from '../../geo/dem/hgt-tile-name.ts'
import { coverageClass, type CoverageClass } from '../../geo/propagation/coverage-class.ts'
import { checkVietnamExtent, VIETNAM_EXTENT } from '../../geo/vietnam-extent.ts'
import { findCoverageRunById, findCurrentCoverageRunDetail, findSiteOfSector } from '../../repositories/coverage.repository.ts'
import { findOperatorIdsByCodes } from '../../repositories/operators.repository.ts'
import type { DemStore } from '../dem/dem-store.ts'
import { predictedRsrpAt } from './coverage-at.service.ts'

export interface CoverageAtQuery {
  lon: number
  lat: number
  /** Operator code; absent = the best server of any operator. */
  operator?: string
  technology: Technology
}

/** The predicted coverage at a point, as the API shows it. */
export interface CoverageAtPoint {
  lon: number
  lat: number
  operator: string | null
  technology: Technology
  rsrpDbm: number
  class: CoverageClass
  servingSectorId: number
  servingSiteId: number | null
  runId: number
  model: CoverageModel
  /** True when the prediction rests on generated data: synthetic terrain under the point or a synthetic serving site. */
  synthetic: boolean
  syntheticInputs: Array<'terrain' | 'site'>
}

/**
 * The current run's best-server RSRP at a point (for one operator or any),
 * its coverage class, the serving sector and what the value rests on. 400
 * outside Vietnam or for an unknown operator; 404 where nothing is predicted.
 * `synthetic` looks at the DEM tile under the point as the store has it now
 * and at the serving site's flag: cheap, not a record of the run's inputs.
 */
export async function describeCoverageAt(db: Db, dem: DemStore, query: CoverageAtQuery): Promise<CoverageAtPoint> {
  const { lon, lat, technology } = query
  const outside = checkVietnamExtent({ type: 'Point', coordinates: [lon, lat] })
  if (outside) {
    const e = VIETNAM_EXTENT
    const field = lon < e.minLon || lon > e.maxLon ? 'lon' : 'lat'
    throw new AppError('outside-vietnam', outside.reason, [{ field, location: 'querystring', value: field === 'lon' ? lon : lat, reason: outside.reason }])
  }
  let operatorId: number | null = null
  if (query.operator !== undefined) {
    const id = (await findOperatorIdsByCodes(db, [query.operator])).get(query.operator)
    if (id === undefined) {
      throw new AppError('unknown-reference', `operator: no operator has code ${query.operator}`, [
        { field: 'operator', location: 'querystring', value: query.operator, reason: 'unknown operator (see GET /api/operators)' },
      ])
    }
    operatorId = id
  }

  const predicted = await predictedRsrpAt(db, operatorId, technology, lon, lat)
  if (!predicted) {
    const current = await findCurrentCoverageRunDetail(db, technology)
    throw new AppError('no-coverage-prediction', current
      ? `Coverage run ${current.id} predicts no ${technology} signal${query.operator ? ` of ${query.operator}` : ''} at (${lon}, ${lat})`
      : `No ${technology} coverage run is current yet: start one with POST /api/coverage/runs`)
  }
  const [run, site] = await Promise.all([findCoverageRunById(db, predicted.runId), findSiteOfSector(db, predicted.servingSectorId)])
  const syntheticInputs: Array<'terrain' | 'site'> = []
  if (dem.source(hgtTileName(lat, lon))?.kind === 'synthetic') syntheticInputs.push('terrain')
  if (site?.synthetic) syntheticInputs.push('site')
  return {
    lon,
    lat,
    operator: query.operator ?? null,
    technology,
    rsrpDbm: predicted.rsrpDbm,
    class: coverageClass(predicted.rsrpDbm),
    servingSectorId: predicted.servingSectorId,
    servingSiteId: site?.site_id ?? null,
    runId: predicted.runId,
    model: run?.model ?? 'fast',
    synthetic: syntheticInputs.length > 0,
    syntheticInputs,
  }
}
