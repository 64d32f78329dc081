// Moving a page (and the pages under it) to a new path, and soft delete / restore.
import { and, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { pages } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { db, write } from '../db.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';
import { getSpace } from '../spaces/spaces.ts';
import { findLivePage, loadPage } from './get-page.ts';
import { normalizePagePath, parentPath } from './page-path.ts';
import { recordMove } from './redirects.ts';
import { bumpTreeVersion } from './tree.ts';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

// "Move back" is offered for the move this viewer just made, never for a path a link names
// (?moved-from=… only asks): each user's last move of each page, kept in memory for half an hour.
const recentMoves = new LRUCache<string, string>({ max: 10_000, ttl: 30 * 60_000 });

/** `asked`, when it is where this viewer just moved the page from; else null. */
export function ownMoveFrom(viewer: Viewer | null, pageId: number, asked: string | null): string | null {
  return viewer && asked !== null && recentMoves.get(`${viewer.id} ${pageId}`) === asked ? asked : null;
}

export function movePage(viewer: Viewer | null, spaceKey: string, path: string, rawTarget: string): { path: string } {
  const { space, page } = loadPage(viewer, spaceKey, path, 'edit');
  const target = normalizePagePath(rawTarget);
  if (page.path === '') throw badInput('The space home page cannot be moved', { code: 'homeNoMove' });
  if (target === '' ) throw badInput('Choose a path for the page', { code: 'movePathRequired' });
  if (target === page.path) return { path: target };
  if (target.startsWith(`${page.path}/`)) throw badInput('A page cannot move under itself', { code: 'moveUnderItself' });
  const prefix = `${page.path}/`;
  write((tx) => {
    const subtree = tx.select({ id: pages.id, path: pages.path }).from(pages)
      .where(and(eq(pages.spaceId, space.id), isNull(pages.deletedAt),
        or(eq(pages.id, page.id), sql`${pages.path} like ${`${escapeLike(prefix)}%`} escape '\\'`))).all();
    for (const p of subtree) {
      const next = target + p.path.slice(page.path.length);
      const clash = tx.select({ id: pages.id }).from(pages)
        .where(and(eq(pages.spaceId, space.id), eq(pages.path, next), isNull(pages.deletedAt))).get();
      if (clash && !subtree.some((s) => s.id === clash.id)) throw conflict(`A page already exists at "${next}"`, { code: 'pathTaken', path: next });
    }
    // Two passes so that swapping paths inside the subtree never trips the unique index.
    for (const p of subtree) tx.update(pages).set({ path: `\u0000${p.id}` }).where(eq(pages.id, p.id)).run();
    for (const p of subtree) {
      const next = target + p.path.slice(page.path.length);
      // Its text is unchanged: "Revision N · <time>" keeps the revision's time (the move is in its history).
      tx.update(pages).set({ path: next }).where(eq(pages.id, p.id)).run();
      recordMove(tx, space.id, p.path, next, p.id);
      // Each page's history says where it came from, the pages under it included.
      appendAudit(tx, viewer!, 'page.move', `${space.key}/${next}`, { path: p.path }, { path: next }, p.id);
      enqueue(tx, 'index-page', p.id);
    }
    bumpTreeVersion(tx, space.id);
  });
  wakeOutbox();
  if (viewer) recentMoves.set(`${viewer.id} ${page.id}`, page.path);
  return { path: target };
}

/** Soft-deletes the page (not the pages under it); its id is what "Undo" restores. */
export function deletePage(viewer: Viewer | null, spaceKey: string, path: string): { id: number } {
  const { space, page } = loadPage(viewer, spaceKey, path, 'edit');
  if (page.path === '') throw badInput('The space home page cannot be deleted', { code: 'homeNoDelete' });
  write((tx) => {
    tx.update(pages).set({ deletedAt: Date.now(), deletedBy: viewer!.id }).where(eq(pages.id, page.id)).run();
    appendAudit(tx, viewer!, 'page.delete', `${space.key}/${page.path}`, null, null, page.id);
    enqueue(tx, 'index-page', page.id);
    bumpTreeVersion(tx, space.id);
  });
  wakeOutbox();
  return { id: page.id };
}

export function deletedPages(viewer: Viewer | null, spaceKey: string) {
  const space = getSpace(viewer, spaceKey);
  return db().select({ id: pages.id, path: pages.path, title: pages.title, deletedAt: pages.deletedAt }).from(pages)
    .where(and(eq(pages.spaceId, space.id), isNotNull(pages.deletedAt))).orderBy(sql`${pages.deletedAt} desc`).all();
}

export function restorePage(viewer: Viewer | null, spaceKey: string, pageId: number): { path: string } {
  const space = getSpace(viewer, spaceKey);
  assertCan(viewer, 'edit', space);
  const page = db().select().from(pages).where(and(eq(pages.id, pageId), eq(pages.spaceId, space.id), isNotNull(pages.deletedAt))).get();
  if (!page) throw notFound();
  write((tx) => {
    const clash = tx.select({ id: pages.id }).from(pages)
      .where(and(eq(pages.spaceId, space.id), eq(pages.path, page.path), isNull(pages.deletedAt))).get();
    if (clash) throw conflict(`Another page now lives at "${page.path}"; move it first`, { code: 'restoreClash', path: page.path });
    tx.update(pages).set({ deletedAt: null, deletedBy: null }).where(eq(pages.id, page.id)).run();
    appendAudit(tx, viewer!, 'page.restore', `${space.key}/${page.path}`, null, null, page.id);
    enqueue(tx, 'index-page', page.id);
    bumpTreeVersion(tx, space.id);
  });
  wakeOutbox();
  return { path: page.path };
}

/** How many live pages lie under `path` (what moves with it); for a space the viewer reads. */
export function countPagesUnder(space: { id: number }, path: string): number {
  if (path === '') return 0;
  return db().select({ n: sql<number>`count(*)` }).from(pages)
    .where(and(eq(pages.spaceId, space.id), isNull(pages.deletedAt), sql`${pages.path} like ${`${escapeLike(path)}/%`} escape '\\'`)).get()!.n;
}

/** The nearest page above `path` that exists (the space home when none does): where a delete returns to. */
export function nearestLiveAncestor(space: { id: number }, path: string): string {
  for (let p = parentPath(path); p !== null; p = parentPath(p)) if (p === '' || findLivePage(space.id, p)) return p;
  return '';
}

/**
 * A page of this space that this viewer deleted and that is still deleted: what the screen after a
 * delete offers to undo. Anyone else's deleted page, or one restored since, is none.
 */
export function ownDeletedPage(viewer: Viewer | null, space: { id: number }, id: number): { id: number; title: string; path: string } | undefined {
  if (!viewer || !Number.isSafeInteger(id)) return undefined;
  return db().select({ id: pages.id, title: pages.title, path: pages.path }).from(pages)
    .where(and(eq(pages.id, id), eq(pages.spaceId, space.id), eq(pages.deletedBy, viewer.id), isNotNull(pages.deletedAt))).get();
}
