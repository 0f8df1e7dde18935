/**
 * DEM files → tiles: SRTM `.hgt` (plain, gzipped, zipped) and GeoTIFF DEMs in WGS 84 degrees.
 * Every reader checks sizes before it allocates: an `.hgt` is 2,884,802 bytes (3″) or
 * 25,934,402 bytes (1″) and nothing else is read.
 */
import { readFile, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { gunzip as gunzipCallback } from 'node:zlib'
import type { DemTile } from '../../geo/dem/dem-tile.ts'
import { cellsCoveredByRaster, demTileFromRaster, rasterWindowForCell, type RasterGrid } from '../../geo/dem/dem-tile-from-raster.ts'
import { parseHgtTileName } from '../../geo/dem/hgt-tile-name.ts'
import { HGT_BYTES, hgtResolutionFromByteLength, parseHgt } from '../../geo/dem/parse-hgt.ts'
import { openZip } from '../../import/readers/zip.ts'

const gunzip = promisify(gunzipCallback)

export type DemFileFormat = 'hgt' | 'hgt.gz' | 'hgt.zip' | 'geotiff'

/** A DEM file that cannot be read, with the file named in the message. */
export class DemFileError extends Error {
  readonly file: string
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options)
    this.name = 'DemFileError'
    this.file = file
  }
}

/** Largest compressed `.hgt.gz` / `.zip` read (a 1″ tile compresses to 5–20 MB; random data would not shrink at all). */
const MAX_COMPRESSED_BYTES = HGT_BYTES[1] + 1024 * 1024

/**
 * The tile name and format a file name stands for, or null for a file that is no DEM tile:
 * `N21E103.hgt`, `N21E103.hgt.gz`, `N21E103.hgt.zip`, NASA's `N21E103.SRTMGL1.hgt.zip` /
 * `.SRTMGL3.hgt.zip` and `N21E103.zip`; `*.tif` / `*.tiff` are GeoTIFF (their tiles come from
 * their georeferencing, so the name is null). Case-insensitive.
 */
export function demFileKind(fileName: string): { name: string | null; format: DemFileFormat } | null {
  if (/\.tiff?$/i.test(fileName)) return { name: null, format: 'geotiff' }
  const m = /^([NS]\d{2}[EW]\d{3})(?:\.SRTMGL[13])?(\.hgt(?:\.gz|\.zip)?|\.zip)$/i.exec(fileName)
  if (!m || !parseHgtTileName(m[1]!)) return null
  const ext = m[2]!.toLowerCase()
  const format: DemFileFormat = ext === '.hgt' ? 'hgt' : ext === '.hgt.gz' ? 'hgt.gz' : 'hgt.zip'
  return { name: m[1]!.toUpperCase(), format }
}

/** Reads one SRTM tile file (`.hgt`, `.hgt.gz` or a zip holding one `.hgt`) into a tile. */
export async function readHgtFile(path: string, name: string, format: Exclude<DemFileFormat, 'geotiff'>): Promise<DemTile> {
  const bytes = format === 'hgt' ? await readPlainHgt(path) : format === 'hgt.gz' ? await readGzippedHgt(path) : await readZippedHgt(path)
  try {
    return parseHgt(bytes, name)
  } catch (err) {
    throw new DemFileError(path, (err as Error).message, { cause: err })
  }
}

async function readPlainHgt(path: string): Promise<Uint8Array> {
  const { size } = await stat(path)
  if (hgtResolutionFromByteLength(size) === null) throw new DemFileError(path, notAnHgt(size))
  return readFile(path)
}

