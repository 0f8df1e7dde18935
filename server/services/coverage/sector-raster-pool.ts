import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { DemTile } from '../../geo/dem/dem-tile.ts'
import { createSectorJobRunner, type SectorJob, type SectorJobResult, type SectorJobSetup } from './sector-raster-job.ts'

/**
 * Runs sector jobs on worker threads (one per core by default), or in this
 * thread when `workers` is 0. DEM heights are copied once into shared memory
 * so every worker reads the same tiles. Results come back in completion order.
 */
export interface SectorRasterPool {
  run(jobs: AsyncIterable<SectorJob> | Iterable<SectorJob>, onResult: (result: SectorJobResult) => Promise<void> | void, signal?: AbortSignal): Promise<void>
  close(): Promise<void>
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism())
}

function toShared(tile: DemTile): DemTile {
  const bytes = tile.heights.byteLength
  const shared = new SharedArrayBuffer(bytes)
  const heights = tile.heights instanceof Int16Array ? new Int16Array(shared) : new Float32Array(shared)
  heights.set(tile.heights)
  return { ...tile, heights }
}

export function createSectorRasterPool(setup: SectorJobSetup, workers = defaultWorkerCount()): SectorRasterPool {
  if (workers <= 0) {
    const runJob = createSectorJobRunner(setup)
    return {
      async run(jobs, onResult, signal) {
        for await (const job of jobs) {
          if (signal?.aborted) return
          await onResult(runJob(job))
          await new Promise<void>((resolve) => setImmediate(resolve))
        }
      },
      async close() {},
    }
  }
  const shared: SectorJobSetup = { ...setup, tiles: setup.tiles.map(toShared) }
  const threads = Array.from({ length: workers }, () =>
    new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { ...shared, entry: new URL('./sector-raster.worker.ts', import.meta.url).href } }))
  return {
    async run(jobs, onResult, signal) {
      const iterator = (Symbol.asyncIterator in jobs ? jobs[Symbol.asyncIterator]() : (jobs as Iterable<SectorJob>)[Symbol.iterator]()) as AsyncIterator<SectorJob> | Iterator<SectorJob>
      let failure: unknown
      // Results are handed to onResult one at a time, in arrival order, while the workers go on
      // with their next jobs; a worker waits only when results pile up (backpressure).
      let consumer: Promise<void> = Promise.resolve()
      let pending = 0
      const maxPending = 2 * threads.length
      const consume = (result: SectorJobResult) => {
        pending++
        consumer = consumer.then(async () => {
          try {
            if (!failure) await onResult(result)
          } catch (err) {
            failure ??= err
          } finally {
            pending--
          }
        })
      }
      const feed = async (worker: Worker): Promise<void> => {
        for (;;) {
          if (signal?.aborted || failure) return
          while (pending >= maxPending) await consumer
          const next = await iterator.next()
          if (next.done) return
          const result = await new Promise<SectorJobResult>((resolve, reject) => {
            const onMessage = (r: SectorJobResult) => { cleanup(); resolve(r) }
            const onError = (e: unknown) => { cleanup(); reject(e) }
            const cleanup = () => { worker.off('message', onMessage); worker.off('error', onError) }
            worker.on('message', onMessage)
            worker.on('error', onError)
            worker.postMessage(next.value)
          })
          consume(result)
        }
      }
      await Promise.all(threads.map((w) => feed(w).catch((err: unknown) => { failure ??= err })))
      await consumer
      if (failure) throw failure
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()))
    },
  }
}
