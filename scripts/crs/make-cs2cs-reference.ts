/**
 * Writes test/fixtures/crs/cs2cs-reference.json: places across northern Vietnam converted from
 * WGS 84 to VN-2000 (geographic, UTM 48N, UTM 49N, and the province's TM-3 zone) by PROJ's `cs2cs`,
 * an implementation independent of proj4js. test/unit/geo/crs/cs2cs-reference.test.ts converts the
 * VN-2000 values back with phusong's code and checks the distance to the WGS 84 originals.
 *
 * Run by a person, not by CI (needs Debian's proj-bin):
 *   npx tsx scripts/crs/make-cs2cs-reference.ts
 *
 * cs2cs honours EPSG axis order: EPSG:4326 and EPSG:4756 read and write latitude first; the
 * projected EPSG systems write easting first; "+proj=…" definitions use longitude/easting first.
 * The fixture stores every pair as x = longitude or easting, y = latitude or northing.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { vn2000Tm3Definition } from '../../server/geo/crs/crs-definitions.ts'
import { VN2000_TM3_EPSG } from '../../server/geo/crs/crs-spec.ts'
import { findProvinceMeridian } from '../../server/geo/crs/vn2000-province-meridians.ts'

/** Town centres and border points, WGS 84 degrees (approximate: any point in the province serves). */
const PLACES: Array<{ name: string; province: string; lat: number; lon: number }> = [
  { name: 'Lai Châu (city)', province: 'Lai Châu', lat: 22.3962, lon: 103.4581 },
  { name: 'near A Pa Chải border post (westernmost point)', province: 'Điện Biên', lat: 22.398, lon: 102.152 },
  { name: 'Điện Biên Phủ', province: 'Điện Biên', lat: 21.3856, lon: 103.0169 },
  { name: 'Sơn La (city)', province: 'Sơn La', lat: 21.3256, lon: 103.9188 },
  { name: 'Mộc Châu', province: 'Sơn La', lat: 20.8432, lon: 104.638 },
  { name: 'Lào Cai (city)', province: 'Lào Cai', lat: 22.4856, lon: 103.9707 },
  { name: 'Sa Pa', province: 'Lào Cai', lat: 22.3364, lon: 103.8438 },
  { name: 'Yên Bái (city)', province: 'Yên Bái', lat: 21.7168, lon: 104.8986 },
  { name: 'Hà Giang (city)', province: 'Hà Giang', lat: 22.8233, lon: 104.9836 },
  { name: 'Đồng Văn', province: 'Hà Giang', lat: 23.2783, lon: 105.3629 },
  { name: 'Lũng Cú (northernmost point)', province: 'Hà Giang', lat: 23.3636, lon: 105.3158 },
  { name: 'Tuyên Quang (city)', province: 'Tuyên Quang', lat: 21.8236, lon: 105.2181 },
  { name: 'Cao Bằng (city)', province: 'Cao Bằng', lat: 22.6657, lon: 106.2522 },
  { name: 'Bắc Kạn (city)', province: 'Bắc Kạn', lat: 22.147, lon: 105.8348 },
  { name: 'Lạng Sơn (city)', province: 'Lạng Sơn', lat: 21.8537, lon: 106.7614 },
  { name: 'Hòa Bình (city)', province: 'Hòa Bình', lat: 20.8172, lon: 105.3376 },
  { name: 'Hà Nội (Hoàn Kiếm)', province: 'Hà Nội', lat: 21.0285, lon: 105.8542 },
  { name: 'Thanh Hóa (city)', province: 'Thanh Hóa', lat: 19.8067, lon: 105.7852 },
  { name: 'Móng Cái', province: 'Quảng Ninh', lat: 21.5247, lon: 107.9664 },
  { name: 'Bạch Long Vĩ island', province: 'Hải Phòng', lat: 20.133, lon: 107.728 },
]

const FORMAT = '%.10f'

function cs2cs(targetArgs: string[], latLonLines: string): string[][] {
  const out = execFileSync('cs2cs', ['-f', FORMAT, 'EPSG:4326', ...targetArgs], { input: latLonLines, encoding: 'utf8' })
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
}

function projVersion(): string {
  // cs2cs without arguments prints its version and usage on stderr (exit status 0 or not, by version).
  const result = spawnSync('cs2cs', [], { encoding: 'utf8' })
  const line = `${result.stderr}\n${result.stdout}`.split('\n').find((l) => l.startsWith('Rel.'))
  if (!line) throw new Error('could not read the PROJ version from cs2cs')
  return line.trim()
}

