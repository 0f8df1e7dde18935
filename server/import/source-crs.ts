import type { Geometry } from 'geojson'
import { AppError } from '../errors/error-catalogue.ts'
import { createTransform, transformGeometry } from '../geo/crs/create-transform.ts'
import { crsFromPrj } from '../geo/crs/crs-from-prj.ts'
import { CrsError, WGS84, type CrsSpec } from '../geo/crs/crs-spec.ts'
import { diagnoseCoordinates } from '../geo/crs/diagnose-coordinates.ts'
import { parseCrs } from '../geo/crs/parse-crs.ts'

/** The coordinate system an import reads its file in, ready to transform to WGS84. */
export interface SourceCrs {
  spec: CrsSpec
  label: string
  /** How it was chosen (flag, .prj, file's crs member, default), for the report. */
  notes: string[]
  transform(geometry: Geometry): Geometry
  /** The likely cause when coordinates land outside Vietnam, or null. */
  diagnose(positions: Array<[number, number]>): string | null
}

/**
 * Picks the CRS: the --crs flag wins, then the file's .prj, then a GeoJSON
 * `crs` member, else WGS84. A flag that contradicts the .prj is noted.
 */
export function resolveSourceCrs(flag: string | undefined, hint: { prj?: string; name?: string }): SourceCrs {
  const notes: string[] = []
  let spec: CrsSpec
  try {
    if (flag) {
      spec = parseCrs(flag)
      notes.push(`coordinate system ${spec.label} from --crs`)
      if (hint.prj) notes.push('the file has a .prj; --crs was used instead')
    } else if (hint.prj) {
      spec = crsFromPrj(hint.prj)
      notes.push(`coordinate system ${spec.label} from the .prj`)
    } else if (hint.name) {
      const epsg = /EPSG:{1,2}(\d+)/i.exec(hint.name)?.[1]
      spec = /CRS84/i.test(hint.name) ? WGS84 : parseCrs(epsg ? `EPSG:${epsg}` : hint.name)
      notes.push(`coordinate system ${spec.label} from the file's crs member`)
    } else {
      spec = WGS84
      notes.push('no coordinate system given: read as WGS84 longitude/latitude (use --crs for VN-2000)')
    }
  } catch (err) {
    if (err instanceof CrsError) throw new AppError('validation-failed', err.message, [{ field: 'crs', value: flag ?? hint.name ?? hint.prj, reason: err.message }])
    throw err
  }
  const toWgs84 = createTransform(spec)
  return {
    spec,
    label: spec.label,
    notes,
    transform: (g) => (spec.id === 'EPSG:4326' ? g : transformGeometry(g, toWgs84)),
    diagnose: (positions) => diagnoseCoordinates(positions, spec),
  }
}
