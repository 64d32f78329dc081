// "Changed since your last visit": the revision of each page a signed-in user last viewed.
// Page views must stay fast (≥ 1,500/s) and every commit drops the server's read caches
// (db-cache.ts), so a view writes nothing itself: it reads the recorded revision (remembered in a
// read cache), and only when the revision shown differs (the first visit, or the first after a
// change) queues the new one. Queued visits are written together about once a second, one
// transaction for all of them; losing the last second of them in a crash costs one banner.
import { readCache } from '../db-cache.ts';
import { prepared, write } from '../db.ts';

const FLUSH_MS = 1000;

const lastSeen = prepared((d) => d.$client.prepare<[number, number], { revision: number }>('select revision from page_visits where user_id = ? and page_id = ?'));
const record = prepared((d) => d.$client.prepare<[number, number, number]>(
  'insert into page_visits (user_id, page_id, revision) values (?, ?, ?) on conflict (user_id, page_id) do update set revision = excluded.revision',
));
const recorded = readCache<string, number | null>({ entries: 50_000 });
const queued = new Map<string, { userId: number; pageId: number; revision: number }>();
let timer: NodeJS.Timeout | undefined;

/** Writes the queued visits now (also called by the timer). */
export function flushVisits(): void {
  clearTimeout(timer);
  timer = undefined;
  if (queued.size === 0) return;
  const visits = [...queued.values()];
  queued.clear();
  write(() => { for (const v of visits) record().run(v.userId, v.pageId, v.revision); });
}

/**
 * Notes that the user saw `revision` of the page; returns the revision they had seen before when
 * it is an older one (the page changed since their last visit), else null.
 */
export function visitPage(userId: number, pageId: number, revision: number): number | null {
  const key = `${userId}/${pageId}`;
  const before = queued.get(key)?.revision ?? recorded.get(key, () => lastSeen().get(userId, pageId)?.revision ?? null);
  if (before === revision) return null;
  queued.set(key, { userId, pageId, revision });
  timer ??= setTimeout(flushVisits, FLUSH_MS).unref();
  return before !== null && before < revision ? before : null;
}
