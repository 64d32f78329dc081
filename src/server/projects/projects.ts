// Projects: creation (with their own space of kind 'project'), lookup under the space's
// permissions, and the project admin's settings (categories with workflows, routing rules).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { categories, grants, groups, projects, requirements, routingRules, spaces, users } from '../../../db/schema.ts';
import { assertCan, assertSiteAdmin, can, readableRequirementsSql, readableSpaceIds, sqlPredicate, type Action, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { normalizeEmail } from '../auth/users.ts';
import { db, prepared, write, type Db } from '../db.ts';
import { badInput, conflict, DomainError, notFound } from '../errors.ts';
import { commitSave, type PreparedSave } from '../pages/save-page.ts';
import type { Space } from '../spaces/spaces.ts';
import { CategorySchema, DEFAULT_CATEGORIES, type Category } from './workflow.ts';
import { relinkProjectMentions } from './relink-mentions.ts';
import { assertRuleTargetsCanEdit, validateRules, type RuleInput } from './routing.ts';

export type Project = typeof projects.$inferSelect;
export const PROJECT_KEY = /^[A-Z][A-Z0-9]{1,9}$/;

export function userIdByEmail(d: Db, email: string): number {
  const row = d.select({ id: users.id, active: users.active }).from(users).where(eq(users.email, normalizeEmail(email))).get();
  if (!row || !row.active) throw badInput(`No active user "${email}"`, { code: 'noActiveUser', email });
  return row.id;
}

export function groupIdByName(d: Db, name: string): number {
  const row = d.select({ id: groups.id }).from(groups).where(eq(groups.name, name)).get();
  if (!row) throw badInput(`No group "${name}"`, { code: 'noGroup', name });
  return row.id;
}

export interface NewProject { key: string; name: string; owner?: string; visibility?: 'org' | 'restricted'; description?: string }

/** The checks made before anything of a new project is prepared: who asks, its key and name. */
export function validateNewProject(viewer: Viewer | null, input: NewProject): { key: string; name: string } {
  assertSiteAdmin(viewer);
  const key = input.key.trim();
  if (!PROJECT_KEY.test(key)) throw badInput('A project key is 2–10 capital letters or digits, starting with a letter (e.g. PAY)', { code: 'projectKey' });
  const name = input.name.normalize('NFC').trim();
  if (!name || name.length > 120 || /[\u0000-\u001f]/.test(name)) throw badInput('A project name is 1–120 characters without control characters', { code: 'projectName' });
  return { key, name };
}

/**
 * Site admins create projects; the project's space (key in lower case) is created with it and its
 * owner is the space's admin. `starterPages` (rendered beforehand: see templates/project-scaffold.ts)
 * are saved in the same transaction, by the creator.
 */
export function createProject(viewer: Viewer | null, input: NewProject, starterPages: readonly PreparedSave[] = []): Project {
  const { key, name } = validateNewProject(viewer, input);
  return write((tx) => {
    const spaceKey = key.toLowerCase();
    if (tx.select({ id: projects.id }).from(projects).where(eq(projects.key, key)).get()) throw conflict(`A project "${key}" already exists`, { code: 'projectExists', key });
    if (tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.key, spaceKey)).get()) throw conflict(`A space "${spaceKey}" already exists; choose another project key`, { code: 'projectSpaceExists', key: spaceKey });
    const ownerId = input.owner ? userIdByEmail(tx, input.owner) : viewer!.id;
    const space = tx.insert(spaces).values({
      key: spaceKey, name, kind: 'project', visibility: input.visibility ?? 'org', description: input.description?.trim() ?? '',
    }).returning().get();
    const project = insertProject(tx, viewer!, { key, name, ownerId, space });
    for (const page of starterPages) commitSave(tx, space, viewer!.id, page);
    relinkProjectMentions(tx, key);
    return project;
  });
}

function insertProject(tx: Db, viewer: Viewer, p: { key: string; name: string; ownerId: number; space: Space }): Project {
  tx.delete(grants).where(and(eq(grants.spaceId, p.space.id), eq(grants.userId, p.ownerId))).run(); // an adopted space may have granted less
  tx.insert(grants).values({ spaceId: p.space.id, userId: p.ownerId, role: 'admin' }).run();
  const project = tx.insert(projects).values({ key: p.key, name: p.name, ownerId: p.ownerId, spaceId: p.space.id }).returning().get();
  DEFAULT_CATEGORIES.forEach((c, position) => tx.insert(categories).values({ projectId: project.id, key: c.key, position, workflow: c }).run());
  appendAudit(tx, viewer, 'project.create', p.key, null, { name: p.name, owner: p.ownerId, space: p.space.key });
  return project;
}

