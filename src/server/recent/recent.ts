// Recent changes (issue 11, part 7): the newest changed pages and requirements the viewer may read,
// site-wide or in one space, and the pages the viewer opened lately. Readability is decided here,
// at view time, from the access module: a space the viewer cannot read never appears.
import type { Viewer } from '../access/index.ts';
import { assertCan, readableRequirementsSql, readableSpaceIds } from '../access/index.ts';
import { unauthorized, notFound } from '../errors.ts';
import { db, prepared } from '../db.ts';
import { wholeNumber } from '../params.ts';
import { findSpace } from '../spaces/spaces.ts';

interface PersonRef { email: string; name: string }
export type RecentItem =
  | { kind: 'page'; at: string; by: PersonRef | null; space: string; path: string; title: string; revision: number }
  | { kind: 'requirement'; at: string; by: PersonRef | null; space: string; key: string; title: string; status: string; closed: boolean };
export interface ViewedPage { space: string; path: string; title: string; viewedAt: string }

const pageRows = prepared((d) => d.$client.prepare<[string, number], { at: number; space: string; path: string; title: string; revision: number; email: string | null; name: string | null }>(
  `select p.updated_at as at, s.key as space, p.path, p.title, p.revision, u.email, u.name
   from pages p join spaces s on s.id = p.space_id left join users u on u.id = p.updated_by
   where p.deleted_at is null and p.space_id in (select value from json_each(?))
   order by p.updated_at desc limit ?`,
));
type RequirementRow = { at: number; space: string; key: string; title: string; status: string; closedAt: number | null; email: string | null; name: string | null };
/** The newest changed requirements in these spaces that the viewer may read (row-level rule included). */
function requirementRows(viewer: Viewer, spaceIds: string, limit: number): RequirementRow[] {
  const readable = readableRequirementsSql(viewer, 'r');
  return db().$client.prepare<(string | number)[], RequirementRow>(
    `select r.updated_at as at, s.key as space, r.key, r.title, r.status, r.closed_at as closedAt, u.email, u.name
     from requirements r join projects pr on pr.id = r.project_id join spaces s on s.id = pr.space_id
     left join users u on u.id = (select e.actor_id from requirement_events e where e.requirement_id = r.id order by e.id desc limit 1)
     where pr.space_id in (select value from json_each(?)) and ${readable.sql}
     order by r.updated_at desc limit ?`,
  ).all(spaceIds, ...readable.params, limit);
}

const iso = (ms: number) => new Date(ms).toISOString();
const person = (r: { email: string | null; name: string | null }) => (r.email ? { email: r.email, name: r.name! } : null);

/**
 * The newest changes, pages and requirements merged, newest first. With `space`, only that space
 * (a project space's feed includes the project's requirements); 404 when the viewer may not read it.
 */
export function recentChanges(viewer: Viewer | null, opts: { space?: string | null; limit?: number } = {}): RecentItem[] {
  if (!viewer) throw unauthorized();
  const limit = opts.limit ?? 50;
  wholeNumber('limit', limit, 1);
  const n = Math.min(limit, 200);
  let spaceIds = readableSpaceIds(viewer);
  if (opts.space) {
    const space = findSpace(opts.space);
    if (!space) throw notFound();
    assertCan(viewer, 'read', space);
    spaceIds = [space.id];
  }
  const ids = JSON.stringify(spaceIds);
  const items: (RecentItem & { ms: number })[] = [
    ...pageRows().all(ids, n).map((r) => ({ kind: 'page' as const, ms: r.at, at: iso(r.at), by: person(r), space: r.space, path: r.path, title: r.title, revision: r.revision })),
    ...requirementRows(viewer, ids, n).map((r) => ({ kind: 'requirement' as const, ms: r.at, at: iso(r.at), by: person(r), space: r.space, key: r.key, title: r.title, status: r.status, closed: r.closedAt !== null })),
  ];
  return items.sort((a, b) => b.ms - a.ms).slice(0, n).map(({ ms: _ms, ...item }) => item);
}

const viewedRows = prepared((d) => d.$client.prepare<[number, string, number], { viewedAt: number; space: string; path: string; title: string }>(
  `select v.viewed_at as viewedAt, s.key as space, p.path, p.title
   from page_visits v join pages p on p.id = v.page_id join spaces s on s.id = p.space_id
   where v.user_id = ? and v.viewed_at is not null and p.deleted_at is null and p.space_id in (select value from json_each(?))
   order by v.viewed_at desc limit ?`,
));

/** The pages the viewer opened most recently (and may still read), newest first. */
export function recentlyViewed(viewer: Viewer | null, limit = 20): ViewedPage[] {
  if (!viewer) throw unauthorized();
  wholeNumber('limit', limit, 1);
  return viewedRows().all(viewer.id, JSON.stringify(readableSpaceIds(viewer)), Math.min(limit, 100))
    .map((r) => ({ ...r, viewedAt: iso(r.viewedAt) }));
}
