import { Type } from 'typebox'
import { DEFAULT_BACKHAUL_FREQUENCY_MHZ, MAX_BACKHAUL_PATH_M, MIN_BACKHAUL_PATH_M } from '../../services/backhaul/backhaul.service.ts'

const LON_LAT_PATTERN = '^\\s*-?\\d+(\\.\\d+)?\\s*,\\s*-?\\d+(\\.\\d+)?\\s*$'

/** Antenna heights above ground the check accepts, m (a tall lattice tower is about 100 m). */
export const MAX_ANTENNA_HEIGHT_M = 300

export const BackhaulQuery = Type.Object({
  from: Type.String({ pattern: LON_LAT_PATTERN, description: 'End A as lon,lat (WGS84 degrees), e.g. the fibre-fed site', examples: ['103.90,21.33'] }),
  to: Type.String({ pattern: LON_LAT_PATTERN, description: `End B as lon,lat (WGS84 degrees); ${MIN_BACKHAUL_PATH_M} m to ${MAX_BACKHAUL_PATH_M / 1000} km from A`, examples: ['103.98,21.36'] }),
  fromHeight: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_ANTENNA_HEIGHT_M, default: 30, description: 'Antenna height above the ground at A, m (default 30)', examples: [30] })),
  toHeight: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_ANTENNA_HEIGHT_M, default: 30, description: 'Antenna height above the ground at B, m (default 30)', examples: [30] })),
  frequencyMhz: Type.Optional(Type.Number({
    minimum: 300, maximum: 100_000, default: DEFAULT_BACKHAUL_FREQUENCY_MHZ,
    description: `Carrier, MHz (300–100 000; default ${DEFAULT_BACKHAUL_FREQUENCY_MHZ}, the 15 GHz backhaul band). Lower bands have wider Fresnel zones`,
    examples: [15_000, 7_500, 23_000],
  })),
  kFactor: Type.Optional(Type.Number({
    minimum: 0.3, maximum: 10,
    description: 'Effective earth-radius factor (default 4/3, the standard atmosphere; 0.67 checks sub-refraction)',
    examples: [1.3333, 0.67],
  })),
  requiredClearance: Type.Optional(Type.Number({
    minimum: 0, maximum: 2, default: 0.6,
    description: 'Share of the first Fresnel radius that must stay clear at every point (default 0.6)', examples: [0.6, 1],
  })),
  clutterHeight: Type.Optional(Type.Number({
    minimum: 0, maximum: 100, default: 0,
    description: 'Trees or buildings standing on the ground between the ends, m, added everywhere but at the ends (default 0)', examples: [0, 15],
  })),
}, { additionalProperties: false })

const End = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  heightM: Type.Number({ description: 'Antenna height above the ground, m' }),
  groundM: Type.Number({ description: 'Ground height, m above sea level' }),
})

const PathPoint = Type.Object({
  index: Type.Integer({ description: 'Index into the profile arrays' }),
  distanceM: Type.Number({ description: 'From A, m' }),
  groundM: Type.Number({ description: 'Ground height, m above sea level' }),
  bulgeM: Type.Number({ description: 'Earth bulge d1·d2/(2kR), m' }),
  clutterM: Type.Number(),
  obstructionM: Type.Number({ description: 'Ground + bulge + clutter, m' }),
  lineM: Type.Number({ description: 'Height of the straight line between the antenna tips, m above sea level' }),
  fresnelRadiusM: Type.Number({ description: 'First Fresnel-zone radius, m' }),
  clearanceM: Type.Number({ description: 'line − obstruction, m (negative: no line of sight)' }),
  clearanceRatio: Type.Number({ description: 'clearance / first Fresnel radius' }),
})

export const BackhaulCheck = Type.Object({
  from: End,
  to: End,
  frequencyMhz: Type.Number(),
  kFactor: Type.Number(),
  requiredClearance: Type.Number(),
  clutterM: Type.Number(),
  distanceM: Type.Number({ description: 'Path length, m' }),
  spacingM: Type.Number({ description: 'Spacing of the profile samples, m (the DEM resolution, at most 30 m)' }),
  pass: Type.Boolean({ description: 'Every point keeps requiredClearance of the first Fresnel zone clear' }),
  lineOfSight: Type.Boolean({ description: 'Every point is below the direct line between the antenna tips' }),
  samplesBelowRequired: Type.Integer({ description: 'Profile samples short of the required clearance' }),
  worst: Type.Object(PathPoint.properties, { description: 'The point with the smallest clearance ratio' }),
  obstruction: Type.Union([
    Type.Object({
      ...PathPoint.properties,
      aboveRequiredM: Type.Number({ description: 'How far it reaches above the required-clearance line (requiredClearance·r1 below the direct line), m' }),
      blocksLineOfSight: Type.Boolean(),
    }),
    Type.Null(),
  ], { description: 'When failing: the worst point, named (null when the path passes)' }),
  neededExtraHeightM: Type.Object({
    both: Type.Number({ description: 'Raise both antennas by this much, m, to pass (0 when passing)' }),
    fromOnly: Type.Number({ description: 'Or raise A alone by this much, m' }),
    toOnly: Type.Number({ description: 'Or raise B alone by this much, m' }),
  }),
  profile: Type.Object({
    distanceM: Type.Array(Type.Number(), { description: 'From A, m' }),
    groundM: Type.Array(Type.Number(), { description: 'Ground, m above sea level' }),
    bulgeM: Type.Array(Type.Number(), { description: 'Earth bulge, m (ground + bulge is the obstruction without clutter)' }),
    lineM: Type.Array(Type.Number(), { description: 'Direct line between the antenna tips, m above sea level' }),
    fresnelRadiusM: Type.Array(Type.Number(), { description: 'First Fresnel radius, m (the zone is line ± radius)' }),
  }, { description: 'The samples, for drawing; every array has one value per sample' }),
  dem: Type.Object({
    synthetic: Type.Boolean({ description: 'Some of the terrain read is the generated sample, not measured' }),
    tiles: Type.Array(Type.Object({ name: Type.String(), kind: Type.Union([Type.Literal('real'), Type.Literal('synthetic'), Type.Literal('sea')]) })),
  }),
  verdict: Type.String({ description: 'The result in one or two sentences' }),
})
