// The paths pages were moved away from (page_redirects, written by a move): an old URL or a
// `[[old/path]]` link leads to the page wherever it is now, while no live page has that path.
// Moves stay inside a space, so whoever follows one may read both ends.
import { and, eq } from 'drizzle-orm';
import { pageRedirects } from '../../../db/schema.ts';
import { readCache } from '../db-cache.ts';
import { prepared, type Db } from '../db.ts';

/** Records that the page at `from` moved to `to`: `from` leads to it now; `to` no longer leads elsewhere. */
export function recordMove(tx: Db, spaceId: number, from: string, to: string, pageId: number): void {
  tx.delete(pageRedirects).where(and(eq(pageRedirects.spaceId, spaceId), eq(pageRedirects.path, to))).run();
  tx.insert(pageRedirects).values({ spaceId, path: from, pageId })
    .onConflictDoUpdate({ target: [pageRedirects.spaceId, pageRedirects.path], set: { pageId, at: Date.now() } }).run();
}

const redirected = prepared((d) => d.$client.prepare<[number, string], string>(
  `select p.path from page_redirects r join pages p on p.id = r.page_id and p.deleted_at is null
   where r.space_id = ? and r.path = ? and p.space_id = r.space_id`,
).pluck());

/**
 * Where the page that lived at `path` of this space is now, when it was moved and is still live;
 * else null. Only asked when no live page has that path; the caller has checked the space.
 */
export function movedPagePath(space: { id: number }, path: string): string | null {
  return redirected().get(space.id, path) ?? null;
}

const leadingHere = prepared((d) => d.$client.prepare<[number], string>(
  `select r.path from page_redirects r where r.page_id = ? and not exists
   (select 1 from pages p where p.space_id = r.space_id and p.path = r.path and p.deleted_at is null)`,
).pluck());

// Asked on every page view (its backlinks): remembered until the database changes (db-cache.ts).
const leading = readCache<number, readonly string[]>({ entries: 5000 });

/** The old paths that lead to this page now (none taken by a live page since). */
export function pathsLeadingTo(pageId: number): readonly string[] {
  return leading.get(pageId, () => Object.freeze(leadingHere().all(pageId)));
}
