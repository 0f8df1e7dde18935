import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AppError } from '../../errors/error-catalogue.ts'
import { checkBackhaul } from '../../services/backhaul/backhaul.service.ts'
import { problems } from '../common/schemas.ts'
import { BackhaulCheck, BackhaulQuery } from './backhaul.schema.ts'

/** Parses `lon,lat` (the schema has checked the shape), checking the ranges. */
function parseLonLat(value: string, field: 'from' | 'to'): { lon: number; lat: number } {
  const [lon, lat] = value.split(',').map((s) => Number(s.trim())) as [number, number]
  if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) {
    const reason = 'expected lon,lat with the longitude within ±180 and the latitude within ±90 (order is lon,lat)'
    throw new AppError('validation-failed', `${field}: ${reason}`, [{ field, location: 'querystring', value, reason }])
  }
  return { lon, lat }
}

/**
 * The microwave backhaul check (services/backhaul/): a public read, anyone may check a path.
 * Answers the terrain profile for drawing, the worst point, pass/fail and the obstruction.
 */
const backhaulRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { expensive: true },
    schema: {
      tags: ['backhaul'],
      summary: 'Microwave backhaul check between two points: terrain profile, first Fresnel zone, clearance, pass/fail',
      description: 'Samples the DEM along the path (at most 30 m apart), adds the earth bulge for the k-factor and checks that every point keeps '
        + '`requiredClearance` (0.6) of the first Fresnel radius clear below the line between the antenna tips (ITU-R P.530). When failing, '
        + '`obstruction` names the point (distance from A, ground height, how far it reaches into the zone) and `neededExtraHeightM` says '
        + 'how much higher the antennas would have to be. 400 for bad coordinates, a path longer than 100 km, or an end or stretch without DEM tiles.',
      querystring: BackhaulQuery,
      response: { 200: BackhaulCheck, ...problems(400, 422, 503) },
    },
  }, async (req) => {
    const q = req.query
    const from = parseLonLat(q.from, 'from')
    const to = parseLonLat(q.to, 'to')
    return checkBackhaul(app.demStore, {
      from: { ...from, heightM: q.fromHeight ?? 30 },
      to: { ...to, heightM: q.toHeight ?? 30 },
      frequencyMhz: q.frequencyMhz,
      kFactor: q.kFactor,
      requiredClearance: q.requiredClearance,
      clutterM: q.clutterHeight,
    })
  })
}

export default backhaulRoutes
