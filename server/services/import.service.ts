import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Geometry } from 'geojson'
import type { Db, Tx } from '../db/database.ts'
import { AppError } from '../errors/error-catalogue.ts'
import { checkVietnamExtent } from '../geo/vietnam-extent.ts'
import { mapFields, type FieldMapping } from '../import/field-mapping.ts'
import { closeRings, positionsOf } from '../import/geometry-normalise.ts'
import type { BuildContext, FieldProblem, LayerDefinition, LayerName } from '../import/layer-definition.ts'
import { LAYERS } from '../import/layers/index.ts'
import { openSource } from '../import/readers/open-source.ts'
import type { OpenedSource, SourceFormat, SourceRecord } from '../import/readers/types.ts'
import { loadReferences } from '../import/references.ts'
import { resolveSourceCrs, type SourceCrs } from '../import/source-crs.ts'
import { CELL_DEFAULTS, groupCellsIntoSites } from '../import/opencellid-sites.ts'
import { insertAuditEntry } from '../repositories/audit.repository.ts'
import { upsertSectors, type NewSector } from '../repositories/sectors.repository.ts'
import { listSiteKeys } from '../repositories/sites.repository.ts'
import { findInvalidGeometries } from '../repositories/geometry.repository.ts'

/**
 * The import pipeline, shared by `npm run import` and the upload endpoint:
 * read a file (streamed), map its fields to the layer's, transform its
 * coordinates to WGS84, validate every record with its position, and write
 * in ONE transaction: any error rolls everything back. Re-importing a file
 * upserts by the layer's key; rows whose stored values differ are changed
 * only with `update`.
 */

export interface ImportOptions {
  layer: LayerName
  path: string
  /** The name the user knows the file by (uploads are stored under a temporary name). */
  fileName?: string
  format?: SourceFormat
  encoding?: string
  /** Coordinate system of the file when it does not say (or to override its .prj). */
  crs?: string
  /** Commune code for rows that name none. */
  commune?: string
  /** Which layer of a zip holding several shapefiles. */
  sourceLayer?: string
  update?: boolean
  dryRun?: boolean
  actor: string
  batchSize?: number
  /** Stop listing problems after this many (they are still counted). */
  maxProblems?: number
  onProgress?: (progress: { rows: number }) => void
}

export interface ImportProblem extends FieldProblem {
  row?: number
  feature?: number
  folder?: string[]
  severity: 'error' | 'warning'
}

export interface ImportReport {
  layer: LayerName
  fileName: string
  sha256: string
  bytes: number
  format: SourceFormat
  crs: string
  notes: string[]
  dryRun: boolean
  update: boolean
  /** Records read from the file. */
  rows: number
  added: number
  changed: number
  unchanged: number
  errorCount: number
  warningCount: number
  problems: ImportProblem[]
  /** true when the data is in the database (not a dry run, no error). */
  committed: boolean
  seconds: number
}

/** Thrown when an import is refused; nothing was written. Carries the full report. */
export class ImportRejectedError extends AppError {
  readonly report: ImportReport
  constructor(report: ImportReport) {
    const first = report.problems.find((p) => p.severity === 'error')
    super('import-rejected', `${report.errorCount} problem(s) in ${report.fileName}; nothing was imported.${first ? ` First: ${where(first)}${first.field ? ` ${first.field}` : ''}: ${first.reason}` : ''}`,
      report.problems.filter((p) => p.severity === 'error').slice(0, 100).map((p) => ({ row: p.row, feature: p.feature, field: p.field, value: p.value, reason: p.reason })))
    this.report = report
  }
}

export function where(p: { row?: number; feature?: number; folder?: string[] }): string {
  const folder = p.folder?.length ? ` (folder ${p.folder.join(' / ')})` : ''
  return p.row !== undefined ? `row ${p.row}${folder}` : p.feature !== undefined ? `feature ${p.feature}${folder}` : `file${folder}`
}

class Rollback extends Error {}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

interface Pending<Row> {
  row: Row
  position: Pick<ImportProblem, 'row' | 'feature' | 'folder'>
}

