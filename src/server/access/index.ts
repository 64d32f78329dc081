// The one place that decides who may do what. Every domain function asks here.
// Site admins may do everything. An `org` space is readable by every signed-in user; beyond
// that, roles come from grants to the user or to a group the user belongs to.
import { sql, type SQL } from 'drizzle-orm';
import { readCache } from '../db-cache.ts';
import { db, prepared } from '../db.ts';
import { conflict, forbidden, notFound, unauthorized } from '../errors.ts';
import type { Viewer } from './viewer.ts';

export type { Viewer } from './viewer.ts';
/**
 * `contribute`: a write any reader may make (comment, submit or nudge a requirement). `manage`: an
 * admin's action that changes no content and so stays open in an archived space (archiving and
 * unarchiving it, who may read it). Every other action but `read` is refused in an archived space.
 */
export type Action = 'read' | 'contribute' | 'edit' | 'admin' | 'manage';
export type Role = 'reader' | 'editor' | 'admin';
/**
 * `archived`: read-only (a project's space is archived with its project: see archive/archive.ts).
 * Read checks may leave it out; every write is checked against the space's full row.
 */
export interface SpaceRef { id: number; visibility: 'org' | 'restricted'; archived?: boolean }

const RANK: Record<Role, number> = { reader: 1, editor: 2, admin: 3 };
const NEEDS: Record<Action, number> = { read: 1, contribute: 1, edit: 2, admin: 3, manage: 3 };
const blockedByArchive = (action: Action, space: SpaceRef) => space.archived === true && action !== 'read' && action !== 'manage';
export const ROLES: Role[] = ['reader', 'editor', 'admin'];

const grantedRoles = prepared((d) => d.$client.prepare<[number, number], { spaceId: number; role: Role }>(
  `select space_id as spaceId, role from grants where user_id = ?
   union all
   select g.space_id, g.role from grants g join group_members m on m.group_id = g.group_id where m.user_id = ?`,
));

// Each viewer's grants are remembered until the database changes at all (any commit, by any
// connection or process: see db-cache.ts), so a page view does not ask again, yet a grant or
// membership change counts from the very next check.
const grantsByUser = readCache<number, ReadonlyMap<number, Role>>();

/** The viewer's strongest role per space from grants (direct or through groups). */
function rolesFromGrants(viewer: Viewer): ReadonlyMap<number, Role> {
  return grantsByUser.get(viewer.id, () => {
    const roles = new Map<number, Role>();
    for (const { spaceId, role } of grantedRoles().all(viewer.id, viewer.id)) {
      const had = roles.get(spaceId);
      if (!had || RANK[role] > RANK[had]) roles.set(spaceId, role);
    }
    return roles;
  });
}

export function spaceRole(viewer: Viewer | null, space: SpaceRef, granted?: ReadonlyMap<number, Role>): Role | null {
  if (!viewer) return null;
  if (viewer.admin) return 'admin'; // site admins need no grants: skip the query
  const role = (granted ?? rolesFromGrants(viewer)).get(space.id) ?? null;
  if (space.visibility === 'org' && !role) return 'reader';
  return role;
}

export function can(viewer: Viewer | null, action: Action, space: SpaceRef): boolean {
  const role = spaceRole(viewer, space);
  return role !== null && RANK[role] >= NEEDS[action] && !blockedByArchive(action, space);
}

/**
 * What the viewer may do in a space, for showing or hiding controls: the one place every screen
 * asks before it offers an action (Edit, New page, Move, Delete, Restore, Undelete, upload, space
 * settings). Computed once per screen from the same roles as `can`, so a control appears exactly
 * when the server would allow its action; the server still checks each action itself.
 */
export interface SpaceControls { edit: boolean; create: boolean; move: boolean; delete: boolean; restore: boolean; upload: boolean; admin: boolean }

export function pageControls(viewer: Viewer | null, space: SpaceRef): SpaceControls {
  const role = spaceRole(viewer, space);
  const at = (action: Action) => role !== null && RANK[role] >= NEEDS[action] && !blockedByArchive(action, space);
  const edit = at('edit');
  return { edit, create: edit, move: edit, delete: edit, restore: edit, upload: edit, admin: at('admin') };
}

/**
 * 401 for anonymous, 404 (not 403) when the viewer may not read, so a hidden space does not leak;
 * 403 without the role; 409 for any write into an archived space: every write route asks here.
 */
export function assertCan(viewer: Viewer | null, action: Action, space: SpaceRef): void {
  if (!viewer) throw unauthorized();
  const role = spaceRole(viewer, space);
  if (role === null) throw notFound();
  if (RANK[role] < NEEDS[action]) throw forbidden();
  if (blockedByArchive(action, space)) throw archivedError();
}

export const archivedError = () => conflict('This space is archived', { archived: true, code: 'spaceArchived' });

