import type { Db } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import { plainGreedy } from '../../planning/optimiser/greedy.ts'
import { buildInstance, coverOf, type OptimiserInstance } from '../../planning/optimiser/instance.ts'
import { optimise, type OptimiseResult } from '../../planning/optimiser/optimise.ts'
import { OptimiserCancelled } from '../../planning/optimiser/run-context.ts'
import type { DemStore } from '../dem/dem-store.ts'
import type { WriteContext } from '../write-context.ts'
import {
  buildCandidateCoverage, resolveCandidateScope, type CandidateCoverage, type CandidateCoverageRequest,
} from './candidate-coverage.service.ts'
import { roundTo } from '../../lib/round.ts'

/**
 * Site optimiser runs started from the API (issue 7), following the coverage jobs' pattern
 * (server/services/coverage/coverage-jobs.service.ts): checked before the 202 (scope, operator,
 * communes, a current run), then run in the background with an AbortController, readable while
 * they run (phase and fraction), cancellable, awaited on close.
 *
 * One run at a time per process: the coverage sets are CPU work in the server's thread (they yield
 * every 20 ms), so further requests wait in a queue (status 'queued'; at most
 * `MAX_QUEUED_OPTIMISE_JOBS`, then 429). Jobs live in memory only: a restart forgets them (the
 * last `KEPT_OPTIMISE_JOBS` finished ones are kept for reading; issue 8 brings persistence).
 *
 * Phases: loading (database reads) → coverage-sets (one sweep per candidate) → backhaul (hops) →
 * greedy → local-search → done; `fraction` is within the phase.
 */

export const MAX_QUEUED_OPTIMISE_JOBS = 8
export const KEPT_OPTIMISE_JOBS = 50

export interface OptimiseJobRequest extends CandidateCoverageRequest {
  /** At most k new sites (count budget). */
  k?: number
  /** Total cost at most this, in the cost model's unit (cost budget). */
  budget?: number
  /** The fewest sites reaching this share (0–1) of the scope's weight, existing coverage included. */
  targetShare?: number
  /** Time cap of the local search, ms (default 60 s). */
  localSearchMaxMs?: number
}

export type OptimiseJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'
export type OptimisePhase = 'queued' | 'loading' | 'coverage-sets' | 'backhaul' | 'greedy' | 'local-search' | 'done'

export interface ChosenSite {
  id: number
  code: string
  name: string | null
  position: { lon: number; lat: number }
  groundElevationM: number | null
  slopeDeg: number | null
  /** Villages it serves that no existing site serves (shared with other chosen sites or not). */
  newlyCovers: { villages: number; population: number }
  /** Weight only this site serves in the selection (what removing it would lose). */
  ownWeight: number
  backhaul: { mode: 'fibre'; fibreKm: number } | { mode: 'microwave'; hub: { id: number; code: string; distanceKm: number; clearanceRatio: number }; fibreKm: number | null }
  power: { mode: 'grid'; gridKm: number } | { mode: 'solar'; gridKm: number | null }
  cost: { site: number; backhaul: number; power: number; total: number }
}

export interface SelectionSummary {
  chosen: Array<{ id: number; code: string }>
  newlyCoveredWeight: number
  cost: number
}

export interface OptimiseJobResult {
  status: OptimiseResult['status']
  mode: OptimiseResult['mode']
  runId: number
  onDate: string
  radiusM: number
  thresholds: { goodDbm: number; weakDbm: number }
  scope: {
    villages: number
    population: number
    weight: number
    alreadyServed: { villages: number; population: number; weight: number }
  }
  candidates: {
    considered: number
    feasible: number
    withGain: number
    infeasible: { noBackhaul: number; noPower: number; noBackhaulNoPower: number }
    excluded: CandidateCoverage['excluded']
    fibreFedHubs: number
  }
  chosen: ChosenSite[]
  newlyCovered: {
    villages: number
    population: number
    weight: number
    /** (already served + newly served weight) / total weight. */
    coveredShare: number
    list: Array<{ id: number; code: string; name: string; communeCode: string; population: number }>
  }
  byCommune: Array<{ communeCode: string; villages: number; population: number; newlyCoveredVillages: number; newlyCoveredPopulation: number }>
  cost: { total: number; site: number; backhaul: number; power: number }
  /** The greedy alone (count mode: the plain greedy's choice, which the lazy greedy equals), and what the local search added. */
  comparison: { greedy: SelectionSummary & { variant: string }; plainGreedy: SelectionSummary | null; improvementWeight: number }
  model: CandidateCoverage['model']
  timesMs: { coverageSets: number; backhaul: number; greedy: number; localSearch: number }
  stats: CandidateCoverage['stats']
}

