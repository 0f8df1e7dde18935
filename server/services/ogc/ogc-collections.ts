import type { Feature, Geometry } from 'geojson'
import type { CoverageClassName, Db, SiteStatus, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import {
  findCurrentCoveragePolygon, isPublicSector, listCurrentCoverageTechnologies, listCurrentCoveragePolygons, listPublicSectors,
  PUBLIC_SITE_STATUSES, type CoveragePolygonRow, type OgcExtentLayer,
} from '../../repositories/ogc.repository.ts'
import type { Bbox, Page } from '../../repositories/paging.ts'
import { getCommuneFeature, listCommuneFeatures } from '../communes.service.ts'
import { toFeature, toFeatureCollection, type PagedFeatureCollection } from '../feature-collection.ts'
import { getFibreFeature, listFibreFeatures } from '../fibre.service.ts'
import { getSectorFeature, sectorProperties } from '../sectors.service.ts'
import { getSiteFeature, listSiteFeatures } from '../sites.service.ts'
import { getVillageFeature, listVillageFeatures } from '../villages.service.ts'

/**
 * The collections OGC API – Features serves, and how each lists and reads
 * its items. Only what anyone may see: sites that exist or existed (never
 * planned or candidate ones), their sectors, coverage of the current run.
 * Fibre is exposed exactly as the public /api/fibre routes expose it.
 */

export type OgcFeature = Feature<Geometry, unknown> & { id: number }

export interface CollectionDefinition {
  id: string
  title: string
  description: string
  extent: OgcExtentLayer
  /** Property filters the items query accepts, besides bbox/limit/offset. */
  filters: readonly string[]
  list(db: Db, bbox: Bbox | undefined, filters: Record<string, string>, page: Page): Promise<PagedFeatureCollection<unknown>>
  /** One item, or undefined when it does not exist (or is not public). */
  get(db: Db, id: number): Promise<OgcFeature | undefined>
}

const TECHNOLOGIES: readonly Technology[] = ['2G', '3G', '4G', '5G']
const CLASSES: readonly CoverageClassName[] = ['good', 'weak', 'none']
const SITE_STATUSES: readonly SiteStatus[] = ['existing', 'planned', 'candidate', 'decommissioned']

function enumValues<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (value === undefined) return undefined
  const items = value.split(',').map((s) => s.trim()).filter(Boolean)
  const bad = items.find((s) => !(allowed as readonly string[]).includes(s))
  if (bad !== undefined) {
    throw new AppError('validation-failed', `${field}: '${bad}' is not one of ${allowed.join(', ')}`, [
      { field, location: 'querystring', value: bad, reason: `must be one of ${allowed.join(', ')}` },
    ])
  }
  return items as T[]
}

/** A service's "not found" becomes undefined; other errors pass. */
async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read
  } catch (e) {
    if (e instanceof AppError && e.code === 'not-found') return undefined
    throw e
  }
}

const empty = (): PagedFeatureCollection<unknown> => ({ type: 'FeatureCollection', numberMatched: 0, numberReturned: 0, features: [] })

const communes: CollectionDefinition = {
  id: 'communes',
  title: 'Communes',
  description: 'Communes, wards and special zones (xã, phường, đặc khu; 2025 two-level codes) with population.',
  extent: 'communes',
  filters: ['province'],
  list: (db, bbox, f, page) => listCommuneFeatures(db, { bbox, province: f['province'] }, page),
  get: (db, id) => orUndefined(getCommuneFeature(db, id)),
}

const villages: CollectionDefinition = {
  id: 'villages',
  title: 'Villages',
  description: 'Villages (bản, thôn, tổ dân phố) as points, with their commune and population.',
  extent: 'villages',
  filters: ['commune'],
  list: (db, bbox, f, page) => listVillageFeatures(db, { bbox, commune: f['commune'] }, page),
  get: (db, id) => orUndefined(getVillageFeature(db, id)),
}

const sites: CollectionDefinition = {
  id: 'sites',
  title: 'BTS sites',
  description: 'Base station sites that exist or existed (planned and candidate sites are not public), with their sectors.',
  extent: 'sites',
  filters: ['operator', 'status'],
  list: async (db, bbox, f, page) => {
    const asked = enumValues(f['status'], SITE_STATUSES, 'status')
    const statuses = asked ? PUBLIC_SITE_STATUSES.filter((s) => asked.includes(s)) : [...PUBLIC_SITE_STATUSES]
    if (statuses.length === 0) return empty()
    return listSiteFeatures(db, { bbox, operator: f['operator'], status: statuses }, page)
  },
  get: async (db, id) => {
    const feature = await orUndefined(getSiteFeature(db, id))
    return feature && PUBLIC_SITE_STATUSES.includes(feature.properties.status) ? feature : undefined
  },
}

const sectors: CollectionDefinition = {
  id: 'sectors',
  title: 'Sectors',
  description: 'Antenna sectors of public sites (existing or decommissioned), located at their site.',
  extent: 'sectors',
  filters: ['operator', 'technology'],
  list: async (db, bbox, f, page) => {
    const technology = enumValues(f['technology'], TECHNOLOGIES, 'technology')
    if (technology && technology.length > 1) {
      throw new AppError('validation-failed', 'technology: give one technology', [{ field: 'technology', location: 'querystring', value: f['technology'], reason: 'one value' }])
    }
    const result = await listPublicSectors(db, { bbox, operatorCode: f['operator'], technology: technology?.[0] }, page)
    return toFeatureCollection(result, (r) => toFeature(r.id, r.geometry, sectorProperties(r)))
  },
  get: async (db, id) => ((await isPublicSector(db, id)) ? orUndefined(getSectorFeature(db, id)) : undefined),
}

const fibre: CollectionDefinition = {
  id: 'fibre',
  title: 'Fibre routes',
  description: 'Fibre optic routes, as the public /api/fibre routes show them.',
  extent: 'fibre',
  filters: ['operator'],
  list: (db, bbox, f, page) => listFibreFeatures(db, { bbox, operator: f['operator'] }, page),
  get: (db, id) => orUndefined(getFibreFeature(db, id)),
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
    extent: { coverageTechnology: technology },
    filters: ['class', 'operator'],
    list: async (db, bbox, f, page) => {
      const result = await listCurrentCoveragePolygons(db, { technology, bbox, classes: enumValues(f['class'], CLASSES, 'class'), operator: f['operator'] }, page)
      return toFeatureCollection(result, (r) => toFeature(r.id, r.geometry, coverageProperties(r)))
    },
    get: async (db, id) => {
      const row = await findCurrentCoveragePolygon(db, technology, id)
      return row && toFeature(row.id, row.geometry, coverageProperties(row))
    },
  }
}

const STATIC_COLLECTIONS = [communes, villages, sites, sectors, fibre]

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