const input = PLACES.map((p) => `${p.lat} ${p.lon}`).join('\n') + '\n'
const num = (v: string | undefined): number => {
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`cs2cs printed "${v}"`)
  return n
}

// Geographic target: cs2cs prints latitude, longitude.
const geographic = cs2cs(['EPSG:4756'], input).map((r) => ({ x: num(r[1]), y: num(r[0]) }))
const utm48 = cs2cs(['EPSG:3405'], input).map((r) => ({ x: num(r[0]), y: num(r[1]) }))
const utm49 = cs2cs(['EPSG:3406'], input).map((r) => ({ x: num(r[0]), y: num(r[1]) }))

const points = PLACES.map((place, i) => {
  const province = findProvinceMeridian(place.province)
  if (!province) throw new Error(`no central meridian for ${place.province}`)
  const cm = province.centralMeridian
  const code = VN2000_TM3_EPSG.get(cm)
  if (!code) throw new Error(`no EPSG TM-3 code for ${cm}`)
  const line = `${place.lat} ${place.lon}\n`
  const [byEpsg] = cs2cs([`EPSG:${code}`], line)
  // The same zone from a +proj definition with the same towgs84: must agree with EPSG's own to 1 mm.
  const proj = vn2000Tm3Definition(cm)
  const [byProj] = cs2cs(['+to', ...proj.split(' ')], line)
  const tm3 = { x: num(byEpsg?.[0]), y: num(byEpsg?.[1]) }
  if (Math.hypot(tm3.x - num(byProj?.[0]), tm3.y - num(byProj?.[1])) > 0.001) {
    throw new Error(`EPSG:${code} and "${proj}" disagree for ${place.name}: ${byEpsg?.join(' ')} vs ${byProj?.join(' ')}`)
  }
  const at = <T>(list: T[]): T => {
    const value = list[i]
    if (value === undefined) throw new Error(`cs2cs returned too few lines`)
    return value
  }
  return {
    name: place.name,
    province: place.province,
    wgs84: { lon: place.lon, lat: place.lat },
    vn2000: [
      { crs: 'EPSG:4756', target: 'EPSG:4756', ...at(geographic) },
      { crs: 'EPSG:3405', target: 'EPSG:3405', ...at(utm48) },
      { crs: 'EPSG:3406', target: 'EPSG:3406', ...at(utm49) },
      { crs: `VN2000:TM3:${cm}`, target: `EPSG:${code}`, crossCheckedWith: proj, ...tm3 },
    ],
  }
})

const operation = execFileSync('projinfo', ['-s', 'EPSG:4756', '-t', 'EPSG:4326', '--summary'], { encoding: 'utf8' })
  .split('\n')
  .find((l) => l.startsWith('EPSG:'))

const fixture = {
  _comment: [
    'Reference conversions WGS 84 → VN-2000 by PROJ cs2cs, for test/unit/geo/crs/cs2cs-reference.test.ts.',
    'Regenerate with: npx tsx scripts/crs/make-cs2cs-reference.ts (needs cs2cs from proj-bin; not run by CI).',
    'Every pair is x = longitude or easting, y = latitude or northing (cs2cs itself reads and writes EPSG:4326/4756 latitude first).',
    'TM-3 zones: EPSG has a CRS for every province meridian used here (EPSG:9205–9218, 5896–5899); cs2cs ran with the EPSG code,',
    'and the script checked that the +proj=tmerc definition in crossCheckedWith (same towgs84 as EPSG:4756) gives the same result to 1 mm.',
  ],
  generated: new Date().toISOString().slice(0, 10),
  proj: projVersion(),
  operation: operation?.trim() ?? null,
  command: `echo "<lat> <lon>" | cs2cs -f ${FORMAT} EPSG:4326 <target>`,
  crossCheckCommand: `echo "<lat> <lon>" | cs2cs -f ${FORMAT} EPSG:4326 +to <crossCheckedWith>`,
  points,
}

const here = dirname(fileURLToPath(import.meta.url))
const path = join(here, '..', '..', 'test', 'fixtures', 'crs', 'cs2cs-reference.json')
writeFileSync(path, JSON.stringify(fixture, null, 2) + '\n')
console.log(`wrote ${points.length} points × 4 systems to ${path} (${fixture.proj}; ${fixture.operation})`)