export interface OptimiseJobView {
  id: number
  status: OptimiseJobStatus
  progress: { phase: OptimisePhase; fraction: number }
  /** Phases passed, with their time (ms). */
  phases: Array<{ phase: OptimisePhase; ms: number }>
  cancelRequested: boolean
  error: string | null
  request: OptimiseJobRequest
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  result: OptimiseJobResult | null
}

export interface OptimiseJobLogger {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface OptimiseJobs {
  /** Checks the request, queues the run; resolves with the job (queued or running). */
  start(request: OptimiseJobRequest, ctx: WriteContext): Promise<OptimiseJobView>
  get(id: number): OptimiseJobView
  /** Asks a queued or running job to stop; a finished one is returned as it is. */
  cancel(id: number): OptimiseJobView
  /** Cancels every job and waits for the running one; nothing starts afterwards. */
  close(): Promise<void>
}

interface Job {
  id: number
  status: OptimiseJobStatus
  request: OptimiseJobRequest
  actor: string
  controller: AbortController
  phase: OptimisePhase
  fraction: number
  phases: Array<{ phase: OptimisePhase; ms: number }>
  phaseStarted: number
  error: string | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  result: OptimiseJobResult | null
  ended: Promise<void>
}

export function createOptimiseJobs(options: { db: Db; dem: DemStore; log: OptimiseJobLogger }): OptimiseJobs {
  const { db, dem, log } = options
  const jobs = new Map<number, Job>()
  const queue: Job[] = []
  let running: Job | undefined
  let nextId = 1
  let closed = false

  function setPhase(job: Job, phase: OptimisePhase, fraction: number): void {
    if (phase !== job.phase) {
      const now = performance.now()
      if (job.phase !== 'queued') job.phases.push({ phase: job.phase, ms: Math.round(now - job.phaseStarted) })
      job.phaseStarted = now
      job.phase = phase
    }
    job.fraction = Math.min(1, Math.max(0, fraction))
  }

  function finish(job: Job, status: OptimiseJobStatus): void {
    job.status = status
    job.finishedAt = new Date()
    if (status === 'done') setPhase(job, 'done', 1)
    // Forget the oldest finished jobs beyond the kept number.
    const finished = [...jobs.values()].filter((j) => j.finishedAt !== null)
    for (const old of finished.slice(0, Math.max(0, finished.length - KEPT_OPTIMISE_JOBS))) jobs.delete(old.id)
  }

  async function execute(job: Job): Promise<void> {
    job.status = 'running'
    job.startedAt = new Date()
    job.phaseStarted = performance.now()
    const signal = job.controller.signal
    try {
      const coverage = await buildCandidateCoverage(db, dem, job.request, { signal, onProgress: (phase, fraction) => setPhase(job, phase, fraction) })
      const instance = buildInstance(coverage.input)
      setPhase(job, 'greedy', 0)
      const r = job.request
      const result = await optimise(instance, {
        k: r.k, budget: r.budget, targetShare: r.targetShare, localSearchMaxMs: r.localSearchMaxMs, signal,
        onProgress: (p) => setPhase(job, p.phase, p.fraction),
      })
      job.result = describeResult(coverage, instance, result, r)
      finish(job, result.status === 'cancelled' ? 'cancelled' : 'done')
      log.info({ jobId: job.id, status: job.status, chosen: result.chosen.length, objective: result.objective }, `optimise job ${job.id} ${job.status}`)
    } catch (err) {
      if (err instanceof OptimiserCancelled) {
        finish(job, 'cancelled')
      } else {
        job.error = err instanceof AppError ? err.message : 'the optimiser run failed (see the server log)'
        log.error({ err, jobId: job.id }, 'optimise job failed')
        finish(job, 'failed')
      }
    }
  }

  function pump(): void {
    if (running || closed) return
    const job = queue.shift()
    if (!job) return
    running = job
    job.ended = execute(job).finally(() => {
      running = undefined
      pump()
    })
  }

  function requireJob(id: number): Job {
    const job = jobs.get(id)
    if (!job) throw new AppError('not-found', `Optimiser job ${id} does not exist (jobs live in memory: a restart forgets them)`)
    return job
  }

  return {
    async start(request, ctx) {
      if (closed) throw new Error('the optimiser jobs are closed')
      if (request.k === undefined && request.budget === undefined && request.targetShare === undefined) {
        throw new AppError('validation-failed', 'give k (a count of sites), budget (a total cost) or targetShare (0–1)', [
          { field: 'k', location: 'body', reason: 'one of k, budget or targetShare is required' },
        ])
      }
      await resolveCandidateScope(db, request)
      if (queue.length >= MAX_QUEUED_OPTIMISE_JOBS) {
        throw new AppError('rate-limited', `${queue.length} optimiser runs are already waiting: try again when one has finished`)
      }
      const job: Job = {
        id: nextId++, status: 'queued', request, actor: ctx.actor, controller: new AbortController(), phase: 'queued', fraction: 0, phases: [],
        phaseStarted: performance.now(), error: null, createdAt: new Date(), startedAt: null, finishedAt: null, result: null, ended: Promise.resolve(),
      }
      jobs.set(job.id, job)
      queue.push(job)
      pump()
      return view(job)
    },

    get(id) {
      return view(requireJob(id))
    },

    cancel(id) {
      const job = requireJob(id)
      if (job.status === 'queued') {
        queue.splice(queue.indexOf(job), 1)
        job.controller.abort()
        finish(job, 'cancelled')
      } else if (job.status === 'running') {
        job.controller.abort()
      }
      return view(job)
    },

    async close() {
      closed = true
      for (const job of queue.splice(0)) {
        job.controller.abort()
        finish(job, 'cancelled')
      }
      const job = running
      if (!job) return
      job.controller.abort()
      await job.ended
    },
  }
}

function view(job: Job): OptimiseJobView {
  return {
    id: job.id,
    status: job.status,
    progress: { phase: job.phase, fraction: roundTo(job.fraction, 3) },
    phases: [...job.phases],
    cancelRequested: job.controller.signal.aborted && job.status === 'running',
    error: job.error,
    request: job.request,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    result: job.result,
  }
}

/** The optimiser's answer in the API's terms: sites with their connection and cost, villages, communes, the greedy for comparison. */
function describeResult(coverage: CandidateCoverage, instance: OptimiserInstance, result: OptimiseResult, request: OptimiseJobRequest): OptimiseJobResult {
  const { villages, candidates, model } = coverage
  const siteCost = coverage.input.candidates[0]?.siteCost ?? 0
  const served = villages.filter((v) => v.served)
  const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0)

