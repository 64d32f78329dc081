// A requirement as its page and the API show it: fields, the moves allowed next, its documents
// and its full timeline of events.
import { asc, eq, inArray } from 'drizzle-orm';
import { groups, requirementEvents, requirements, requirementViewers, users, watchers } from '../../../db/schema.ts';
import { can, readableFilter, type Viewer } from '../access/index.ts';
import { db, prepared, type Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import { findCategory } from '../projects/projects.ts';
import { parseRoutedBy, type RoutedBy } from '../projects/routing.ts';
import { stateOf, type Category, type NextState } from '../projects/workflow.ts';
import type { Lang } from '../../i18n/index.ts';
import { prepareCharts } from '../dashboards/embed.ts';
import { htmlForViewer } from '../pages/html-for-viewer.ts';
import { deskFacts, type DeskFacts } from '../desk/facts.ts';
import { withPageFor } from './event-pages.ts';
import { requirementDocuments, type LinkedDocument } from './links.ts';
import { loadRequirement, type Requirement } from './load.ts';
import { allowedNext } from './transition.ts';

export interface Person { email: string; name: string }
export interface RequirementEvent { id: number; kind: string; actor: Person | null; at: string; [field: string]: unknown }

export interface RequirementView {
  key: string; project: string; space: string; title: string; description: string; html: string;
  category: string; categoryName: { en: string; zh: string };
  status: string; statusName: { en: string; zh: string }; done: boolean; agreed: boolean;
  priority: Requirement['priority'];
  /** `active: false`: the assignee's account is deactivated (they left), and their work waits for a handover. */
  assignee: (Person & { active: boolean }) | null; group: string | null; reporter: Person | null;
  due: string | null; overdue: boolean; tags: string[]; routedBy: RoutedBy | null; watchers: Person[]; version: number;
  createdAt: string; updatedAt: string; closedAt: string | null;
  transitions: string[]; next: NextState[];
  events: RequirementEvent[]; documents: LinkedDocument[];
  /** The names of the people the events' assignee and viewer changes name by e-mail (the timeline shows names). */
  names: Record<string, string>;
  canEdit: boolean; watching: boolean; nudgeableAt: string | null;
  /** SLA deadlines, escalation, claiming and the reporter's confirmation (src/server/desk/). */
  desk: DeskFacts;
  /** Row-level visibility: its own flag, its category's, and the people added to it explicitly. */
  restricted: boolean; restrictedByCategory: boolean; viewers: Person[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
export const today = () => new Date().toISOString().slice(0, 10);

export function isOverdue(req: Pick<Requirement, 'due' | 'closedAt'>): boolean {
  return req.due !== null && req.closedAt === null && req.due < today();
}

export function describeState(category: Category, status: string) {
  const state = stateOf(category, status);
  return { statusName: state?.name ?? { en: status, zh: status }, done: !!state?.done };
}

/** Current status (with its name) of requirements by key, for lists that come from elsewhere (search hits). */
// Prepared once for any number of keys (a JSON array parameter): search asks this on every query.
const statusesOfKeys = prepared((d) => d.$client.prepare<[string], { key: string; status: string; category: string; projectId: number }>(
  `select key, status, category, project_id as projectId from requirements where key in (select value from json_each(?))`,
));

export function liveStatuses(keys: string[]): Map<string, { status: string; statusName: { en: string; zh: string }; done: boolean }> {
  const out = new Map<string, { status: string; statusName: { en: string; zh: string }; done: boolean }>();
  if (keys.length === 0) return out;
  const d = db();
  for (const r of statusesOfKeys().all(JSON.stringify(keys))) {
    const category = findCategory(d, r.projectId, r.category);
    if (category) out.set(r.key, { status: r.status, ...describeState(category, r.status) });
  }
  return out;
}

/** The e-mails a `changed` event's assignee and viewers changes hold (before and after). */
function changedPeople(data: unknown): string[] {
  const changes = (data as { changes?: { field: string; before: unknown; after: unknown }[] } | null)?.changes ?? [];
  return changes.filter((c) => c.field === 'assignee' || c.field === 'viewers')
    .flatMap((c) => [c.before, c.after].flat()).filter((v): v is string => typeof v === 'string');
}

function namesOf(d: Db, emails: string[]): Record<string, string> {
  const unique = [...new Set(emails)];
  if (unique.length === 0) return {};
  return Object.fromEntries(d.select({ email: users.email, name: users.name }).from(users).where(inArray(users.email, unique)).all().map((u) => [u.email, u.name]));
}

/** Before getRequirement: its description's charts computed for this viewer on the dashboard worker (as for pages). */
export async function prepareRequirementCharts(viewer: Viewer | null, key: string): Promise<void> {
  let html: string;
  try {
    html = loadRequirement(viewer, key).req.html;
  } catch (err) {
    if (err instanceof DomainError) return; // the view says so
    throw err;
  }
  await prepareCharts(viewer, html);
}

/** The requirement as this viewer may see it; `lang` names the live statuses in its description. */
export function getRequirement(viewer: Viewer | null, key: string, lang: Lang = 'en'): RequirementView {
  const { req, project, space, category } = loadRequirement(viewer, key);
  const d = db();
  const people = new Map<number, Person>();
  const eventRows = d.select().from(requirementEvents).where(eq(requirementEvents.requirementId, req.id)).orderBy(asc(requirementEvents.id)).all();
  const watcherIds = d.select({ id: watchers.userId }).from(watchers).where(eq(watchers.requirementId, req.id)).all().map((r) => r.id);
  const viewerIds = d.select({ id: requirementViewers.userId }).from(requirementViewers).where(eq(requirementViewers.requirementId, req.id)).all().map((r) => r.id);
  const ids = [...new Set([req.assigneeId, req.reporterId, ...watcherIds, ...viewerIds, ...eventRows.map((e) => e.actorId)].filter((id): id is number => id !== null))];
  const inactive = new Set<number>();
  for (const u of ids.length ? d.select({ id: users.id, email: users.email, name: users.name, active: users.active }).from(users).where(inArray(users.id, ids)).all() : []) {
    people.set(u.id, { email: u.email, name: u.name });
    if (!u.active) inactive.add(u.id);
  }
  const person = (id: number | null) => (id === null ? null : people.get(id) ?? null);
  const readable = readableFilter(viewer);
  const next = allowedNext(d, req, category);
  const { statusName, done } = describeState(category, req.status);
  return {
    key: req.key, project: project.key, space: space.key, title: req.title, description: req.markdown, html: htmlForViewer(viewer, req.html, lang),
    category: req.category, categoryName: category.name, status: req.status, statusName, done, agreed: req.agreedAt !== null,
    priority: req.priority, assignee: req.assigneeId === null || !people.has(req.assigneeId) ? null : { ...people.get(req.assigneeId)!, active: !inactive.has(req.assigneeId) },
    group: req.groupId === null ? null : d.select({ name: groups.name }).from(groups).where(eq(groups.id, req.groupId)).get()?.name ?? null,
    reporter: person(req.reporterId), due: req.due, overdue: isOverdue(req), tags: req.tags, routedBy: parseRoutedBy(req.routedBy),
    watchers: watcherIds.map(person).filter((p): p is Person => p !== null), version: req.version,
    createdAt: iso(req.createdAt)!, updatedAt: iso(req.updatedAt)!, closedAt: iso(req.closedAt),
    transitions: next.map((n) => n.to), next,
    events: eventRows.map((e) => {
      // Comment mentions are resolved to people above; their ids stay internal.
      const { mentionedUserIds: _ids, ...data } = withPageFor(e.data, readable);
      return { ...data, id: e.id, kind: e.kind, actor: person(e.actorId), at: iso(e.at)! };
    }),
    names: namesOf(d, eventRows.flatMap((e) => changedPeople(e.data))),
    documents: requirementDocuments(d, viewer, req),
    canEdit: can(viewer, 'edit', space), watching: viewer !== null && watcherIds.includes(viewer.id),
    nudgeableAt: req.lastNudgedAt === null ? null : iso(req.lastNudgedAt + 60 * 60 * 1000),
    desk: deskFacts(viewer, req, project, can(viewer, 'edit', space)),
    restricted: req.restricted, restrictedByCategory: !!category.restricted,
    viewers: viewerIds.map(person).filter((p): p is Person => p !== null).sort((a, b) => a.email.localeCompare(b.email)),
  };
}
