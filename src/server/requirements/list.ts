// Requirement lists: a project's list with filters and sorting (also what CSV export and the
// board read), and "my work" across every project the viewer may read.
import { and, asc, desc, eq, inArray, isNotNull, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { groupMembers, groups, projects, requirements, spaces, users } from '../../../db/schema.ts';
import { can, readableRequirementsSql, readableSpaceIds, sqlPredicate, type Viewer } from '../access/index.ts';
import { slaFlags } from '../desk/escalation.ts';
import { mayClaim } from '../desk/facts.ts';
import { tagCondition, type TagAliases } from '../desk/tags.ts';
import { db } from '../db.ts';
import { oneOf, wholeNumber } from '../params.ts';
import { loadProject, projectCategories, readableWorkflows, type Project } from '../projects/projects.ts';
import type { Category } from '../projects/workflow.ts';
import { describeState, today, type Person } from './view.ts';

export interface ListFilter {
  status?: string; category?: string; assignee?: string; tag?: string; due?: string; q?: string;
  sort?: string; dir?: string; limit?: number; offset?: number;
}

export interface RequirementRow {
  key: string; project: string; title: string; category: string; categoryName: { en: string; zh: string };
  status: string; statusName: { en: string; zh: string }; done: boolean; priority: string;
  assignee: Person | null; group: string | null; due: string | null; overdue: boolean; tags: string[];
  createdAt: string; updatedAt: string;
  /** Desk: SLA state, and whether the viewer may take it (src/server/desk/). */
  responseOverdue: boolean; resolveOverdue: boolean; escalated: boolean; canClaim: boolean;
  /** Seen only by its people (its own flag or its category's): shown with a lock. */
  restricted: boolean;
}

/**
 * An assignee filter's value as the users table is searched for it (the list's and the dashboards'):
 * an address, or a name as people are shown ("Nina Berg", 张敏), which stands for everyone of that name.
 */
export const personFilterValue = (raw: string) => raw.trim().replace(/\s+/g, ' ').toLowerCase();

export const FILTER_KEYS = ['status', 'category', 'assignee', 'tag', 'due', 'q', 'sort', 'dir'] as const;
// A Map, not an object: `sort=__proto__` or `sort=constructor` must find nothing.
const SORTS = new Map<string, SQL | typeof requirements.number>([
  ['key', requirements.number], ['updated', requirements.updatedAt as unknown as SQL], ['created', requirements.createdAt as unknown as SQL],
  ['due', sql`coalesce(${requirements.due}, '9999-12-31')`],
  ['priority', sql`case ${requirements.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`],
  ['status', requirements.status as unknown as SQL], ['title', requirements.title as unknown as SQL],
]);
const DIRECTIONS = ['asc', 'desc'];
const DUE_FILTERS = ['overdue', 'soon', 'none'];

/**
 * 400 for a filter value the list cannot mean (status, category, sort, direction, due, limit, offset). `known` are the workflows of the projects listed (one
 * project's, or those of every project the viewer may read): a status or category of another,
 * unreadable project is as unknown as one that does not exist.
 */
export function checkFilter(f: ListFilter, known: readonly Category[]): void {
  if (f.status !== undefined) for (const choice of f.status.split(',').slice(0, 50)) checkStatus(choice, known);
  if (f.category !== undefined) for (const key of f.category.split(',')) oneOf('category', key, known.map((c) => c.key));
  if (f.sort !== undefined) oneOf('sort', f.sort, [...SORTS.keys()]);
  if (f.dir !== undefined) oneOf('dir', f.dir, DIRECTIONS);
  if (f.due !== undefined) oneOf('due', f.due, DUE_FILTERS);
  wholeNumber('limit', f.limit, 1);
  wholeNumber('offset', f.offset, 0);
}

/** A filter from URL search params (the list page, the API and saved views share this shape). */
export function filterFromParams(params: URLSearchParams): ListFilter {
  const f: ListFilter = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) f[k] = v.slice(0, 200);
  }
  const limit = params.get('limit')?.trim();
  if (limit) f.limit = Number(limit);
  const offset = params.get('offset')?.trim();
  if (offset) f.offset = Number(offset);
  return f;
}

/** `open`, `done`, a state key of one of the workflows, or `<category>:<state>` of one. */
function checkStatus(choice: string, known: readonly Category[]): void {
  const [category, state] = choice.includes(':') ? choice.split(':', 2) as [string, string] : [null, choice];
  if (category !== null) oneOf('status', category, known.map((c) => c.key));
  const states = (category === null ? known : known.filter((c) => c.key === category)).flatMap((c) => c.states.map((s) => s.key));
  oneOf('status', state, [...new Set(category === null ? ['open', 'done', ...states] : states)]);
}

/** One status choice: `open` / `done` (any open or done state), `<category>:<state>`, or a state key in any category. */
function statusCondition(choice: string): SQL {
  if (choice === 'open') return isNull(requirements.closedAt);
  if (choice === 'done') return isNotNull(requirements.closedAt);
  const [category, state] = choice.includes(':') ? choice.split(':', 2) as [string, string] : [null, choice];
  return category === null ? eq(requirements.status, state) : and(eq(requirements.category, category), eq(requirements.status, state))!;
}

