import type { Db } from '../db/database.ts'
import { listCommuneCodesAndNames, listProvinceCodes } from '../repositories/communes.repository.ts'
import { listOperators } from '../repositories/operators.repository.ts'
import { listSiteKeys } from '../repositories/sites.repository.ts'
import { listVillageCodes } from '../repositories/villages.repository.ts'
import { toSearchForm } from '../lib/search-form.ts'

/** Codes → ids of what imported rows refer to, loaded once per import. */
export interface ReferenceMaps {
  provinces: Map<string, number>
  communes: Map<string, number>
  /** Commune name (diacritic-free search form, without 'xã'/'phường') → id; null when two communes share it. */
  communeNames: Map<string, number | null>
  operators: Map<string, number>
  villages: Map<string, number>
  /** `<operator code>:<site code>` → site id */
  sites: Map<string, number>
}

/** Names operators go by in files: brand names, MNC codes, short forms. */
const OPERATOR_ALIASES: Record<string, readonly string[]> = {
  viettel: ['viettel', 'vietel', 'vtl', 'vtt', '04', '452-04', '45204', '4'],
  vnpt: ['vnpt', 'vinaphone', 'vina', 'vnp', 'vnpt vinaphone', '02', '452-02', '45202', '2'],
  mobifone: ['mobifone', 'mobi', 'mbf', 'vms', '01', '452-01', '45201', '1'],
  vietnamobile: ['vietnamobile', 'vnmobile', 'vnm', '05', '452-05', '45205', '5'],
  gmobile: ['gmobile', 'beeline', 'gtel', '07', '452-07', '45207', '7'],
  itel: ['itel', 'indochina telecom', '09', '452-09', '45209', '9'],
}

/** The operator code for a name as written in a file, or null. */
export function operatorCodeOf(value: string): string | null {
  const s = toSearchForm(value)
  for (const [code, aliases] of Object.entries(OPERATOR_ALIASES)) {
    if (aliases.includes(s)) return code
  }
  return null
}

export async function loadReferences(db: Db, which: ReadonlyArray<keyof ReferenceMaps>): Promise<ReferenceMaps> {
  const refs: ReferenceMaps = { provinces: new Map(), communes: new Map(), communeNames: new Map(), operators: new Map(), villages: new Map(), sites: new Map() }
  if (which.includes('provinces')) refs.provinces = await listProvinceCodes(db)
  if (which.includes('communes')) {
    const communes = await listCommuneCodesAndNames(db)
    refs.communes = new Map(communes.map((c) => [c.code, c.id]))
    for (const c of communes) {
      const key = communeNameKey(c.name)
      refs.communeNames.set(key, refs.communeNames.has(key) ? null : c.id)
    }
  }
  if (which.includes('operators') || which.includes('sites')) {
    refs.operators = new Map((await listOperators(db)).map((o) => [o.code, o.id]))
  }
  if (which.includes('villages')) refs.villages = await listVillageCodes(db)
  if (which.includes('sites')) refs.sites = await listSiteKeys(db)
  return refs
}

/** 'Xã Mường Bú' and 'Mường Bú' and 'muong bu' are the same commune name. */
export function communeNameKey(name: string): string {
  return toSearchForm(name).replace(/^(xa|phuong|dac khu|thi tran)\s+/, '')
}