/** Whether the viewer may see the site administration pages (to anyone else they do not exist). */
export function canAdministerSite(viewer: Viewer | null): boolean {
  return viewer?.admin === true;
}

export function assertSiteAdmin(viewer: Viewer | null): void {
  if (!viewer) throw unauthorized();
  if (!viewer.admin) throw forbidden('Only site admins may do this', { code: 'adminOnly' });
}

/** The viewer's role in each of these spaces (null: none), from one read of their grants. */
export function spaceRoles(viewer: Viewer, spaces: readonly SpaceRef[]): Map<number, Role | null> {
  const granted = viewer.admin ? undefined : rolesFromGrants(viewer);
  return new Map(spaces.map((s) => [s.id, spaceRole(viewer, s, granted)]));
}

/** For filtering many items by their space: the grants are read once, not per item. */
export function readableFilter(viewer: Viewer | null): (space: SpaceRef) => boolean {
  if (!viewer) return () => false;
  if (viewer.admin) return () => true;
  const granted = rolesFromGrants(viewer);
  return (space) => spaceRole(viewer, space, granted) !== null;
}

const allSpaces = prepared((d) => d.$client.prepare<[], { id: number; visibility: SpaceRef['visibility']; archived: number }>('select id, visibility, archived from spaces'));
const spaceList = readCache<'all', readonly Required<SpaceRef>[]>({ entries: 1 });
const everySpace = () => spaceList.get('all', () => Object.freeze(allSpaces().all().map((s) => ({ ...s, archived: s.archived === 1 }))));

/** The spaces the viewer may read; `archived: false` leaves out those archived now (search, unless asked for them). */
export function readableSpaceIds(viewer: Viewer | null, { archived = true }: { archived?: boolean } = {}): number[] {
  if (!viewer) return [];
  const readable = readableFilter(viewer);
  return everySpace().filter((s) => readable(s) && (archived || !s.archived)).map((s) => s.id);
}

const grantHolders = prepared((d) => d.$client.prepare<[number, number], { id: number }>(
  `select u.id from users u where u.active = 1 and u.admin = 0 and u.id in (
     select user_id from grants where space_id = ? and user_id is not null
     union select m.user_id from grants g join group_members m on m.group_id = g.group_id where g.space_id = ?)`,
));

/**
 * For what is sent to everyone who reads `audience` at once (a project's webhook posts to a chat
 * group, not to one viewer): whether every reader of `audience` may also read a space. An
 * org-visible audience is everyone, who can be assumed to read only org-visible spaces.
 */
export function readableByEveryReaderOf(audience: SpaceRef): (space: SpaceRef) => boolean {
  let holders: number[] | undefined;
  return (space) => {
    if (space.id === audience.id || space.visibility === 'org') return true;
    if (audience.visibility === 'org') return false;
    holders ??= grantHolders().all(audience.id, audience.id).map((r) => r.id);
    return holders.every((id) => spaceRole({ id, email: '', name: '', admin: false, locale: null }, space) !== null);
  };
}

// ---- Row-level visibility of requirements ----
// A requirement is restricted by its own flag or by its category's (`restricted: true` in the
// category's workflow). A restricted requirement is read only by its reporter, its assignee, the
// members of its queue group, the people added to it (requirement_viewers), the project's admins
// and site admins; to anyone else it does not exist. Everything else about requirements follows
// their project's space. Lists, counts and single lookups all use the one predicate below.

/** A WHERE fragment for better-sqlite3 (`?` placeholders, in order) or drizzle (see `sqlPredicate`). */
export interface SqlPredicate { sql: string; params: (string | number)[] }

const restrictedCategoryRows = prepared((d) => d.$client.prepare<[], { projectId: number; key: string }>(
  `select project_id as projectId, key from categories where json_extract(workflow, '$.restricted') = 1`,
));
const restrictedCategoryCache = readCache<'all', readonly { projectId: number; key: string }[]>({ entries: 1 });
const restrictedCategories = () => restrictedCategoryCache.get('all', () => Object.freeze(restrictedCategoryRows().all()));
const projectsOfSpaces = prepared((d) => d.$client.prepare<[], { id: number; spaceId: number }>('select id, space_id as spaceId from projects'));
const projectList = readCache<'all', readonly { id: number; spaceId: number }[]>({ entries: 1 });

const sqlIds = (ids: readonly number[]) => (ids.length ? ids.map((id) => String(Math.trunc(id))).join(',') : 'null');

/** "Requirement `alias` is restricted" (its own flag or its category's), as SQL. */
export function restrictedSql(alias: string): SqlPredicate {
  const cats = restrictedCategories();
  if (cats.length === 0) return { sql: `${alias}.restricted = 1`, params: [] };
  return {
    sql: `(${alias}.restricted = 1 or (${alias}.project_id, ${alias}.category) in (values ${cats.map(() => '(?, ?)').join(', ')}))`,
    params: cats.flatMap((c) => [c.projectId, c.key]),
  };
}

