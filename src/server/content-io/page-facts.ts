// What a folder import keeps from a page's frontmatter besides its text (issue 11): `owner` (an
// email), `created`, `updated`, `reviewed` (when it was last verified) and `review-by`. A value
// that is not a usable date or user is left out with a warning; an import never fails on one.
import { and, eq, isNull } from 'drizzle-orm';
import { grants, pages, revisions, users } from '../../../db/schema.ts';
import { normalizeEmail } from '../auth/users.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import { enqueue } from '../outbox.ts';
import { checkReviewDate } from '../pages/ownership.ts';

export interface PageFacts { owner?: string; created?: number; updated?: number; reviewed?: number; reviewBy?: string }

const DAY = 24 * 3600_000;

/** A past moment: "2026-03-01", "2026-03-01T09:30:00Z" (or a YAML timestamp), from 1970 to now. */
function pastMoment(value: unknown, now: number): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) && value.getTime() >= 0 && value.getTime() <= now + DAY ? value.getTime() : undefined;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (!m) return undefined;
  // The calendar day must exist (no 2026-02-30, which Date would roll over into March).
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(day).toISOString().slice(0, 10) !== s.slice(0, 10)) return undefined;
  const ms = m[4] === undefined ? day : Date.parse(s.replace(' ', 'T') + (m[7] === undefined ? 'Z' : ''));
  return Number.isFinite(ms) && ms >= 0 && ms <= now + DAY ? ms : undefined;
}

/**
 * What an import is told of a value it left out: in English, and by a `code` with its figures for
 * the admin's language (`error.<code>` in src/i18n).
 */
export type Warn = (reason: string, refusal?: Record<string, unknown>) => void;

/** The facts in a page's frontmatter; `warn` hears about each value left out. */
export function readPageFacts(data: Record<string, unknown>, warn: Warn, now = Date.now()): PageFacts {
  const facts: PageFacts = {};
  if (data.owner !== undefined) {
    if (typeof data.owner === 'string' && /^[^\s@]+@[^\s@]+$/.test(data.owner.trim())) facts.owner = normalizeEmail(data.owner);
    else {
      const value = String(data.owner).slice(0, 80);
      warn(`owner: "${value}" is not an email address`, { code: 'factOwnerNotEmail', value });
    }
  }
  for (const key of ['created', 'updated', 'reviewed'] as const) {
    if (data[key] === undefined) continue;
    const ms = pastMoment(data[key], now);
    const value = String(data[key]).slice(0, 40);
    if (ms === undefined) warn(`${key}: "${value}" is not a past date (YYYY-MM-DD)`, { code: 'factNotPastDate', field: key, value });
    else facts[key] = ms;
  }
  const reviewBy = data['review-by'];
  if (reviewBy !== undefined) {
    const text = reviewBy instanceof Date ? reviewBy.toISOString().slice(0, 10) : String(reviewBy);
    try {
      facts.reviewBy = checkReviewDate(text, now, 'review-by');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      warn(err.message, { ...err.extra, code: 'factReviewDate', value: text.slice(0, 40) });
    }
  }
  return facts;
}

export const hasFacts = (f: PageFacts) => Object.keys(f).length > 0;

/**
 * Applies a page's facts in the import's transaction. A page created by this import also gets its
 * dates (its first revision carries `updated`) and, without a usable `owner`, the space's first
 * admin by grant, else the importing user, else none.
 */
export function applyPageFacts(tx: Db, spaceId: number, path: string, facts: PageFacts, created: boolean, warn: Warn, importerId?: number): void {
  const page = tx.select({ id: pages.id }).from(pages).where(and(eq(pages.spaceId, spaceId), eq(pages.path, path), isNull(pages.deletedAt))).get();
  if (!page) return;
  const changes: Partial<typeof pages.$inferInsert> = {};
  if (facts.owner !== undefined) {
    const user = tx.select({ id: users.id }).from(users).where(eq(users.email, facts.owner)).get();
    if (user) changes.ownerId = user.id;
    else if (created) warn(`owner: no user "${facts.owner}"; the space’s first admin (else the importer) owns it`, { code: 'factNoOwnerFallback', email: facts.owner });
    else warn(`owner: no user "${facts.owner}"`, { code: 'factNoOwner', email: facts.owner });
  }
  if (created && changes.ownerId === undefined) {
    const admin = tx.select({ id: grants.userId }).from(grants).innerJoin(users, eq(users.id, grants.userId))
      .where(and(eq(grants.spaceId, spaceId), eq(grants.role, 'admin'), eq(users.active, true))).orderBy(grants.id).limit(1).get();
    if (admin?.id) changes.ownerId = admin.id;
    else if (importerId !== undefined) changes.ownerId = importerId;
  }
  if (facts.reviewed !== undefined) changes.verifiedAt = facts.reviewed;
  if (facts.reviewBy !== undefined) changes.reviewBy = facts.reviewBy;
  if (created) {
    const updated = facts.updated ?? facts.created;
    if (facts.created !== undefined || updated !== undefined) changes.createdAt = facts.created ?? updated;
    if (updated !== undefined) {
      changes.updatedAt = updated;
      tx.update(revisions).set({ createdAt: updated }).where(and(eq(revisions.pageId, page.id), eq(revisions.number, 1))).run();
    }
  }
  if (Object.keys(changes).length === 0) return;
  tx.update(pages).set(changes).where(eq(pages.id, page.id)).run();
  if (!created) enqueue(tx, 'index-page', page.id); // updatedAt and verifiedAt are in the search document (a new page is queued already)
}
