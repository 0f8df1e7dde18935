/** What a long optimiser run reports: the phase and how far it is (0–1), with the objective so far. */
export interface OptimiserProgress {
  phase: 'greedy' | 'local-search'
  fraction: number
  /** Newly covered weight of the current selection. */
  objective: number
  /** Number of chosen candidates. */
  chosen: number
}

/** Thrown inside the optimiser when the AbortSignal fires; `optimise` turns it into status 'cancelled'. */
export class OptimiserCancelled extends Error {
  constructor() {
    super('optimiser run cancelled')
    this.name = 'OptimiserCancelled'
  }
}

/**
 * Cancellation, progress and cooperative yielding for one run. The algorithms are synchronous
 * loops; every `checkEvery` steps they ask `due()` and, when it is time, `await pause()`, which
 * gives the event loop a turn (so an abort from a request, a timer or a job queue is seen) and
 * throws `OptimiserCancelled` if the signal fired. Progress is throttled to `progressEveryMs`.
 */
export class RunContext {
  evaluations = 0
  private lastYield = performance.now()
  private lastProgress = -Infinity
  private lastPhase: OptimiserProgress['phase'] | null = null
  private lastFraction = 0

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: ((p: OptimiserProgress) => void) | undefined,
    private readonly yieldEveryMs = 20,
    private readonly progressEveryMs = 100,
  ) {}

  /** Throws when cancelled (synchronously; no yield). */
  check(): void {
    if (this.signal?.aborted) throw new OptimiserCancelled()
  }

  /** True when the loop should `await pause()`. */
  due(): boolean {
    return this.signal?.aborted === true || performance.now() - this.lastYield >= this.yieldEveryMs
  }

  async pause(): Promise<void> {
    this.check()
    if (this.signal) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0))
      this.check()
    }
    this.lastYield = performance.now()
  }

  progress(p: OptimiserProgress, force = false): void {
    if (!this.onProgress) return
    const now = performance.now()
    if (!force && now - this.lastProgress < this.progressEveryMs) return
    this.lastProgress = now
    // Monotone within a phase (the local search cannot know how far it is from converging).
    const fraction = Math.min(1, Math.max(0, p.fraction, p.phase === this.lastPhase ? this.lastFraction : 0))
    this.lastPhase = p.phase
    this.lastFraction = fraction
    this.onProgress({ ...p, fraction })
    this.check()
  }
}
