// Reading pages: the page view (stored HTML), its backlinks, and lookups by path.
import type { Lang } from '../../i18n/index.ts';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { pages, revisions } from '../../../db/schema.ts';
import { assertCan, readableFilter, type Action, type Viewer } from '../access/index.ts';
import { readCache } from '../db-cache.ts';
import { db, prepared } from '../db.ts';
import { DomainError, notFound } from '../errors.ts';
import { getSpace, type Space } from '../spaces/spaces.ts';
import { pageRequirements, type PageRequirement } from '../requirements/links.ts';
import { normalizePagePath, titleKey } from './page-path.ts';
import { pathsLeadingTo } from './redirects.ts';
import { spaceNav, type SpaceNav } from './tree.ts';
import { prepareCharts } from '../dashboards/embed.ts';
import { htmlForViewer } from './html-for-viewer.ts';

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
// The page view's own reads, run on every view: plain SQL, only the columns shown, no ORM mapping.
interface ViewRow extends Omit<LivePage, 'tags' | 'headings'> { tags: string; headings: string; authorName: string | null; authorEmail: string | null }
const pageForView = prepared((d) => d.$client.prepare<[number, string], ViewRow>(
  `select p.id, p.space_id as spaceId, p.path, p.title, p.title_key as titleKey, p.tags, p.revision, p.html, p.headings,
     p.updated_at as updatedAt, p.updated_by as updatedBy, u.name as authorName, u.email as authorEmail
   from pages p left join users u on u.id = p.updated_by
   where p.space_id = ? and p.path = ? and p.deleted_at is null`,
));
interface LinkRow { space: string; spaceId: number; visibility: 'org' | 'restricted'; path: string; title: string }
// The links naming the page (`to_title_key` in a JSON array: its title, its path, paths it moved from).
const linksTo = prepared((d) => d.$client.prepare<[string, string], LinkRow>(
  `select distinct s.key as space, s.id as spaceId, s.visibility, p.path, p.title
   from links l join pages p on p.id = l.from_page_id join spaces s on s.id = p.space_id
   where l.to_space_key = ? and l.to_title_key in (select value from json_each(?)) and p.deleted_at is null
   order by p.title`,
));

// The view's reads, remembered until the database changes at all (exact: see db-cache.ts). The
// permission checks are made on every view; only the rows are remembered, frozen.
const viewRows = readCache<string, Readonly<{ page: LivePage; author: PageView['author'] }> | null>({
  entries: 5000, weight: 64 * 1024 * 1024, weigh: (row) => 2 * (row?.page.html.length ?? 0), // ~bytes of HTML held
});
const linkRows = readCache<string, readonly Readonly<LinkRow>[]>({ entries: 5000 });

function pageRow(spaceId: number, path: string) {
  return viewRows.get(`${spaceId}/${path}`, () => {
    const row = pageForView().get(spaceId, path);
    if (!row) return null;
    const { authorName, authorEmail, tags, headings, ...rest } = row;
    const page: LivePage = { ...rest, tags: Object.freeze(JSON.parse(tags) as string[]) as string[], headings: Object.freeze(JSON.parse(headings) as LivePage['headings']) as LivePage['headings'] };
    const author = authorName === null || authorEmail === null ? null : Object.freeze({ name: authorName, email: authorEmail });
    return Object.freeze({ page: Object.freeze(page), author });
  });
}

export function findLivePage(spaceId: number, path: string): LivePage | undefined {
  return livePage().get({ spaceId, path });
}

/**
 * The page or a 404; the viewer must be allowed to `action` in its space. The space comes by key,
 * or as the row a caller already looked up (a page view has it): the check is made here either way.
 */
export function loadPage(viewer: Viewer | null, spaceOrKey: Space | string, rawPath: string, action: Action = 'read'): { space: Space; page: LivePage } {
  const space = typeof spaceOrKey === 'string' ? getSpace(viewer, spaceOrKey) : spaceOrKey;
  assertCan(viewer, action, space);
  const page = findLivePage(space.id, normalizePagePath(rawPath));
  if (!page) throw notFound();
  return { space, page };
}

