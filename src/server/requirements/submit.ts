// Submitting a requirement: numbered per project, routed by the project's rules (else to the
// owner), in its category's initial state; the reporter watches it.
import { and, eq, sql } from 'drizzle-orm';
import { groupMembers, groups, projects, requirements, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { write, type Db } from '../db.ts';
import { badInput } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { renderPool } from '../pages/render-pool.ts';
import { findCategory, loadProject, projectRules, type Project } from '../projects/projects.ts';
import { matchingRules, type RoutedBy, type SkippedRule } from '../projects/routing.ts';
import type { Category } from '../projects/workflow.ts';
import { resolutionAfterMove } from '../desk/resolution.ts';
import { deadlinesFor } from '../desk/sla.ts';
import { recordEvent, watch } from './events.ts';
import { validDescription, validDue, validPriority, validTags, validTitle, type Priority } from './fields.ts';
import type { Requirement } from './load.ts';

export interface SubmitInput { title?: unknown; description?: unknown; category?: unknown; priority?: unknown; due?: unknown; tags?: unknown }
export interface ValidSubmission { title: string; description: string; category: string; priority: Priority; due: string | null; tags: string[] }

export function validateSubmission(input: SubmitInput): ValidSubmission {
  if (typeof input.category !== 'string' || !input.category) throw badInput('category is required (e.g. feature, change, issue)', { code: 'categoryRequired' });
  return {
    title: validTitle(input.title),
    description: input.description === undefined ? '' : validDescription(input.description),
    category: input.category,
    priority: input.priority === undefined ? 'normal' : validPriority(input.priority),
    due: input.due === undefined ? null : validDue(input.due),
    tags: validTags(input.tags),
  };
}

export interface Routing { assigneeId: number | null; groupId: number | null; routedBy: RoutedBy }

/** Why nobody active stands behind a rule, or null when someone does. */
function unavailable(tx: Db, rule: { assigneeId: number | null; groupId: number | null }): SkippedRule['reason'] | null {
  if (rule.assigneeId !== null) {
    return tx.select({ active: users.active }).from(users).where(eq(users.id, rule.assigneeId)).get()?.active ? null : 'inactive';
  }
  const member = tx.select({ id: users.id }).from(groupMembers).innerJoin(users, eq(users.id, groupMembers.userId))
    .where(and(eq(groupMembers.groupId, rule.groupId!), eq(users.active, true))).limit(1).get();
  return member ? null : 'no-active-member';
}

/** The first matching rule with someone active behind it wins; rules skipped on the way are named. Else the owner. */
export function routeRequirement(tx: Db, project: Project, req: { category: string; tags: string[] }): Routing {
  const skipped: SkippedRule[] = [];
  for (const { rule, number } of matchingRules(projectRules(tx, project.id), req, project.tagAliases)) {
    const reason = unavailable(tx, rule);
    if (reason) {
      skipped.push({ rule: number, assignee: rule.assignee, group: rule.group, reason });
      continue;
    }
    return {
      assigneeId: rule.assigneeId, groupId: rule.groupId,
      routedBy: { via: 'rule', rule: number, category: rule.category, tag: rule.tag, assignee: rule.assignee, group: rule.group, ...(skipped.length > 0 && { skipped }) },
    };
  }
  return { assigneeId: project.ownerId, groupId: null, routedBy: { via: 'owner', ...(skipped.length > 0 && { skipped }) } };
}

/** Whether every way from the initial state to `status` goes through an agreed state (an imported "in progress" was approved). */
function passedAgreement(category: Category, status: string): boolean {
  const agreed = new Set(category.states.filter((st) => st.agreed).map((st) => st.key));
  if (agreed.has(status)) return true;
  const seen = new Set([category.initial]);
  const queue = [category.initial];
  while (queue.length) {
    const from = queue.shift()!;
    for (const tr of category.transitions) {
      if (tr.from !== from || seen.has(tr.to) || agreed.has(tr.to)) continue;
      seen.add(tr.to);
      queue.push(tr.to);
    }
  }
  return agreed.size > 0 && !seen.has(status);
}

/**
 * When a migrated requirement was created, last updated and closed (ms). `closedGiven`: the sheet
 * said when it was closed, so its history gets a closing transition at that moment.
 */
export interface ImportedDates { created: number; updated: number; closed: number | null; closedGiven: boolean }

/** What a CSV import may set beyond a submission: a state of the category, an explicit assignee, its own dates. */
export interface InsertOptions { status?: string; assigneeId?: number; imported?: boolean; dates?: ImportedDates }

/** The transactional half: numbering, routing, the row and its `created` event. CSV import calls it per row. */
export function insertRequirement(tx: Db, project: Project, reporterId: number, v: ValidSubmission, rendered: { html: string; text: string }, opts: InsertOptions = {}): Requirement {
  const category = findCategory(tx, project.id, v.category);
  if (!category) throw badInput(`No category "${v.category}" in ${project.key}`, { code: 'noCategory', category: v.category });
  const { number } = tx.update(projects).set({ nextNumber: sql`${projects.nextNumber} + 1` }).where(eq(projects.id, project.id))
    .returning({ number: sql<number>`${projects.nextNumber} - 1` }).get();
  const state = category.states.find((st) => st.key === (opts.status ?? category.initial));
  if (!state) throw badInput(`"${opts.status}" is not a state of ${v.category}`);
  const routing: Routing = opts.assigneeId !== undefined
    ? { assigneeId: opts.assigneeId, groupId: null, routedBy: { via: 'import' } }
    : routeRequirement(tx, project, v);
  const now = Date.now();
  const at = opts.dates ?? { created: now, updated: now, closed: state.done ? now : null, closedGiven: false };
  const closing = state.done && at.closedGiven && state.key !== category.initial;
  // The SLA promises from the moment of submission (history brought in by an import has none); a due date given wins.
  const sla = opts.imported ? null : deadlinesFor(project.sla, v.category, v.priority, now);
  const resolution = resolutionAfterMove(category, null, state.key, at.closed ?? at.created);
  if (opts.imported && resolution.resolvedAt !== null) resolution.confirmedAt = resolution.resolvedAt; // imported history is settled
  const req = tx.insert(requirements).values({
    projectId: project.id, number, key: `${project.key}-${number}`, title: v.title, markdown: v.description,
    html: rendered.html, text: rendered.text, category: v.category, status: state.key, priority: v.priority,
    assigneeId: routing.assigneeId, groupId: routing.groupId, reporterId, due: v.due ?? sla?.due ?? null, tags: v.tags, routedBy: JSON.stringify(routing.routedBy),
    createdAt: at.created, updatedAt: at.updated, closedAt: state.done ? at.closed ?? at.created : null,
    agreedAt: passedAgreement(category, state.key) ? at.created : null,
    respondBy: sla?.respondBy ?? null, resolveBy: sla?.resolveBy ?? null, ...resolution,
  }).returning().get();
  watch(tx, req.id, reporterId);
  const assignee = routing.assigneeId === null ? null : tx.select({ email: users.email }).from(users).where(eq(users.id, routing.assigneeId)).get()!.email;
  const group = routing.groupId === null ? null : tx.select({ name: groups.name }).from(groups).where(eq(groups.id, routing.groupId)).get()!.name;
  const imported = opts.imported ? { imported: true } : {};
  recordEvent(tx, req, reporterId, 'created', { title: v.title, category: v.category, status: closing ? category.initial : req.status, priority: v.priority, due: req.due, tags: v.tags, assignee, group, routedBy: routing.routedBy, ...imported }, { announce: !opts.imported, at: at.created });
  // Who closed it the sheet does not say: the transition has no actor.
  if (closing) recordEvent(tx, req, null, 'transitioned', { from: category.initial, to: req.status, comment: '', ...imported }, { announce: false, at: at.closed! });
  return req;
}

/** Anyone who can read the project may submit to it (the tracker doubles as a support desk). */
export async function submitRequirement(viewer: Viewer | null, projectKey: string, input: SubmitInput): Promise<Requirement> {
  const { project, space } = loadProject(viewer, projectKey, 'contribute');
  const valid = validateSubmission(input);
  const rendered = valid.description ? await renderPool().render(space.key, valid.description, { owner: viewer!.id }) : { html: '', text: '' };
  const req = write((tx) => insertRequirement(tx, project, viewer!.id, valid, rendered));
  wakeOutbox();
  return req;
}
