import { readdir, readlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { openSource } from '../../../../server/import/readers/open-source.ts'
import { SourceFormatError, type OpenedSource, type ReaderOptions, type SourceRecord } from '../../../../server/import/readers/types.ts'

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/import/', import.meta.url))

export function fixture(name: string): string {
  return join(FIXTURES, name)
}

/** Opens a file and reads all its records. */
export async function readAll(path: string, options?: ReaderOptions): Promise<{ source: OpenedSource; records: SourceRecord[] }> {
  const source = await openSource(path, options)
  const records: SourceRecord[] = []
  for await (const r of source.records) records.push(r)
  return { source, records }
}

/** The SourceFormatError that opening and reading the file ends with (fails the test if there is none). */
export async function readError(path: string, options?: ReaderOptions): Promise<SourceFormatError> {
  try {
    await readAll(path, options)
  } catch (err) {
    expect(err).toBeInstanceOf(SourceFormatError)
    return err as SourceFormatError
  }
  throw new Error(`${path} was read without error`)
}

/** How many file descriptors of this process point at `path` (Linux /proc; -1 where there is none). */
export async function openDescriptors(path: string): Promise<number> {
  const target = resolve(path)
  let fds: string[]
  try {
    fds = await readdir('/proc/self/fd')
  } catch {
    return -1
  }
  let n = 0
  for (const fd of fds) {
    try {
      if ((await readlink(`/proc/self/fd/${fd}`)) === target) n++
    } catch {
      // closed between readdir and readlink
    }
  }
  return n
}

/** Waits until no descriptor points at `path` (closing a stream completes asynchronously); returns the count left. */
export async function settleDescriptors(path: string, timeoutMs = 2000): Promise<number> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const n = await openDescriptors(path)
    if (n <= 0 || Date.now() > until) return n
    await new Promise((r) => setTimeout(r, 10))
  }
}
