// Moving a page (and the pages under it) to a new path, and soft delete / restore.
import { and, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { pages } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { db, write } from '../db.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';
import { getSpace } from '../spaces/spaces.ts';
import { loadPage } from './get-page.ts';
import { normalizePagePath } from './page-path.ts';
import { bumpTreeVersion } from './tree.ts';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function movePage(viewer: Viewer | null, spaceKey: string, path: string, rawTarget: string): { path: string } {
  const { space, page } = loadPage(viewer, spaceKey, path, 'edit');
  const target = normalizePagePath(rawTarget);
  if (page.path === '') throw badInput('The space home page cannot be moved');
  if (target === '' ) throw badInput('Choose a path for the page');
  if (target === page.path) return { path: target };
  if (target.startsWith(`${page.path}/`)) throw badInput('A page cannot move under itself');
  const prefix = `${page.path}/`;
  write((tx) => {
    const subtree = tx.select({ id: pages.id, path: pages.path }).from(pages)
      .where(and(eq(pages.spaceId, space.id), isNull(pages.deletedAt),
        or(eq(pages.id, page.id), sql`${pages.path} like ${`${escapeLike(prefix)}%`} escape '\\'`))).all();
    for (const p of subtree) {
      const next = target + p.path.slice(page.path.length);
      const clash = tx.select({ id: pages.id }).from(pages)
        .where(and(eq(pages.spaceId, space.id), eq(pages.path, next), isNull(pages.deletedAt))).get();
      if (clash && !subtree.some((s) => s.id === clash.id)) throw conflict(`A page already exists at "${next}"`);
    }
    // Two passes so that swapping paths inside the subtree never trips the unique index.
    for (const p of subtree) tx.update(pages).set({ path: `\u0000${p.id}` }).where(eq(pages.id, p.id)).run();
    for (const p of subtree) {
      tx.update(pages).set({ path: target + p.path.slice(page.path.length), updatedAt: Date.now() }).where(eq(pages.id, p.id)).run();
      enqueue(tx, 'index-page', p.id);
    }
    bumpTreeVersion(tx, space.id);
  });
  wakeOutbox();
  return { path: target };
}

export function deletePage(viewer: Viewer | null, spaceKey: string, path: string): void {
  const { space, page } = loadPage(viewer, spaceKey, path, 'edit');
  if (page.path === '') throw badInput('The space home page cannot be deleted');
  write((tx) => {
    tx.update(pages).set({ deletedAt: Date.now(), deletedBy: viewer!.id }).where(eq(pages.id, page.id)).run();
    enqueue(tx, 'index-page', page.id);
    bumpTreeVersion(tx, space.id);
  });
  wakeOutbox();
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
    if (clash) throw conflict(`Another page now lives at "${page.path}"; move it first`);
    tx.update(pages).set({ deletedAt: null, deletedBy: null }).where(eq(pages.id, page.id)).run();
    enqueue(tx, 'index-page', page.id);
    bumpTreeVersion(tx, space.id);
  });
  wakeOutbox();
  return { path: page.path };
}