export async function runImport(db: Db, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now()
  const layer = LAYERS[options.layer]
  if (!layer) throw new AppError('validation-failed', `unknown layer '${options.layer}'`)
  const fileName = options.fileName ?? path.basename(options.path)
  const [sha256, { size }] = await Promise.all([sha256Of(options.path), stat(options.path)])
  const source = await openSource(options.path, {
    format: options.format, encoding: options.encoding, layer: options.sourceLayer, requireGeometry: layer.geometry?.required ?? false,
  })
  try {
    return await importFrom(db, options, layer, source, { fileName, sha256, size, started })
  } finally {
    await source.close()
  }
}

async function importFrom(
  db: Db,
  options: ImportOptions,
  layer: LayerDefinition<string, unknown>,
  source: OpenedSource,
  file: { fileName: string; sha256: string; size: number; started: number },
): Promise<ImportReport> {
  const { fileName, sha256, size, started } = file
  const crs: SourceCrs = resolveSourceCrs(options.crs, source.crsHint)
  const refs = await loadReferences(db, options.commune === undefined ? layer.references : [...layer.references, 'communes'])
  if (options.commune !== undefined && !refs.communes.has(options.commune)) {
    throw new AppError('unknown-reference', `--commune ${options.commune}: no commune has this code`)
  }
  const ctx: BuildContext = { refs, defaultCommuneCode: options.commune }
  const report: ImportReport = {
    layer: options.layer, fileName, sha256, bytes: size, format: source.format, crs: crs.label,
    notes: [...source.notes, ...crs.notes], dryRun: Boolean(options.dryRun), update: Boolean(options.update),
    rows: 0, added: 0, changed: 0, unchanged: 0, errorCount: 0, warningCount: 0, problems: [], committed: false, seconds: 0,
  }
  const maxProblems = options.maxProblems ?? 1000
  const addProblem = (p: ImportProblem) => {
    if (p.severity === 'error') report.errorCount++
    else report.warningCount++
    if (report.problems.length < maxProblems) report.problems.push(p)
  }

  let records: AsyncIterable<SourceRecord> = source.records
  let afterWrite: ((tx: Tx) => Promise<void>) | undefined
  if (source.format === 'opencellid-csv') {
    if (options.layer !== 'sites') throw new AppError('validation-failed', `an OpenCelliD / MLS cell file imports into the sites layer (cells become sites and sectors), not ${options.layer}`)
    const grouped = await groupCellsIntoSites(source.records)
    records = toAsync(grouped.sites)
    report.notes.push(`${grouped.sites.length} sites grouped from ${[...grouped.sectors.values()].reduce((n, s) => n + s.length, 0)} cells; ${grouped.skipped.length} cell rows skipped`)
    for (const skip of grouped.skipped.slice(0, 50)) addProblem({ row: skip.row, reason: `cell skipped: ${skip.reason}`, severity: 'warning' })
    afterWrite = async (tx) => {
      const siteIds = await listSiteKeys(tx)
      const sectors: NewSector[] = []
      for (const [key, cells] of grouped.sectors) {
        const siteId = siteIds.get(key)
        if (siteId === undefined) continue
        for (const c of cells) {
          sectors.push({
            siteId, label: c.label, technology: c.technology, frequencyMhz: c.frequencyMhz, azimuthDeg: null,
            beamwidthDeg: CELL_DEFAULTS.beamwidthDeg, electricalTiltDeg: 0, mechanicalTiltDeg: 0,
            heightM: CELL_DEFAULTS.heightM, eirpDbm: CELL_DEFAULTS.eirpDbm, gainDbi: 0,
          })
        }
      }
      for (let i = 0; i < sectors.length; i += 2000) await upsertSectors(tx, sectors.slice(i, i + 2000))
      report.notes.push(`${sectors.length} sectors written (one per cell)`)
    }
  }

  const batchSize = options.batchSize ?? 4000
  const seen = new Map<string, string>()
  const mappings = new Map<string, FieldMapping<string>>()
  const isPolygonalOrLinear = layer.geometry?.types.some((t) => t !== 'Point') ?? false

  const flush = async (tx: Tx, batch: Array<Pending<unknown>>) => {
    if (batch.length === 0 || report.errorCount > 0) return
    if (isPolygonalOrLinear) {
      const geoms = batch.map((p) => (p.row as { geometry: Geometry }).geometry)
      for (const bad of await findInvalidGeometries(tx, geoms)) {
        const pending = batch[bad.index]!
        if (!bad.repaired) {
          addProblem({ ...pending.position, field: 'geometry', reason: `invalid geometry that cannot be repaired: ${bad.reason}`, severity: 'error' })
          continue
        }
        ;(pending.row as { geometry: Geometry }).geometry = bad.repaired
        addProblem({ ...pending.position, field: 'geometry', reason: `invalid geometry repaired with ST_MakeValid: ${bad.reason}`, severity: 'warning' })
      }
    }
    if (layer.prepare) {
      const problems = await layer.prepare(tx, batch.map((p) => p.row))
      for (const [i, list] of problems) for (const p of list) addProblem({ ...batch[i]!.position, ...p, severity: 'error' })
    }
    if (report.errorCount > 0) return
    const positionOf = new Map(batch.map((p) => [layer.key(p.row), p]))
    const { added, changed } = await layer.write(tx, batch.map((p) => p.row))
    report.added += added.length
    report.changed += changed.length
    if (changed.length > 0 && !options.update) {
      for (const key of changed) {
        const pending = positionOf.get(key)
        const label = pending && layer.describe ? layer.describe(pending.row) : key
        addProblem({ ...pending?.position, reason: `${label} already exists with different values: import with --update to change it`, severity: 'error' })
      }
    }
  }

  // Columns that became the geometry (lon/lat, WKT) are not attributes.
  const geometryColumns = new Set(Object.values(source.geometryColumns ?? {}).filter((c): c is string => typeof c === 'string'))

  const consume = async (tx: Tx) => {
    let batch: Array<Pending<unknown>> = []
    let writing: Promise<void> = Promise.resolve()
    for await (const record of records) {
      report.rows++
      const pending = buildRecord(layer, record, crs, ctx, mappings, geometryColumns, addProblem)
      if (pending) {
        const key = layer.key(pending.row)
        const first = seen.get(key)
        if (first !== undefined) {
          addProblem({ ...pending.position, field: 'code', value: key, reason: `duplicate ${key} (already at ${first})`, severity: 'error' })
        } else {
          seen.set(key, where(pending.position))
          batch.push(pending)
        }
      }
      if (batch.length >= batchSize) {
        // Pipelined: the database writes this batch while the next one is read and checked.
        await writing
        const full = batch
        writing = flush(tx, full)
        writing.catch(() => {}) // awaited below; this only keeps it from being reported as unhandled meanwhile
        batch = []
        options.onProgress?.({ rows: report.rows })
      }
    }
    await writing
    await flush(tx, batch)
    options.onProgress?.({ rows: report.rows })
    if (report.rows === 0) addProblem({ reason: 'the file has no records', severity: 'error' })
    if (report.errorCount === 0 && afterWrite) await afterWrite(tx)
    if (report.errorCount > 0 || options.dryRun) throw new Rollback()
    await insertAuditEntry(tx, auditEntry(options, report, 'committed'))
  }

  try {
    await db.transaction().execute(consume)
    report.committed = true
  } catch (err) {
    if (!(err instanceof Rollback)) throw err
  }
  report.notes = [...new Set([...source.notes, ...crs.notes, ...report.notes])]
  report.unchanged = Math.max(0, report.rows - report.errorCount - report.added - report.changed)
  report.seconds = (performance.now() - started) / 1000
  if (!report.committed) {
    // Refused and dry-run imports are recorded too (outside the rolled-back transaction).
    await insertAuditEntry(db, auditEntry(options, report, report.errorCount > 0 ? 'rejected' : 'dry-run'))
    if (report.errorCount > 0) throw new ImportRejectedError(report)
  }
  return report
}

