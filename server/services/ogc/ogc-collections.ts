import type { Feature, Geometry } from 'geojson'
import type { CoverageClassName, Db, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import {
  findCurrentCoveragePolygon, findLayerExtent, findSitesTemporalExtent, listCommuneIdsInBbox, listCurrentCoverageTechnologies,
  listCurrentCoveragePolygons, type CoveragePolygonRow, type OgcExtentLayer,
} from '../../repositories/ogc.repository.ts'
import { listOperators } from '../../repositories/operators.repository.ts'
import type { Bbox, Page } from '../../repositories/paging.ts'
import { parseEnumList } from '../../lib/parse-enum-list.ts'
import { ALL_SITE_STATUSES, visibilityOf, visibleSiteStatuses, type Viewer } from '../access/viewer.ts'
import { getCommuneFeature, listCommuneFeatures } from '../communes.service.ts'
import { deadZones, type DeadZone } from '../dead-zones/dead-zones.service.ts'
import { toFeature, toFeatureCollection, type PagedFeatureCollection } from '../feature-collection.ts'
import { getFibreFeature, listFibreFeatures } from '../fibre.service.ts'
import { computeIndicators, type CommuneIndicators, type IndicatorFigure, type IndicatorKey } from '../indicators/indicators.service.ts'
import { getSectorFeature, listSectorFeatures } from '../sectors.service.ts'
import { getSiteFeature, listSiteFeatures } from '../sites.service.ts'
import { todayInVietnam } from '../../lib/vietnam-time.ts'
import { getVillageFeature, listVillageFeatures } from '../villages.service.ts'

/**
 * The collections OGC API – Features serves, and how each lists and reads
 * its items, for a viewer (services/access/viewer.ts): the public never sees
 * a planned or candidate site (nor its sectors), operator-owned fibre, or a
 * figure resting on an unverified report; an admin sees what /api shows it.
 *
 * `datetime` (OGC API – Features Part 1 §7.15.4) is parsed by the route into
 * days (Vietnam time). It applies to `sites` (in service at some day of the
 * interval) and to `commune-indicators` (computed on the instant, or on the
 * interval's end; today when it is open); the other collections have no
 * temporal dimension and ignore it, as the standard says.
 */

export type OgcFeature = Feature<Geometry, unknown> & { id: number }

/** A `datetime` as days, YYYY-MM-DD; null ends are open (`..`). */
export interface DayInterval {
  start: string | null
  end: string | null
}

export interface ItemsRequest {
  bbox: Bbox | undefined
  /** Property filters, only those the collection has. */
  filters: Record<string, string>
  page: Page
  datetime: DayInterval | undefined
  viewer: Viewer
}

export interface CollectionDefinition {
  id: string
  title: string
  description: string
  /** The spatial extent of what the viewer may see, null when empty. */
  extent(db: Db, viewer: Viewer): Promise<Bbox | null>
  /** The temporal extent (`extent.temporal.interval[0]`); [null, null] when open or none. */
  temporal(db: Db, viewer: Viewer): Promise<[string | null, string | null]>
  /** Property filters the items query accepts, besides bbox/datetime/limit/offset. */
  filters: readonly string[]
  list(db: Db, req: ItemsRequest): Promise<PagedFeatureCollection<unknown>>
  /** One item, or undefined when it does not exist (or the viewer may not see it). */
  get(db: Db, id: number, viewer: Viewer): Promise<OgcFeature | undefined>
}

const TECHNOLOGIES: readonly Technology[] = ['2G', '3G', '4G', '5G']
const CLASSES: readonly CoverageClassName[] = ['good', 'weak', 'none']
const OPEN: [null, null] = [null, null]
const noTemporal = async (): Promise<[null, null]> => OPEN

/** A service's "not found" becomes undefined; other errors pass. */
async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read
  } catch (e) {
    if (e instanceof AppError && e.code === 'not-found') return undefined
    throw e
  }
}

/** The extent of a layer as the viewer may see it. */
const extentOf = (layer: OgcExtentLayer) => (db: Db, viewer: Viewer) => findLayerExtent(db, layer, visibilityOf(viewer))

/** Pages an in-memory list the way the repositories page theirs. */
function pageList<T>(items: readonly T[], page: Page): { rows: T[]; total: number } {
  return { rows: items.slice(page.offset, page.offset + page.limit), total: items.length }
}

