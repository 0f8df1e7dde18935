import {
  CrsError,
  VN2000_GEOGRAPHIC,
  VN2000_TM3_EPSG,
  WGS84,
  vn2000Tm3,
  vn2000Tm6,
  vn2000Utm,
  wgs84Utm,
} from './crs-spec.ts'
import type { CrsSpec } from './crs-spec.ts'
import { findProvinceMeridian } from './vn2000-province-meridians.ts'

/** What parseCrs accepts, for error messages and API docs. */
export const ACCEPTED_CRS_FORMS =
  'WGS 84: "EPSG:4326", "4326", "wgs84", "CRS84"; ' +
  'VN-2000 geographic: "EPSG:4756", "vn2000"; ' +
  'VN-2000 / UTM: "EPSG:3405" or "VN2000:UTM48", "EPSG:3406" or "VN2000:UTM49"; ' +
  'VN-2000 / TM-3: "VN2000:TM3:<central meridian>" in degrees ("104.75") or degrees:minutes ("104:45"), ' +
  '"VN2000:TM3:<province>" with or without diacritics ("son-la", "Sơn La", "lao cai"), or the EPSG code ("EPSG:9208"); ' +
  'VN-2000 / TM-6: "VN2000:TM6:<central meridian>"; ' +
  'WGS 84 / UTM: "EPSG:32648", "EPSG:32649"'

/**
 * Reads a coordinate reference system named by a person or a request parameter.
 *
 * Accepts EPSG codes (with or without "EPSG:", also as OGC URNs and URLs), "wgs84"/"CRS84",
 * "vn2000", "VN2000:UTM48"/"VN2000:UTM49", and VN-2000 TM-3 zones by central meridian (degrees east,
 * decimal or degrees:minutes) or by province name (pre-2025 and 2025 names, diacritics optional).
 * Throws CrsError listing the accepted forms for anything else.
 */
export function parseCrs(spec: string): CrsSpec {
  const text = spec.trim()
  if (text === '') throw new CrsError(`no coordinate system given. Accepted forms: ${ACCEPTED_CRS_FORMS}`)

  const epsg = epsgCode(text)
  if (epsg !== null) return crsFromEpsg(epsg, spec)

  const compact = text.toLowerCase().replace(/[\s_-]+/g, '')
  if (compact === 'wgs84' || compact === 'crs84' || compact === 'ogc:crs84' || compact === 'urn:ogc:def:crs:ogc:1.3:crs84') return WGS84
  if (compact === 'vn2000') return VN2000_GEOGRAPHIC

  const vn = /^\s*vn[\s_-]?2000\s*[:/]\s*(.*)$/i.exec(text)
  if (vn) return parseVn2000Projected(vn[1] ?? '', spec)
  const wgsUtm = /^wgs84[:/]utm(48|49)n?$/.exec(compact)
  if (wgsUtm) return wgs84Utm(wgsUtm[1] === '48' ? 48 : 49)

  throw new CrsError(`unknown coordinate system "${spec}". Accepted forms: ${ACCEPTED_CRS_FORMS}`)
}

/** The EPSG code in "EPSG:3405", "epsg 3405", "3405", "urn:ogc:def:crs:EPSG::3405", ".../def/crs/EPSG/0/3405". */
function epsgCode(text: string): number | null {
  const match =
    /^(?:epsg\s*[:\s]\s*)?(\d{4,5})$/i.exec(text) ??
    /^urn:ogc:def:crs:epsg:[\d.]*:(\d{4,5})$/i.exec(text) ??
    /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/\d+\/(\d{4,5})$/i.exec(text)
  return match?.[1] ? Number(match[1]) : null
}

function crsFromEpsg(code: number, spec: string): CrsSpec {
  switch (code) {
    case 4326:
      return WGS84
    case 4756:
      return VN2000_GEOGRAPHIC
    case 3405:
      return vn2000Utm(48)
    case 3406:
      return vn2000Utm(49)
    case 32648:
      return wgs84Utm(48)
    case 32649:
      return wgs84Utm(49)
  }
  for (const [centralMeridian, tm3Code] of VN2000_TM3_EPSG) {
    if (tm3Code === code) return vn2000Tm3(centralMeridian)
  }
  throw new CrsError(`EPSG:${code} (from "${spec}") is not a coordinate system phusong reads. Accepted forms: ${ACCEPTED_CRS_FORMS}`)
}

/** The part after "VN2000:": "UTM48", "UTM49", "TM3:<meridian or province>", "TM6:<meridian>". */
function parseVn2000Projected(rest: string, spec: string): CrsSpec {
  const utm = /^utm\s*(?:zone\s*)?(48|49)\s*n?$/i.exec(rest.trim())
  if (utm) return vn2000Utm(utm[1] === '48' ? 48 : 49)

  const tm = /^tm[\s_-]?([36])\s*[:/]\s*(.+)$/i.exec(rest.trim())
  if (!tm) throw new CrsError(`unknown VN-2000 system "${spec}". Accepted forms: ${ACCEPTED_CRS_FORMS}`)
  const width = tm[1]
  const zone = (tm[2] ?? '').trim()

  const meridian = parseMeridian(zone)
  if (width === '6') {
    if (meridian === null) throw new CrsError(`"${spec}": a TM-6 zone needs a central meridian in degrees ("VN2000:TM6:102")`)
    return vn2000Tm6(meridian)
  }
  if (meridian !== null) return vn2000Tm3(meridian)

  const province = findProvinceMeridian(zone)
  if (!province) {
    throw new CrsError(
      `"${spec}": "${zone}" is neither a central meridian (104.75 or 104:45) nor a province name phusong knows ` +
        '(pre-2025 and 2025 province names, with or without diacritics, e.g. "son-la", "Lào Cai")',
    )
  }
  return vn2000Tm3(province.centralMeridian, province.name)
}

/**
 * A central meridian in degrees east from "104.75", "104:45", "104°45′", "104°45'", "104-45"
 * (EPSG names) or "104 45"; null when the text is not a number in one of those forms.
 */
function parseMeridian(text: string): number | null {
  const decimal = /^(\d{2,3}(?:\.\d+)?)\s*°?$/.exec(text)
  if (decimal?.[1]) return Number(decimal[1])
  const dm = /^(\d{2,3})\s*(?:°\s*|:\s*|-\s*|\s+)(\d{1,2}(?:\.\d+)?)\s*['′]?$/.exec(text)
  if (!dm?.[1] || !dm[2]) return null
  const minutes = Number(dm[2])
  if (minutes >= 60) throw new CrsError(`central meridian "${text}": minutes must be below 60`)
  return Number(dm[1]) + minutes / 60
}
