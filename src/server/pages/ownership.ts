// Page owners and reviews (issue 11): who answers for a page, who verified it and when, and the
// date it is due for review by. An owner or a space admin changes these; everyone who reads the
// page sees them.
import { eq } from 'drizzle-orm';
import { pages, users } from '../../../db/schema.ts';
import { assertCan, can, spaceRole, type SpaceRef, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { normalizeEmail } from '../auth/users.ts';
import { readCache } from '../db-cache.ts';
import { prepared, write, type Db } from '../db.ts';
import { DomainError, forbidden } from '../errors.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';
import { loadPage } from './get-page.ts';

const DAY = 24 * 3600_000;
/** Reviews due within this many days are "due soon" (a reminder, the freshness view). */
export const REVIEW_SOON_DAYS = 14;
const MAX_YEARS_AHEAD = 10;
export const MAX_REVIEW_INTERVAL_DAYS = 3650;

export interface Person { email: string; name: string; active: boolean }
export interface PageOwnership { owner: Person | null; verifiedAt: string | null; verifiedBy: Person | null; reviewBy: string | null }
export type ReviewState = 'overdue' | 'soon' | 'ok';

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (iso: string, days: number) => isoDate(Date.parse(`${iso}T00:00:00Z`) + days * DAY);

/** A 422 naming the field: the value is the right type but not an acceptable one. */
const invalid = (field: string, message: string) => new DomainError(422, `${field}: ${message}`, { field });

/**
 * A review date: a real calendar day written YYYY-MM-DD, from 2000 on and at most ten years from
 * `now` (a date in the recent past is allowed: it makes the review overdue at once).
 */
export function checkReviewDate(raw: string, now = Date.now(), field = 'reviewBy'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!m || isoDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) !== raw.trim()) {
    throw invalid(field, `"${raw.slice(0, 40)}" is not a date written YYYY-MM-DD`);
  }
  const date = raw.trim();
  const latest = isoDate(new Date(now).setUTCFullYear(new Date(now).getUTCFullYear() + MAX_YEARS_AHEAD));
  if (date < '2000-01-01') throw invalid(field, 'a review date is in 2000 or later');
  if (date > latest) throw invalid(field, `a review date is at most ${MAX_YEARS_AHEAD} years ahead (${latest})`);
  return date;
}

export function reviewState(reviewBy: string | null, now = Date.now()): ReviewState | null {
  if (reviewBy === null) return null;
  const today = isoDate(now);
  if (reviewBy < today) return 'overdue';
  return reviewBy <= addDays(today, REVIEW_SOON_DAYS) ? 'soon' : 'ok';
}

interface OwnershipRow {
  ownerId: number | null; ownerEmail: string | null; ownerName: string | null; ownerActive: number | null;
  verifiedAt: number | null; verifierEmail: string | null; verifierName: string | null; verifierActive: number | null; reviewBy: string | null;
}
const ownershipOf = prepared((d) => d.$client.prepare<[number], OwnershipRow>(
  `select p.owner_id as ownerId, o.email as ownerEmail, o.name as ownerName, o.active as ownerActive,
     p.verified_at as verifiedAt, v.email as verifierEmail, v.name as verifierName, v.active as verifierActive, p.review_by as reviewBy
   from pages p left join users o on o.id = p.owner_id left join users v on v.id = p.verified_by where p.id = ?`,
));

const person = (email: string | null, name: string | null, active: number | null): Person | null =>
  email === null ? null : { email, name: name ?? email, active: active === 1 };

// Read on every page view: remembered until the database changes at all (exact: see db-cache.ts).
const ownershipRows = readCache<number, Readonly<PageOwnership & { ownerId: number | null }>>();

/** A page's owner and review facts (for a page the caller has already checked the viewer may read). */
export function pageOwnership(pageId: number): Readonly<PageOwnership & { ownerId: number | null }> {
  return ownershipRows.get(pageId, () => {
    const r = ownershipOf().get(pageId);
    if (!r) return Object.freeze({ ownerId: null, owner: null, verifiedAt: null, verifiedBy: null, reviewBy: null });
    return Object.freeze({
      ownerId: r.ownerId,
      owner: person(r.ownerEmail, r.ownerName, r.ownerActive),
      verifiedAt: r.verifiedAt === null ? null : new Date(r.verifiedAt).toISOString(),
      verifiedBy: person(r.verifierEmail, r.verifierName, r.verifierActive),
      reviewBy: r.reviewBy,
    });
  });
}

