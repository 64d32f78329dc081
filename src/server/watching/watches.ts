// Watching a page or a whole space: watchers hear about saves and comments in their inbox. Anyone
// who may read the space may watch it or its pages; what they are told is decided when it is sent.
import type { Viewer } from '../access/index.ts';
import { readCache } from '../db-cache.ts';
import { prepared, write } from '../db.ts';
import { loadPage } from '../pages/get-page.ts';
import { getSpace } from '../spaces/spaces.ts';

export interface WatchState { page: boolean; space: boolean }

const isWatching = prepared((d) => d.$client.prepare<{ user: number; page: number; space: number }, { page: number; space: number }>(
  `select exists(select 1 from page_watches where user_id = @user and page_id = @page) as page,
          exists(select 1 from space_watches where user_id = @user and space_id = @space) as space`,
));
const statements = prepared((d) => ({
  watchPage: d.$client.prepare<[number, number]>('insert or ignore into page_watches (user_id, page_id) values (?, ?)'),
  unwatchPage: d.$client.prepare<[number, number]>('delete from page_watches where user_id = ? and page_id = ?'),
  watchSpace: d.$client.prepare<[number, number]>('insert or ignore into space_watches (user_id, space_id) values (?, ?)'),
  unwatchSpace: d.$client.prepare<[number, number]>('delete from space_watches where user_id = ? and space_id = ?'),
}));

// Read on every page view: remembered until the database changes (exact: see db-cache.ts).
const states = readCache<string, Readonly<WatchState>>({ entries: 50_000 });

/** What the viewer watches of this page and its space. */
export function watchState(viewer: Viewer | null, spaceId: number, pageId: number): WatchState {
  if (!viewer) return { page: false, space: false };
  return states.get(`${viewer.id}/${pageId}/${spaceId}`, () => {
    const row = isWatching().get({ user: viewer.id, page: pageId, space: spaceId })!;
    return Object.freeze({ page: row.page === 1, space: row.space === 1 });
  });
}

/** Watch (or stop watching) a page; 404 when the viewer may not read it. */
export function setPageWatch(viewer: Viewer | null, spaceKey: string, path: string, on: boolean): { watching: boolean } {
  const { page } = loadPage(viewer, spaceKey, path);
  const s = statements();
  write(() => (on ? s.watchPage : s.unwatchPage).run(viewer!.id, page.id));
  return { watching: on };
}

/** Watch (or stop watching) a whole space: every page in it, including new ones. */
export function setSpaceWatch(viewer: Viewer | null, spaceKey: string, on: boolean): { watching: boolean } {
  const space = getSpace(viewer, spaceKey);
  const s = statements();
  write(() => (on ? s.watchSpace : s.unwatchSpace).run(viewer!.id, space.id));
  return { watching: on };
}