/**
 * Site admins turn an existing space of kind `project` (say, imported from a folder) into a
 * project's own space: the project takes the space's pages, and its owner becomes the space's admin.
 */
export function adoptSpaceAsProject(viewer: Viewer | null, input: { key: string; space: string; name?: string; owner?: string }): Project {
  assertSiteAdmin(viewer);
  const key = input.key.trim();
  if (!PROJECT_KEY.test(key)) throw badInput('A project key is 2–10 capital letters or digits, starting with a letter (e.g. PAY)', { code: 'projectKey' });
  return write((tx) => {
    const space = tx.select().from(spaces).where(eq(spaces.key, input.space)).get();
    if (!space) throw notFound();
    if (space.kind !== 'project') throw badInput(`Space "${space.key}" is of kind ${space.kind}, not project`);
    if (tx.select({ id: projects.id }).from(projects).where(eq(projects.key, key)).get()) throw conflict(`A project "${key}" already exists`, { code: 'projectExists', key });
    const owning = tx.select({ key: projects.key }).from(projects).where(eq(projects.spaceId, space.id)).get();
    if (owning) throw conflict(`Space "${space.key}" already belongs to project ${owning.key}`);
    const name = (input.name ?? space.name).normalize('NFC').trim();
    if (!name || name.length > 120 || /[\u0000-\u001f]/.test(name)) throw badInput('A project name is 1–120 characters without control characters', { code: 'projectName' });
    const ownerId = input.owner ? userIdByEmail(tx, input.owner) : viewer!.id;
    return insertProject(tx, viewer!, { key, name, ownerId, space });
  });
}

const projectByKey = prepared((d) => d.select().from(projects).where(eq(projects.key, sql.placeholder('key'))).prepare());
const spaceById = prepared((d) => d.select().from(spaces).where(eq(spaces.id, sql.placeholder('id'))).prepare());

export interface ProjectContext { project: Project; space: Space }

/** The project and its space, or a 404 when it does not exist or the viewer may not read its space. */
export function loadProject(viewer: Viewer | null, key: string, action: Action = 'read'): ProjectContext {
  const project = projectByKey().get({ key });
  if (!project) throw notFound();
  const space = spaceById().get({ id: project.spaceId })!;
  assertCan(viewer, action, space);
  return { project, space };
}

export function listProjects(viewer: Viewer | null): (Project & { open: number; overdue: number; ownerName: string })[] {
  const readable = new Set(readableSpaceIds(viewer));
  const today = new Date().toISOString().slice(0, 10);
  const mayRead = sqlPredicate(readableRequirementsSql(viewer, 'r'));
  return db().select({
    project: projects, ownerName: users.name,
    open: sql<number>`(select count(*) from requirements r where r.project_id = projects.id and r.closed_at is null and ${mayRead})`,
    overdue: sql<number>`(select count(*) from requirements r where r.project_id = projects.id and r.closed_at is null and r.due < ${today} and ${mayRead})`,
  }).from(projects).innerJoin(users, eq(users.id, projects.ownerId)).orderBy(projects.key).all()
    .filter((r) => readable.has(r.project.spaceId))
    .map((r) => ({ ...r.project, ownerName: r.ownerName, open: r.open, overdue: r.overdue }));
}

export function projectCategories(d: Db, projectId: number): Category[] {
  return d.select({ workflow: categories.workflow }).from(categories).where(eq(categories.projectId, projectId))
    .orderBy(asc(categories.position)).all().map((r) => r.workflow);
}

/** The categories of the projects the viewer may read, each key once (named as its first project names it): the cross-project dashboard's choice. */
export function readableCategories(viewer: Viewer | null): Category[] {
  const byKey = new Map<string, Category>();
  for (const workflow of readableWorkflows(viewer)) if (!byKey.has(workflow.key)) byKey.set(workflow.key, workflow);
  return [...byKey.values()];
}

/** Every category of every project the viewer may read (a key may come more than once, with other states). */
export function readableWorkflows(viewer: Viewer | null): Category[] {
  return db().select({ workflow: categories.workflow }).from(categories).innerJoin(projects, eq(projects.id, categories.projectId))
    .where(inArray(projects.spaceId, readableSpaceIds(viewer))).orderBy(asc(projects.key), asc(categories.position)).all().map((r) => r.workflow);
}

export function findCategory(d: Db, projectId: number, key: string): Category | undefined {
  return d.select({ workflow: categories.workflow }).from(categories)
    .where(and(eq(categories.projectId, projectId), eq(categories.key, key))).get()?.workflow;
}

