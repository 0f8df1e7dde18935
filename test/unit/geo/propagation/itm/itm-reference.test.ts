import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { itmArea, type ItmAreaInput } from '../../../../../server/geo/propagation/itm/itm-area.ts'
import { itmPointToPoint, type ItmP2PInput, type ItmResult } from '../../../../../server/geo/propagation/itm/itm-point-to-point.ts'

// Reference cases of the NTIA/ITS implementation (NTIA/itm, commit 183ad95): see
// test/fixtures/itm/README.md for origin, licence and format.
const FIXTURES = new URL('../../../../fixtures/itm/', import.meta.url)
const read = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8')

/** Rows of a CSV file with a header line, as objects of numbers keyed by column name. */
function readCsv(name: string): Record<string, number>[] {
  const [header, ...rows] = read(name).trim().split(/\r?\n/)
  const keys = (header as string).split(',')
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [keys[i], Number(v)])))
}

/** A profile in the reference's PFL form "np, spacing, z0, …, z_np" (trailing commas allowed). */
function parsePfl(line: string): ItmP2PInput['profile'] {
  const values = line.split(',').filter((v) => v.trim() !== '').map(Number)
  const [np, spacingM, ...elevationsM] = values as [number, number, ...number[]]
  expect(elevationsM).toHaveLength(np + 1)
  return { spacingM, elevationsM }
}

/** "key,value[,value…]" lines of a cmd_examples input file. */
function readInputFile(name: string): Map<string, number[]> {
  return new Map(
    read(`cmd_examples/${name}`)
      .trim()
      .split(/\r?\n/)
      .map((line) => {
        const [key, ...values] = line.split(',')
        return [key as string, values.map(Number)] as const
      }),
  )
}

/** "Label   value   (unit)" lines of a cmd_examples output file, by label. */
function readOutputValues(name: string): Map<string, number> {
  const values = new Map<string, number>()
  for (const line of read(`cmd_examples/${name}`).split(/\r?\n/)) {
    // Decimal numbers, and the warning flags in hexadecimal (0x0000).
    const m = /^(\S.*?)\s{2,}(0x[\da-fA-F]+|-?[\d.]+)(\s|$)/.exec(line)
    if (m) values.set(m[1] as string, Number(m[2]))
  }
  return values
}

/** Rows of the loss table of a cmd_examples output: first column, then one loss per column. */
function readOutputTable(name: string): number[][] {
  const lines = read(`cmd_examples/${name}`).split(/\r?\n/)
  const start = lines.findIndex((l) => l.startsWith('Basic Transmission Loss Results'))
  const rows: number[][] = []
  for (const line of lines.slice(start + 3)) {
    if (!/^\d/.test(line)) break
    rows.push(line.trim().split(/\s+/).map(Number))
  }
  return rows
}

function get(map: Map<string, number[]> | Map<string, number>, key: string): number {
  const v = map.get(key)
  const n = Array.isArray(v) ? v[0] : v
  if (n === undefined) throw new Error(`missing ${key}`)
  return n
}

function p2pInputFromFile(file: Map<string, number[]>, profile: ItmP2PInput['profile']): Omit<ItmP2PInput, 'timePct' | 'locationPct' | 'situationPct'> {
  return {
    profile,
    txHeightM: get(file, 'h_tx__meter'),
    rxHeightM: get(file, 'h_rx__meter'),
    climate: get(file, 'climate') as ItmP2PInput['climate'],
    n0: get(file, 'N_0'),
    frequencyMhz: get(file, 'f__mhz'),
    polarization: get(file, 'pol') as 0 | 1,
    epsilon: get(file, 'epsilon'),
    sigma: get(file, 'sigma'),
    mdvar: get(file, 'mdvar'),
  }
}

/**
 * The intermediate values an output file prints, each within half a unit of its last printed
 * digit (the reference rounds them for printing): free space, A_ref, h_e and Δh to 0.05 dB/m,
 * d to 0.0005 km, horizon angles to 0.0005 mrad, horizon distances to 0.5 m.
 */
