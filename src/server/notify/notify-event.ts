// Who hears about a requirement event: inbox notifications for the people concerned (never the
// actor), and a delivery for each project webhook that wants this kind of event.
import { eq, inArray } from 'drizzle-orm';
import { groupMembers, notifications, projects, spaces, users, watchers } from '../../../db/schema.ts';
import { can } from '../access/index.ts';
import type { Db } from '../db.ts';
import type { EventKind } from '../requirements/events.ts';
import type { Requirement } from '../requirements/load.ts';
import { queueMail } from '../mail/queue.ts';
import { enqueueWebhookDeliveries } from './webhooks.ts';

type NotificationKind = (typeof notifications.$inferInsert)['kind'];

export interface RecordedEvent { id: number; kind: EventKind; actorId: number | null; data: Record<string, unknown>; req: Requirement }

function queueMembers(tx: Db, groupId: number | null): number[] {
  if (groupId === null) return [];
  return tx.select({ id: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, groupId)).all().map((r) => r.id);
}

function watcherIds(tx: Db, requirementId: number): number[] {
  return tx.select({ id: watchers.userId }).from(watchers).where(eq(watchers.requirementId, requirementId)).all().map((r) => r.id);
}

/** The people responsible: the assignee, else everyone in the shared queue's group. */
export function owners(tx: Db, req: Pick<Requirement, 'assigneeId' | 'groupId'>): number[] {
  return req.assigneeId !== null ? [req.assigneeId] : queueMembers(tx, req.groupId);
}

function recipients(tx: Db, e: RecordedEvent): Map<number, NotificationKind> {
  const out = new Map<number, NotificationKind>();
  const add = (ids: number[], kind: NotificationKind) => { for (const id of ids) if (!out.has(id)) out.set(id, kind); };
  const everyone = () => [...owners(tx, e.req), ...watcherIds(tx, e.req.id)];
  switch (e.kind) {
    case 'created': add(owners(tx, e.req), 'assigned'); break;
    case 'transitioned': add(everyone(), 'transitioned'); break;
    case 'changed':
      if (e.data.assigneeChanged) add(owners(tx, e.req), 'assigned');
      add(everyone(), 'changed');
      break;
    // Only a change to an agreed requirement concerns everyone; drafts change all the time.
    case 'edited': if (e.data.agreed) add(everyone(), 'changed'); break;
    case 'commented':
      add((e.data.mentionedUserIds as number[] | undefined) ?? [], 'mentioned');
      add(everyone(), 'commented');
      break;
    case 'nudged': add(owners(tx, e.req), 'nudged'); break;
    case 'mentioned': add(everyone(), 'mentioned'); break;
    case 'linked': case 'unlinked': break;
  }
  if (e.actorId !== null) out.delete(e.actorId);
  return out;
}

/**
 * Of these users, the active ones who may read the project: a queue's group or a watcher may
 * include people without access, and a notification would show them the requirement's title.
 */
export function mayRead(tx: Db, projectId: number, userIds: number[]): Set<number> {
  if (userIds.length === 0) return new Set();
  const space = tx.select({ id: spaces.id, visibility: spaces.visibility }).from(projects)
    .innerJoin(spaces, eq(spaces.id, projects.spaceId)).where(eq(projects.id, projectId)).get();
  if (!space) return new Set();
  const people = tx.select({ id: users.id, email: users.email, name: users.name, admin: users.admin, active: users.active })
    .from(users).where(inArray(users.id, userIds)).all();
  return new Set(people.filter((u) => u.active && can({ ...u, locale: null }, 'read', space)).map((u) => u.id));
}

export function notifyEvent(tx: Db, e: RecordedEvent): void {
  const data = { key: e.req.key, title: e.req.title, status: e.req.status, ...summary(e) };
  const told = recipients(tx, e);
  const readers = mayRead(tx, e.req.projectId, [...told.keys()]);
  for (const [userId, kind] of told) {
    if (!readers.has(userId)) continue;
    const { id } = tx.insert(notifications).values({ userId, kind, requirementId: e.req.id, eventId: e.id, actorId: e.actorId, data }).returning({ id: notifications.id }).get();
    queueMail(tx, userId, kind, id);
  }
  enqueueWebhookDeliveries(tx, e.req.projectId, e.id, e.kind);
}

/** The few facts an inbox line shows, without large before/after texts. */
function summary(e: RecordedEvent): Record<string, unknown> {
  const { from, to, comment, space, path, title, fields } = e.data as Record<string, unknown>;
  const out: Record<string, unknown> = { event: e.kind };
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  if (typeof comment === 'string' && comment) out.comment = comment.slice(0, 200);
  if (space !== undefined) Object.assign(out, { space, path, pageTitle: title });
  if (fields !== undefined) out.fields = fields;
  return out;
}
