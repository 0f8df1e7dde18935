import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Db } from '../../server/db/database.ts'
import type { LayerName } from '../../server/import/layer-definition.ts'
import { openDemStore, type DemStore } from '../../server/services/dem/dem-store.ts'
import { runImport } from '../../server/services/import.service.ts'
import { createPlaneHgt } from './dem-tiles.ts'

/** A DEM store over 3″ tiles of the test plane (every path in sight) in a fresh folder. */
export async function planeDemStore(dir: string, tiles: readonly string[] = ['N21E103']): Promise<DemStore> {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const name of tiles) writeFileSync(path.join(dir, `${name}.hgt`), createPlaneHgt(name))
  return openDemStore({ dir })
}

/** Writes `text` to `dir/name` and imports it as `layer` (the real pipeline), actor 'test'. */
export async function importText(db: Db, layer: LayerName, dir: string, name: string, text: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, name)
  writeFileSync(file, text)
  await runImport(db, { layer, path: file, actor: 'test' })
}
