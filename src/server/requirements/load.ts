// Finding a requirement by key under its project's permissions, with its category's workflow.
import { eq, sql } from 'drizzle-orm';
import { requirements } from '../../../db/schema.ts';
import { assertCan, canReadRequirement, type Action, type Viewer } from '../access/index.ts';
import { db, prepared } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { findCategory, loadProject, type ProjectContext } from '../projects/projects.ts';
import type { Category } from '../projects/workflow.ts';

export type Requirement = typeof requirements.$inferSelect;
export interface RequirementContext extends ProjectContext { req: Requirement; category: Category }

const REQUIREMENT_KEY = /^([A-Z][A-Z0-9]{1,9})-([1-9][0-9]{0,8})$/;

export function parseRequirementKey(key: string): { project: string; number: number } {
  const m = REQUIREMENT_KEY.exec(key);
  if (!m) throw badInput(`"${key.slice(0, 40)}" is not a requirement key like PAY-12`);
  return { project: m[1]!, number: Number(m[2]) };
}

const byKey = prepared((d) => d.select().from(requirements).where(eq(requirements.key, sql.placeholder('key'))).prepare());

/**
 * The requirement, or a 404 when it does not exist or the viewer may not read it (its project, or
 * its restriction: src/server/access/index.ts); a 403 when they may read it but not `action` there.
 */
export function loadRequirement(viewer: Viewer | null, key: string, action: Action = 'read'): RequirementContext {
  const { project: projectKey } = parseRequirementKey(key);
  const ctx = loadProject(viewer, projectKey);
  const req = byKey().get({ key });
  if (!req || !canReadRequirement(viewer, req)) throw notFound();
  assertCan(viewer, action, ctx.space);
  const category = findCategory(db(), ctx.project.id, req.category);
  // Categories with requirements cannot be removed (setCategories refuses), so this always exists.
  if (!category) throw new Error(`${key}: category "${req.category}" is missing`);
  return { ...ctx, req, category };
}
