/**
 * Zip archives (KMZ, zipped shapefiles) opened with yauzl, defensively: the
 * central directory is read and checked (entry count, names, declared sizes,
 * compression ratios) BEFORE any entry is inflated, and inflating stops when an
 * entry gives more bytes than it declared. Nothing is ever written to disk, but a
 * name that climbs out of the archive (`../`) or is absolute is refused anyway:
 * such an archive was not made by a GIS tool.
 */
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { getFileNameLowLevel, openPromise, validateFileName, type Entry, type ZipFile } from 'yauzl'
import { SourceFormatError, type ReaderLimits } from './types.ts'

/** Entries smaller than this are not ratio-checked one by one (tiny text files compress very well). */
export const RATIO_CHECK_FLOOR = 1024 * 1024

export interface ZipEntry {
  /** Path inside the archive, '/'-separated. */
  name: string
  compressedSize: number
  uncompressedSize: number
  raw: Entry
}

export interface OpenZip {
  /** File entries in archive order, without directories and macOS metadata (__MACOSX/, ._*). */
  entries: ZipEntry[]
  /** A stream of the entry's inflated bytes; it errors if the entry gives more bytes than it declared. */
  openStream(entry: ZipEntry): Promise<Readable>
  /** The whole entry in memory, refused above `maxBytes`. */
  readWhole(entry: ZipEntry, maxBytes: number): Promise<Buffer>
  close(): void
}

const NOT_A_ZIP_HINT = 'Check that the file is a complete .zip or .kmz (download or export it again). A shapefile must be zipped with its .shp, .shx, .dbf and .prj files together.'

