// "Changed since your last visit": the revision of each page a signed-in user last viewed.
// Page views must stay fast (≥ 1,500/s) and every commit drops the server's read caches
// (db-cache.ts), so a view writes nothing itself: it reads the recorded revision (remembered in a
// read cache), and only when the revision shown differs (the first visit, or the first after a
// change) queues the new one. Queued visits are written together about once a second, one
// transaction for all of them; losing the last second of them in a crash costs one banner.
// "Recently viewed" reads `viewed_at` from the same rows: a view queues a write also when the
// recorded one is older than VIEWED_REFRESH_MS, so repeated views of one page cost no writes.
// A save counts as a visit to the revision it made: nobody is told their own edit is news.
import { readCache } from '../db-cache.ts';
import { prepared, write } from '../db.ts';

const FLUSH_MS = 1000;
const VIEWED_REFRESH_MS = 5 * 60_000;

interface Visit { revision: number; viewedAt: number | null }
const lastSeen = prepared((d) => d.$client.prepare<[number, number], Visit>('select revision, viewed_at as viewedAt from page_visits where user_id = ? and page_id = ?'));
const record = prepared((d) => d.$client.prepare<[number, number, number, number]>(
  'insert into page_visits (user_id, page_id, revision, viewed_at) values (?, ?, ?, ?) on conflict (user_id, page_id) do update set revision = excluded.revision, viewed_at = excluded.viewed_at',
));
const recorded = readCache<string, Visit | null>({ entries: 50_000 });
const queued = new Map<string, { userId: number; pageId: number; revision: number; viewedAt: number }>();
let timer: NodeJS.Timeout | undefined;

/** Writes the queued visits now (also called by the timer). */
export function flushVisits(): void {
  clearTimeout(timer);
  timer = undefined;
  if (queued.size === 0) return;
  const visits = [...queued.values()];
  queued.clear();
  write(() => { for (const v of visits) record().run(v.userId, v.pageId, v.revision, v.viewedAt); });
}

/**
 * Notes that the user saw `revision` of the page; returns the revision they had seen before when
 * it is an older one (the page changed since their last visit), else null.
 */
export function visitPage(userId: number, pageId: number, revision: number, now = Date.now()): number | null {
  const key = `${userId}/${pageId}`;
  const seen = queued.get(key) ?? recorded.get(key, () => lastSeen().get(userId, pageId) ?? null);
  const before = seen?.revision ?? null;
  if (before === revision && (seen!.viewedAt ?? 0) > now - VIEWED_REFRESH_MS) return null;
  queued.set(key, { userId, pageId, revision, viewedAt: now });
  timer ??= setTimeout(flushVisits, FLUSH_MS).unref();
  return before !== null && before < revision ? before : null;
}

/** In a save's transaction: its author has seen the revision they made (a queued older visit is dropped). */
export function sawOwnRevision(userId: number, pageId: number, revision: number, now: number): void {
  queued.delete(`${userId}/${pageId}`);
  record().run(userId, pageId, revision, now);
}
