// What a person holds (issue 11, handover): the open work, roles, subscriptions and credentials
// that would be orphaned if they left without handing them over. And the "orphans" report: every
// open item still held by an inactive user. Site admins only; to anyone else these do not exist.
import type { Viewer } from '../access/index.ts';
import { db, type Db } from '../db.ts';
import { notFound } from '../errors.ts';
import { maskUrl } from '../notify/webhook-settings.ts';

/** Lists may be huge (1,000 requirements): a count and the first few. */
export interface Listed<T> { count: number; items: T[] }

export const FIRST_ITEMS = 50;

/** Admin screens and their API do not exist for anyone but a site admin (same 404 as a missing user). */
export function assertSiteAdminOr404(viewer: Viewer | null): asserts viewer is Viewer {
  if (!viewer?.admin) throw notFound();
}

function listed<T>(d: Db, query: string, params: unknown[], limit: number): Listed<T> {
  const count = (d.$client.prepare(`select count(*) as n from (${query})`).get(...params) as { n: number }).n;
  const items = count === 0 ? [] : d.$client.prepare(`${query} limit ?`).all(...params, limit) as T[];
  return { count, items };
}

// Each query names what one kind of holding is, once: the holdings, the handover and the
// orphans report read the same definitions.
export const HELD = {
  requirements: `select r.id, r.key, r.title, p.key as project from requirements r join projects p on p.id = r.project_id
    where r.assignee_id = ? and r.closed_at is null order by r.id`,
  groups: `select g.id, g.name from group_members m join groups g on g.id = m.group_id where m.user_id = ? order by g.name`,
  rules: `select rr.id, p.key as project, rr.position + 1 as rule, rr.category, rr.tag from routing_rules rr
    join projects p on p.id = rr.project_id where rr.assignee_id = ? order by p.key, rr.position`,
  projects: `select p.id, p.key, p.name from projects p where p.owner_id = ? order by p.key`,
  // Spaces they administer by a grant of their own; onlyAdmin when no other active person does
  // (directly or through a group with an active member). Site admins do not count: they administer everything.
  spaces: `select s.id, s.key, s.name, not exists (
      select 1 from grants o where o.space_id = g.space_id and o.role = 'admin' and o.id <> g.id and (
        exists (select 1 from users ou where ou.id = o.user_id and ou.active = 1)
        or exists (select 1 from group_members m join users mu on mu.id = m.user_id where m.group_id = o.group_id and mu.active = 1 and mu.id <> g.user_id))
    ) as onlyAdmin
    from grants g join spaces s on s.id = g.space_id where g.user_id = ? and g.role = 'admin' order by s.key`,
  // The live pages they own (a page's owner is its author until someone else is named: ownership.ts).
  pagesOwned: `select p.id, s.key as space, p.path, p.title from pages p join spaces s on s.id = p.space_id
    where p.owner_id = ? and p.deleted_at is null order by s.key, p.path`,
  watchedRequirements: `select r.id, r.key, r.title from watchers w join requirements r on r.id = w.requirement_id where w.user_id = ? order by r.id`,
  watchedPages: `select p.id, s.key as space, p.path, p.title from page_watches w join pages p on p.id = w.page_id
    join spaces s on s.id = p.space_id where w.user_id = ? and p.deleted_at is null order by s.key, p.path`,
  watchedSpaces: `select s.id, s.key, s.name from space_watches w join spaces s on s.id = w.space_id where w.user_id = ? order by s.key`,
  webhooks: `select h.id, p.key as project, h.url, h.format, h.active from webhooks h join projects p on p.id = h.project_id
    where h.created_by = ? order by h.id`,
  tokens: `select t.name, t.read_only as readOnly, t.created_at as createdAt, t.last_used_at as lastUsedAt from api_tokens t
    where t.user_id = ? order by t.created_at`,
} as const;

type Row = Record<string, unknown>;

export interface Holdings {
  user: { id: number; email: string; name: string; active: boolean };
  requirements: Listed<Row>; groups: Listed<Row>; rules: Listed<Row>; projects: Listed<Row>; spaces: Listed<Row>;
  pagesOwned: Listed<Row>;
  watches: { requirements: Listed<Row>; pages: Listed<Row>; spaces: Listed<Row> };
  webhooks: Listed<Row>; tokens: Listed<Row>;
}