const communes: CollectionDefinition = {
  id: 'communes',
  title: 'Communes',
  description: 'Communes, wards and special zones (xã, phường, đặc khu; 2025 two-level codes) with population.',
  extent: extentOf('communes'),
  temporal: noTemporal,
  filters: ['province'],
  list: (db, r) => listCommuneFeatures(db, { bbox: r.bbox, province: r.filters['province'] }, r.page),
  get: (db, id) => orUndefined(getCommuneFeature(db, id)),
}

const villages: CollectionDefinition = {
  id: 'villages',
  title: 'Villages',
  description: 'Villages (bản, thôn, tổ dân phố) as points, with their commune and population.',
  extent: extentOf('villages'),
  temporal: noTemporal,
  filters: ['commune'],
  list: (db, r) => listVillageFeatures(db, { bbox: r.bbox, commune: r.filters['commune'] }, r.page),
  get: (db, id) => orUndefined(getVillageFeature(db, id)),
}

const sites: CollectionDefinition = {
  id: 'sites',
  title: 'BTS sites',
  description: 'Base station sites with their sectors. The public sees sites that exist or existed (planned and candidate sites are not public). '
    + '`datetime` keeps the sites in service on that day or at some day of that interval (commissioned on or before it, not decommissioned by then); '
    + 'a site without a commissioning date counts as in service since ever.',
  extent: extentOf('sites'),
  temporal: async (db, viewer) => (await findSitesTemporalExtent(db, visibleSiteStatuses(viewer))) ?? OPEN,
  filters: ['operator', 'status'],
  list: async (db, r) => {
    const asked = parseEnumList(r.filters['status'], ALL_SITE_STATUSES, 'status')
    return listSiteFeatures(db, { bbox: r.bbox, operator: r.filters['operator'], status: asked, inServiceDuring: r.datetime }, r.page, r.viewer)
  },
  get: (db, id, viewer) => orUndefined(getSiteFeature(db, id, viewer)),
}

const sectors: CollectionDefinition = {
  id: 'sectors',
  title: 'Sectors',
  description: 'Antenna sectors, located at their site; the public sees those of sites that exist or existed.',
  extent: extentOf('sectors'),
  temporal: noTemporal,
  filters: ['operator', 'technology'],
  list: async (db, r) => {
    const technology = parseEnumList(r.filters['technology'], TECHNOLOGIES, 'technology')
    if (technology && technology.length > 1) {
      throw new AppError('validation-failed', 'technology: give one technology', [{ field: 'technology', location: 'querystring', value: r.filters['technology'], reason: 'one value' }])
    }
    return listSectorFeatures(db, { bbox: r.bbox, operator: r.filters['operator'], technology: technology?.[0] }, r.page, r.viewer)
  },
  get: (db, id, viewer) => orUndefined(getSectorFeature(db, id, viewer)),
}

const fibre: CollectionDefinition = {
  id: 'fibre',
  title: 'Fibre routes',
  description: 'Fibre optic routes. The public sees routes no operator owns (e.g. the power company\'s); operator-owned fibre is not public.',
  extent: extentOf('fibre'),
  temporal: noTemporal,
  filters: ['operator'],
  list: (db, r) => listFibreFeatures(db, { bbox: r.bbox, operator: r.filters['operator'] }, r.page, r.viewer),
  get: (db, id, viewer) => orUndefined(getFibreFeature(db, id, viewer)),
}

/** Flat properties of a white zone: scalars only, so a GIS shows them as attribute columns. */
function deadZoneProperties(z: DeadZone, runId: number | null) {
  return {
    communeCode: z.communeCode,
    communeName: z.communeName,
    kind: z.kind,
    technology: '4G',
    runId,
    areaKm2: Math.round(z.areaKm2 * 1000) / 1000,
    villages: z.villages.length,
    population: z.population,
    villageCodes: z.villages.map((v) => v.code).join(','),
  }
}

