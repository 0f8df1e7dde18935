import type { CoverageModel, Db, JobStatus, Technology } from '../../db/database.ts'
import { AppError } from '../../errors/error-catalogue.ts'
import {
  findCoverageRunDetailById, findCurrentCoverageRunDetail, listCoverageRunDetails, type CoverageRunDetailRow,
} from '../../repositories/coverage.repository.ts'
import type { DemStore } from '../dem/dem-store.ts'
import type { WriteContext } from '../write-context.ts'
import { recomputeCoverage, type RecomputeReport } from './recompute-coverage.service.ts'

/**
 * Coverage recomputes started from the API: one at a time per process, run in
 * the background with an AbortController, readable while they run, cancellable.
 *
 * The run itself is `recomputeCoverage`, which records a `coverage_runs` row,
 * keeps its progress columns up to date (every 20 sites) and promotes it to
 * current only when it is complete, so a cancelled or failed run leaves the
 * previous coverage in place. This module adds what the API needs around it:
 * the run's id as soon as its row exists (the 202 answer names it), fresher
 * progress from the run's callback, cancel, and waiting for the run on close.
 */

export interface CoverageRunRequest {
  technology?: Technology
  /** Sites in service on this date count (YYYY-MM-DD, default today). */
  onDate?: string
  /** Computation radius around each site, m (default: by band and EIRP). */
  radiusM?: number
  /** Compute everything again instead of only what changed. */
  full?: boolean
}