async function readGzippedHgt(path: string): Promise<Uint8Array> {
  const { size } = await stat(path)
  if (size > MAX_COMPRESSED_BYTES) throw new DemFileError(path, `${size} bytes is too large for a gzipped SRTM tile`)
  const compressed = await readFile(path)
  let bytes: Buffer
  try {
    // One byte more than a 1″ tile: enough to tell "too large" from "exactly a tile".
    bytes = await gunzip(compressed, { maxOutputLength: HGT_BYTES[1] + 1 })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new DemFileError(path, `unpacks to more than ${HGT_BYTES[1]} bytes: not an SRTM tile`, { cause: err })
    throw new DemFileError(path, `is not a valid gzip file (${(err as Error).message}); delete it and fetch it again`, { cause: err })
  }
  if (hgtResolutionFromByteLength(bytes.byteLength) === null) throw new DemFileError(path, `unpacks to ${notAnHgt(bytes.byteLength)}`)
  return bytes
}

async function readZippedHgt(path: string): Promise<Uint8Array> {
  let zip: Awaited<ReturnType<typeof openZip>>
  try {
    // The absolute size cap is the real guard; an all-sea tile compresses far beyond 200:1.
    zip = await openZip(path, { maxUncompressedBytes: 4 * HGT_BYTES[1], maxCompressionRatio: 100_000, maxZipEntries: 32, maxXmlBytes: 0 })
  } catch (err) {
    throw new DemFileError(path, (err as Error).message, { cause: err })
  }
  try {
    const hgts = zip.entries.filter((e) => /\.hgt$/i.test(e.name))
    if (hgts.length !== 1) {
      throw new DemFileError(path, `a zipped SRTM tile must hold exactly one .hgt file, this one holds ${hgts.length}${hgts.length > 0 ? ` (${hgts.map((e) => e.name).join(', ')})` : ''}`)
    }
    const entry = hgts[0]!
    if (hgtResolutionFromByteLength(entry.uncompressedSize) === null) throw new DemFileError(path, `${entry.name} is ${notAnHgt(entry.uncompressedSize)}`)
    try {
      return await zip.readWhole(entry, HGT_BYTES[1])
    } catch (err) {
      throw new DemFileError(path, (err as Error).message, { cause: err })
    }
  } finally {
    zip.close()
  }
}

function notAnHgt(bytes: number): string {
  return `${bytes} bytes, not an SRTM .hgt tile (${HGT_BYTES[1]} bytes for 1″, ${HGT_BYTES[3]} for 3″)`
}

// ---------------------------------------------------------------------------------------------
// GeoTIFF

/** What a GeoTIFF DEM covers: its sample grid and the 1° cells it covers completely. */
export interface GeoTiffDem {
  path: string
  grid: RasterGrid
  nodata: number | null
  /** Tile names of the 1° cells the raster covers completely (partly covered cells are not used). */
  tiles: string[]
}

type GeoTiffModule = typeof import('geotiff')

let geotiffModule: Promise<GeoTiffModule | null> | undefined

/**
 * The `geotiff` package, imported on first use (it is only needed when a GeoTIFF DEM is present),
 * or null when it is not installed.
 */
export function loadGeoTiffModule(): Promise<GeoTiffModule | null> {
  geotiffModule ??= import('geotiff').then(
    (m) => m,
    () => null,
  )
  return geotiffModule
}

const GEOTIFF_MISSING = "the 'geotiff' package is not installed (npm install geotiff): GeoTIFF DEMs are not read"

/**
 * Reads a GeoTIFF's georeferencing and checks that it is a single-band, north-up raster in
 * WGS 84 degrees. Throws a DemFileError saying what to change otherwise.
 */
