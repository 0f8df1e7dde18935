/**
 * Compile-time contract: what the generator writes must be what the app's
 * sample loader reads (server/services/sample-format.ts). `npm run typecheck`
 * fails when the two drift apart; nothing here runs.
 */
import type { FibreProps, PowerLineProps, SiteProps, VillageProps } from '../../server/services/sample-format.ts'
import type { FibreProperties } from './generate-fibre.ts'
import type { PowerLineProperties } from './generate-power-lines.ts'
import type { SiteProperties } from './generate-sites.ts'
import type { VillageProperties } from './generate-villages.ts'

type Assignable<T extends U, U> = T

export type VillagesMatch = Assignable<VillageProperties, VillageProps>
export type SitesMatch = Assignable<SiteProperties, SiteProps>
export type FibreMatch = Assignable<FibreProperties, FibreProps>
export type PowerLinesMatch = Assignable<PowerLineProperties, PowerLineProps>
