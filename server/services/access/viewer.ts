import type { SiteStatus } from '../../db/database.ts'

/**
 * Who is asking, as far as what they may see is concerned. Until accounts and
 * roles exist (issue 8 adds staff scoped to provinces and planners scoped to
 * an operator), there are two kinds: the public (no credentials) and the
 * holder of the admin token.
 */
export type Viewer = { kind: 'public' } | { kind: 'admin' }

export const PUBLIC_VIEWER: Viewer = { kind: 'public' }
export const ADMIN_VIEWER: Viewer = { kind: 'admin' }

/**
 * What a viewer may see, in one place, so every route, tile and OGC
 * collection applies the same rules:
 *  - sites: the public sees those that exist or existed; planned and candidate
 *    sites (and their sectors) are never public;
 *  - fibre: routes owned by an operator are commercially sensitive and not
 *    public; routes of other owners (e.g. the power company) are;
 *  - village status reports: the public sees verified reports only (an
 *    unverified report is not yet published);
 *  - coverage: only the current, completed run is ever served (a run in
 *    progress, failed or superseded is not published) — for everyone.
 */
export interface Visibility {
  siteStatuses: readonly SiteStatus[]
  operatorFibre: boolean
  unverifiedReports: boolean
}

const PUBLIC_SITE_STATUSES: readonly SiteStatus[] = ['existing', 'decommissioned']
/** Every site status (what an admin may see). */
export const ALL_SITE_STATUSES: readonly SiteStatus[] = ['existing', 'planned', 'candidate', 'decommissioned']

export function visibilityOf(viewer: Viewer): Visibility {
  if (viewer.kind === 'admin') return { siteStatuses: ALL_SITE_STATUSES, operatorFibre: true, unverifiedReports: true }
  return { siteStatuses: PUBLIC_SITE_STATUSES, operatorFibre: false, unverifiedReports: false }
}

/** The statuses a listing may return: the asked ones the viewer may see (all visible ones when none asked). */
export function visibleSiteStatuses(viewer: Viewer, asked?: readonly SiteStatus[]): SiteStatus[] {
  const visible = visibilityOf(viewer).siteStatuses
  return asked ? visible.filter((s) => asked.includes(s)) : [...visible]
}