/** A coverage run as the API shows it. */
export interface CoverageRunView {
  id: number
  status: JobStatus
  kind: 'full' | 'incremental'
  model: CoverageModel
  /** The technology computed (from the run's parameters). */
  technology: string | null
  params: Record<string, unknown>
  progress: { done: number; total: number; percent: number }
  isCurrent: boolean
  /** A cancel was asked for and the run has not stopped yet. */
  cancelRequested: boolean
  error: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

export interface CoverageRunList {
  numberMatched: number
  numberReturned: number
  runs: CoverageRunView[]
}

/** The pino-like logger the jobs report to (Fastify's `app.log` fits). */
export interface JobLogger {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface CoverageJobsOptions {
  db: Db
  dem: DemStore
  log: JobLogger
  /** Worker threads of each recompute (default: the recompute's own, one per core). */
  workers?: number
}

export interface CoverageJobs {
  /** Starts a full recompute in the background; resolves once its run is recorded. 409 while another runs. */
  start(request: CoverageRunRequest, ctx: WriteContext): Promise<CoverageRunView>
  /** Asks the run in progress to stop; it ends 'cancelled' and never becomes current. 409 when it has finished. */
  cancel(id: number): Promise<CoverageRunView>
  getRun(id: number): Promise<CoverageRunView>
  /** The complete run the maps read for a technology. */
  getCurrentRun(technology: Technology): Promise<CoverageRunView>
  listRuns(page: { limit: number; offset: number }): Promise<CoverageRunList>
  /** Cancels the run in progress, if any, and waits for it to stop; no run can start afterwards. */
  close(): Promise<void>
}

interface ActiveJob {
  controller: AbortController
  /** Known once the run's row exists. */
  runId: number | undefined
  /** Settles with the run's id once its row exists, or with the error that stopped it before. */
  recorded: Promise<number>
  /** Settles (never rejects) when the recompute has ended. */
  ended: Promise<void>
  progress: { done: number; total: number }
}

const FINISHED: ReadonlySet<JobStatus> = new Set(['done', 'failed', 'cancelled'])

export function createCoverageJobs(options: CoverageJobsOptions): CoverageJobs {
  const { db, dem, log } = options
  let active: ActiveJob | undefined
  let closed = false

  function launch(request: CoverageRunRequest, ctx: WriteContext): ActiveJob {
    const controller = new AbortController()
    let onRecorded!: (id: number) => void
    let onFailedEarly!: (err: unknown) => void
    const recorded = new Promise<number>((resolve, reject) => {
      onRecorded = resolve
      onFailedEarly = reject
    })
    // Handled by start(); this keeps an early failure from also surfacing as an unhandled rejection.
    recorded.catch(() => {})
    const job: ActiveJob = { controller, runId: undefined, recorded, ended: Promise.resolve(), progress: { done: 0, total: 0 } }
    const run = async (): Promise<RecomputeReport> => {
      // Tiles fetched or generated since the last run (dem:fetch, dem:sample) count.
      await dem.refresh()
      return recomputeCoverage(db, dem, {
        onRunStarted: (id) => {
          job.runId = id
          onRecorded(id)
        },
        actor: ctx.actor,
        technology: request.technology,
        onDate: request.onDate,
        radiusM: request.radiusM,
        full: request.full,
        workers: options.workers,
        signal: controller.signal,
        onProgress: (p) => {
          job.progress = p
        },
      })
    }
    job.ended = run().then(
      (report) => {
        log.info({ ...report }, `coverage run ${report.runId} ${report.status}`)
        onFailedEarly(new Error('the recompute ended without recording its run'))
      },
      (err: unknown) => {
        // The recompute has marked its run 'failed' with the message, when the run existed.
        log.error({ err, runId: job.runId }, 'coverage recompute failed')
        onFailedEarly(err)
      },
    ).finally(() => {
      if (active === job) active = undefined
    })
    return job
  }

  async function requireRun(id: number): Promise<CoverageRunDetailRow> {
    const row = await findCoverageRunDetailById(db, id)
    if (!row) throw new AppError('not-found', `Coverage run ${id} does not exist`)
    return row
  }

  function view(row: CoverageRunDetailRow): CoverageRunView {
    const job = active !== undefined && active.runId === row.id ? active : undefined
    // The row is written every 20 sites; the callback counts every one.
    const done = Math.max(row.done_jobs, job?.progress.done ?? 0)
    const total = Math.max(row.total_jobs, job?.progress.total ?? 0)
    const percent = total > 0 ? Math.round((1000 * Math.min(done, total)) / total) / 10 : row.status === 'done' ? 100 : 0
    const params = paramsObject(row.params)
    return {
      id: row.id,
      status: row.status,
      kind: row.kind,
      model: row.model,
      technology: typeof params.technology === 'string' ? params.technology : null,
      params,
      progress: { done, total, percent },
      isCurrent: row.is_current,
      cancelRequested: job?.controller.signal.aborted === true && !FINISHED.has(row.status),
      error: row.error,
      createdAt: iso(row.created_at),
      startedAt: row.started_at === null ? null : iso(row.started_at),
      finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    }
  }

  return {
    async start(request, ctx) {
      if (closed) throw new Error('the coverage jobs are closed')
      if (active) {
        // A run that is starting has no id yet; its row comes within a query or two.
        const id = active.runId ?? (await active.recorded.catch(() => undefined))
        throw new AppError(
          'coverage-run-in-progress',
          id === undefined ? 'A coverage recompute is starting' : `Coverage run ${id} is running: wait for it to finish or cancel it (POST /api/coverage/runs/${id}/cancel)`,
          [{ field: 'runId', value: id, reason: 'one recompute at a time' }],
        )
      }
      const job = launch(request, ctx)
      active = job
      const id = await job.recorded
      return view(await requireRun(id))
    },

    async cancel(id) {
      const row = await requireRun(id)
      if (FINISHED.has(row.status)) throw new AppError('coverage-run-finished', `Coverage run ${id} has already ended (${row.status})`)
      if (active === undefined || active.runId !== id) {
        throw new AppError(
          'coverage-run-not-cancellable',
          `Coverage run ${id} is marked ${row.status} but is not running in this server process (another process started it, or the process that ran it stopped)`,
        )
      }
      active.controller.abort()
      return view(row)
    },

    async getRun(id) {
      return view(await requireRun(id))
    },

    async getCurrentRun(technology) {
      const row = await findCurrentCoverageRunDetail(db, technology)
      if (!row) throw new AppError('not-found', `No ${technology} coverage run is current yet: start one with POST /api/coverage/runs`)
      return view(row)
    },

    async listRuns(page) {
      const { rows, total } = await listCoverageRunDetails(db, page)
      return { numberMatched: total, numberReturned: rows.length, runs: rows.map(view) }
    },

    async close() {
      closed = true
      const job = active
      if (!job) return
      job.controller.abort()
      await job.ended
    },
  }
}

function paramsObject(params: unknown): Record<string, unknown> {
  const value = typeof params === 'string' ? (JSON.parse(params) as unknown) : params
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString()
}