/** Replaces the project's categories; refused (422) when requirements would be left in a category or state that no longer exists. */
export function setCategories(viewer: Viewer | null, key: string, input: unknown): Category[] {
  const { project } = loadProject(viewer, key, 'admin');
  if (!Array.isArray(input) || input.length === 0 || input.length > 20) throw badInput('Send 1–20 categories', { code: 'categoryCount' });
  const list = input.map((c, i) => {
    const parsed = CategorySchema.safeParse(c);
    if (!parsed.success) throw badInput(`category ${i + 1}: ${parsed.error.issues[0]!.message}`);
    return parsed.data;
  });
  if (new Set(list.map((c) => c.key)).size !== list.length) throw badInput('Category keys must be unique', { code: 'categoryKeysUnique' });
  return write((tx) => {
    const used = tx.select({ category: requirements.category, status: requirements.status, n: sql<number>`count(*)` })
      .from(requirements).where(eq(requirements.projectId, project.id)).groupBy(requirements.category, requirements.status).all();
    const orphans = used.filter((u) => !list.find((c) => c.key === u.category)?.states.some((s) => s.key === u.status));
    if (orphans.length) {
      throw new DomainError(422, 'Some requirements would be left in a category or state that no longer exists',
        { orphans: orphans.map((o) => ({ category: o.category, status: o.status, count: o.n })) });
    }
    const before = projectCategories(tx, project.id);
    tx.delete(categories).where(eq(categories.projectId, project.id)).run();
    list.forEach((c, position) => tx.insert(categories).values({ projectId: project.id, key: c.key, position, workflow: c }).run());
    appendAudit(tx, viewer!, 'project.categories', key, before, list);
    return list;
  });
}

export interface RuleView { category: string | null; tag: string | null; assignee: string | null; group: string | null }

export function projectRules(d: Db, projectId: number): (RuleView & { id: number; position: number; assigneeId: number | null; groupId: number | null })[] {
  return d.select({
    id: routingRules.id, position: routingRules.position, category: routingRules.category, tag: routingRules.tag,
    assigneeId: routingRules.assigneeId, groupId: routingRules.groupId, assignee: users.email, group: groups.name,
  }).from(routingRules).leftJoin(users, eq(users.id, routingRules.assigneeId)).leftJoin(groups, eq(groups.id, routingRules.groupId))
    .where(eq(routingRules.projectId, projectId)).orderBy(asc(routingRules.position)).all();
}

/** Replaces the project's routing rules (first match wins, in the order given). */
export function setRules(viewer: Viewer | null, key: string, input: RuleInput[]): RuleView[] {
  const { project, space } = loadProject(viewer, key, 'admin');
  const rules = validateRules(input);
  return write((tx) => {
    const cats = new Set(projectCategories(tx, project.id).map((c) => c.key));
    const rows = rules.map((r, position) => {
      if (r.category && !cats.has(r.category)) throw badInput(`rule ${position + 1}: no category "${r.category}" in ${key}`);
      return {
        projectId: project.id, position, category: r.category ?? null, tag: r.tag ?? null,
        assigneeId: r.assignee ? userIdByEmail(tx, r.assignee) : null, groupId: r.group ? groupIdByName(tx, r.group) : null,
      };
    });
    assertRuleTargetsCanEdit(tx, space, rows);
    const before = projectRules(tx, project.id).map(({ category, tag, assignee, group }) => ({ category, tag, assignee, group }));
    tx.delete(routingRules).where(eq(routingRules.projectId, project.id)).run();
    for (const row of rows) tx.insert(routingRules).values(row).run();
    const after = projectRules(tx, project.id).map(({ category, tag, assignee, group }) => ({ category, tag, assignee, group }));
    appendAudit(tx, viewer!, 'project.rules', key, before, after);
    return after;
  });
}

export interface ProjectSummary {
  key: string; name: string; space: string; owner: { email: string; name: string }; phase: Project['phase']; archived: boolean;
  categories: Category[]; rules: RuleView[]; canEdit: boolean; canAdmin: boolean;
}

export function projectSummary(viewer: Viewer | null, key: string): ProjectSummary {
  const { project, space } = loadProject(viewer, key);
  const d = db();
  const owner = d.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, project.ownerId)).get()!;
  return {
    key: project.key, name: project.name, space: space.key, owner, phase: project.phase, archived: project.archived || space.archived,
    categories: projectCategories(d, project.id),
    rules: projectRules(d, project.id).map(({ category, tag, assignee, group }) => ({ category, tag, assignee, group })),
    canEdit: can(viewer, 'edit', space), canAdmin: can(viewer, 'manage', space), // an archived project's admin still reaches its settings, to unarchive it
  };
}
