// Inbox items about pages: a save tells the page's and the space's watchers (several saves by one
// author within COALESCE_MS are one item, updated while unread), and a comment tells the people it
// mentions, the thread's author and the watchers. Never the actor; only people who may read the
// space now (a watcher may have lost access since they started watching).
import { can, type SpaceRef } from '../access/index.ts';
import { db, prepared } from '../db.ts';
import { queueMail } from '../mail/queue.ts';

export const COALESCE_MS = 10 * 60_000;

interface UserRow { id: number; name: string; email: string; admin: number }

const watcherRows = prepared((d) => d.$client.prepare<{ page: number; space: number }, UserRow>(
  `select u.id, u.name, u.email, u.admin from users u where u.active = 1 and u.id in (
     select user_id from page_watches where page_id = @page union select user_id from space_watches where space_id = @space)`,
));
const userRows = prepared((d) => d.$client.prepare<[string], UserRow>(
  'select u.id, u.name, u.email, u.admin from users u where u.active = 1 and u.id in (select value from json_each(?))',
));
const openChangeItem = prepared((d) => d.$client.prepare<[number, number, number, number], { id: number; data: string }>(
  `select id, data from notifications where user_id = ? and page_id = ? and actor_id = ? and kind = 'page-changed'
   and read_at is null and created_at > ? order by id desc limit 1`,
));
const updateItem = prepared((d) => d.$client.prepare<[string, number, number]>('update notifications set data = ?, created_at = ? where id = ?'));
const insertItem = prepared((d) => d.$client.prepare<[number, string, number, number | null, string, number]>(
  'insert into notifications (user_id, kind, page_id, actor_id, data, created_at) values (?, ?, ?, ?, ?, ?)',
));

/** Writes one item, and queues its e-mail for those who want this kind at once. */
function insert(userId: number, kind: 'page-changed' | 'page-commented' | 'page-mentioned', pageId: number, actorId: number | null, data: string, now: number): void {
  queueMail(db(), userId, kind, insertItem().run(userId, kind, pageId, actorId, data, now).lastInsertRowid);
}

const readers = (space: SpaceRef, rows: UserRow[], actorId: number | null) =>
  rows.filter((u) => u.id !== actorId && can({ id: u.id, name: u.name, email: u.email, admin: u.admin === 1, locale: null }, 'read', space)).map((u) => u.id);

function watchersOf(space: SpaceRef, pageId: number, actorId: number | null): number[] {
  return readers(space, watcherRows().all({ page: pageId, space: space.id }), actorId);
}

/** After a page was saved as `revision` by `authorId` (in the saving transaction). */
export function notifyPageSaved(space: SpaceRef, pageId: number, authorId: number | null, revision: number): void {
  // Imports (no author) bring many pages at once: they are no edits to hear about one by one.
  if (authorId === null) return;
  const now = Date.now();
  for (const userId of watchersOf(space, pageId, authorId)) {
    const open = openChangeItem().get(userId, pageId, authorId, now - COALESCE_MS);
    if (open) {
      const data = JSON.parse(open.data) as { from: number; to: number; saves: number };
      updateItem().run(JSON.stringify({ ...data, to: revision, saves: data.saves + 1 }), now, open.id);
    } else {
      insert(userId, 'page-changed', pageId, authorId, JSON.stringify({ from: revision - 1, to: revision, saves: 1 }), now);
    }
  }
}

export interface CommentEvent { pageId: number; commentId: number; authorId: number; excerpt: string; mentioned: number[]; threadAuthorId: number | null }

/**
 * After a comment was written: mentioned people get a 'page-mentioned' item; the thread's author
 * and the page's watchers a 'page-commented' one. `onlyMentions` for an edit, which tells only
 * the people it newly mentions.
 */
export function notifyComment(space: SpaceRef, e: CommentEvent, onlyMentions = false): void {
  const now = Date.now();
  const data = JSON.stringify({ commentId: e.commentId, comment: e.excerpt });
  const told = new Set<number>();
  for (const userId of readers(space, userRows().all(JSON.stringify(e.mentioned)), e.authorId)) {
    insert(userId, 'page-mentioned', e.pageId, e.authorId, data, now);
    told.add(userId);
  }
  if (onlyMentions) return;
  const others = new Set(watchersOf(space, e.pageId, e.authorId));
  if (e.threadAuthorId !== null) for (const id of readers(space, userRows().all(JSON.stringify([e.threadAuthorId])), e.authorId)) others.add(id);
  for (const userId of others) if (!told.has(userId)) insert(userId, 'page-commented', e.pageId, e.authorId, data, now);
}