/**
 * Whether the viewer may change a page's owner and review: its owner, or an admin of its space;
 * nobody in an archived space (a write any reader may make there is refused: `contribute`).
 */
export function mayManagePage(viewer: Viewer | null, space: SpaceRef, ownerId: number | null): boolean {
  if (!viewer || !can(viewer, 'contribute', space)) return false;
  return viewer.id === ownerId || can(viewer, 'admin', space);
}

export interface OwnershipInput { owner?: string; reviewBy?: string | null; verified?: boolean }

/** An active user who may read the space, or a 422 naming `owner`. */
function ownerFor(tx: Db, email: string, space: SpaceRef): { id: number; email: string } {
  const row = tx.select({ id: users.id, email: users.email, name: users.name, active: users.active, admin: users.admin, locale: users.locale })
    .from(users).where(eq(users.email, normalizeEmail(email))).get();
  if (!row || !row.active) throw invalid('owner', `no active user "${email.slice(0, 254)}"`);
  if (spaceRole(row, space) === null) throw invalid('owner', `${row.email} cannot read this space`);
  return row;
}

/**
 * PATCH of a page's owner and review: any of a new owner (email), a review date (null clears it),
 * and `verified: true` (by the viewer, now; the next review by the date given, else today plus
 * the space's interval, else none). Everything is checked before anything is written. What
 * changed is one audit line ('page.ownership', the changed fields before and after) in the same
 * transaction, which the page's history shows (page-history.ts).
 */
export function updatePageOwnership(viewer: Viewer | null, spaceKey: string, path: string, input: OwnershipInput, now = Date.now()): PageOwnership {
  const { space, page } = loadPage(viewer, spaceKey, path, 'read');
  assertCan(viewer, 'contribute', space); // 409 in an archived space, as every write there
  write((tx) => {
    // Decided in the transaction that writes: the owner may have changed a moment ago.
    const was = pageOwnership(page.id);
    if (!mayManagePage(viewer, space, was.ownerId)) throw forbidden('Only the page’s owner or a space admin may change its owner or review');
    if (input.verified !== undefined && input.verified !== true) throw invalid('verified', 'send true to mark the page verified');
    const reviewBy = typeof input.reviewBy === 'string' ? checkReviewDate(input.reviewBy, now) : input.reviewBy;
    const changes: Partial<typeof pages.$inferInsert> = {};
    const line: { before: Record<string, string | null>; after: Record<string, string | null> } = { before: {}, after: {} };
    if (input.owner !== undefined) {
      const owner = ownerFor(tx, input.owner, space);
      changes.ownerId = owner.id;
      if (owner.id !== was.ownerId) [line.before.owner, line.after.owner] = [was.owner?.email ?? null, owner.email];
    }
    if (reviewBy !== undefined) changes.reviewBy = reviewBy;
    if (input.verified) {
      changes.verifiedAt = now;
      changes.verifiedBy = viewer!.id;
      if (reviewBy === undefined) changes.reviewBy = space.reviewIntervalDays ? addDays(isoDate(now), space.reviewIntervalDays) : null;
      enqueue(tx, 'index-page', page.id); // the search document carries verifiedAt
      [line.before.verifiedAt, line.after.verifiedAt] = [was.verifiedAt, new Date(now).toISOString()];
    }
    if (changes.reviewBy !== undefined && changes.reviewBy !== was.reviewBy) [line.before.reviewBy, line.after.reviewBy] = [was.reviewBy, changes.reviewBy];
    if (Object.keys(changes).length) tx.update(pages).set(changes).where(eq(pages.id, page.id)).run();
    if (Object.keys(line.after).length) appendAudit(tx, viewer!, 'page.ownership', `${space.key}/${page.path}`, line.before, line.after, page.id);
  });
  if (input.verified) wakeOutbox();
  const { ownerId: _, ...after } = pageOwnership(page.id);
  return after;
}
