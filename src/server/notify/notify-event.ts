// Who hears about a requirement event: inbox notifications for the people concerned (never the
// actor), and a delivery for each project webhook that wants this kind of event.
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { groupMembers, notifications, projects, users, watchers } from '../../../db/schema.ts';
import { canReadRequirement } from '../access/index.ts';
import type { Db } from '../db.ts';
import type { EventKind } from '../requirements/events.ts';
import type { Requirement } from '../requirements/load.ts';
import { escalationTargets } from '../desk/escalation.ts';
import { COALESCE_MS } from '../watching/notify-watchers.ts';
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

/**
 * The people responsible: the assignee, else everyone in the shared queue's group. An inactive
 * assignee's part (nudges, due reminders, …) falls to the project owner until it is handed over.
 */
export function owners(tx: Db, req: Pick<Requirement, 'assigneeId' | 'groupId' | 'projectId'>): number[] {
  if (req.assigneeId === null) return queueMembers(tx, req.groupId);
  const assignee = tx.select({ active: users.active, owner: projects.ownerId }).from(users)
    .innerJoin(projects, eq(projects.id, req.projectId)).where(eq(users.id, req.assigneeId)).get();
  return [assignee && !assignee.active ? assignee.owner : req.assigneeId];
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
    case 'linked': case 'unlinked': case 'handed_over': break;
    // Desk (src/server/desk/): taking an item, escalations, the reporter's answer and closing.
    case 'claimed': add(watcherIds(tx, e.req.id), 'changed'); break;
    case 'escalated': add(escalationTargets(tx, e.req), 'escalated'); break;
    case 'confirmed': case 'reopened': case 'auto-closed': add(everyone(), 'transitioned'); break;
  }
  if (e.actorId !== null) out.delete(e.actorId);
  return out;
}

/**
 * Of these users, the active ones who may read the requirement (its project, and its restriction):
 * a queue's group, a watcher or a mentioned person may include people without access, and a
 * notification would show them the requirement's title.
 */
export function mayRead(tx: Db, req: Pick<Requirement, 'id'>, userIds: number[]): Set<number> {
  if (userIds.length === 0) return new Set();
  const people = tx.select({ id: users.id, email: users.email, name: users.name, admin: users.admin, active: users.active })
    .from(users).where(inArray(users.id, userIds)).all();
  return new Set(people.filter((u) => u.active && canReadRequirement({ ...u, locale: null }, req)).map((u) => u.id));
}

export function notifyEvent(tx: Db, e: RecordedEvent): void {
  const data = { key: e.req.key, title: e.req.title, status: e.req.status, ...summary(e) };
  const told = recipients(tx, e);
  const readers = mayRead(tx, e.req, [...told.keys()]);
  for (const [userId, kind] of told) {
    if (!readers.has(userId)) continue;
    if (kind === 'transitioned' && foldedIntoOpenMove(tx, userId, e, data)) continue;
    const { id } = tx.insert(notifications).values({ userId, kind, requirementId: e.req.id, eventId: e.id, actorId: e.actorId, data }).returning({ id: notifications.id }).get();
    queueMail(tx, userId, kind, id);
  }
  enqueueWebhookDeliveries(tx, e.req.projectId, e.id, e.kind);
}

/**
 * Several moves of one requirement by one person within COALESCE_MS are one unread inbox item
 * ("moved it from Submitted to Done, 9 moves"), as several saves of a page are: someone walking a
 * requirement through its workflow would otherwise flood its assignee's inbox. A move that says
 * why (a rejection's reason) stands on its own. True when this move was folded into an item.
 */
function foldedIntoOpenMove(tx: Db, userId: number, e: RecordedEvent, data: Record<string, unknown>): boolean {
  if (e.kind !== 'transitioned' || e.actorId === null || data.comment !== undefined) return false;
  const open = tx.select({ id: notifications.id, data: notifications.data }).from(notifications).where(and(
    eq(notifications.userId, userId), eq(notifications.requirementId, e.req.id), eq(notifications.actorId, e.actorId),
    eq(notifications.kind, 'transitioned'), isNull(notifications.readAt), gt(notifications.createdAt, Date.now() - COALESCE_MS),
  )).orderBy(desc(notifications.id)).limit(1).get();
  if (!open || open.data.event !== 'transitioned' || open.data.comment !== undefined) return false;
  const moves = (typeof open.data.moves === 'number' ? open.data.moves : 1) + 1;
  tx.update(notifications).set({ data: { ...data, from: open.data.from, moves }, eventId: e.id, createdAt: Date.now() }).where(eq(notifications.id, open.id)).run();
  return true;
}

/** The few facts an inbox line shows, without large before/after texts. */
function summary(e: RecordedEvent): Record<string, unknown> {
  const { from, to, comment, space, path, title, fields, deadline } = e.data as Record<string, unknown>;
  const out: Record<string, unknown> = { event: e.kind };
  if (deadline !== undefined) out.deadline = deadline;
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  if (typeof comment === 'string' && comment) out.comment = comment.slice(0, 200);
  if (space !== undefined) Object.assign(out, { space, path, pageTitle: title });
  if (fields !== undefined) out.fields = fields;
  return out;
}
