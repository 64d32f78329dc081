// Reading pages: the page view (stored HTML), its backlinks, and lookups by path.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { links, pages, revisions, spaces, users } from '../../../db/schema.ts';
import { assertCan, readableSpaceIds, type Viewer } from '../access/index.ts';
import { prepared } from '../db.ts';
import { notFound } from '../errors.ts';
import { getSpace, type Space } from '../spaces/spaces.ts';
import { normalizePagePath, titleKey } from './page-path.ts';

export type PageRow = typeof pages.$inferSelect;
// What reading a page needs: not its search text and sections, which can be large.
const viewColumns = {
  id: pages.id, spaceId: pages.spaceId, path: pages.path, title: pages.title, titleKey: pages.titleKey, tags: pages.tags,
  revision: pages.revision, html: pages.html, headings: pages.headings, updatedAt: pages.updatedAt, updatedBy: pages.updatedBy,
};
export type LivePage = Pick<PageRow, keyof typeof viewColumns>;
export interface PageRef { space: string; path: string; title: string }

const livePage = prepared((d) => d.select(viewColumns).from(pages)
  .where(and(eq(pages.spaceId, sql.placeholder('spaceId')), eq(pages.path, sql.placeholder('path')), isNull(pages.deletedAt))).prepare());
const currentMarkdown = prepared((d) => d.select({ markdown: revisions.markdown }).from(revisions)
  .where(and(eq(revisions.pageId, sql.placeholder('pageId')), eq(revisions.number, sql.placeholder('number')))).prepare());
const userById = prepared((d) => d.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare());
const linksTo = prepared((d) => d.selectDistinct({ space: spaces.key, spaceId: spaces.id, path: pages.path, title: pages.title })
  .from(links)
  .innerJoin(pages, eq(pages.id, links.fromPageId))
  .innerJoin(spaces, eq(spaces.id, pages.spaceId))
  .where(and(eq(links.toSpaceKey, sql.placeholder('space')), inArray(links.toTitleKey, [sql.placeholder('title'), sql.placeholder('path')]), isNull(pages.deletedAt)))
  .orderBy(pages.title).prepare());

export function findLivePage(spaceId: number, path: string): LivePage | undefined {
  return livePage().get({ spaceId, path });
}

/** The page or a 404; the viewer must be allowed to `action` in its space. */
export function loadPage(viewer: Viewer | null, spaceKey: string, rawPath: string, action: 'read' | 'edit' = 'read'): { space: Space; page: LivePage } {
  const space = getSpace(viewer, spaceKey);
  assertCan(viewer, action, space);
  const page = findLivePage(space.id, normalizePagePath(rawPath));
  if (!page) throw notFound('No such page');
  return { space, page };
}

export function backlinks(viewer: Viewer | null, space: Space, page: Pick<PageRow, 'id' | 'title' | 'path'>): PageRef[] {
  const rows = linksTo().all({ space: space.key, title: titleKey(page.title), path: titleKey(page.path) });
  if (rows.length === 0) return [];
  const readable = new Set(readableSpaceIds(viewer));
  return rows.filter((r) => (r.path !== page.path || r.space !== space.key) && readable.has(r.spaceId))
    .map(({ space: s, path, title }) => ({ space: s, path, title }));
}

export interface PageView {
  space: Space;
  page: LivePage;
  markdown: string | null;
  author: { name: string; email: string } | null;
  backlinks: PageRef[];
}

/** A page with its author and backlinks; the Markdown source only when asked (editing, API). */
export function viewPage(viewer: Viewer | null, spaceKey: string, path: string, opts: { markdown?: boolean } = {}): PageView {
  const { space, page } = loadPage(viewer, spaceKey, path);
  const markdown = opts.markdown ? currentMarkdown().get({ pageId: page.id, number: page.revision })!.markdown : null;
  const author = page.updatedBy === null ? null : userById().get({ id: page.updatedBy }) ?? null;
  return { space, page, markdown, author, backlinks: backlinks(viewer, space, page) };
}
