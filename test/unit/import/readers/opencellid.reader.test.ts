import { describe, expect, it } from 'vitest'
import { fixture, readAll } from './reader-test-helpers.ts'

describe('OpenCelliD / MLS reader', () => {
  it('reads an OpenCelliD export with its header: one Point per cell, numeric identifiers, ISO timestamps', async () => {
    const { source, records } = await readAll(fixture('opencellid-452.csv'))
    expect(source.format).toBe('opencellid-csv')
    expect(source.crsHint).toEqual({ name: 'EPSG:4326' })
    expect(source.geometryColumns).toEqual({ x: 'lon', y: 'lat' })
    expect(records).toHaveLength(8)
    expect(records[0]).toEqual({
      position: { kind: 'row', index: 2 },
      geometry: { type: 'Point', coordinates: [104.1298, 21.4121] },
      properties: {
        radio: 'LTE', mcc: 452, net: 4, area: 12011, cell: 30735617, unit: 114, lon: 104.1298, lat: 21.4121,
        range: 1450, samples: 37, changeable: true, created: '2023-07-22T04:26:40.000Z', updated: '2024-12-24T00:26:40.000Z', averageSignal: 0,
      },
    })
    expect(new Set(records.map((r) => r.properties.net))).toEqual(new Set([1, 2, 4]))
    expect(records.every((r) => r.properties.mcc === 452)).toBe(true)
    expect(records[2]!.properties.unit).toBeNull()
  })

  it('reads a headerless MLS file with the standard columns, the first row being row 1', async () => {
    const { source, records } = await readAll(fixture('mls-452-noheader.csv'))
    expect(source.format).toBe('opencellid-csv')
    expect(source.fields).toHaveLength(14)
    expect(source.notes[0]).toMatch(/no header row/)
    expect(records).toHaveLength(4)
    expect(records[0]!.position).toEqual({ kind: 'row', index: 1 })
    expect(records[3]).toMatchObject({ properties: { radio: 'UMTS', net: 1, averageSignal: -85 }, geometry: { coordinates: [103.9461, 21.2978] } })
  })
})