const deadZonesCollection: CollectionDefinition = {
  id: 'dead-zones',
  title: 'White zones (no 4G predicted)',
  description: 'Inside each commune, where no operator\'s 4G signal is predicted by the current 4G coverage run (server/services/dead-zones/): '
    + 'one MultiPolygon per commune that has one (the feature id is the commune\'s id), with its area (km²), the villages inside (count, codes) and their population. '
    + 'Slivers under 0.01 km² are dropped. Empty until a 4G run is current. Predicted by a model, not measured; single-operator gaps are at GET /api/dead-zones. '
    + 'No temporal dimension (the current run only): `datetime` is ignored.',
  extent: async (db) => ((await listCurrentCoverageTechnologies(db)).includes('4G') ? findLayerExtent(db, 'communes', { siteStatuses: [], operatorFibre: false }) : null),
  temporal: noTemporal,
  filters: ['commune'],
  list: async (db, r) => {
    const code = r.filters['commune']
    const ids = code === undefined ? await listCommuneIdsInBbox(db, r.bbox) : (await listCommuneFeatures(db, { bbox: r.bbox, commune: code }, { limit: 1, offset: 0 })).features.map((f) => f.id)
    const { runId, zones } = await deadZones(db, { communeIds: ids, technology: '4G' })
    return toFeatureCollection(pageList(zones, r.page), (z) => toFeature(z.communeId, z.geometry, deadZoneProperties(z, runId)))
  },
  get: async (db, id) => {
    const { runId, zones } = await deadZones(db, { communeIds: [id], technology: '4G' })
    const z = zones[0]
    return z && toFeature(z.communeId, z.geometry, deadZoneProperties(z, runId))
  },
}

/** camelCase of an indicator key: villages_without_grid_power → villagesWithoutGridPower. */
const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** What each share's denominator is called as a column. */
const DENOMINATOR_COLUMNS: Partial<Record<IndicatorKey, string>> = {
  population_covered: 'populationKnown',
  villages_without_grid_power: 'villagesWithKnownGridPower',
}

/**
 * One commune's indicators as flat scalars: each figure's value under its
 * key in camelCase, its share as `<key>Pct` (percent of its denominator), and
 * the denominators that are not the village count.
 */
function indicatorProperties(c: CommuneIndicators, extra: { type: string; provinceCode: string | null; date: string; operator: string; runId: number | null }) {
  const props: Record<string, string | number | boolean | null> = {
    code: c.code, name: c.name, type: extra.type, provinceCode: extra.provinceCode, date: extra.date, technology: '4G', operator: extra.operator,
    reachedByFibre: c.reachedByFibre, runId: extra.runId,
  }
  for (const f of c.figures as IndicatorFigure[]) {
    if (f.key === 'communes_reached_by_fibre') continue
    props[camel(f.key)] = f.value
    if (f.denominator && f.key !== 'villages_total') {
      props[`${camel(f.key)}Pct`] = f.percent
      const column = DENOMINATOR_COLUMNS[f.key]
      if (column) props[column] = f.denominator.value
    }
    if (f.basis) props[`${camel(f.key)}ByReport`] = f.basis.report
  }
  return props
}

/** The day the indicators are computed on: the instant, else the interval's end, else today (Vietnam). */
function indicatorDate(datetime: DayInterval | undefined): string {
  return datetime?.end ?? todayInVietnam()
}

async function operatorFilter(db: Db, code: string | undefined): Promise<{ id: number | null; code: string }> {
  if (code === undefined || code === 'any') return { id: null, code: 'any' }
  const found = (await listOperators(db)).find((o) => o.code === code)
  if (!found) throw new AppError('unknown-reference', `operator: no operator has code ${code}`, [{ field: 'operator', location: 'querystring', value: code, reason: 'unknown operator (see GET /api/operators)' }])
  return { id: found.id, code: found.code }
}

async function communeIndicatorFeatures(db: Db, communes: Array<{ id: number; geometry: Geometry; properties: { type: string; provinceCode: string | null } }>, viewer: Viewer, date: string, operator: { id: number | null; code: string }) {
  if (communes.length === 0) return []
  const report = await computeIndicators(db, {
    onDate: date, technology: '4G', operatorId: operator.id, communeIds: communes.map((c) => c.id),
    unverifiedReports: visibilityOf(viewer).unverifiedReports,
  })
  const byId = new Map(report.communes.map((c) => [c.communeId, c]))
  return communes.flatMap((c) => {
    const figures = byId.get(c.id)
    return figures ? [toFeature(c.id, c.geometry, indicatorProperties(figures, { ...c.properties, date, operator: operator.code, runId: report.runId }))] : []
  })
}

