// The project overview (issue 11, part 4): one screen for a newcomer. What the project is, its
// phase history, key documents, everyone who held a role and when, its figures, a merged activity
// feed and a timeline of requirements by due date and completion. A handful of queries, each over
// the project's own rows; everything shown is decided for the viewer here, at view time.
import { and, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import { grants, pages, spaces, users } from '../../../db/schema.ts';
import { can, readableFilter, readableRequirementIds, readableRequirementsSql, type Viewer } from '../access/index.ts';
import { db, prepared, type Db } from '../db.ts';
import { oneOf, wholeNumber } from '../params.ts';
import { projectDashboard, type ProjectDashboard } from '../requirements/dashboard.ts';
import type { EventKind } from '../requirements/events.ts';
import { RELATIONS, stateOf } from './workflow.ts';
import { allowedPhases, phaseEvents, phasesOf, type Phase, type PhaseEvent } from './phases.ts';
import { loadProject, projectCategories, type Project } from './projects.ts';

export const DOCUMENT_GROUPS = [...RELATIONS, 'status'] as const;
export type DocumentGroup = (typeof DOCUMENT_GROUPS)[number];
export const ROLE_KINDS = ['owner', 'space-admin', 'reporter', 'assignee', 'reviewer'] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];
export const ACTIVITY_KINDS = ['page', 'requirement', 'phase'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

interface PersonRef { email: string; name: string }
export interface OverviewDocument { space: string; path: string; title: string; updatedAt: string; requirements: string[] }
export interface OverviewPerson { email: string; name: string; active: boolean; roles: { role: RoleKind; from: string | null; to: string | null }[] }
export interface PhaseSpan { key: string; name: Phase['name']; requires: Phase['requires']; from: string | null; to: string | null; by: PersonRef | null; current: boolean }
export type ActivityItem =
  | { kind: 'page'; at: string; actor: PersonRef | null; space: string; path: string; title: string; revision: number; message: string }
  | { kind: 'requirement'; at: string; actor: PersonRef | null; key: string; title: string; event: EventKind }
  | { kind: 'phase'; at: string; actor: PersonRef | null; from: string | null; to: string; comment: string };
export interface TimelineRow { period: string; due: number; done: number; dueTotal: number; doneTotal: number }

export interface ProjectOverview {
  key: string; name: string; space: string; summary: string; canAdmin: boolean;
  phase: string; allowed: string[]; phases: PhaseSpan[];
  history: { from: string | null; to: string; at: string; by: PersonRef | null; comment: string }[];
  documents: Record<DocumentGroup, OverviewDocument[]>;
  people: OverviewPerson[];
  figures: ProjectDashboard;
  activity: ActivityItem[];
  timeline: TimelineRow[];
}

export interface ActivityFilter { kind?: string | null; person?: string | null; limit?: number }

const iso = (ms: number) => new Date(ms).toISOString();
const DOCS_PER_GROUP = 50;

export function projectOverview(viewer: Viewer | null, key: string, filter: ActivityFilter = {}): ProjectOverview {
  const { project, space } = loadProject(viewer, key);
  const d = db();
  const events = phaseEvents(d, project.id);
  return {
    key: project.key, name: project.name, space: space.key, summary: spaceSummary(d, space.id, space.description),
    canAdmin: can(viewer, 'admin', space),
    phase: project.phase, allowed: allowedPhases(project), phases: phaseSpans(project, events),
    history: events.map((e) => ({ from: e.from, to: e.to, at: iso(e.at), by: e.actor, comment: e.comment })),
    documents: keyDocuments(d, viewer, project),
    people: projectPeople(d, viewer, project),
    figures: projectDashboard(viewer, key),
    activity: projectActivity(d, viewer, project, filter),
    timeline: requirementTimeline(d, viewer, project.id),
  };
}

/** The space's description, else the first paragraph of its home page. */
function spaceSummary(d: Db, spaceId: number, description: string): string {
  if (description.trim()) return description.trim();
  const home = d.select({ text: pages.text }).from(pages).where(and(eq(pages.spaceId, spaceId), eq(pages.path, ''), isNull(pages.deletedAt))).get();
  const first = home?.text.split(/\n\s*\n/).map((p) => p.trim()).find(Boolean) ?? '';
  return first.length > 600 ? `${first.slice(0, 600)}…` : first;
}

/** Each configured phase with when it was last entered and left, and by whom. */
function phaseSpans(project: Project, events: PhaseEvent[]): PhaseSpan[] {
  // Unless the history says where the project began, it began in the phase before the first change.
  const timeline: PhaseEvent[] = events[0]?.from === null ? events
    : [{ from: null, to: events[0]?.from ?? project.phase, at: project.createdAt, comment: '', actor: null }, ...events];
  return phasesOf(project).map((p) => {
    const entered = timeline.findLastIndex((e) => e.to === p.key);
    const entry = timeline[entered];
    const left = entered >= 0 ? timeline[entered + 1] : undefined;
    return {
      key: p.key, name: p.name, requires: p.requires ?? [], from: entry ? iso(entry.at) : null, to: left ? iso(left.at) : null,
      by: entry?.actor ?? null, current: p.key === project.phase,
    };
  });
}

const linkedDocuments = prepared((d) => d.$client.prepare<[number], { relation: string; spaceId: number; visibility: 'org' | 'restricted'; space: string; path: string; title: string; updatedAt: number; req: string; reqId: number }>(
  `select l.relation, p.space_id as spaceId, s.visibility, s.key as space, p.path, p.title, p.updated_at as updatedAt, r.key as req, r.id as reqId
   from requirement_links l join requirements r on r.id = l.requirement_id join pages p on p.id = l.page_id join spaces s on s.id = p.space_id
   where r.project_id = ? and p.deleted_at is null`,
));
const taggedDocuments = prepared((d) => d.$client.prepare<[number], { relation: string; path: string; title: string; updatedAt: number }>(
  `select t.value as relation, p.path, p.title, p.updated_at as updatedAt
   from pages p, json_each(p.tags) t
   where p.space_id = ? and p.deleted_at is null and t.value in ('plan', 'spec', 'review', 'retro', 'status')`,
));

/**
 * Key documents by relation: pages linked to the project's requirements with that relation, and
 * pages of the project space tagged with it (`plan`, `spec`, `review`, `retro`, and `status` for
 * weekly status reports). Newest first; pages the viewer may not read are left out.
 */
function keyDocuments(d: Db, viewer: Viewer | null, project: Project): Record<DocumentGroup, OverviewDocument[]> {
  const readable = readableFilter(viewer);
  const own = d.select({ key: spaces.key, visibility: spaces.visibility }).from(spaces).where(eq(spaces.id, project.spaceId)).get()!;
  const groups = new Map<DocumentGroup, Map<string, OverviewDocument & { at: number }>>(DOCUMENT_GROUPS.map((g) => [g, new Map()]));
  const add = (relation: string, space: string, path: string, title: string, at: number, req?: string) => {
    const group = groups.get(relation as DocumentGroup)!;
    const id = `${space}/${path}`;
    const doc = group.get(id) ?? { space, path, title, updatedAt: iso(at), at, requirements: [] };
    if (req && !doc.requirements.includes(req)) doc.requirements.push(req);
    group.set(id, doc);
  };
  const links = linkedDocuments().all(project.id);
  const readableRequirements = readableRequirementIds(viewer, links.map((l) => l.reqId));
  for (const l of links) {
    if (readable({ id: l.spaceId, visibility: l.visibility }) && readableRequirements.has(l.reqId)) add(l.relation, l.space, l.path, l.title, l.updatedAt, l.req);
  }
  if (readable({ id: project.spaceId, visibility: own.visibility })) {
    for (const p of taggedDocuments().all(project.spaceId)) add(p.relation, own.key, p.path, p.title, p.updatedAt);
  }
  return Object.fromEntries([...groups].map(([g, docs]) => [g,
    [...docs.values()].sort((a, b) => b.at - a.at).slice(0, DOCS_PER_GROUP).map(({ at: _at, ...doc }) => doc)])) as Record<DocumentGroup, OverviewDocument[]>;
}

// Queries over the project's requirements take the viewer's row-level rule (readableRequirementsSql),
// so a restricted requirement adds nothing the viewer may not see: no title, no count, no person.
type RoleEvent = { kind: string; actorId: number | null; at: number; data: string; req: number; category: string; closedAt: number | null; reporterId: number | null };
const roleEvents = (d: Db, viewer: Viewer | null, projectId: number): RoleEvent[] => {
  const readable = readableRequirementsSql(viewer, 'r');
  return d.$client.prepare<(string | number)[], RoleEvent>(
    `select e.kind, e.actor_id as actorId, e.created_at as at, e.data, r.id as req, r.category, r.closed_at as closedAt, r.reporter_id as reporterId
     from requirement_events e join requirements r on r.id = e.requirement_id
     where r.project_id = ? and ${readable.sql}
       and (e.kind in ('created', 'transitioned', 'handed_over') or (e.kind = 'changed' and instr(e.data, '"assigneeChanged":true')))
     order by e.id`,
  ).all(projectId, ...readable.params);
};

const ownerChanges = prepared((d) => d.$client.prepare<[string], { before: string; at: number }>(
  `select before, created_at as at from audit_log where action = 'project.owner' and subject = ? order by id`,
));

/**
 * Everyone who held a role in the project, with when (derived from the requirements' events and
 * the project's rows): the owner and the space's admins (since the project began, still holding);
 * reporters (first to last report); assignees (from first assigned until no longer assigned
 * anything open); reviewers: who moved a requirement into an agreed or done state (first to last).
 */
function projectPeople(d: Db, viewer: Viewer | null, project: Project): OverviewPerson[] {
  type Span = { from: number; to: number | null };
  const spans = new Map<string, Span>(); // "<role> <user id or email>" → span
  const widen = (role: RoleKind, who: number | string, from: number, to: number | null) => {
    const id = `${role} ${who}`;
    const s = spans.get(id);
    if (!s) { spans.set(id, { from, to }); return; }
    s.from = Math.min(s.from, from);
    s.to = s.to === null || to === null ? null : Math.max(s.to, to);
  };
  // Owners in turn: each change of owner is a 'project.owner' line in the audit log (handover.ts).
  let ownerSince = project.createdAt;
  for (const change of ownerChanges().all(project.key)) {
    const before = (JSON.parse(change.before) as { owner?: string }).owner;
    if (before) widen('owner', before, ownerSince, change.at);
    ownerSince = change.at;
  }
  widen('owner', project.ownerId, ownerSince, null);
  for (const g of d.select({ userId: grants.userId }).from(grants)
    .where(and(eq(grants.spaceId, project.spaceId), eq(grants.role, 'admin'), isNotNull(grants.userId))).all()) {
    widen('space-admin', g.userId!, project.createdAt, null);
  }
  const flags = new Map<string, { agreed: boolean; done: boolean }>();
  for (const c of projectCategories(d, project.id)) for (const s of c.states) flags.set(`${c.key} ${s.key}`, { agreed: !!s.agreed, done: !!s.done });
  const holder = new Map<number, { email: string; since: number; closedAt: number | null }>(); // requirement → current assignee
  const release = (req: number, at: number) => {
    const h = holder.get(req);
    if (h) widen('assignee', h.email, h.since, at);
    holder.delete(req);
  };
  for (const e of roleEvents(d, viewer, project.id)) {
    const data = JSON.parse(e.data) as Record<string, unknown>;
    if (e.kind === 'created') {
      if (e.reporterId !== null) widen('reporter', e.reporterId, e.at, e.at);
      if (typeof data.assignee === 'string') holder.set(e.req, { email: data.assignee, since: e.at, closedAt: e.closedAt });
    } else if (e.kind === 'changed' || e.kind === 'handed_over') {
      const change = e.kind === 'handed_over' ? { after: data.to } : (data.changes as { field: string; after: unknown }[] | undefined)?.find((c) => c.field === 'assignee');
      release(e.req, e.at);
      if (typeof change?.after === 'string') holder.set(e.req, { email: change.after, since: e.at, closedAt: e.closedAt });
    } else if (e.actorId !== null) {
      const to = flags.get(`${e.category} ${String(data.to)}`);
      if (to?.agreed || to?.done) widen('reviewer', e.actorId, e.at, e.at);
    }
  }
  // Whoever still holds a requirement holds it until it was closed, or still does if it is open.
  for (const [req, h] of holder) { widen('assignee', h.email, h.since, h.closedAt); holder.delete(req); }

  const ids = new Set<number>();
  const emails = new Set<string>();
  for (const id of spans.keys()) {
    const who = id.slice(id.indexOf(' ') + 1);
    if (/^\d+$/.test(who)) ids.add(Number(who)); else emails.add(who);
  }
  const people = new Map<string, { id: number; email: string; name: string; active: boolean }>();
  const who = [...(ids.size ? [inArray(users.id, [...ids])] : []), ...(emails.size ? [inArray(users.email, [...emails])] : [])];
  for (const u of who.length ? d.select({ id: users.id, email: users.email, name: users.name, active: users.active }).from(users).where(or(...who)).all() : []) {
    people.set(String(u.id), u);
    people.set(u.email, u);
  }
  const out = new Map<string, OverviewPerson>();
  for (const [id, span] of spans) {
    const role = id.slice(0, id.indexOf(' ')) as RoleKind;
    const u = people.get(id.slice(id.indexOf(' ') + 1));
    if (!u) continue;
    const person = out.get(u.email) ?? { email: u.email, name: u.name, active: u.active, roles: [] };
    person.roles.push({ role, from: iso(span.from), to: span.to === null ? null : iso(span.to) });
    out.set(u.email, person);
  }
  const order = (r: RoleKind) => ROLE_KINDS.indexOf(r);
  for (const p of out.values()) p.roles.sort((a, b) => order(a.role) - order(b.role));
  // Current role holders first, then by when they started.
  const firstFrom = (p: OverviewPerson) => Math.min(...p.roles.map((r) => Date.parse(r.from!)));
  const holding = (p: OverviewPerson) => p.roles.some((r) => r.to === null);
  return [...out.values()].sort((a, b) => Number(holding(b)) - Number(holding(a)) || firstFrom(a) - firstFrom(b) || a.name.localeCompare(b.name));
}

type ActivityRow = { at: number; actorId: number | null };
// One query per kind, each taking only its newest rows (a top-N over an index-driven join); merged below.
const pageActivity = prepared((d) => d.$client.prepare<[number, number | null, number | null, number], ActivityRow & { path: string; title: string; revision: number; message: string }>(
  `select rv.created_at as at, rv.author_id as actorId, p.path, rv.title, rv.number as revision, rv.message
   from revisions rv join pages p on p.id = rv.page_id
   where p.space_id = ? and p.deleted_at is null and (? is null or rv.author_id = ?) order by rv.created_at desc limit ?`,
));
const requirementActivity = (d: Db, viewer: Viewer | null, projectId: number, actor: number | null, limit: number) => {
  const readable = readableRequirementsSql(viewer, 'r');
  return d.$client.prepare<(string | number | null)[], ActivityRow & { key: string; title: string; event: EventKind }>(
    `select e.created_at as at, e.actor_id as actorId, r.key, r.title, e.kind as event
     from requirement_events e join requirements r on r.id = e.requirement_id
     where r.project_id = ? and (? is null or e.actor_id = ?) and ${readable.sql} order by e.created_at desc limit ?`,
  ).all(projectId, actor, actor, ...readable.params, limit);
};
const phaseActivity = prepared((d) => d.$client.prepare<[number, number | null, number | null, number], ActivityRow & { from: string | null; to: string; comment: string }>(
  `select created_at as at, actor_id as actorId, from_phase as "from", to_phase as "to", comment
   from project_phase_events where project_id = ? and (? is null or actor_id = ?) order by created_at desc limit ?`,
));

/** Page revisions of the project space, requirement events and phase changes, newest first. */
export function projectActivity(d: Db, viewer: Viewer | null, project: Project, filter: ActivityFilter): ActivityItem[] {
  const kind = filter.kind ? oneOf('kind', filter.kind, ACTIVITY_KINDS) : null;
  wholeNumber('limit', filter.limit, 1);
  const limit = Math.min(filter.limit ?? 50, 200);
  let actor: number | null = null;
  if (filter.person) {
    // An unknown person has no activity (no error: it would tell which addresses exist).
    actor = d.select({ id: users.id }).from(users).where(eq(users.email, filter.person.trim().toLowerCase())).get()?.id ?? -1;
  }
  const wanted = (k: ActivityKind) => kind === null || kind === k;
  const space = d.select({ key: spaces.key }).from(spaces).where(eq(spaces.id, project.spaceId)).get()!.key;
  const rows: (ActivityRow & { item: Omit<ActivityItem, 'at' | 'actor'> })[] = [
    ...(wanted('page') ? pageActivity().all(project.spaceId, actor, actor, limit) : [])
      .map(({ at, actorId, ...r }) => ({ at, actorId, item: { kind: 'page' as const, space, ...r } })),
    ...(wanted('requirement') ? requirementActivity(d, viewer, project.id, actor, limit) : [])
      .map(({ at, actorId, ...r }) => ({ at, actorId, item: { kind: 'requirement' as const, ...r } })),
    ...(wanted('phase') ? phaseActivity().all(project.id, actor, actor, limit) : [])
      .map(({ at, actorId, ...r }) => ({ at, actorId, item: { kind: 'phase' as const, ...r } })),
  ].sort((a, b) => b.at - a.at).slice(0, limit);
  const names = new Map<number, PersonRef>();
  const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is number => id !== null))];
  if (ids.length) for (const u of d.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, ids)).all()) names.set(u.id, { email: u.email, name: u.name });
  return rows.map((r) => ({ ...r.item, at: iso(r.at), actor: r.actorId === null ? null : names.get(r.actorId) ?? null }) as ActivityItem);
}

