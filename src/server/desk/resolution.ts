// Resolution and closing. A requirement is *resolved* when it enters a resolving state: a state
// marked `resolved` in its category's workflow (the default "Customer issue" marks "Resolved"), or
// any done state. From then on its reporter has the project's `confirmDays` to confirm the
// resolution or reopen it. Once confirmed, or when that period runs out, it is *closed*
// (confirmed_at is set): a resolved-but-not-done item first moves to the done state its workflow
// leads to from there. Reopening follows the workflow's own way back from the resolving state to
// work in progress ("Resolved → In progress"): the assignee goes on with it. A workflow without
// one (a done state with no way out) sends it back to its initial state.
import { and, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import { projects, requirements } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { write, type Db } from '../db.ts';
import { DomainError, forbidden } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { findCategory } from '../projects/projects.ts';
import { stateOf, type Category } from '../projects/workflow.ts';
import { recordEvent } from '../requirements/events.ts';
import { loadRequirement, type Requirement } from '../requirements/load.ts';

const DAY = 86_400_000;
export const MAX_CONFIRM_DAYS = 365;

export function isResolving(category: Category, status: string): boolean {
  const state = stateOf(category, status);
  return !!(state?.done || state?.resolved);
}

/** resolved_at / confirmed_at after a move from `req`'s state to `to` at `now`. */
export function resolutionAfterMove(category: Category, req: Pick<Requirement, 'status' | 'resolvedAt' | 'confirmedAt'> | null, to: string, now: number): Pick<Requirement, 'resolvedAt' | 'confirmedAt'> {
  if (!isResolving(category, to)) return { resolvedAt: null, confirmedAt: null };
  const stillResolved = req !== null && isResolving(category, req.status) && req.resolvedAt !== null;
  return { resolvedAt: stillResolved ? req.resolvedAt : now, confirmedAt: req?.confirmedAt ?? null };
}

/** The done state a confirmed resolution lands in: the state itself when done, else the first done state its workflow leads to. */
function closingState(category: Category, status: string): string | null {
  if (stateOf(category, status)?.done) return status;
  return category.transitions.find((t) => t.from === status && stateOf(category, t.to)?.done)?.to ?? null;
}

export interface Confirmation { state: 'none' | 'awaiting' | 'closed'; until: string | null; canAnswer: boolean }

/** Where the reporter's confirmation stands, and whether this viewer may confirm or reopen now. */
export function confirmation(viewer: Viewer | null, req: Requirement, confirmDays: number, now = Date.now()): Confirmation {
  if (req.confirmedAt !== null) return { state: 'closed', until: null, canAnswer: false };
  if (req.resolvedAt === null) return { state: 'none', until: null, canAnswer: false };
  const until = req.resolvedAt + confirmDays * DAY;
  return { state: 'awaiting', until: new Date(until).toISOString(), canAnswer: viewer !== null && viewer.id === req.reporterId && now < until };
}

function close(tx: Db, req: Requirement, category: Category, actorId: number | null, kind: 'confirmed' | 'auto-closed', now: number): Requirement {
  const to = closingState(category, req.status);
  if (to === null) throw new DomainError(422, `${category.key}: no move from "${req.status}" to a done state`);
  const updated = tx.update(requirements).set({
    status: to, confirmedAt: now, closedAt: req.closedAt ?? now, version: req.version + 1, updatedAt: now,
  }).where(eq(requirements.id, req.id)).returning().get();
  recordEvent(tx, updated, actorId, kind, { from: req.status, to });
  return updated;
}

type Answer = { action?: unknown; comment?: unknown };

/**
 * The reporter confirms (`action: "confirm"`) or reopens (`action: "reopen"`, with a comment saying
 * what is still wrong: as the workflow's own way back from a rejection asks) a resolution.
 */
export function answerResolution(viewer: Viewer | null, key: string, input: Answer): Requirement {
  const { req: loaded, category, project } = loadRequirement(viewer, key, 'read');
  if (input.action !== 'confirm' && input.action !== 'reopen') throw new DomainError(400, 'action is "confirm" or "reopen"');
  if (input.comment !== undefined && typeof input.comment !== 'string') throw new DomainError(400, 'comment must be a string');
  const comment = ((input.comment as string | undefined) ?? '').trim().slice(0, 10_000);
  if (viewer!.id !== loaded.reporterId) throw forbidden(`Only the reporter of ${key} may confirm or reopen its resolution`, { code: 'reporterOnly' });
  if (input.action === 'reopen' && comment === '') throw new DomainError(422, 'Say what is still wrong: reopening needs a comment', { code: 'reopenReason', field: 'comment' });
  const now = Date.now();
  const result = write((tx) => {
    const req = tx.select().from(requirements).where(eq(requirements.id, loaded.id)).get()!;
    const where = confirmation(viewer, req, project.confirmDays, now);
    if (where.state === 'none') throw new DomainError(422, `${key} is not resolved; there is nothing to confirm or reopen`, { code: 'notResolved' });
    if (where.state === 'closed') throw new DomainError(422, `${key} is closed; its resolution can no longer be reopened`, { code: 'resolutionClosed' });
    if (!where.canAnswer) throw new DomainError(422, `The ${project.confirmDays} days to confirm or reopen ${key} are over`, { code: 'confirmDaysOver', days: project.confirmDays });
    if (input.action === 'confirm') return close(tx, req, category, viewer!.id, 'confirmed', now);
    const to = reopenState(category, req.status);
    const updated = tx.update(requirements).set({
      status: to, closedAt: null, resolvedAt: null, confirmedAt: null, version: req.version + 1, updatedAt: now,
    }).where(eq(requirements.id, req.id)).returning().get();
    recordEvent(tx, updated, viewer!.id, 'reopened', { from: req.status, to, comment });
    return updated;
  });
  wakeOutbox();
  return result;
}

/** Where a reopened resolution goes: the workflow's first way from `from` to an open, unresolved state; else the initial state. */
export function reopenState(category: Category, from: string): string {
  const back = category.transitions.find((t) => t.from === from && !stateOf(category, t.to)?.done && !stateOf(category, t.to)?.resolved);
  return back?.to ?? category.initial;
}

/** Closes every resolution whose confirmation period ran out by `now`; returns how many. */
export function closeExpiredResolutions(now = Date.now()): number {
  return write((tx) => {
    const candidates = tx.select({ req: requirements, confirmDays: projects.confirmDays }).from(requirements)
      .innerJoin(projects, eq(projects.id, requirements.projectId))
      .where(and(isNotNull(requirements.resolvedAt), isNull(requirements.confirmedAt), lte(requirements.resolvedAt, now - DAY), eq(projects.archived, false))).all();
    let closed = 0;
    for (const { req, confirmDays } of candidates) {
      if (req.resolvedAt! + confirmDays * DAY > now) continue;
      const category = findCategory(tx, req.projectId, req.category);
      // A workflow edited since without a way to done: leave it for a person to close.
      if (!category || closingState(category, req.status) === null) continue;
      close(tx, req, category, null, 'auto-closed', now);
      closed++;
    }
    return closed;
  });
}
