// Reading pages: the page view (stored HTML), its backlinks, and lookups by path.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { links, pages, revisions, spaces, users } from '../../../db/schema.ts';
import { assertCan, can, type Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { notFound } from '../errors.ts';
import { getSpace, type Space } from '../spaces/spaces.ts';
import { normalizePagePath, titleKey } from './page-path.ts';

export type PageRow = typeof pages.$inferSelect;
export interface PageRef { space: string; path: string; title: string }

export function findLivePage(spaceId: number, path: string): PageRow | undefined {
  return db().select().from(pages).where(and(eq(pages.spaceId, spaceId), eq(pages.path, path), isNull(pages.deletedAt))).get();
}

/** The page or a 404; the viewer must be allowed to `action` in its space. */
export function loadPage(viewer: Viewer | null, spaceKey: string, rawPath: string, action: 'read' | 'edit' = 'read'): { space: Space; page: PageRow } {
  const space = getSpace(viewer, spaceKey);
  assertCan(viewer, action, space);
  const page = findLivePage(space.id, normalizePagePath(rawPath));
  if (!page) throw notFound('No such page');
  return { space, page };
}

export function backlinks(viewer: Viewer | null, space: Space, page: Pick<PageRow, 'id' | 'title' | 'path'>): PageRef[] {
  const rows = db().selectDistinct({ space: spaces.key, spaceId: spaces.id, visibility: spaces.visibility, path: pages.path, title: pages.title })
    .from(links)
    .innerJoin(pages, eq(pages.id, links.fromPageId))
    .innerJoin(spaces, eq(spaces.id, pages.spaceId))
    .where(and(eq(links.toSpaceKey, space.key), inArray(links.toTitleKey, [titleKey(page.title), titleKey(page.path)]), isNull(pages.deletedAt)))
    .orderBy(pages.title).all();
  return rows.filter((r) => r.path !== page.path || r.space !== space.key)
    .filter((r) => can(viewer, 'read', { id: r.spaceId, visibility: r.visibility }))
    .map(({ space: s, path, title }) => ({ space: s, path, title }));
}

export interface PageView {
  space: Space;
  page: PageRow;
  markdown: string;
  author: { name: string; email: string } | null;
  backlinks: PageRef[];
}

export function viewPage(viewer: Viewer | null, spaceKey: string, path: string): PageView {
  const { space, page } = loadPage(viewer, spaceKey, path);
  const rev = db().select({ markdown: revisions.markdown }).from(revisions)
    .where(and(eq(revisions.pageId, page.id), eq(revisions.number, page.revision))).get()!;
  const author = page.updatedBy === null ? null
    : db().select({ name: users.name, email: users.email }).from(users).where(eq(users.id, page.updatedBy)).get() ?? null;
  return { space, page, markdown: rev.markdown, author, backlinks: backlinks(viewer, space, page) };
}