/** The filter as SQL conditions; `aliases` are the project's tag aliases (none across projects). */
function conditions(viewer: Viewer, f: ListFilter, aliases: TagAliases = {}): SQL[] {
  const where: SQL[] = [];
  if (f.status) where.push(or(...f.status.split(',').slice(0, 50).map(statusCondition))!);
  if (f.category) where.push(inArray(requirements.category, f.category.split(',')));
  if (f.assignee === 'none') where.push(isNull(requirements.assigneeId));
  else if (f.assignee) {
    const who = f.assignee === 'me' ? viewer.email : personFilterValue(f.assignee);
    where.push(sql`${requirements.assigneeId} in (select id from users where email = ${who} or lower(name) = ${who})`);
  }
  if (f.tag) where.push(tagCondition(requirements.tags, aliases, f.tag));
  if (f.due === 'overdue') where.push(and(isNull(requirements.closedAt), sql`${requirements.due} < ${today()}`)!);
  else if (f.due === 'soon') {
    const soon = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    where.push(and(isNull(requirements.closedAt), sql`${requirements.due} between ${today()} and ${soon}`)!);
  } else if (f.due === 'none') where.push(isNull(requirements.due));
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(sql`${requirements.title} like ${pattern} escape '\\'`, like(requirements.key, f.q.toUpperCase()))!);
  }
  return where;
}

/**
 * The list's filter over one project, as SQL conditions, limited to the requirements the viewer may
 * read (the figure cards count under the same ones).
 */
export function projectConditions(viewer: Viewer, project: Project, f: ListFilter): SQL[] {
  checkFilter(f, projectCategories(db(), project.id));
  return [eq(requirements.projectId, project.id), sqlPredicate(readableRequirementsSql(viewer, 'requirements')), ...conditions(viewer, f, project.tagAliases)];
}

/** The rows; the filter was checked by the caller (checkFilter). */
function query(viewer: Viewer, base: SQL[], f: ListFilter, aliases: TagAliases = {}): RequirementRow[] {
  const sortKey = f.sort ?? 'key';
  const order = SORTS.get(sortKey)!;
  const direction = (f.dir ?? (sortKey === 'updated' || sortKey === 'created' ? 'desc' : 'asc')) === 'desc' ? desc : asc;
  const limit = Math.min(f.limit ?? 500, 5000);
  const rows = db().select({
    r: requirements, project: projects.key, assigneeEmail: users.email, assigneeName: users.name, group: groups.name,
    spaceId: spaces.id, visibility: spaces.visibility,
  }).from(requirements).innerJoin(projects, eq(projects.id, requirements.projectId)).innerJoin(spaces, eq(spaces.id, projects.spaceId))
    .leftJoin(users, eq(users.id, requirements.assigneeId)).leftJoin(groups, eq(groups.id, requirements.groupId))
    .where(and(...base, sqlPredicate(readableRequirementsSql(viewer, 'requirements')), ...conditions(viewer, f, aliases)))
    .orderBy(direction(order), asc(requirements.id)).limit(limit).offset(f.offset ?? 0).all();
  const categories = new Map<number, Map<string, Category>>();
  const categoryOf = (projectId: number, key: string) => {
    if (!categories.has(projectId)) categories.set(projectId, new Map(projectCategories(db(), projectId).map((c) => [c.key, c])));
    return categories.get(projectId)!.get(key)!;
  };
  const now = today();
  const clock = Date.now();
  const editable = new Map<number, boolean>();
  const canEdit = (id: number, visibility: 'org' | 'restricted') => editable.get(id) ?? editable.set(id, can(viewer, 'edit', { id, visibility })).get(id)!;
  return rows.map(({ r, project, assigneeEmail, assigneeName, group, spaceId, visibility }) => {
    const category = categoryOf(r.projectId, r.category);
    return {
      key: r.key, project, title: r.title, category: r.category, categoryName: category.name, ...describeState(category, r.status),
      status: r.status, priority: r.priority, assignee: assigneeEmail ? { email: assigneeEmail, name: assigneeName! } : null, group,
      due: r.due, overdue: r.due !== null && r.closedAt === null && r.due < now, tags: r.tags,
      createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString(),
      ...slaFlags(r, clock), canClaim: mayClaim(viewer, canEdit(spaceId, visibility), r),
      restricted: r.restricted || !!category.restricted,
    };
  });
}

export function listRequirements(viewer: Viewer | null, projectKey: string, f: ListFilter): RequirementRow[] {
  const { project } = loadProject(viewer, projectKey);
  checkFilter(f, projectCategories(db(), project.id));
  return query(viewer!, [eq(requirements.projectId, project.id)], f, project.tagAliases);
}

/** Open work that is mine: assigned to me, or waiting in a queue of one of my groups. */
export function myWork(viewer: Viewer | null, f: ListFilter = {}): RequirementRow[] {
  checkFilter(f, readableWorkflows(viewer)); // also when there is nothing to list: a bad parameter is a 400 either way
  const readable = readableSpaceIds(viewer);
  if (!viewer || readable.length === 0) return [];
  const myGroups = db().select({ id: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.userId, viewer.id)).all().map((g) => g.id);
  const mine = myGroups.length
    ? or(eq(requirements.assigneeId, viewer.id), and(isNull(requirements.assigneeId), inArray(requirements.groupId, myGroups)))!
    : eq(requirements.assigneeId, viewer.id);
  return query(viewer, [inArray(projects.spaceId, readable), mine], { status: 'open', sort: 'due', ...f });
}

/** What I reported that is still open. */
export function reportedByMe(viewer: Viewer | null): RequirementRow[] {
  const readable = readableSpaceIds(viewer);
  if (!viewer || readable.length === 0) return [];
  return query(viewer, [inArray(projects.spaceId, readable), eq(requirements.reporterId, viewer.id)], { status: 'open', sort: 'updated' });
}