/**
 * "The viewer may read requirement `alias`" (a requirements row in the query): its project's
 * space is readable and, when restricted, the viewer is one of its people or a project admin.
 * Use it in every query over requirements, e.g.
 * `db.$client.prepare(\`select count(*) from requirements r where r.project_id = ? and ${p.sql}\`).get(id, ...p.params)`,
 * or `sqlPredicate(readableRequirementsSql(viewer, 'requirements'))` inside a drizzle `where`.
 */
export function readableRequirementsSql(viewer: Viewer | null, alias = 'r'): SqlPredicate {
  if (!viewer) return { sql: '0', params: [] };
  if (viewer.admin) return { sql: '1', params: [] };
  const granted = rolesFromGrants(viewer);
  const spaces = everySpace();
  const readableSpaces = new Set(spaces.filter((s) => spaceRole(viewer, s, granted) !== null).map((s) => s.id));
  const adminSpaces = new Set(spaces.filter((s) => spaceRole(viewer, s, granted) === 'admin').map((s) => s.id));
  const projectIds = projectList.get('all', () => Object.freeze(projectsOfSpaces().all()));
  const readable = projectIds.filter((p) => readableSpaces.has(p.spaceId)).map((p) => p.id);
  const administered = projectIds.filter((p) => adminSpaces.has(p.spaceId)).map((p) => p.id);
  const restricted = restrictedSql(alias);
  return {
    // coalesce: a NULL column (no reporter, no queue) must make the whole test false, never NULL,
    // so that `not <predicate>` is exactly the unreadable rows.
    sql: `coalesce(${alias}.project_id in (${sqlIds(readable)}) and (not ${restricted.sql}`
      + ` or ${alias}.reporter_id = ? or ${alias}.assignee_id = ?`
      // Both sub-selects are uncorrelated: SQLite runs each once per statement, not once per row.
      + ` or ${alias}.group_id in (select group_id from group_members where user_id = ?)`
      + ` or ${alias}.id in (select requirement_id from requirement_viewers where user_id = ?)`
      + ` or ${alias}.project_id in (${sqlIds(administered)})), 0)`,
    params: [...restricted.params, viewer.id, viewer.id, viewer.id, viewer.id],
  };
}

/** A predicate as a drizzle `SQL` chunk, for `where(and(..., sqlPredicate(p)))`. */
export function sqlPredicate(p: SqlPredicate): SQL {
  const parts = p.sql.split('?');
  return sql.join(parts.flatMap((part, i) => (i === 0 ? [sql.raw(part)] : [sql`${p.params[i - 1]}`, sql.raw(part)])));
}

// Remembered per viewer and requirement until the database changes (db-cache.ts).
const readableRequirement = readCache<string, boolean>({ entries: 20_000 });

/** Of these requirement ids, the ones the viewer may read (one query for a whole list). */
export function readableRequirementIds(viewer: Viewer | null, ids: readonly number[]): Set<number> {
  if (!viewer || ids.length === 0) return new Set();
  const p = readableRequirementsSql(viewer, 'r');
  const rows = db().$client.prepare<(string | number)[], { id: number }>(`select r.id from requirements r where r.id in (${sqlIds(ids)}) and ${p.sql}`).all(...p.params);
  return new Set(rows.map((r) => r.id));
}

/** Whether the viewer may read this requirement (its project's space, and its restriction). */
export function canReadRequirement(viewer: Viewer | null, req: { id: number }): boolean {
  if (!viewer) return false;
  return readableRequirement.get(`${viewer.id} ${req.id}`, () => readableRequirementIds(viewer, [req.id]).has(req.id));
}

/** Whether a requirement is restricted (its own flag or its category's), without a query. */
export function isRestricted(req: { restricted: boolean; projectId: number; category: string }): boolean {
  if (req.restricted) return true;
  return restrictedCategories().some((c) => c.projectId === req.projectId && c.key === req.category);
}

/**
 * The restricted requirements in these spaces that the viewer may not read: what a search
 * filters out of its hits at query time (the index itself is the same for everyone).
 */
export function hiddenRequirementIds(viewer: Viewer | null, spaceIds: readonly number[]): number[] {
  if (!viewer || viewer.admin || spaceIds.length === 0) return [];
  const restricted = restrictedSql('r');
  const readable = readableRequirementsSql(viewer, 'r');
  return db().$client.prepare<(string | number)[], { id: number }>(
    `select r.id from requirements r join projects p on p.id = r.project_id
     where p.space_id in (${sqlIds(spaceIds)}) and ${restricted.sql} and not ${readable.sql}`,
  ).all(...restricted.params, ...readable.params).map((r) => r.id);
}