export function backlinks(viewer: Viewer | null, space: Space, page: Pick<PageRow, 'id' | 'title' | 'path'>): PageRef[] {
  const names = JSON.stringify([page.title, page.path, ...pathsLeadingTo(page.id)].map(titleKey));
  const rows = linkRows.get(`${space.key}\u0000${names}`, () => Object.freeze(linksTo().all(space.key, names).map((r) => Object.freeze(r))));
  if (rows.length === 0) return [];
  const readable = readableFilter(viewer);
  return rows.filter((r) => (r.path !== page.path || r.space !== space.key) && readable({ id: r.spaceId, visibility: r.visibility }))
    .map(({ space: s, path, title }) => ({ space: s, path, title }));
}

export interface PageView {
  space: Space;
  page: LivePage;
  /** The page's HTML as this viewer may see it (links resolved, requirement keys with live status). */
  html: string;
  markdown: string | null;
  author: { name: string; email: string } | null;
  backlinks: PageRef[];
  /** Requirements the page links to or mentions, with live status, where the viewer may read them. */
  requirements: PageRequirement[];
}

interface ReadOptions { markdown?: boolean; lang?: Lang }

/**
 * Before a page view: the figures of the page's charts, computed for this viewer on the dashboard
 * worker (src/server/dashboards/embed.ts), so the view draws them without running their queries on
 * the main thread. A page the viewer may not read (or no page) prepares nothing; the view says so.
 */
export async function preparePageCharts(viewer: Viewer | null, spaceKey: string, path: string): Promise<void> {
  let html: string | undefined;
  try {
    const space = getSpace(viewer, spaceKey);
    assertCan(viewer, 'read', space);
    // The view's own remembered row: checking for charts must not cost the view a second read.
    html = pageRow(space.id, normalizePagePath(path))?.page.html;
  } catch (err) {
    if (err instanceof DomainError) return;
    throw err;
  }
  if (html) await prepareCharts(viewer, html);
}

/** A page with its author and backlinks; the Markdown source only when asked (editing, API). */
export function viewPage(viewer: Viewer | null, spaceOrKey: Space | string, path: string, opts: ReadOptions = {}): PageView {
  return readPage(viewer, typeof spaceOrKey === 'string' ? getSpace(viewer, spaceOrKey) : spaceOrKey, path, opts);
}

/**
 * What a page screen (/s/<space>/<path>) shows: the space, its nav, and (when asked for) the page,
 * null when there is no such page. `pageError` is any other error reading the page, which the
 * caller raises itself: unlike the space's, it is not a 404.
 */
export interface PageScreen { space: Space; nav: SpaceNav; view: PageView | null; pageError?: unknown }

/**
 * The reads of a page screen in one go; a space the viewer may not read is a 404 (401 when signed
 * out). With `charts`, the page's charts are prepared (as preparePageCharts does) from the same row.
 */
export async function readPageScreen(viewer: Viewer | null, spaceKey: string, path: string, opts: ReadOptions & { page: boolean; charts?: boolean }): Promise<PageScreen> {
  const space = getSpace(viewer, spaceKey);
  const screen: PageScreen = { space, nav: spaceNav(viewer, space, path), view: null };
  if (opts.page) {
    try {
      const row = readableRow(viewer, space, path);
      if (opts.charts) await prepareCharts(viewer, row.page.html);
      screen.view = viewOf(viewer, space, row, opts);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status !== 404) screen.pageError = err;
    }
  }
  return screen;
}

function readPage(viewer: Viewer | null, space: Space, path: string, opts: ReadOptions): PageView {
  return viewOf(viewer, space, readableRow(viewer, space, path), opts);
}

function readableRow(viewer: Viewer | null, space: Space, path: string): NonNullable<ReturnType<typeof pageRow>> {
  assertCan(viewer, 'read', space);
  const row = pageRow(space.id, normalizePagePath(path));
  if (!row) throw notFound();
  return row;
}

function viewOf(viewer: Viewer | null, space: Space, { page, author }: NonNullable<ReturnType<typeof pageRow>>, opts: ReadOptions): PageView {
  const markdown = opts.markdown ? currentMarkdown().get({ pageId: page.id, number: page.revision })!.markdown : null;
  return {
    space, page, html: htmlForViewer(viewer, page.html, opts.lang ?? 'en'), markdown, author,
    backlinks: backlinks(viewer, space, page), requirements: pageRequirements(db(), viewer, page.id),
  };
}