function mib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`
}

/** Opens and checks a zip; throws SourceFormatError ('not-a-zip', 'zip-bomb', 'zip-too-many-entries', 'zip-unsafe-path'). */
export async function openZip(path: string, limits: ReaderLimits): Promise<OpenZip> {
  const { size } = await stat(path)
  if (size === 0) throw new SourceFormatError('not-a-zip', 'The zip file is empty (0 bytes)', { hint: NOT_A_ZIP_HINT })
  let zip: ZipFile
  try {
    zip = await openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false })
  } catch (err) {
    throw new SourceFormatError('not-a-zip', `The file is not a zip archive, or it is damaged (${(err as Error).message})`, { hint: NOT_A_ZIP_HINT, cause: err })
  }
  const streams = new Set<Readable>()
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new SourceFormatError('zip-too-many-entries', `The zip holds ${zip.entryCount} files; at most ${limits.maxZipEntries} are accepted`, {
        hint: 'Zip only the files of the layer to import.',
      })
    }
    const entries: ZipEntry[] = []
    const unsafe: string[] = []
    let total = 0
    try {
      for await (const raw of zip.eachEntry()) {
        // With decodeStrings: false yauzl leaves names as bytes: decode them here (CP437 or
        // UTF-8 by the entry's flag, Info-ZIP Unicode path field honoured; '\' becomes '/').
        const name = getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, false)
        if (validateFileName(name) !== null || /[\x00-\x1f]/.test(name)) unsafe.push(name)
        total += raw.uncompressedSize
        if (total > limits.maxUncompressedBytes) {
          throw new SourceFormatError('zip-bomb', `The zip would unpack to more than ${mib(limits.maxUncompressedBytes)}, the largest accepted`, {
            position: { entry: name },
            hint: 'Split the data into smaller files. If the file is genuine and this large, an administrator can raise the limit.',
          })
        }
        const ratio = raw.compressedSize > 0 ? raw.uncompressedSize / raw.compressedSize : Number.POSITIVE_INFINITY
        if (raw.uncompressedSize > RATIO_CHECK_FLOOR && ratio > limits.maxCompressionRatio) {
          throw new SourceFormatError('zip-bomb', `The zip entry ${name} unpacks ${raw.compressedSize} bytes into ${mib(raw.uncompressedSize)} (ratio ${Number.isFinite(ratio) ? Math.round(ratio) : '∞'}:1, the limit is ${limits.maxCompressionRatio}:1): this looks like a zip bomb, not GIS data`, {
            position: { entry: name },
            hint: 'The file was not unpacked. If it is genuine, an administrator can raise the compression-ratio limit.',
          })
        }
        if (name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\._/.test(name)) continue
        entries.push({ name, compressedSize: raw.compressedSize, uncompressedSize: raw.uncompressedSize, raw })
      }
    } catch (err) {
      if (err instanceof SourceFormatError) throw err
      throw new SourceFormatError('not-a-zip', `The zip's list of files is damaged (${(err as Error).message})`, { hint: NOT_A_ZIP_HINT, cause: err })
    }
    if (unsafe.length > 0) {
      throw new SourceFormatError('zip-unsafe-path', `The zip contains file names that point outside the archive or are absolute: ${unsafe.slice(0, 5).join(', ')}${unsafe.length > 5 ? ` and ${unsafe.length - 5} more` : ''}`, {
        hint: 'Such an archive was not made by a GIS program; it was refused. Zip the layer files again from their folder.',
      })
    }
    if (total > RATIO_CHECK_FLOOR && total > size * limits.maxCompressionRatio) {
      throw new SourceFormatError('zip-bomb', `The zip (${size} bytes) unpacks into ${mib(total)} (ratio ${Math.round(total / size)}:1, the limit is ${limits.maxCompressionRatio}:1): this looks like a zip bomb, not GIS data`, {
        hint: 'The file was not unpacked. If it is genuine, an administrator can raise the compression-ratio limit.',
      })
    }

    // After the listing, yauzl reports read errors to each entry stream; a late error of the
    // archive itself (closing the file) must not go unheard, or it would end the process.
    zip.on('error', () => {})

    const openStream = async (entry: ZipEntry): Promise<Readable> => {
      if (entry.raw.isEncrypted()) {
        throw new SourceFormatError('zip-unsupported-entry', `The zip entry ${entry.name} is password-protected`, { position: { entry: entry.name }, hint: 'Zip the files again without a password.' })
      }
      if (!entry.raw.canDecodeFileData()) {
        throw new SourceFormatError('zip-unsupported-entry', `The zip entry ${entry.name} uses compression method ${entry.raw.compressionMethod}, which this importer cannot unpack (only "stored" and "deflate")`, {
          position: { entry: entry.name },
          hint: 'Zip the files again with an ordinary zip program (Windows "Send to > Compressed folder", 7-Zip with the Deflate method).',
        })
      }
      let stream: Readable
      try {
        stream = await zip.openReadStreamPromise(entry.raw)
      } catch (err) {
        throw new SourceFormatError('not-a-zip', `The zip entry ${entry.name} cannot be read (${(err as Error).message})`, { position: { entry: entry.name }, hint: NOT_A_ZIP_HINT, cause: err })
      }
      streams.add(stream)
      stream.once('close', () => streams.delete(stream))
      return stream
    }

    return {
      entries,
      openStream,
      async readWhole(entry, maxBytes) {
        if (entry.uncompressedSize > maxBytes) {
          throw new SourceFormatError('file-too-large', `${entry.name} is ${mib(entry.uncompressedSize)}; at most ${mib(maxBytes)} can be read`, {
            position: { entry: entry.name },
            hint: 'Split the data into smaller files, or convert it to GeoJSON, which is read as a stream.',
          })
        }
        const stream = await openStream(entry)
        const chunks: Buffer[] = []
        let length = 0
        try {
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            length += chunk.length
            if (length > maxBytes) throw zipEntryError(new Error('too many bytes in the stream'), entry.name)
            chunks.push(chunk)
          }
        } catch (err) {
          throw zipEntryError(err, entry.name)
        } finally {
          stream.destroy()
        }
        return Buffer.concat(chunks, length)
      },
      close() {
        for (const s of streams) s.destroy()
        streams.clear()
        if (zip.isOpen) zip.close()
      },
    }
  } catch (err) {
    for (const s of streams) s.destroy()
    if (zip.isOpen) zip.close()
    throw err
  }
}

/** Maps an error raised while inflating an entry to the SourceFormatError a person can act on. */
export function zipEntryError(err: unknown, entryName: string): SourceFormatError {
  if (err instanceof SourceFormatError) return err
  const message = (err as Error).message ?? String(err)
  if (/too many bytes/.test(message)) {
    return new SourceFormatError('zip-bomb', `The zip entry ${entryName} unpacks into more bytes than it declares: the archive is forged or damaged`, {
      position: { entry: entryName },
      hint: 'The file was not unpacked further. Zip the layer files again with an ordinary zip program.',
      cause: err,
    })
  }
  return new SourceFormatError('not-a-zip', `The zip entry ${entryName} is damaged (${message})`, { position: { entry: entryName }, hint: NOT_A_ZIP_HINT, cause: err })
}
