import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AppError } from '../../errors/error-catalogue.ts'
import type { LayerName } from '../../import/layer-definition.ts'
import { SourceFormatError } from '../../import/readers/types.ts'
import { ImportRejectedError, runImport } from '../../services/import.service.ts'
import { problems } from '../common/schemas.ts'
import { ImportQuery, ImportRejectedSchema, ImportReportSchema } from './imports.schema.ts'

/**
 * Upload endpoint of the import pipeline: multipart form with one `file`
 * part. The upload is streamed to a temporary file, imported in one
 * transaction (the same code as `npm run import`), and deleted.
 */
const importsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/', {
    config: { expensive: true },
    preHandler: app.requireWriter,
    schema: {
      tags: ['imports'],
      summary: 'Import a file into a layer (multipart/form-data, field "file"); all or nothing',
      consumes: ['multipart/form-data'],
      querystring: ImportQuery,
      response: { 200: ImportReportSchema, 201: ImportReportSchema, 422: ImportRejectedSchema, ...problems(400, 401, 403, 413, 415, 503) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new AppError('unsupported-media-type', 'send the file as multipart/form-data with a part named "file"')
    const part = await req.file()
    if (!part) throw new AppError('validation-failed', 'no file part in the upload', [{ field: 'file', location: 'body', reason: 'missing' }])
    const dir = await mkdtemp(path.join(tmpdir(), 'phusong-upload-'))
    const safeName = path.basename(part.filename || 'upload').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'upload'
    const file = path.join(dir, safeName)
    try {
      await pipeline(part.file, createWriteStream(file))
      if (part.file.truncated) throw new AppError('payload-too-large', `the file is larger than ${app.config.importMaxBytes} bytes`)
      const q = req.query
      const report = await runImport(app.db, {
        layer: q.layer as LayerName, path: file, fileName: part.filename || safeName, crs: q.crs, commune: q.commune,
        update: q.update, dryRun: q.dryRun, encoding: q.encoding, actor: req.writeContext().actor,
      })
      return reply.status(report.committed ? 201 : 200).send(report)
    } catch (err) {
      if (err instanceof ImportRejectedError) {
        return reply.status(422).type('application/problem+json').send({
          type: 'urn:phusong:problem:import-rejected', title: 'The file was not imported', status: 422, code: 'import-rejected',
          detail: err.message, instance: req.url, errors: err.errors, report: err.report,
        })
      }
      if (err instanceof SourceFormatError) throw new AppError('unreadable-file', err.message, [{ reason: err.message, ...(err.position?.row ? { row: err.position.row } : {}) }])
      throw err
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
}

export default importsRoutes