export async function inspectGeoTiff(path: string): Promise<GeoTiffDem> {
  const geotiff = await loadGeoTiffModule()
  if (!geotiff) throw new DemFileError(path, GEOTIFF_MISSING)
  let tiff: Awaited<ReturnType<GeoTiffModule['fromFile']>>
  try {
    tiff = await geotiff.fromFile(path)
  } catch (err) {
    throw new DemFileError(path, `is not a readable GeoTIFF (${(err as Error).message})`, { cause: err })
  }
  try {
    const image = await tiff.getImage(0)
    const keys = image.getGeoKeys() ?? {}
    const projected = keys.ProjectedCSTypeGeoKey ?? (keys.GTModelTypeGeoKey === 1 ? 'projected' : undefined)
    if (projected !== undefined) {
      throw new DemFileError(path, `is in a projected coordinate system (${String(projected)}); only WGS 84 longitude/latitude DEMs are read: reproject it (gdalwarp -t_srs EPSG:4326)`)
    }
    const geographic = keys.GeographicTypeGeoKey
    if (geographic !== undefined && geographic !== 4326 && geographic !== 32767) {
      throw new DemFileError(path, `uses geographic system EPSG:${String(geographic)}; only WGS 84 (EPSG:4326) is read: reproject it (gdalwarp -t_srs EPSG:4326)`)
    }
    if (image.getSamplesPerPixel() !== 1) throw new DemFileError(path, `has ${image.getSamplesPerPixel()} bands; a DEM has one`)
    const transform = image.getFileDirectory().getValue('ModelTransformation') as number[] | undefined
    if (transform && (transform[1] !== 0 || transform[4] !== 0)) throw new DemFileError(path, 'is rotated; only north-up rasters are read (gdalwarp it first)')
    const [originX, originY] = image.getOrigin() as [number, number]
    const [resX, resYSigned] = image.getResolution() as [number, number]
    const resY = Math.abs(resYSigned)
    if (!(resX > 0) || !(resY > 0) || resYSigned > 0) throw new DemFileError(path, 'is not north-up (rows must run from north to south)')
    // "Pixel is point" puts the tie point on the first sample; "pixel is area" (the default) on the corner of its pixel.
    const isPoint = keys.GTRasterTypeGeoKey === 2
    const grid: RasterGrid = {
      width: image.getWidth(),
      height: image.getHeight(),
      firstLon: isPoint ? originX : originX + resX / 2,
      firstLat: isPoint ? originY : originY - resY / 2,
      resLon: resX,
      resLat: resY,
    }
    if (grid.firstLon < -180.5 || grid.firstLon > 180.5 || grid.firstLat < -90.5 || grid.firstLat > 90.5) {
      throw new DemFileError(path, `starts at (${grid.firstLon}, ${grid.firstLat}), which is not longitude/latitude in degrees`)
    }
    return { path, grid, nodata: image.getGDALNoData(), tiles: cellsCoveredByRaster(grid).map((c) => c.name) }
  } catch (err) {
    if (err instanceof DemFileError) throw err
    throw new DemFileError(path, `is not a usable GeoTIFF DEM (${(err as Error).message})`, { cause: err })
  } finally {
    await tiff.close()
  }
}

/** Reads the window of one 1° cell (tile name) from a GeoTIFF DEM inspected before. */
export async function readGeoTiffTile(dem: GeoTiffDem, name: string): Promise<DemTile> {
  const corner = parseHgtTileName(name)
  const window = corner ? rasterWindowForCell(dem.grid, corner.south, corner.west) : null
  if (!window) throw new DemFileError(dem.path, `does not cover tile ${name}`)
  const geotiff = await loadGeoTiffModule()
  if (!geotiff) throw new DemFileError(dem.path, GEOTIFF_MISSING)
  const tiff = await geotiff.fromFile(dem.path)
  try {
    const image = await tiff.getImage(0)
    const raster = await image.readRasters({ window: [window.left, window.top, window.right, window.bottom], samples: [0], interleave: true })
    const values = Array.isArray(raster) ? (raster[0] as ArrayLike<number>) : (raster as ArrayLike<number>)
    return demTileFromRaster({ name, values, window, resLon: dem.grid.resLon, resLat: dem.grid.resLat, nodata: dem.nodata })
  } catch (err) {
    if (err instanceof DemFileError) throw err
    throw new DemFileError(dem.path, `tile ${name} cannot be read (${(err as Error).message})`, { cause: err })
  } finally {
    await tiff.close()
  }
}
