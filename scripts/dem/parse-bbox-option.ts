import type { DemBbox } from '../../server/geo/dem/hgt-tile-name.ts'

/** Parses `--bbox W,S,E,N` (degrees) or exits the process with a message saying what is wrong. */
export function parseBboxOption(text: string): DemBbox {
  const parts = text.split(',').map((p) => Number(p.trim()))
  if (parts.length !== 4 || !parts.every(Number.isFinite)) {
    console.error(`--bbox must be four numbers west,south,east,north in degrees, e.g. 103,20.5,105.2,22; got '${text}'`)
    process.exit(2)
  }
  const [w, s, e, n] = parts as [number, number, number, number]
  if (w > e || s > n || w < -180 || e > 180 || s < -90 || n > 90) {
    console.error(`--bbox ${text}: expected west ≤ east and south ≤ north within lon −180…180, lat −90…90 (the order is west,south,east,north)`)
    process.exit(2)
  }
  return [w, s, e, n]
}
