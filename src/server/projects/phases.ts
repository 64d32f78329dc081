// Project phases (issue 11, part 3): the project's configured list (default 立项 → 规划 → 执行 →
// 验收 → 结项), changing phase with its gates, and the recorded history.
//
// Moves: one step forward, or back any number of steps (reopening a phase is a correction; skipping
// ahead would skip a gate). Gates, declared per phase in `requires`:
// - `retro`: the project has a retrospective: a live page of its space tagged `retro`, or a page
//   linked with relation `retro` to one of its requirements;
// - `requirements-done`: every requirement of the project is in a done state of its category's
//   workflow (a requirement moved to another project no longer counts).
import { z } from 'astro/zod';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { pages, projectPhaseEvents, projects, requirementLinks, requirements, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { write, type Db } from '../db.ts';
import { badInput, DomainError } from '../errors.ts';
import { loadProject, projectCategories, type Project } from './projects.ts';

export const PHASE_GATES = ['retro', 'requirements-done'] as const;
export type PhaseGate = (typeof PHASE_GATES)[number];

const Name = z.object({ en: z.string().trim().min(1).max(40), zh: z.string().trim().min(1).max(40) });
export const PhaseSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a phase key is a-z, 0-9 and "-", starting with a letter'),
  name: Name,
  requires: z.array(z.enum(PHASE_GATES)).max(2).optional(),
});
export type Phase = z.infer<typeof PhaseSchema>;
const PhaseList = z.array(PhaseSchema).min(2).max(12)
  .refine((list) => new Set(list.map((p) => p.key)).size === list.length, 'phase keys must be unique');

export const DEFAULT_PHASES: Phase[] = [
  { key: 'initiation', name: { en: 'Initiation', zh: '立项' } },
  { key: 'planning', name: { en: 'Planning', zh: '规划' } },
  { key: 'execution', name: { en: 'Execution', zh: '执行' } },
  { key: 'acceptance', name: { en: 'Acceptance', zh: '验收' }, requires: ['retro'] },
  { key: 'closed', name: { en: 'Closed', zh: '结项' }, requires: ['requirements-done'] },
];

export const phasesOf = (project: Pick<Project, 'phases'>): Phase[] => project.phases ?? DEFAULT_PHASES;

/** A phase's name in both languages (the bare key for one no longer in the list). */
export const phaseName = (project: Pick<Project, 'phases'>, key: string): Phase['name'] =>
  phasesOf(project).find((p) => p.key === key)?.name ?? { en: key, zh: key };

/** Replaces the project's phase list (project admins). The current phase must stay in it. */
export function setPhases(viewer: Viewer | null, key: string, input: unknown): Phase[] {
  const { project } = loadProject(viewer, key, 'admin');
  const parsed = PhaseList.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(issue.path.length ? `phase ${Number(issue.path[0]) + 1}: ${issue.message}` : issue.message);
  }
  const list = parsed.data;
  if (!list.some((p) => p.key === project.phase)) {
    throw new DomainError(422, `The project is in phase "${project.phase}", which the new list leaves out`, { phase: project.phase, code: 'phaseLeftOut' });
  }
  return write((tx) => {
    tx.update(projects).set({ phases: list }).where(eq(projects.id, project.id)).run();
    appendAudit(tx, viewer!, 'project.phases', key, phasesOf(project), list);
    return list;
  });
}

/** What keeps the project from entering `phase`: the gates not met, with the blocking requirement keys. */
export interface PhaseBlock { gate: PhaseGate; message: string; requirements?: string[] }

const MAX_LISTED = 100;

export function phaseBlocks(d: Db, project: Project, phase: Phase): PhaseBlock[] {
  const blocks: PhaseBlock[] = [];
  for (const gate of phase.requires ?? []) {
    if (gate === 'retro' && !hasRetrospective(d, project)) {
      blocks.push({ gate, message: 'A retrospective is needed: a page of the project space tagged "retro", or a page linked as retro to one of its requirements' });
    }
    if (gate === 'requirements-done') {
      const open = notDone(d, project);
      if (open.length) blocks.push({ gate, message: `${open.length} requirement(s) are not done or moved`, requirements: open.slice(0, MAX_LISTED) });
    }
  }
  return blocks;
}

function hasRetrospective(d: Db, project: Project): boolean {
  const tagged = d.select({ id: pages.id }).from(pages)
    .where(and(eq(pages.spaceId, project.spaceId), isNull(pages.deletedAt), sql`exists (select 1 from json_each(${pages.tags}) where value = 'retro')`)).get();
  if (tagged) return true;
  return !!d.select({ id: requirementLinks.pageId }).from(requirementLinks)
    .innerJoin(requirements, eq(requirements.id, requirementLinks.requirementId))
    .innerJoin(pages, eq(pages.id, requirementLinks.pageId))
    .where(and(eq(requirements.projectId, project.id), eq(requirementLinks.relation, 'retro'), isNull(pages.deletedAt))).get();
}

