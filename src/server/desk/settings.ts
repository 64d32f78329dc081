// A project's desk settings, set by its admins: tag aliases, SLAs and the days a reporter has to
// confirm a resolution. Each setter validates the whole value (422 with the reason) and audits it.
import { eq, sql } from 'drizzle-orm';
import { projects, requirements } from '../../../db/schema.ts';
import { readableRequirementsSql, sqlPredicate, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import type { AuditAction } from '../../i18n/audit.ts';
import { db, write } from '../db.ts';
import { DomainError } from '../errors.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import { MAX_CONFIRM_DAYS } from './resolution.ts';
import { validateSla, type SlaConfig } from './sla.ts';
import { validateAliases, type TagAliases } from './tags.ts';
import { siteTimeZone } from './working-hours.ts';

export interface DeskSettings { tagAliases: TagAliases; sla: SlaConfig; confirmDays: number; timeZone: string }

export function deskSettings(viewer: Viewer | null, key: string): DeskSettings {
  const { project } = loadProject(viewer, key);
  return { tagAliases: project.tagAliases, sla: project.sla, confirmDays: project.confirmDays, timeZone: siteTimeZone() };
}

function update(viewer: Viewer | null, key: string, action: AuditAction, change: (projectId: number) => Partial<typeof projects.$inferInsert>, before: (p: typeof projects.$inferSelect) => unknown): DeskSettings {
  const { project } = loadProject(viewer, key, 'admin');
  const values = change(project.id);
  write((tx) => {
    tx.update(projects).set(values).where(eq(projects.id, project.id)).run();
    appendAudit(tx, viewer!, action, key, before(project), Object.values(values)[0]);
  });
  return deskSettings(viewer, key);
}

export function setTagAliases(viewer: Viewer | null, key: string, input: unknown): DeskSettings {
  const aliases = input && typeof input === 'object' ? (input as { aliases?: unknown }).aliases : undefined;
  return update(viewer, key, 'project.tag-aliases', () => ({ tagAliases: validateAliases(aliases) }), (p) => p.tagAliases);
}

export function setSla(viewer: Viewer | null, key: string, input: unknown): DeskSettings {
  return update(viewer, key, 'project.sla', (projectId) => ({ sla: validateSla(input, projectCategories(db(), projectId).map((c) => c.key)) }), (p) => p.sla);
}

export function setConfirmDays(viewer: Viewer | null, key: string, input: unknown): DeskSettings {
  const days = input && typeof input === 'object' ? (input as { confirmDays?: unknown }).confirmDays : input;
  return update(viewer, key, 'project.confirm-days', () => {
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_CONFIRM_DAYS) {
      throw new DomainError(422, `confirmDays is a whole number of days from 1 to ${MAX_CONFIRM_DAYS}`, { code: 'confirmDays', max: MAX_CONFIRM_DAYS });
    }
    return { confirmDays: days };
  }, (p) => p.confirmDays);
}

/**
 * The tags in use on the project's requirements that the viewer may read, once per key, most used
 * first (the submit form's suggestions): a restricted requirement's tags are its content too.
 */
export function projectTags(viewer: Viewer | null, key: string, limit = 200): string[] {
  const { project } = loadProject(viewer, key);
  const readable = sqlPredicate(readableRequirementsSql(viewer, 'r'));
  return db().all<{ tag: string }>(sql`select min(j.value) as tag from ${requirements} r, json_each(r.tags) j
    where r.project_id = ${project.id} and ${readable} group by tag_key(j.value) order by count(*) desc, tag limit ${limit}`).map((r) => r.tag);
}
