/**
 * The manifest `dem:fetch` keeps next to the tiles it downloads (`<dataDir>/dem/fetch-manifest.json`):
 * per tile, either the file with its size and sha256 (checked on every re-run), or "absent" when the
 * mirror has no such tile (SRTM has no tile where a 1° cell is all sea).
 */
import { randomUUID } from 'node:crypto'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const FETCH_MANIFEST_FILE = 'fetch-manifest.json'

export type FetchManifestEntry =
  | { status: 'present'; file: string; bytes: number; sha256: string; url: string; fetchedAt: string }
  | { status: 'absent'; url: string; checkedAt: string }

export interface FetchManifest {
  version: 1
  tiles: Record<string, FetchManifestEntry>
}

/** The manifest in `dir`, or an empty one when there is none. A damaged manifest counts as none (every tile is then fetched again). */
export async function readFetchManifest(dir: string): Promise<FetchManifest> {
  let text: string
  try {
    text = await readFile(join(dir, FETCH_MANIFEST_FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tiles: {} }
    throw err
  }
  try {
    const parsed = JSON.parse(text) as Partial<FetchManifest>
    if (parsed.version !== 1 || typeof parsed.tiles !== 'object' || parsed.tiles === null) return { version: 1, tiles: {} }
    return { version: 1, tiles: parsed.tiles }
  } catch {
    return { version: 1, tiles: {} }
  }
}

/** Writes the manifest atomically (a temporary file renamed over the old one). Tiles sorted by name. */
export async function writeFetchManifest(dir: string, manifest: FetchManifest): Promise<void> {
  const sorted: FetchManifest = { version: 1, tiles: Object.fromEntries(Object.entries(manifest.tiles).sort(([a], [b]) => a.localeCompare(b))) }
  const tmp = join(dir, `.${FETCH_MANIFEST_FILE}.${randomUUID()}.tmp`)
  try {
    await writeFile(tmp, `${JSON.stringify(sorted, null, 2)}\n`)
    await rename(tmp, join(dir, FETCH_MANIFEST_FILE))
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}