/** Keys of the project's requirements not in a done state of their category, in number order. */
function notDone(d: Db, project: Project): string[] {
  const done = projectCategories(d, project.id).flatMap((c) => c.states.filter((s) => s.done).map((s) => `${c.key}\u0000${s.key}`));
  return d.select({ key: requirements.key }).from(requirements)
    .where(and(eq(requirements.projectId, project.id),
      sql`(${requirements.category} || char(0) || ${requirements.status}) not in (select value from json_each(${JSON.stringify(done)}))`))
    .orderBy(asc(requirements.number)).all().map((r) => r.key);
}

/** Where the project may go from its current phase: the next one, or any earlier one. */
export function allowedPhases(project: Project): string[] {
  const list = phasesOf(project);
  const at = list.findIndex((p) => p.key === project.phase);
  return list.filter((_, i) => i === at + 1 || i < at).map((p) => p.key);
}

export interface PhaseChangeInput { to?: unknown; comment?: unknown }

/**
 * Moves the project to another phase (project admins). 400 for a phase that does not exist,
 * 422 for one not allowed next or whose gates are not met (with `missing`: what is needed).
 */
export function changePhase(viewer: Viewer | null, key: string, input: PhaseChangeInput, at = Date.now()): { phase: string } {
  const { project: loaded } = loadProject(viewer, key, 'admin');
  if (typeof input.to !== 'string') throw badInput('"to" names the phase to move to');
  if (input.comment !== undefined && typeof input.comment !== 'string') throw badInput('"comment" is text');
  const comment = (input.comment ?? '').normalize('NFC').trim();
  if (comment.length > 2000) throw badInput('A comment is at most 2,000 characters', { code: 'commentTooLong', max: 2_000 });
  return write((tx) => {
    const project = tx.select().from(projects).where(eq(projects.id, loaded.id)).get()!;
    const target = phasesOf(project).find((p) => p.key === input.to);
    if (!target) throw badInput(`No phase "${input.to}" in ${key}; its phases are ${phasesOf(project).map((p) => p.key).join(', ')}`);
    if (target.key === project.phase) throw new DomainError(422, `${key} is already in phase "${target.key}"`, { allowed: allowedPhases(project), code: 'alreadyInPhase', phase: target.key });
    const allowed = allowedPhases(project);
    if (!allowed.includes(target.key)) {
      throw new DomainError(422, `From "${project.phase}" a project moves to the next phase or back to an earlier one`, { allowed, code: 'phaseStep' });
    }
    const missing = phaseBlocks(tx, project, target);
    if (missing.length) throw new DomainError(422, `${key} cannot enter "${target.key}" yet: ${missing.map((m) => m.message).join('; ')}`, { missing, code: 'phaseBlocked', phase: target.key });
    recordPhaseChange(tx, project, target.key, viewer!.id, comment, at);
    appendAudit(tx, viewer!, 'project.phase', key, { phase: project.phase }, { phase: target.key, comment });
    return { phase: target.key };
  });
}

/** Sets the phase and appends its event; also used by the demo seed to lay down a dated history. */
export function recordPhaseChange(tx: Db, project: { id: number; phase: string | null }, to: string, actorId: number | null, comment: string, at: number): void {
  tx.update(projects).set({ phase: to }).where(eq(projects.id, project.id)).run();
  tx.insert(projectPhaseEvents).values({ projectId: project.id, fromPhase: project.phase, toPhase: to, actorId, comment, at }).run();
}

export interface PhaseEvent { from: string | null; to: string; at: number; comment: string; actor: { email: string; name: string } | null }

export function phaseEvents(d: Db, projectId: number): PhaseEvent[] {
  return d.select({
    from: projectPhaseEvents.fromPhase, to: projectPhaseEvents.toPhase, at: projectPhaseEvents.at, comment: projectPhaseEvents.comment,
    email: users.email, name: users.name,
  }).from(projectPhaseEvents).leftJoin(users, eq(users.id, projectPhaseEvents.actorId))
    .where(eq(projectPhaseEvents.projectId, projectId)).orderBy(asc(projectPhaseEvents.at), asc(projectPhaseEvents.id)).all()
    .map(({ email, name, ...e }) => ({ ...e, actor: email ? { email, name: name! } : null }));
}