function auditEntry(options: ImportOptions, report: ImportReport, outcome: 'committed' | 'rejected' | 'dry-run') {
  return {
    actor: options.actor, action: 'import' as const, entity: report.layer, entityId: null,
    details: {
      outcome, file: report.fileName, sha256: report.sha256, bytes: report.bytes, format: report.format, crs: report.crs,
      rows: report.rows, added: report.added, changed: report.changed, errors: report.errorCount, warnings: report.warningCount,
      update: report.update,
    },
  }
}

/** One record → a row for the layer, or problems (reported through addProblem). */
function buildRecord(
  layer: LayerDefinition<string, unknown>,
  record: SourceRecord,
  crs: SourceCrs,
  ctx: BuildContext,
  mappings: Map<string, FieldMapping<string>>,
  geometryColumns: ReadonlySet<string>,
  addProblem: (p: ImportProblem) => void,
): Pending<unknown> | null {
  const position = record.position.kind === 'row'
    ? { row: record.position.index, folder: record.position.folder }
    : { feature: record.position.index, folder: record.position.folder }
  const fields = geometryColumns.size === 0 ? Object.keys(record.properties) : Object.keys(record.properties).filter((f) => !geometryColumns.has(f))
  const signature = fields.join('\u0000')
  let mapping = mappings.get(signature)
  if (!mapping) {
    mapping = mapFields(fields, layer.fields, layer.ignoredFields)
    mappings.set(signature, mapping)
  }
  const values: Record<string, unknown> = {}
  for (const [canonical, source] of Object.entries(mapping.sourceOf)) values[canonical] = record.properties[source as string]
  const extra: Record<string, unknown> = {}
  for (const f of mapping.unmatched) {
    const v = record.properties[f]
    if (f === 'attributes' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      // phusong's own GeoJSON export nests free attributes under `attributes`.
      for (const [k, av] of Object.entries(v)) if (av !== null && av !== undefined && av !== '') extra[k] = av
    } else if (v !== null && v !== undefined && v !== '') {
      extra[f] = v
    }
  }

  let geometry: Geometry | null = null
  let failed = false
  if (layer.geometry) {
    if (record.geometryError) {
      addProblem({ ...position, field: 'geometry', reason: record.geometryError, severity: 'error' })
      failed = true
    } else if (!record.geometry) {
      if (layer.geometry.required) {
        addProblem({ ...position, field: 'geometry', reason: 'no geometry (give coordinates: lon/lat columns, WKT, or a GeoJSON geometry)', severity: 'error' })
        failed = true
      }
    } else {
      geometry = prepareGeometry(layer, record.geometry, crs, position, addProblem)
      if (!geometry) failed = true
    }
  }
  const built = layer.build({ values, extra, geometry }, ctx)
  if (built.problems) {
    for (const p of built.problems) addProblem({ ...position, ...p, field: p.field ? (mapping.sourceOf[p.field] ?? p.field) : undefined, severity: 'error' })
    return null
  }
  for (const w of built.warnings ?? []) addProblem({ ...position, ...w, field: w.field ? (mapping.sourceOf[w.field] ?? w.field) : undefined, severity: 'warning' })
  return failed ? null : { row: built.row, position }
}

