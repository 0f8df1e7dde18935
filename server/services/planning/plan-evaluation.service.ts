import type { Db, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { listFibreFedSitesNear } from '../../repositories/planning.repository.ts'
import { findPlan, findPlansByIds, listPlanSites, type PlanRow, type PlanSiteRow } from '../../repositories/plans.repository.ts'
import { checkBackhaul } from '../backhaul/backhaul.service.ts'
import type { DemStore } from '../dem/dem-store.ts'
import { whatIfSites, type AreaChange, type FieldNaming, type Transitions, type VillageChanges, type WhatIfSitesResult } from './what-if.service.ts'
import { roundTo } from '../../lib/round.ts'

/**
 * Evaluating a plan (issue 7): what its sites would change together on the current coverage run,
 * what they would cost, and how each would reach the backbone; and several plans side by side.
 *
 * Coverage: the several-site what-if (`whatIfSites`) of the plan's sites with their own mast
 * heights and sectors, at the run's radius by default (so the figures are those of a recompute
 * with the plan's sites added). Villages newly covered: none → weak or good; improved: weak → good;
 * in total and by commune; for any operator (the public's view: a village no operator served) and
 * for the plan's operator. Area newly covered (none → weak/good) and the dead zone (below weak or no
 * prediction) inside the sites' radius, before and after.
 *
 * Cost, in million VND, a simple default model (every parameter can be given in the query; the
 * answer says which figures are defaults):
 * - site: 1,500 per site (`DEFAULT_COST_MODEL.siteCost`): a greenfield 30–45 m tower with civil
 *   works, shelter and a 4G eNodeB in the mountains;
 * - fibre: 150 per km of the geodesic distance to the nearest existing fibre route (aerial ADSS
 *   cable on poles); the real route is longer, so this is a floor;
 * - power: 400 per km of the geodesic distance to the nearest power line (a 22 kV extension with
 *   its transformer station).
 * A site with no fibre route (or power line) in the database has no figure for it (`null`, and the
 * total says it is incomplete). The fibre figure is counted whatever the backhaul answer below.
 *
 * Backhaul, per site: the distance to the nearest existing fibre route; when farther than
 * `backhaulMaxFibreM` (default 2 km), the best microwave hop to an existing site of the operator fed
 * by fibre (a fibre route within `backhaulMaxFibreM` of it) within 30 km: up to the 5 nearest are
 * checked with the Fresnel rule (`checkBackhaul`: 15 GHz, k = 4/3, 60 % of F1 clear; the plan site's
 * mast height at one end, the existing site's highest sector at the other, else 30 m) and the
 * passing hop with the largest clearance ratio is kept, else the failing one with the largest.
 */

/** Million VND. */
export const DEFAULT_COST_MODEL = Object.freeze({ siteCost: 1500, fibreCostPerKm: 150, powerCostPerKm: 400 })
export const COST_CURRENCY = 'million VND'
/** A site farther than this from fibre needs a microwave hop, m. */
export const DEFAULT_BACKHAUL_MAX_FIBRE_M = 2000
/** Longest microwave hop looked for, m. */
export const MAX_MICROWAVE_HOP_M = 30_000
/** How many fibre-fed sites (nearest first) a hop is checked to. */
const HOPS_CHECKED = 5
/** Mast height of an existing site without sectors, m. */
const DEFAULT_EXISTING_MAST_M = 30

export interface EvaluationOptions {
  technology?: Technology
  /** Default: the current run's radius (what a recompute uses), else 15 km. */
  radiusM?: number
  siteCost?: number
  fibreCostPerKm?: number
  powerCostPerKm?: number
  backhaulMaxFibreM?: number
}

export interface CommuneChange {
  code: string
  name: string
  villages: Transitions<number> & { newlyCovered: number }
  population: Transitions<number> & { newlyCovered: number }
}

export interface CoverageGain {
  villages: { newlyCovered: number; improved: number; counts: Transitions<number> }
  population: { newlyCovered: number; improved: number; counts: Transitions<number> }
  byCommune: CommuneChange[]
  areaKm2: { newlyCovered: number; improved: number; transitions: Transitions<number> }
  deadZoneKm2: { before: number; after: number; change: number }
  changedVillages: Array<{ id: number; code: string; name: string; communeCode: string; population: number | null; before: string; after: string }>
}

export interface MicrowaveHop {
  to: { siteId: number; code: string; name: string | null; lon: number; lat: number; heightM: number }
  distanceM: number
  pass: boolean
  clearanceRatio: number
  obstruction: { distanceM: number; groundM: number; obstructionM: number; clearanceRatio: number; aboveRequiredM: number; blocksLineOfSight: boolean } | null
  neededExtraHeightM: number
  verdict: string
}

export interface SiteBackhaul {
  position: number
  label: string | null
  fibre: { code: string; distanceM: number } | null
  method: 'fibre' | 'microwave' | 'none'
  pass: boolean
  microwave: MicrowaveHop | null
  reason: string | null
}

export interface PlanEvaluation {
  plan: { id: number; name: string; operatorCode: string; siteCount: number }
  runId: number | null
  technology: Technology
  radiusM: number | null
  coverage: { any: CoverageGain; operator: CoverageGain }
  cost: {
    currency: string
    parameters: Record<keyof typeof DEFAULT_COST_MODEL, { value: number; isDefault: boolean }>
    /** The parameters not given in the query (their defaults were used). */
    defaultsUsed: Array<keyof typeof DEFAULT_COST_MODEL>
    sites: Array<{ position: number; label: string | null; site: number; fibreKm: number | null; fibre: number | null; powerKm: number | null; power: number | null; total: number }>
    totals: { sites: number; fibre: number; power: number; total: number }
    /** True when some site has no fibre route or power line to measure to (its figure is left out). */
    incomplete: boolean
    model: string
  }
  backhaul: {
    maxFibreM: number
    isDefaultMaxFibre: boolean
    sites: SiteBackhaul[]
    summary: { fibre: number; microwavePass: number; microwaveFail: number; noHop: number; passes: number; fails: number }
  }
  elapsedMs: number
}

const PLAN_SITE_NAMING: FieldNaming = { field: (i, name) => `sites[${i}].${name}`, location: 'params' }

export async function evaluatePlan(db: Db, dem: DemStore, planId: number, options: EvaluationOptions = {}): Promise<PlanEvaluation> {
  const plan = await findPlan(db, planId)
  if (!plan) throw new AppError('not-found', `Plan ${planId} does not exist`)
  return evaluateFoundPlan(db, dem, plan, options)
}

async function evaluateFoundPlan(db: Db, dem: DemStore, plan: PlanRow, options: EvaluationOptions): Promise<PlanEvaluation> {
  const started = performance.now()
  const technology = options.technology ?? '4G'
  const sites = await listPlanSites(db, plan.id)
  const whatIf = sites.length === 0 ? null : await whatIfSites(db, dem, {
    operatorCode: plan.operator_code, technology, radiusM: options.radiusM ?? 'run',
    sites: sites.map((s) => ({ lon: s.geometry.coordinates[0]!, lat: s.geometry.coordinates[1]!, sectors: s.sectors.map((x) => ({ ...x, heightM: s.height_m })) })),
  }, PLAN_SITE_NAMING)
  const maxFibreM = options.backhaulMaxFibreM ?? DEFAULT_BACKHAUL_MAX_FIBRE_M
  return {
    plan: { id: plan.id, name: plan.name, operatorCode: plan.operator_code, siteCount: sites.length },
    runId: whatIf?.runId ?? null,
    technology,
    radiusM: whatIf?.radiusM ?? null,
    coverage: {
      any: coverageGain(whatIf?.areas.any, whatIf?.villages.any),
      operator: coverageGain(whatIf?.areas.operator, whatIf?.villages.operator),
    },
    cost: costOf(sites, whatIf, options),
    backhaul: await backhaulOf(db, dem, plan, sites, whatIf, maxFibreM, options.backhaulMaxFibreM === undefined),
    elapsedMs: Math.round(performance.now() - started),
  }
}

function coverageGain(areas: AreaChange | undefined, villages: VillageChanges | undefined): CoverageGain {
  const zero = (): Transitions<number> => ({ noneToWeak: 0, noneToGood: 0, weakToGood: 0 })
  const counts = villages?.counts ?? zero()
  const population = villages?.population ?? zero()
  const communes = new Map<string, CommuneChange>()
  for (const v of villages?.villages ?? []) {
    let c = communes.get(v.commune.code)
    if (!c) {
      c = { code: v.commune.code, name: v.commune.name, villages: { ...zero(), newlyCovered: 0 }, population: { ...zero(), newlyCovered: 0 } }
      communes.set(v.commune.code, c)
    }
    const key: keyof Transitions<number> = v.after === 'good' ? (v.before === 'weak' ? 'weakToGood' : 'noneToGood') : 'noneToWeak'
    c.villages[key]++
    c.population[key] += v.population ?? 0
    if (key !== 'weakToGood') {
      c.villages.newlyCovered++
      c.population.newlyCovered += v.population ?? 0
    }
  }
  const t = areas?.transitions ?? zero()
  return {
    villages: { newlyCovered: counts.noneToWeak + counts.noneToGood, improved: counts.weakToGood, counts },
    population: { newlyCovered: population.noneToWeak + population.noneToGood, improved: population.weakToGood, counts: population },
    byCommune: [...communes.values()].sort((a, b) => a.code.localeCompare(b.code)),
    areaKm2: { newlyCovered: t.noneToWeak + t.noneToGood, improved: t.weakToGood, transitions: t },
    deadZoneKm2: {
      before: areas?.deadZoneKm2.before ?? 0,
      after: areas?.deadZoneKm2.after ?? 0,
      change: (areas?.deadZoneKm2.after ?? 0) - (areas?.deadZoneKm2.before ?? 0),
    },
    changedVillages: (villages?.villages ?? []).map((v) => ({
      id: v.id, code: v.code, name: v.name, communeCode: v.commune.code, population: v.population, before: v.before, after: v.after,
    })),
  }
}

function costOf(sites: readonly PlanSiteRow[], whatIf: WhatIfSitesResult | null, options: EvaluationOptions): PlanEvaluation['cost'] {
  const keys = Object.keys(DEFAULT_COST_MODEL) as Array<keyof typeof DEFAULT_COST_MODEL>
  const parameters = Object.fromEntries(keys.map((k) => [k, { value: options[k] ?? DEFAULT_COST_MODEL[k], isDefault: options[k] === undefined }])) as PlanEvaluation['cost']['parameters']
  let incomplete = false
  const perSite = sites.map((s, i) => {
    const d = whatIf?.sites[i]?.distances
    const fibreKm = d?.fibre ? d.fibre.distanceM / 1000 : null
    const powerKm = d?.powerLine ? d.powerLine.distanceM / 1000 : null
    if (fibreKm === null || powerKm === null) incomplete = true
    const fibre = fibreKm === null ? null : roundTo(fibreKm * parameters.fibreCostPerKm.value, 1)
    const power = powerKm === null ? null : roundTo(powerKm * parameters.powerCostPerKm.value, 1)
    const site = parameters.siteCost.value
    return {
      position: s.position, label: s.label, site, fibreKm: fibreKm === null ? null : roundTo(fibreKm, 3), fibre,
      powerKm: powerKm === null ? null : roundTo(powerKm, 3), power, total: roundTo(site + (fibre ?? 0) + (power ?? 0), 1),
    }
  })
  const sum = (f: (x: typeof perSite[number]) => number) => roundTo(perSite.reduce((a, x) => a + f(x), 0), 1)
  return {
    currency: COST_CURRENCY,
    parameters,
    defaultsUsed: keys.filter((k) => parameters[k].isDefault),
    sites: perSite,
    totals: { sites: sum((x) => x.site), fibre: sum((x) => x.fibre ?? 0), power: sum((x) => x.power ?? 0), total: sum((x) => x.total) },
    incomplete,
    model: `per site: ${parameters.siteCost.value} + ${parameters.fibreCostPerKm.value}/km to the nearest fibre route + ${parameters.powerCostPerKm.value}/km to the nearest power line (geodesic distances, ${COST_CURRENCY})`,
  }
}

async function backhaulOf(
  db: Db, dem: DemStore, plan: PlanRow, sites: readonly PlanSiteRow[], whatIf: WhatIfSitesResult | null, maxFibreM: number, isDefaultMaxFibre: boolean,
): Promise<PlanEvaluation['backhaul']> {
  const out: SiteBackhaul[] = []
  for (const [i, s] of sites.entries()) {
    const fibreLine = whatIf?.sites[i]?.distances.fibre ?? null
    const fibre = fibreLine ? { code: fibreLine.code, distanceM: fibreLine.distanceM } : null
    const base = { position: s.position, label: s.label, fibre }
    if (fibre && fibre.distanceM <= maxFibreM) {
      out.push({ ...base, method: 'fibre', pass: true, microwave: null, reason: null })
      continue
    }
    const [lon, lat] = s.geometry.coordinates as [number, number]
    const targets = await listFibreFedSitesNear(db, plan.operator_id, lon, lat, MAX_MICROWAVE_HOP_M, maxFibreM, HOPS_CHECKED)
    let best: MicrowaveHop | null = null
    const problems: string[] = []
    for (const t of targets) {
      const heightM = t.height_m ?? DEFAULT_EXISTING_MAST_M
      try {
        const c = await checkBackhaul(dem, { from: { lon, lat, heightM: s.height_m }, to: { lon: t.lon, lat: t.lat, heightM } })
        const hop: MicrowaveHop = {
          to: { siteId: t.id, code: t.code, name: t.name, lon: t.lon, lat: t.lat, heightM },
          distanceM: c.distanceM,
          pass: c.pass,
          clearanceRatio: roundTo(c.worst.clearanceRatio, 3),
          obstruction: c.obstruction && {
            distanceM: c.obstruction.distanceM, groundM: c.obstruction.groundM, obstructionM: c.obstruction.obstructionM,
            clearanceRatio: roundTo(c.obstruction.clearanceRatio, 3), aboveRequiredM: c.obstruction.aboveRequiredM, blocksLineOfSight: c.obstruction.blocksLineOfSight,
          },
          neededExtraHeightM: c.neededExtraHeightM.both,
          verdict: c.verdict,
        }
        if (!best || (hop.pass && !best.pass) || (hop.pass === best.pass && hop.clearanceRatio > best.clearanceRatio)) best = hop
      } catch (e) {
        if (!(e instanceof AppError)) throw e
        problems.push(`${t.code}: ${e.message}`)
      }
    }
    const far = fibre ? `${Math.round(fibre.distanceM)} m from the nearest fibre route (more than ${maxFibreM} m)` : 'no fibre route in the data'
    if (best) {
      out.push({ ...base, method: 'microwave', pass: best.pass, microwave: best, reason: `${far}: microwave hop to ${best.to.code} ${best.pass ? 'passes' : 'fails'} the Fresnel rule` })
    } else {
      const why = targets.length === 0
        ? `no existing ${plan.operator_code} site fed by fibre within ${MAX_MICROWAVE_HOP_M / 1000} km`
        : `no hop could be checked (${problems.join('; ')})`
      out.push({ ...base, method: 'none', pass: false, microwave: null, reason: `${far}; ${why}` })
    }
  }
  const count = (f: (b: SiteBackhaul) => boolean) => out.filter(f).length
  const summary = {
    fibre: count((b) => b.method === 'fibre'),
    microwavePass: count((b) => b.method === 'microwave' && b.pass),
    microwaveFail: count((b) => b.method === 'microwave' && !b.pass),
    noHop: count((b) => b.method === 'none'),
    passes: count((b) => b.pass),
    fails: count((b) => !b.pass),
  }
  return { maxFibreM, isDefaultMaxFibre, sites: out, summary }
}

// ---- Side by side ----------------------------------------------------------------------------------

export const MIN_COMPARED_PLANS = 2
export const MAX_COMPARED_PLANS = 6

export interface ComparisonRow {
  key: string
  label: string
  unit: string
  /** For the rows by commune. */
  commune?: { code: string; name: string }
  /** One value per plan, in the order of `plans`. */
  values: Array<number | null>
}

export interface PlanComparison {
  plans: Array<PlanEvaluation['plan']>
  runIds: Array<number | null>
  currency: string
  costDefaultsUsed: Array<keyof typeof DEFAULT_COST_MODEL>
  rows: ComparisonRow[]
}

/**
 * Plans side by side: one column per plan (in the order asked), one row per figure: sites; villages
 * and population newly covered and improved (any operator, then the plan's operator); the same by
 * commune for any operator (the union of the plans' communes, 0 where a plan changes none there);
 * area newly covered; dead zone before, after and its change; cost (sites, fibre, power, total);
 * backhaul passes and fails. 400 for fewer than 2 or more than 6 ids or a repeated id; 404 naming
 * the first unknown plan.
 */
export async function comparePlans(db: Db, dem: DemStore, ids: readonly number[], options: EvaluationOptions = {}): Promise<PlanComparison> {
  if (ids.length < MIN_COMPARED_PLANS || ids.length > MAX_COMPARED_PLANS) {
    throw new AppError('validation-failed', `ids: give ${MIN_COMPARED_PLANS} to ${MAX_COMPARED_PLANS} plan ids, not ${ids.length}`, [
      { field: 'ids', location: 'querystring', value: ids.join(','), reason: `${MIN_COMPARED_PLANS}–${MAX_COMPARED_PLANS} ids` },
    ])
  }
  const bad = ids.find((id) => !Number.isInteger(id) || id < 1 || id > 2_147_483_647)
  if (bad !== undefined) {
    throw new AppError('validation-failed', `ids: ${bad} is not a plan id`, [{ field: 'ids', location: 'querystring', value: ids.join(','), reason: 'integers from 1 to 2147483647' }])
  }
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i)
  if (repeated !== undefined) {
    throw new AppError('validation-failed', `ids: plan ${repeated} is given twice`, [{ field: 'ids', location: 'querystring', value: ids.join(','), reason: 'each id once' }])
  }
  const found = new Map((await findPlansByIds(db, ids)).map((p) => [p.id, p]))
  const missing = ids.find((id) => !found.has(id))
  if (missing !== undefined) {
    throw new AppError('not-found', `Plan ${missing} does not exist`, [{ field: 'ids', location: 'querystring', value: missing, reason: 'no plan with this id' }])
  }
  const evaluations: PlanEvaluation[] = []
  for (const id of ids) evaluations.push(await evaluateFoundPlan(db, dem, found.get(id)!, options))

  const rows: ComparisonRow[] = []
  const row = (key: string, label: string, unit: string, f: (e: PlanEvaluation) => number | null, commune?: ComparisonRow['commune']) =>
    rows.push({ key, label, unit, ...(commune ? { commune } : {}), values: evaluations.map(f) })
  row('sites', 'Sites', 'sites', (e) => e.plan.siteCount)
  for (const basis of ['any', 'operator'] as const) {
    const who = basis === 'any' ? 'any operator' : "the plan's operator"
    row(`${basis}.villagesNewlyCovered`, `Villages newly covered (${who}: none → weak or good)`, 'villages', (e) => e.coverage[basis].villages.newlyCovered)
    row(`${basis}.populationNewlyCovered`, `Population newly covered (${who})`, 'people', (e) => e.coverage[basis].population.newlyCovered)
    row(`${basis}.villagesImproved`, `Villages improved (${who}: weak → good)`, 'villages', (e) => e.coverage[basis].villages.improved)
    row(`${basis}.populationImproved`, `Population improved (${who})`, 'people', (e) => e.coverage[basis].population.improved)
  }
  const communes = new Map<string, string>()
  for (const e of evaluations) for (const c of e.coverage.any.byCommune) communes.set(c.code, c.name)
  for (const [code, name] of [...communes].sort(([a], [b]) => a.localeCompare(b))) {
    const of = (e: PlanEvaluation) => e.coverage.any.byCommune.find((c) => c.code === code)
    const commune = { code, name }
    row('commune.villagesNewlyCovered', `${name}: villages newly covered`, 'villages', (e) => of(e)?.villages.newlyCovered ?? 0, commune)
    row('commune.populationNewlyCovered', `${name}: population newly covered`, 'people', (e) => of(e)?.population.newlyCovered ?? 0, commune)
    row('commune.villagesImproved', `${name}: villages improved`, 'villages', (e) => of(e)?.villages.weakToGood ?? 0, commune)
    row('commune.populationImproved', `${name}: population improved`, 'people', (e) => of(e)?.population.weakToGood ?? 0, commune)
  }
  row('any.areaNewlyCoveredKm2', 'Area newly covered (any operator)', 'km²', (e) => roundTo(e.coverage.any.areaKm2.newlyCovered, 4))
  row('any.deadZoneBeforeKm2', 'Dead zone within the sites\' radius, before', 'km²', (e) => roundTo(e.coverage.any.deadZoneKm2.before, 4))
  row('any.deadZoneAfterKm2', 'Dead zone within the sites\' radius, after', 'km²', (e) => roundTo(e.coverage.any.deadZoneKm2.after, 4))
  row('any.deadZoneChangeKm2', 'Dead zone change', 'km²', (e) => roundTo(e.coverage.any.deadZoneKm2.change, 4))
  row('cost.sites', 'Cost: sites', COST_CURRENCY, (e) => e.cost.totals.sites)
  row('cost.fibre', 'Cost: fibre to the nearest route', COST_CURRENCY, (e) => e.cost.totals.fibre)
  row('cost.power', 'Cost: power to the nearest line', COST_CURRENCY, (e) => e.cost.totals.power)
  row('cost.total', 'Cost: total', COST_CURRENCY, (e) => e.cost.totals.total)
  row('backhaul.passes', 'Backhaul: sites on fibre or with a passing microwave hop', 'sites', (e) => e.backhaul.summary.passes)
  row('backhaul.fails', 'Backhaul: sites with a failing hop or none', 'sites', (e) => e.backhaul.summary.fails)
  return {
    plans: evaluations.map((e) => e.plan),
    runIds: evaluations.map((e) => e.runId),
    currency: COST_CURRENCY,
    costDefaultsUsed: evaluations[0]!.cost.defaultsUsed,
    rows,
  }
}

