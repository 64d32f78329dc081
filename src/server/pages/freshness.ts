// A space's freshness (issue 11): the pages that need someone — no owner, an owner who has left,
// a review past due or due soon. Readable by everyone who reads the space; each row says whether
// the viewer may act on it (its owner, or a space admin).
import { prepared } from '../db.ts';
import type { Viewer } from '../access/index.ts';
import { getSpace, type Space } from '../spaces/spaces.ts';
import { addDays, isoDate, mayManagePage, REVIEW_SOON_DAYS, type Person } from './ownership.ts';

export interface FreshnessRow { path: string; title: string; owner: Person | null; reviewBy: string | null; verifiedAt: string | null; manage: boolean }
export interface Freshness { space: Space; unowned: FreshnessRow[]; inactiveOwner: FreshnessRow[]; overdue: FreshnessRow[]; soon: FreshnessRow[] }

interface Row { path: string; title: string; ownerId: number | null; email: string | null; name: string | null; active: number | null; reviewBy: string | null; verifiedAt: number | null }
// Only the pages in one of the four lists: no owner, an inactive owner, or a review date within the horizon.
const needingCare = prepared((d) => d.$client.prepare<[number, string], Row>(
  `select p.path, p.title, p.owner_id as ownerId, u.email, u.name, u.active, p.review_by as reviewBy, p.verified_at as verifiedAt
   from pages p left join users u on u.id = p.owner_id
   where p.space_id = ? and p.deleted_at is null and (p.owner_id is null or u.active = 0 or p.review_by <= ?)
   order by p.review_by, p.path`,
));

export function freshness(viewer: Viewer | null, spaceKey: string, now = Date.now()): Freshness {
  const space = getSpace(viewer, spaceKey);
  const today = isoDate(now);
  const out: Freshness = { space, unowned: [], inactiveOwner: [], overdue: [], soon: [] };
  for (const r of needingCare().all(space.id, addDays(today, REVIEW_SOON_DAYS))) {
    const row: FreshnessRow = {
      path: r.path, title: r.title, reviewBy: r.reviewBy, verifiedAt: r.verifiedAt === null ? null : new Date(r.verifiedAt).toISOString(),
      owner: r.email === null ? null : { email: r.email, name: r.name ?? r.email, active: r.active === 1 },
      manage: mayManagePage(viewer, space, r.ownerId),
    };
    // A page may be in two lists (unowned and overdue): each list is a different job.
    if (r.ownerId === null) out.unowned.push(row);
    else if (r.active === 0) out.inactiveOwner.push(row);
    if (r.reviewBy !== null && r.reviewBy < today) out.overdue.push(row);
    else if (r.reviewBy !== null && r.reviewBy <= addDays(today, REVIEW_SOON_DAYS)) out.soon.push(row);
  }
  return out;
}

/** Where a space's freshness view lives: "-" is never a page path's first segment (page-path.ts). */
export const freshnessHref = (spaceKey: string) => `/s/${encodeURIComponent(spaceKey)}/-/freshness`;
