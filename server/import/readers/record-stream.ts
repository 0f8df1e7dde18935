import type { OpenedSource, SourceRecord } from './types.ts'

/**
 * Wraps a reader's record generator so that the records can be read once, and
 * the file is released exactly once: when the generator ends, throws, or is
 * stopped early (`break` calls `return()`), or when `close()` is called because
 * the records were never read (an async generator that never started runs no
 * `finally`, so the caller needs `close()` for that case).
 */
export function recordStream(
  generate: () => AsyncGenerator<SourceRecord, void, undefined>,
  release: () => Promise<void> | void,
): Pick<OpenedSource, 'records' | 'close'> {
  let started = false
  let released: Promise<void> | undefined
  const releaseOnce = (): Promise<void> => {
    released ??= Promise.resolve().then(release)
    return released
  }
  async function* run(): AsyncGenerator<SourceRecord, void, undefined> {
    try {
      yield* generate()
    } finally {
      await releaseOnce()
    }
  }
  return {
    records: {
      [Symbol.asyncIterator]() {
        if (started) throw new Error('the records of an opened source can be read only once')
        if (released) throw new Error('the source was closed before its records were read')
        started = true
        return run()
      },
    },
    close: releaseOnce,
  }
}