  // Villages newly covered by the selection and, per site, its own and shared coverage.
  const count = new Int32Array(villages.length)
  for (const j of result.chosen) for (const i of coverOf(instance, j)) count[i]!++
  const chosen: ChosenSite[] = result.chosen.map((j) => {
    const c = candidates[j]!
    const cover = coverOf(instance, j)
    const backhaulMode = instance.backhaul[j]!
    const powerMode = instance.power[j]!
    const backhaulCost = backhaulMode === 'fibre' ? model.fibreCostPerKm * c.fibreKm : model.microwaveHopCost
    const powerCost = powerMode === 'grid' ? model.powerCostPerKm * c.gridKm : model.solarCost
    return {
      id: c.id, code: c.code, name: c.name, position: { lon: c.lon, lat: c.lat }, groundElevationM: c.groundElevationM, slopeDeg: c.slopeDeg,
      newlyCovers: { villages: cover.length, population: sum([...cover], (i) => villages[i]!.population) },
      ownWeight: sum([...cover].filter((i) => count[i] === 1), (i) => villages[i]!.weight),
      backhaul: backhaulMode === 'fibre' || c.hop === null
        ? { mode: 'fibre', fibreKm: roundTo(c.fibreKm, 3) }
        : { mode: 'microwave', hub: { id: c.hop.siteId, code: c.hop.siteCode, distanceKm: roundTo(c.hop.distanceKm, 3), clearanceRatio: roundTo(c.hop.clearanceRatio, 3) }, fibreKm: Number.isFinite(c.fibreKm) ? roundTo(c.fibreKm, 3) : null },
      power: powerMode === 'grid' ? { mode: 'grid', gridKm: roundTo(c.gridKm, 3) } : { mode: 'solar', gridKm: Number.isFinite(c.gridKm) ? roundTo(c.gridKm, 3) : null },
      cost: { site: siteCost, backhaul: roundTo(backhaulCost, 2), power: roundTo(powerCost, 2), total: roundTo(siteCost + backhaulCost + powerCost, 2) },
    }
  })
  const newly = villages.filter((_, i) => count[i]! > 0)
  const communes = new Map<string, OptimiseJobResult['byCommune'][number]>()
  villages.forEach((v, i) => {
    const c = communes.get(v.communeCode) ?? { communeCode: v.communeCode, villages: 0, population: 0, newlyCoveredVillages: 0, newlyCoveredPopulation: 0 }
    c.villages++
    c.population += v.population
    if (count[i]! > 0) {
      c.newlyCoveredVillages++
      c.newlyCoveredPopulation += v.population
    }
    communes.set(v.communeCode, c)
  })
  const summary = (chosenIdx: readonly number[], weight: number, cost: number): SelectionSummary => ({
    chosen: [...chosenIdx].sort((a, b) => a - b).map((j) => ({ id: candidates[j]!.id, code: candidates[j]!.code })), newlyCoveredWeight: weight, cost: roundTo(cost, 2),
  })
  let plain: SelectionSummary | null = null
  if (result.mode === 'count' && request.k !== undefined) {
    const p = plainGreedy(instance, request.k)
    plain = summary(p.chosen, p.objective, sum(p.chosen, (j) => instance.cost[j]!))
  }
  let infeasible = { noBackhaul: 0, noPower: 0, noBackhaulNoPower: 0 }
  for (const r of instance.infeasibility) {
    if (r === 'no-backhaul') infeasible = { ...infeasible, noBackhaul: infeasible.noBackhaul + 1 }
    if (r === 'no-power') infeasible = { ...infeasible, noPower: infeasible.noPower + 1 }
    if (r === 'no-backhaul-no-power') infeasible = { ...infeasible, noBackhaulNoPower: infeasible.noBackhaulNoPower + 1 }
  }
  return {
    status: result.status,
    mode: result.mode,
    runId: coverage.runId,
    onDate: coverage.onDate,
    radiusM: coverage.radiusM,
    thresholds: coverage.thresholds,
    scope: {
      villages: villages.length, population: sum(villages, (v) => v.population), weight: instance.totalWeight,
      alreadyServed: { villages: served.length, population: sum(served, (v) => v.population), weight: instance.baseWeight },
    },
    candidates: {
      considered: candidates.length,
      feasible: sum([...instance.feasible], (f) => f),
      withGain: candidates.filter((_, j) => instance.feasible[j] && instance.coverWeight[j]! > 0).length,
      infeasible,
      excluded: coverage.excluded,
      fibreFedHubs: coverage.hubs,
    },
    chosen,
    newlyCovered: {
      villages: newly.length, population: sum(newly, (v) => v.population), weight: result.objective, coveredShare: roundTo(result.coveredShare, 6),
      list: newly.map((v) => ({ id: v.id, code: v.code, name: v.name, communeCode: v.communeCode, population: v.population })),
    },
    byCommune: [...communes.values()].sort((a, b) => a.communeCode.localeCompare(b.communeCode)),
    cost: {
      total: roundTo(result.cost, 2), site: roundTo(sum(chosen, (c) => c.cost.site), 2),
      backhaul: roundTo(sum(chosen, (c) => c.cost.backhaul), 2), power: roundTo(sum(chosen, (c) => c.cost.power), 2),
    },
    comparison: {
      greedy: { ...summary(result.greedy.chosen, result.greedy.objective, result.greedy.cost), variant: result.greedy.variant },
      plainGreedy: plain,
      improvementWeight: result.objective - result.greedy.objective,
    },
    model,
    timesMs: {
      coverageSets: roundTo(coverage.stats.coverageMs, 1), backhaul: roundTo(coverage.stats.backhaulMs, 1),
      greedy: roundTo(result.timesMs.greedy, 1), localSearch: roundTo(result.timesMs.localSearch, 1),
    },
    stats: { ...coverage.stats, coverageMs: roundTo(coverage.stats.coverageMs, 1), backhaulMs: roundTo(coverage.stats.backhaulMs, 1) },
  }
}

