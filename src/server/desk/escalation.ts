// Escalation: when an open requirement passes its first-response deadline without a response, or
// its resolution deadline without being resolved, the people above it hear about it once per
// deadline: the lead of its queue's group when it waits in a queue whose group has a lead, else the
// project owner. Each escalation is an `escalated` event (with `deadline: "response" | "resolve"`)
// and an inbox notification. Run by the periodic scan beside the due-date reminders.
import { and, eq, isNull, lt, type SQL } from 'drizzle-orm';
import { groups, projects, requirements } from '../../../db/schema.ts';
import { write, type Db } from '../db.ts';
import { recordEvent } from '../requirements/events.ts';
import type { Requirement } from '../requirements/load.ts';

/** Who hears an escalation: the queue group's lead, else the project owner. */
export function escalationTargets(tx: Db, req: Pick<Requirement, 'groupId' | 'assigneeId' | 'projectId'>): number[] {
  if (req.groupId !== null && req.assigneeId === null) {
    const lead = tx.select({ id: groups.leadId }).from(groups).where(eq(groups.id, req.groupId)).get()?.id ?? null;
    if (lead !== null) return [lead];
  }
  const owner = tx.select({ id: projects.ownerId }).from(projects).where(eq(projects.id, req.projectId)).get();
  return owner ? [owner.id] : [];
}

const DEADLINES: { deadline: 'response' | 'resolve'; passed: (now: number) => SQL; mark: 'escalatedResponseAt' | 'escalatedResolveAt' }[] = [
  { deadline: 'response', mark: 'escalatedResponseAt', passed: (now) => and(isNull(requirements.firstResponseAt), lt(requirements.respondBy, now), isNull(requirements.escalatedResponseAt))! },
  { deadline: 'resolve', mark: 'escalatedResolveAt', passed: (now) => and(isNull(requirements.resolvedAt), lt(requirements.resolveBy, now), isNull(requirements.escalatedResolveAt))! },
];

/** Escalates every deadline passed by `now` that was not escalated yet; returns how many. */
export function escalateOverdue(now = Date.now()): number {
  return write((tx) => {
    let escalated = 0;
    for (const { deadline, passed, mark } of DEADLINES) {
      const due = tx.select({ req: requirements }).from(requirements).innerJoin(projects, eq(projects.id, requirements.projectId))
        .where(and(isNull(requirements.closedAt), eq(projects.archived, false), passed(now))).all();
      for (const { req } of due) {
        const updated = tx.update(requirements).set({ [mark]: now }).where(eq(requirements.id, req.id)).returning().get();
        recordEvent(tx, updated, null, 'escalated', { deadline, at: deadline === 'response' ? req.respondBy : req.resolveBy });
        escalated++;
      }
    }
    return escalated;
  });
}

/** What an item shows about its deadlines now. */
export function slaFlags(req: Pick<Requirement, 'respondBy' | 'resolveBy' | 'firstResponseAt' | 'resolvedAt' | 'closedAt' | 'escalatedResponseAt' | 'escalatedResolveAt'>, now = Date.now()) {
  const open = req.closedAt === null;
  return {
    responseOverdue: open && req.firstResponseAt === null && req.respondBy !== null && req.respondBy < now,
    resolveOverdue: open && req.resolvedAt === null && req.resolveBy !== null && req.resolveBy < now,
    escalated: open && (req.escalatedResponseAt !== null || req.escalatedResolveAt !== null),
  };
}