const communeIndicators: CollectionDefinition = {
  id: 'commune-indicators',
  title: 'Indicators per commune (4G)',
  description: 'Each commune\'s polygon with its official 4G indicators (server/services/indicators/, the default rule: verified reports up to 365 days old override the prediction) as flat attributes: '
    + 'villagesTotal; villagesGood, villagesWeak, villagesIntermittent, villagesNone (no signal), villagesUnknown, villagesCovered (good, weak or intermittent), villagesWeakOrIntermittent, '
    + 'each with <key>Pct (percent of villagesTotal) and <key>ByReport (how many rest on a field report rather than the prediction); '
    + 'populationCovered, populationKnown, populationCoveredPct; villagesWithoutGridPower, villagesWithKnownGridPower, villagesWithoutGridPowerPct; reachedByFibre; date; runId. '
    + '`datetime`: the day the indicators are computed on — an instant (a date-time is read in Vietnam time), or the end of an interval (today when open); default today. '
    + 'Filters: province (2-digit code), operator (a code, or "any", the default). The public\'s figures never rest on unverified reports.',
  extent: extentOf('communes'),
  temporal: noTemporal,
  filters: ['province', 'operator'],
  list: async (db, r) => {
    const operator = await operatorFilter(db, r.filters['operator'])
    const page = await listCommuneFeatures(db, { bbox: r.bbox, province: r.filters['province'] }, r.page)
    const features = await communeIndicatorFeatures(db, page.features, r.viewer, indicatorDate(r.datetime), operator)
    return { type: 'FeatureCollection', numberMatched: page.numberMatched, numberReturned: features.length, features }
  },
  get: async (db, id, viewer) => {
    const commune = await orUndefined(getCommuneFeature(db, id))
    if (!commune) return undefined
    return (await communeIndicatorFeatures(db, [commune], viewer, todayInVietnam(), { id: null, code: 'any' }))[0]
  },
}

function coverageProperties(r: CoveragePolygonRow) {
  return {
    id: r.id,
    class: r.class,
    operator: r.operator_code ?? 'any',
    technology: r.technology,
    model: r.model,
    runId: r.run_id,
    areaKm2: Math.round(Number(r.area_km2) * 1000) / 1000,
  }
}

function coverage(technology: Technology): CollectionDefinition {
  return {
    id: `coverage-${technology.toLowerCase()}`,
    title: `Predicted ${technology} coverage`,
    description: `Coverage class polygons (good ≥ −100 dBm, weak ≥ −115 dBm, else none) of the current ${technology} run, per operator and for any operator ("any"). Predicted by a model, not measured.`,
    extent: extentOf({ coverageTechnology: technology }),
    temporal: noTemporal,
    filters: ['class', 'operator'],
    list: async (db, r) => {
      const f = r.filters
      const result = await listCurrentCoveragePolygons(db, { technology, bbox: r.bbox, classes: parseEnumList(f['class'], CLASSES, 'class'), operator: f['operator'] }, r.page)
      return toFeatureCollection(result, (r) => toFeature(r.id, r.geometry, coverageProperties(r)))
    },
    get: async (db, id) => {
      const row = await findCurrentCoveragePolygon(db, technology, id)
      return row && toFeature(row.id, row.geometry, coverageProperties(row))
    },
  }
}

const STATIC_COLLECTIONS = [communes, villages, sites, sectors, fibre, deadZonesCollection, communeIndicators]

/** Every collection, coverage ones for the technologies with a current run. */
export async function listCollectionDefinitions(db: Db): Promise<CollectionDefinition[]> {
  const technologies = await listCurrentCoverageTechnologies(db)
  return [...STATIC_COLLECTIONS, ...technologies.map(coverage)]
}

export async function findCollectionDefinition(db: Db, id: string): Promise<CollectionDefinition> {
  const found = STATIC_COLLECTIONS.find((c) => c.id === id)
  if (found) return found
  const m = /^coverage-([2-5]g)$/.exec(id)
  if (m) {
    const technology = m[1]!.toUpperCase() as Technology
    if ((await listCurrentCoverageTechnologies(db)).includes(technology)) return coverage(technology)
  }
  throw new AppError('not-found', `Collection '${id}' does not exist`)
}