export function userHoldings(viewer: Viewer | null, id: number, limit = FIRST_ITEMS): Holdings {
  assertSiteAdminOr404(viewer);
  const d = db();
  const user = d.$client.prepare('select id, email, name, active from users where id = ?').get(id) as { id: number; email: string; name: string; active: number } | undefined;
  if (!user) throw notFound();
  const of = (query: string) => {
    const l = listed<Row>(d, query, [id], limit);
    return { count: l.count, items: l.items.map(tidy) };
  };
  return {
    user: { ...user, active: user.active === 1 },
    requirements: of(HELD.requirements), groups: of(HELD.groups), rules: of(HELD.rules), projects: of(HELD.projects),
    spaces: of(HELD.spaces), pagesOwned: of(HELD.pagesOwned),
    watches: { requirements: of(HELD.watchedRequirements), pages: of(HELD.watchedPages), spaces: of(HELD.watchedSpaces) },
    webhooks: of(HELD.webhooks), tokens: of(HELD.tokens),
  };
}

/** Row ids are internal; SQLite's 0/1 become booleans, epoch milliseconds ISO dates. */
function tidy(row: Row): Row {
  const { id: _id, ...rest } = row;
  const out: Row = { ...rest };
  for (const k of ['onlyAdmin', 'readOnly', 'active']) if (k in out) out[k] = out[k] === 1;
  if (typeof out.url === 'string') out.url = maskUrl(out.url); // a webhook URL may carry its own secret
  for (const k of ['createdAt', 'lastUsedAt']) if (typeof out[k] === 'number') out[k] = new Date(out[k] as number).toISOString();
  return out;
}

export interface Orphans {
  total: number;
  requirements: Listed<Row>; projects: Listed<Row>; spaces: Listed<Row>; rules: Listed<Row>;
  /** The inactive people still holding something: whose page to hand over from. */
  holders: { id: number; email: string; name: string }[];
}

// Open items whose holder is an inactive user. A space is orphaned when its admins by grant are all
// inactive; a rule when the user it names is inactive or the group it names has no active member.
const ORPHANED = {
  requirements: `select r.key, r.title, p.key as project, u.email as assignee from requirements r join projects p on p.id = r.project_id
    join users u on u.id = r.assignee_id where u.active = 0 and r.closed_at is null order by r.id`,
  projects: `select p.key, p.name, u.email as owner from projects p join users u on u.id = p.owner_id where u.active = 0 order by p.key`,
  spaces: `select s.key, s.name, (select group_concat(u.email, ', ') from grants g join users u on u.id = g.user_id
      where g.space_id = s.id and g.role = 'admin') as admins
    from spaces s where exists (select 1 from grants g join users u on u.id = g.user_id where g.space_id = s.id and g.role = 'admin' and u.active = 0)
    and not exists (select 1 from grants g where g.space_id = s.id and g.role = 'admin' and (
      exists (select 1 from users u where u.id = g.user_id and u.active = 1)
      or exists (select 1 from group_members m join users mu on mu.id = m.user_id where m.group_id = g.group_id and mu.active = 1)))
    order by s.key`,
  rules: `select p.key as project, rr.position + 1 as rule, u.email as assignee, gr.name as "group" from routing_rules rr
    join projects p on p.id = rr.project_id left join users u on u.id = rr.assignee_id left join groups gr on gr.id = rr.group_id
    where (u.active = 0) or (rr.group_id is not null and not exists (
      select 1 from group_members m join users mu on mu.id = m.user_id where m.group_id = rr.group_id and mu.active = 1))
    order by p.key, rr.position`,
} as const;

const HOLDERS = `select u.id, u.email, u.name from users u where u.active = 0 and (
    exists (select 1 from requirements r where r.assignee_id = u.id and r.closed_at is null)
    or exists (select 1 from projects p where p.owner_id = u.id)
    or exists (select 1 from grants g where g.user_id = u.id and g.role = 'admin' and not exists (
      select 1 from grants o where o.space_id = g.space_id and o.role = 'admin' and (
        exists (select 1 from users ou where ou.id = o.user_id and ou.active = 1)
        or exists (select 1 from group_members m join users mu on mu.id = m.user_id where m.group_id = o.group_id and mu.active = 1))))
    or exists (select 1 from routing_rules rr where rr.assignee_id = u.id))
  order by u.email`;

export function orphans(viewer: Viewer | null, limit = FIRST_ITEMS * 4): Orphans {
  assertSiteAdminOr404(viewer);
  const d = db();
  const of = (query: string) => listed<Row>(d, query, [], limit);
  const found = { requirements: of(ORPHANED.requirements), projects: of(ORPHANED.projects), spaces: of(ORPHANED.spaces), rules: of(ORPHANED.rules) };
  const holders = d.$client.prepare(HOLDERS).all() as Orphans['holders'];
  return { total: Object.values(found).reduce((n, l) => n + l.count, 0), ...found, holders };
}
