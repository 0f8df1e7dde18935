// Starts a worker thread whose code is TypeScript: registers tsx's loader in
// this thread (a worker does not inherit the parent's loader hooks under
// every runner, e.g. vitest), then imports the entry given in workerData.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
