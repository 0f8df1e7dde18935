import type { Point } from 'geojson'
import { toSearchForm } from '../../lib/search-form.ts'
import { findCommuneIdsCoveringPoints } from '../../repositories/communes.repository.ts'
import { upsertVillages, type NewVillage } from '../../repositories/villages.repository.ts'
import type { FieldProblem, LayerDefinition } from '../layer-definition.ts'
import { communeNameKey } from '../references.ts'
import { RowBuilder } from '../row-builder.ts'
import { parseBoolean, parseInteger, parseText } from '../values.ts'

const fields = {
  code: { aliases: ['ma', 'ma ban', 'ma thon', 'ma lang', 'village code', 'village id', 'id'], required: true },
  name: { aliases: ['ten', 'ten ban', 'ten thon', 'ten lang', 'ten ban thon', 'village', 'village name', 'ban', 'thon'], required: true },
  communeCode: { aliases: ['commune code', 'commune_code', 'ma xa', 'ma xa phuong', 'ma dvhc xa'] },
  communeName: { aliases: ['xa', 'ten xa', 'xa phuong', 'ten xa phuong', 'commune', 'commune name'] },
  population: { aliases: ['dan so', 'so dan', 'nhan khau', 'so nhan khau', 'pop', 'population'] },
  households: { aliases: ['so ho', 'ho', 'ho gia dinh', 'households', 'hh'] },
  hasGridPower: { aliases: ['dien luoi', 'co dien', 'co dien luoi', 'grid power', 'has grid power', 'electricity'] },
  synthetic: { aliases: ['mo phong', 'du lieu mo phong'] },
} as const
type K = keyof typeof fields

/** A village row whose commune may still be found from its position. */
export type VillageImportRow = Omit<NewVillage, 'communeId'> & { communeId: number | null }

/** Villages (bản, thôn, tổ dân phố): code, name, commune (by code, --commune, or the commune its point falls in). */
export const villagesLayer: LayerDefinition<K, VillageImportRow> = {
  name: 'villages',
  geometry: { types: ['Point'], required: true },
  fields,
  ignoredFields: ['id'],
  references: ['communes'],
  build({ values, extra, geometry }, ctx) {
    const b = new RowBuilder()
    const warnings: FieldProblem[] = []
    const code = b.take('code', values.code, parseText, { required: true, label: 'village code' })
    const name = b.take('name', values.name, parseText, { required: true, label: 'village name' })
    const communeCode = b.take('communeCode', values.communeCode, parseText) ?? ctx.defaultCommuneCode ?? null
    const communeName = b.take('communeName', values.communeName, parseText)
    let communeId: number | null = null
    if (communeCode !== null) {
      communeId = ctx.refs.communes.get(communeCode.padStart(5, '0')) ?? null
      if (communeId === null) b.problem('communeCode', communeCode, `unknown commune ${communeCode}`)
    } else if (communeName !== null) {
      // Unknown (often a commune merged away on 1 July 2025) or shared by two communes: the position decides (prepare()).
      communeId = ctx.refs.communeNames.get(communeNameKey(communeName)) ?? null
      if (communeId === null) {
        warnings.push({ field: 'communeName', value: communeName, reason: `no single current commune is named '${communeName}' (a commune merged in 2025?): the village is placed in the commune its point falls in` })
      }
    }
    const population = b.take('population', values.population, parseInteger, { min: 0, max: 1_000_000 })
    const households = b.take('households', values.households, parseInteger, { min: 0, max: 500_000 })
    const hasGridPower = b.take('hasGridPower', values.hasGridPower, parseBoolean)
    const synthetic = b.take('synthetic', values.synthetic, parseBoolean) ?? false
    if (!b.ok || code === null || name === null) return { problems: b.problems }
    return {
      row: {
        code, name, nameSearch: toSearchForm(name), communeId, population, households, hasGridPower,
        attributes: extra, synthetic, geometry: geometry as Point, areaGeometry: null,
      },
      warnings,
    }
  },
  key: (row) => row.code,
  async prepare(tx, rows) {
    const missing = rows.flatMap((r, i) => (r.communeId === null ? [i] : []))
    const found = await findCommuneIdsCoveringPoints(tx, missing.map((i) => rows[i]!.geometry.coordinates as [number, number]))
    const problems = new Map<number, FieldProblem[]>()
    missing.forEach((rowIndex, k) => {
      const id = found.get(k)
      if (id === undefined) problems.set(rowIndex, [{ field: 'communeCode', reason: 'no commune given and the point lies in no known commune (give a commune code column or --commune)' }])
      else rows[rowIndex]!.communeId = id
    })
    return problems
  },
  write: (tx, rows) => upsertVillages(tx, rows.map((r) => ({ ...r, communeId: r.communeId! }))),
}
