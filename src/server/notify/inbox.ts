// A user's in-app inbox: their notifications newest first, the unread count (read on every
// page for the header badge, so it is one prepared statement over a partial index), and
// marking them read.
import { readCache } from '../db-cache.ts';
import { and, desc, eq, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import { notifications, projects, requirements, spaces, users } from '../../../db/schema.ts';
import { readableFilter, readableRequirementIds, type Viewer } from '../access/index.ts';
import { db, prepared, write } from '../db.ts';
import { badInput, unauthorized } from '../errors.ts';
import { findCategory } from '../projects/projects.ts';
import type { Category } from '../projects/workflow.ts';
import { withPageFor } from '../requirements/event-pages.ts';
import { pageItemFacts } from '../watching/inbox-items.ts';
import { handoverFacts, type HandoverFacts } from './successor-notice.ts';

export type NotificationKind = (typeof notifications.$inferSelect)['kind'];

export interface InboxItem {
  id: number; kind: NotificationKind; key: string | null; project: string | null; title: string | null; status: string | null;
  href: string | null; actor: { name: string; email: string } | null; at: string; read: boolean;
  event?: string; from?: string; to?: string; comment?: string; due?: string; fields?: string[]; pageTitle?: string;
  /** transitioned items: how many moves by the same person it stands for (several within minutes are one item). */
  moves?: number;
  /** escalated items: which SLA deadline passed ("response" or "resolve"). */
  deadline?: string;
  /** Names of the states involved, in both languages, from the requirement's workflow. */
  statusName?: Named; fromName?: Named; toName?: Named;
  /** page-* items: the page (its title is `title`), and for a change the revisions it spans. */
  page?: { space: string; path: string }; fromRev?: number; toRev?: number; saves?: number;
  /** handover items: from whom, and how many of each kind the recipient received and may read now. */
  handover?: HandoverFacts;
  /** The recipient may no longer read the requirement (or page): the item says nothing about it. */
  hidden?: true;
}
interface Named { en: string; zh: string }

export interface Inbox { unread: number; items: InboxItem[]; nextBefore: number | null }

const unreadStatement = prepared((d) => d.$client.prepare<[number], { n: number }>('select count(*) as n from notifications where user_id = ? and read_at is null'));

// Every page's header shows it; remembered until the database changes (src/server/db-cache.ts).
const unreadCounts = readCache<number, number>();

/** Unread notifications of a user: cheap enough for every page view. */
export function unreadCount(userId: number): number {
  return unreadCounts.get(userId, () => unreadStatement().get(userId)!.n);
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function listNotifications(viewer: Viewer | null, opts: { unreadOnly?: boolean; before?: number; limit?: number } = {}): Inbox {
  if (!viewer) throw unauthorized();
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50) || 50, 1), 200);
  const items = notificationItems(viewer, and(
    opts.unreadOnly ? isNull(notifications.readAt) : undefined,
    opts.before ? lt(notifications.id, opts.before) : undefined,
  ), limit + 1);
  return { unread: unreadCount(viewer.id), items: items.slice(0, limit), nextBefore: items.length > limit ? items[limit - 1]!.id : null };
}

/**
 * The viewer's notifications matching `where`, newest first, as items shown to them now (the inbox,
 * and e-mail when it is sent): what an item shows is decided for who the recipient is now, since
 * access may have been revoked after it was written.
 */
