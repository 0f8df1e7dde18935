import { parentPort, workerData } from 'node:worker_threads'
import { createSectorJobRunner, type SectorJob, type SectorJobSetup } from './sector-raster-job.ts'

/**
 * Worker thread of the coverage recompute: computes the sector rasters of the
 * jobs it is sent and posts them back encoded (their buffers transferred, not
 * copied). The DEM heights arrive once, in SharedArrayBuffers shared by all workers.
 */
const run = createSectorJobRunner(workerData as SectorJobSetup)
parentPort!.on('message', (job: SectorJob) => {
  const result = run(job)
  parentPort!.postMessage(result, result.rasters.map((r) => r.encoded.buffer as ArrayBuffer))
})