function prepareGeometry(
  layer: LayerDefinition<string, unknown>,
  raw: Geometry,
  crs: SourceCrs,
  position: Pick<ImportProblem, 'row' | 'feature' | 'folder'>,
  addProblem: (p: ImportProblem) => void,
): Geometry | null {
  const types = layer.geometry?.types ?? []
  if (!types.includes(raw.type)) {
    addProblem({ ...position, field: 'geometry', value: raw.type, reason: `a ${layer.name} geometry must be ${types.join(' or ')}, not ${raw.type}`, severity: 'error' })
    return null
  }
  let geometry: Geometry
  try {
    geometry = crs.transform(raw)
  } catch (err) {
    addProblem({ ...position, field: 'geometry', reason: `coordinates could not be transformed from ${crs.label}: ${(err as Error).message}`, severity: 'error' })
    return null
  }
  const outside = checkVietnamExtent(geometry)
  if (outside) {
    const cause = crs.diagnose(positionsOf(raw))
    addProblem({
      ...position, field: 'geometry', value: positionsOf(raw, 1)[0],
      reason: `outside Vietnam after reading as ${crs.label}${cause ? `: ${cause}` : `: ${outside.reason}`}`, severity: 'error',
    })
    return null
  }
  const closed = closeRings(geometry)
  for (const w of closed.warnings) addProblem({ ...position, field: 'geometry', reason: w, severity: 'warning' })
  return closed.geometry
}