function expectIntermediateValues(result: ItmResult, out: Map<string, number>): void {
  const im = result.intermediate
  const within = (label: string, actual: number, tolerance: number): void => {
    const expected = get(out, label)
    expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance + 1e-9)
  }
  within('Free Space', result.freeSpaceDb, 0.05)
  within('d__km', im.dKm, 0.0005)
  within('theta_hzn_tx', im.thetaHznTx * 1000, 0.0005)
  within('theta_hzn_rx', im.thetaHznRx * 1000, 0.0005)
  within('d_hzn_tx__meter', im.dHznTxM, 0.5)
  within('d_hzn_rx__meter', im.dHznRxM, 0.5)
  within('h_e_tx__meter', im.hETxM, 0.05)
  within('h_e_rx__meter', im.hERxM, 0.05)
  within('delta_h__meter', im.deltaHM, 0.05)
  within('A_ref__db', im.aRefDb, 0.05)
  expect(result.mode).toBe(['line-of-sight', 'diffraction', 'troposcatter'][get(out, 'Mode of Propagation') - 1])
  expect(result.warnings).toBe(get(out, 'ITM Warning Flags'))
}

/** The radio and ITM parameters of a reference CSV row, named as our inputs name them. */
function radioOf(c: Record<string, unknown>) {
  return {
    txHeightM: c.h_tx__meter as number,
    rxHeightM: c.h_rx__meter as number,
    climate: c.climate as ItmP2PInput['climate'] & ItmAreaInput['climate'],
    n0: c.N_0 as number,
    frequencyMhz: c.f__mhz as number,
    polarization: c.pol as 0 | 1,
    epsilon: c.epsilon as number,
    sigma: c.sigma as number,
    mdvar: c.mdvar as number,
    timePct: c.time as number,
    locationPct: c.location as number,
    situationPct: c.situation as number,
  }
}

describe('ITM point-to-point against the NTIA/ITS reference', () => {
  const profiles = read('pfls.csv').trim().split(/\r?\n/)
  const cases = readCsv('p2p.csv')

  it('has one profile per p2p.csv case', () => {
    expect(profiles).toHaveLength(cases.length)
  })

  // Measured: the largest difference is 0.004 dB (the reference prints 2 decimals).
  it.each(cases.map((c, i) => [i + 1, c] as const))('p2p.csv case %i is within 0.1 dB of A__db', (i, c) => {
    const result = itmPointToPoint({
      profile: parsePfl(profiles[i - 1] as string),
      ...radioOf(c),
    })
    expect(Math.abs(result.lossDb - (c.A__db as number))).toBeLessThanOrEqual(0.1)
  })

  const pfl = parsePfl(read('cmd_examples/pfl.txt'))

  it('cmd_examples p2ptls: i_p2ptls.txt + pfl.txt → o_p2ptls.txt, loss and intermediate values', () => {
    const input = readInputFile('i_p2ptls.txt')
    const out = readOutputValues('o_p2ptls.txt')
    const result = itmPointToPoint({
      ...p2pInputFromFile(input, pfl),
      timePct: get(input, 'time'),
      locationPct: get(input, 'location'),
      situationPct: get(input, 'situation'),
    })
    expect(Math.abs(result.lossDb - get(out, 'Basic Transmission Loss'))).toBeLessThanOrEqual(0.1)
    expectIntermediateValues(result, out)
  })

  // The reference's confidence/reliability functions are avar(z_reliability, z_reliability,
  // z_confidence) and refuse broadcast mode (mdvar 3); for the other modes the mode of
  // variability replaces the location deviate anyway, so time = reliability, situation =
  // confidence is the same call. These files use mdvar 1 (accidental).
  const crInput = (file: Map<string, number[]>, reliability: number, confidence: number): ItmP2PInput => {
    expect(get(file, 'mdvar') % 10).toBeLessThan(3)
    return { ...p2pInputFromFile(file, pfl), timePct: reliability, locationPct: reliability, situationPct: confidence }
  }

  it('cmd_examples p2pcr: i_p2pcr.txt + pfl.txt → o_p2pcr.txt, loss and intermediate values', () => {
    const input = readInputFile('i_p2pcr.txt')
    const out = readOutputValues('o_p2pcr.txt')
    const result = itmPointToPoint(crInput(input, get(input, 'reliability'), get(input, 'confidence')))
    expect(Math.abs(result.lossDb - get(out, 'Basic Transmission Loss'))).toBeLessThanOrEqual(0.1)
    expectIntermediateValues(result, out)
  })

  it('cmd_examples p2pcr_tbl: every reliability × confidence of o_p2pcr_tbl.txt within 0.1 dB', () => {
    const input = readInputFile('i_p2pcr_tbl.txt')
    const confidences = input.get('confidence') ?? []
    const table = readOutputTable('o_p2pcr_tbl.txt')
    expect(table.map((row) => row[0])).toEqual(input.get('reliability'))
    for (const [reliability, ...losses] of table) {
      losses.forEach((expected, j) => {
        const result = itmPointToPoint(crInput(input, reliability as number, confidences[j] as number))
        expect(Math.abs(result.lossDb - expected), `reliability ${reliability}, confidence ${confidences[j]}`).toBeLessThanOrEqual(0.1)
      })
    }
    const result = itmPointToPoint(crInput(input, 50, 50))
    expectIntermediateValues(result, readOutputValues('o_p2pcr_tbl.txt'))
  })
})

