// Moving a requirement through its category's workflow. A move that is not allowed from the
// current state, or whose gates are unmet, is refused with 422 saying what is allowed and why.
import { and, eq, isNull } from 'drizzle-orm';
import { pages, requirementLinks, requirements } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { write, type Db } from '../db.ts';
import { badInput, DomainError } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { gateReason, nextStates, stateOf, type Category, type Facts, type NextState } from '../projects/workflow.ts';
import { resolutionAfterMove } from '../desk/resolution.ts';
import { markFirstResponse } from '../desk/sla.ts';
import { recordEvent } from './events.ts';
import { loadRequirement, type Requirement } from './load.ts';

/** Relations of the live pages explicitly linked to the requirement (what gates look at). */
export function linkedRelations(d: Db, requirementId: number): Set<string> {
  return new Set(d.selectDistinct({ relation: requirementLinks.relation }).from(requirementLinks)
    .innerJoin(pages, eq(pages.id, requirementLinks.pageId))
    .where(and(eq(requirementLinks.requirementId, requirementId), isNull(pages.deletedAt))).all().map((r) => r.relation));
}

export function factsOf(d: Db, req: Requirement, comment = ''): Facts {
  return { relations: linkedRelations(d, req.id), hasAssignee: req.assigneeId !== null, comment };
}

export function allowedNext(d: Db, req: Requirement, category: Category): NextState[] {
  return nextStates(category, req.status, factsOf(d, req));
}

export interface TransitionInput { to?: unknown; comment?: unknown; baseVersion?: unknown }

export function transitionRequirement(viewer: Viewer | null, key: string, input: TransitionInput): Requirement {
  const { req: loaded, category } = loadRequirement(viewer, key, 'edit');
  if (typeof input.to !== 'string' || !input.to) throw badInput('to: the state to move to is required');
  if (input.comment !== undefined && typeof input.comment !== 'string') throw badInput('comment must be a string');
  const comment = ((input.comment as string | undefined) ?? '').trim();
  if (comment.length > 10_000) throw badInput('A comment is at most 10,000 characters', { code: 'commentTooLong', max: 10_000 });
  const to = input.to;
  const result = write((tx) => {
    const req = tx.select().from(requirements).where(eq(requirements.id, loaded.id)).get()!;
    if (input.baseVersion !== undefined && input.baseVersion !== req.version) {
      throw new DomainError(409, `${key} was changed since you loaded it`, { current: { version: req.version, status: req.status }, code: 'reqChanged' });
    }
    const options = nextStates(category, req.status, factsOf(tx, req, comment));
    const allowed = options.map((o) => ({ to: o.to, requires: o.requires, unmet: o.unmet }));
    const option = options.find((o) => o.to === to);
    if (!option) {
      const why = stateOf(category, to) ? `${category.key} cannot move from "${req.status}" to "${to}"` : `"${to}" is not a state of ${category.key}`;
      throw new DomainError(422, `${why}. Allowed next: ${options.map((o) => o.to).join(', ') || 'none (final state)'}`, { allowed, code: 'transitionNotAllowed', to, toName: stateOf(category, to)?.name ?? to });
    }
    if (option.unmet.length) {
      throw new DomainError(422, `Moving to "${to}" needs more: ${option.unmet.map(gateReason).join('; ')}`, { allowed, unmet: option.unmet.map((g) => ({ gate: g, reason: gateReason(g) })), code: 'transitionNeedsMore', to, toName: stateOf(category, to)!.name });
    }
    const target = stateOf(category, to)!;
    const now = Date.now();
    const updated = tx.update(requirements).set({
      status: to, version: req.version + 1, updatedAt: now,
      closedAt: target.done ? now : null,
      agreedAt: req.agreedAt ?? (target.agreed ? now : null),
      ...resolutionAfterMove(category, req, to, now),
      // The reporter who closes their own requirement has nothing left to confirm.
      ...(target.done && req.reporterId === viewer!.id && req.confirmedAt === null ? { confirmedAt: now } : {}),
    }).where(eq(requirements.id, req.id)).returning().get();
    markFirstResponse(tx, req.id, viewer!.id, now);
    recordEvent(tx, updated, viewer!.id, 'transitioned', { from: req.status, to, comment });
    return updated;
  });
  wakeOutbox();
  return result;
}