/**
 * Each readable requirement's due day and the day it was done. One finished by declining it
 * (rejected, won't do) comes due but is never done, as in every other done figure (metrics.ts).
 */
const timelineRows = (d: Db, viewer: Viewer | null, projectId: number) => {
  const readable = readableRequirementsSql(viewer, 'r');
  const categories = new Map(projectCategories(d, projectId).map((c) => [c.key, c]));
  return d.$client.prepare<(string | number)[], { due: string | null; closed: string | null; category: string; status: string }>(
    `select due, date(closed_at / 1000, 'unixepoch') as closed, category, status from requirements r
     where project_id = ? and (due is not null or closed_at is not null) and ${readable.sql}`,
  ).all(projectId, ...readable.params)
    .map((r) => {
      const category = categories.get(r.category);
      return { due: r.due, closed: category && stateOf(category, r.status)?.declined ? null : r.closed };
    });
};

/**
 * Requirements coming due and done per period (weeks, or months over a span longer than half a
 * year), with running totals: the data of the timeline chart and of the table beside it.
 */
export function requirementTimeline(d: Db, viewer: Viewer | null, projectId: number): TimelineRow[] {
  const rows = timelineRows(d, viewer, projectId);
  let first = '';
  let last = '';
  for (const r of rows) {
    for (const day of [r.due, r.closed]) {
      if (day === null) continue;
      if (!first || day < first) first = day;
      if (day > last) last = day;
    }
  }
  if (!first) return [];
  const monthly = Date.parse(last) - Date.parse(first) > 183 * 86_400_000;
  const periods = new Map<string, string>(); // day → its period, worked out once per day
  const periodOf = (day: string) => {
    let period = periods.get(day);
    if (period === undefined) {
      if (monthly) period = `${day.slice(0, 7)}-01`;
      else {
        const date = new Date(`${day}T00:00:00Z`);
        date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7)); // the Monday of its week
        period = date.toISOString().slice(0, 10);
      }
      periods.set(day, period);
    }
    return period;
  };
  // Every period from the first to the last, empty ones too, so the axis is even.
  const buckets = new Map<string, { due: number; done: number }>();
  const end = periodOf(last);
  for (let period = periodOf(first); period <= end;) {
    buckets.set(period, { due: 0, done: 0 });
    const next = new Date(`${period}T00:00:00Z`);
    if (monthly) next.setUTCMonth(next.getUTCMonth() + 1); else next.setUTCDate(next.getUTCDate() + 7);
    period = next.toISOString().slice(0, 10);
  }
  for (const r of rows) {
    if (r.due) buckets.get(periodOf(r.due))!.due++;
    if (r.closed) buckets.get(periodOf(r.closed))!.done++;
  }
  let dueTotal = 0;
  let doneTotal = 0;
  return [...buckets].map(([period, b]) => {
    dueTotal += b.due;
    doneTotal += b.done;
    return { period, due: b.due, done: b.done, dueTotal, doneTotal };
  });
}