// Bonus: area mode shares every step but the path geometry.
describe('ITM area mode against the NTIA/ITS reference', () => {
  const areaInput = (file: Map<string, number[]>, distanceKm: number): Omit<ItmAreaInput, 'timePct' | 'locationPct' | 'situationPct'> => ({
    distanceKm,
    deltaHM: get(file, 'delta_h__meter'),
    txSiting: get(file, 'tx_site_criteria') as 0 | 1 | 2,
    rxSiting: get(file, 'rx_site_criteria') as 0 | 1 | 2,
    txHeightM: get(file, 'h_tx__meter'),
    rxHeightM: get(file, 'h_rx__meter'),
    climate: get(file, 'climate') as ItmAreaInput['climate'],
    n0: get(file, 'N_0'),
    frequencyMhz: get(file, 'f__mhz'),
    polarization: get(file, 'pol') as 0 | 1,
    epsilon: get(file, 'epsilon'),
    sigma: get(file, 'sigma'),
    mdvar: get(file, 'mdvar'),
  })

  // Measured: the largest difference is 0.045 dB (the reference prints 1 decimal).
  it.each(readCsv('area.csv').map((c, i) => [i + 1, c] as const))('area.csv case %i is within 0.1 dB of A__db', (_, c) => {
    const result = itmArea({
      distanceKm: c.d__km as number,
      deltaHM: c.delta_h__meter as number,
      txSiting: c.tx_siting_criteria as 0 | 1 | 2,
      rxSiting: c.rx_siting_criteria as 0 | 1 | 2,
      ...radioOf(c),
    })
    expect(Math.abs(result.lossDb - (c.A__db as number))).toBeLessThanOrEqual(0.1)
  })

  it('cmd_examples areatls: loss and intermediate values of o_areatls.txt', () => {
    const input = readInputFile('i_areatls.txt')
    const out = readOutputValues('o_areatls.txt')
    const result = itmArea({
      ...areaInput(input, get(input, 'd__km')),
      timePct: get(input, 'time'),
      locationPct: get(input, 'location'),
      situationPct: get(input, 'situation'),
    })
    expect(Math.abs(result.lossDb - get(out, 'Basic Transmission Loss'))).toBeLessThanOrEqual(0.1)
    expectIntermediateValues(result, out)
  })

  // Area confidence/reliability in broadcast mode (mdvar 3): time = location = reliability.
  it('cmd_examples areacr: loss and intermediate values of o_areacr.txt', () => {
    const input = readInputFile('i_areacr.txt')
    const out = readOutputValues('o_areacr.txt')
    const reliability = get(input, 'reliability')
    const result = itmArea({
      ...areaInput(input, get(input, 'd__km')),
      timePct: reliability,
      locationPct: reliability,
      situationPct: get(input, 'confidence'),
    })
    expect(Math.abs(result.lossDb - get(out, 'Basic Transmission Loss'))).toBeLessThanOrEqual(0.1)
    expectIntermediateValues(result, out)
  })

  it('cmd_examples areacr_tbl: every distance × confidence of o_areacr_tbl.txt within 0.1 dB, free space within 0.05 dB', () => {
    const input = readInputFile('i_areacr_tbl.txt')
    const confidences = input.get('confidence') ?? []
    const reliability = get(input, 'reliability')
    const table = readOutputTable('o_areacr_tbl.txt')
    expect(table).toHaveLength(19)
    for (const [distanceKm, freeSpace, ...losses] of table) {
      losses.forEach((expected, j) => {
        const result = itmArea({ ...areaInput(input, distanceKm as number), timePct: reliability, locationPct: reliability, situationPct: confidences[j] as number })
        expect(Math.abs(result.lossDb - expected), `${distanceKm} km, confidence ${confidences[j]}`).toBeLessThanOrEqual(0.1)
        expect(Math.abs(result.freeSpaceDb - (freeSpace as number))).toBeLessThanOrEqual(0.05 + 1e-9)
      })
    }
  })
})