export function notificationItems(viewer: Viewer, where: SQL | undefined, limit: number): InboxItem[] {
  const d = db();
  const rows = d.select({
    n: notifications, actorName: users.name, actorEmail: users.email, projectId: requirements.projectId, category: requirements.category,
    // The requirement's status now: the badge shows where it stands, not where it stood then.
    status: requirements.status,
    spaceId: spaces.id, visibility: spaces.visibility,
  }).from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .leftJoin(requirements, eq(requirements.id, notifications.requirementId))
    .leftJoin(projects, eq(projects.id, requirements.projectId))
    .leftJoin(spaces, eq(spaces.id, projects.spaceId))
    .where(and(eq(notifications.userId, viewer.id), where))
    .orderBy(desc(notifications.id)).limit(limit).all();
  const workflows = new Map<string, Category | undefined>();
  const stateName = (projectId: number | null, category: string | null, state: string | undefined): Named | undefined => {
    if (projectId === null || category === null || state === undefined) return undefined;
    const id = `${projectId} ${category}`;
    if (!workflows.has(id)) workflows.set(id, findCategory(d, projectId, category));
    return workflows.get(id)?.states.find((s) => s.key === state)?.name;
  };
  const readable = readableFilter(viewer);
  const readableRequirements = readableRequirementIds(viewer, rows.flatMap(({ n }) => (n.requirementId === null ? [] : [n.requirementId])));
  return rows.map(({ n, actorName, actorEmail, projectId, category, status, spaceId, visibility }): InboxItem => {
    const actor = actorEmail ? { name: actorName ?? actorEmail, email: actorEmail } : null;
    const base = { id: n.id, kind: n.kind, actor, at: new Date(n.createdAt).toISOString(), read: n.readAt !== null };
    if (n.pageId !== null) return { ...base, key: null, project: null, status: null, ...pageItemFacts(n.kind, n.pageId, n.data, readable) };
    if (n.kind === 'handover') {
      const handover = handoverFacts(viewer, n.data, readable);
      const facts = handover ? { title: handover.from.name, href: '/my', handover } : { title: null, href: null, hidden: true as const };
      return { ...base, key: null, project: null, status: null, ...facts };
    }
    if (spaceId === null || visibility === null || !readable({ id: spaceId, visibility }) || !readableRequirements.has(n.requirementId!)) {
      return { ...base, key: null, project: null, title: null, status: null, href: null, hidden: true };
    }
    const data = withPageFor(n.data, readable, 'pageTitle');
    const key = str(data.key) ?? null;
    const project = key?.split('-')[0] ?? null;
    const item: InboxItem = {
      ...base, key, project, title: str(data.title) ?? null, status,
      href: key && project ? `/p/${encodeURIComponent(project)}/${encodeURIComponent(key)}` : null,
    };
    for (const f of ['event', 'from', 'to', 'comment', 'due', 'pageTitle', 'deadline'] as const) if (str(data[f]) !== undefined) item[f] = str(data[f]);
    if (Array.isArray(data.fields)) item.fields = data.fields.map(String);
    if (typeof data.moves === 'number') item.moves = data.moves;
    const names = { statusName: stateName(projectId, category, item.status ?? undefined), fromName: stateName(projectId, category, item.from), toName: stateName(projectId, category, item.to) };
    for (const [k, v] of Object.entries(names)) if (v) item[k as keyof typeof names] = v;
    return item;
  });
}

/**
 * Where opening one of the viewer's notifications leads (its item's link as shown to them now, else
 * the inbox), marking it read: following an item is reading it.
 */
export function openNotification(viewer: Viewer | null, id: number): string {
  if (!viewer) throw unauthorized();
  if (!Number.isSafeInteger(id)) return '/inbox';
  const item = notificationItems(viewer, eq(notifications.id, id), 1)[0];
  if (item) markRead(viewer, [id]);
  return item?.href ?? '/inbox';
}

/** Marks the given notifications (or all) of the viewer read; returns how many changed. */
export function markRead(viewer: Viewer | null, ids?: number[]): number {
  if (!viewer) throw unauthorized();
  if (ids !== undefined && (!Array.isArray(ids) || ids.length > 1000 || !ids.every((id) => Number.isSafeInteger(id)))) {
    throw badInput('ids: a list of at most 1000 notification ids');
  }
  if (ids !== undefined && ids.length === 0) return 0;
  const now = Date.now();
  return write((tx) => tx.update(notifications).set({ readAt: now })
    .where(and(eq(notifications.userId, viewer.id), isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined)).run().changes);
}
