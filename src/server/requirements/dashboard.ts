// A project's figures at a glance: open, overdue, done in the last 30 days, and the on-time rate
// (requirements done by their due date, out of those done that had a due date; "done" leaves out
// the declined ones: rejected, won't do, as the dashboards do), counted over the
// requirements the list's filters select (the same conditions as the list) that the viewer may read.
import { and, sql } from 'drizzle-orm';
import { requirements } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import { notDeclined } from '../projects/state-sql.ts';
import { projectConditions, type ListFilter } from './list.ts';
import { today } from './view.ts';

export interface ProjectDashboard {
  open: number; overdue: number; doneLast30: number;
  /** Done with a due date, and of those done on or before it (by UTC calendar date, like `overdue`). */
  doneWithDue: number; doneOnTime: number;
  /** doneOnTime / doneWithDue, or null when nothing with a due date is done yet. */
  onTimeRate: number | null;
}

export function projectDashboard(viewer: Viewer | null, projectKey: string, now = Date.now(), filter: ListFilter = {}): ProjectDashboard {
  const { project } = loadProject(viewer, projectKey);
  const where = projectConditions(viewer!, project, filter);
  const since = now - 30 * 86_400_000;
  const closedDay = sql`date(${requirements.closedAt} / 1000, 'unixepoch')`;
  const delivered = sql`${requirements.closedAt} is not null and ${notDeclined([{ id: project.id, categories: projectCategories(db(), project.id) }], 'requirements')}`;
  const row = db().select({
    open: sql<number>`coalesce(sum(${requirements.closedAt} is null), 0)`,
    overdue: sql<number>`coalesce(sum(${requirements.closedAt} is null and ${requirements.due} < ${today()}), 0)`,
    doneLast30: sql<number>`coalesce(sum(${delivered} and ${requirements.closedAt} >= ${since}), 0)`,
    doneWithDue: sql<number>`coalesce(sum(${delivered} and ${requirements.due} is not null), 0)`,
    doneOnTime: sql<number>`coalesce(sum(${delivered} and ${requirements.due} is not null and ${closedDay} <= ${requirements.due}), 0)`,
  }).from(requirements).where(and(...where)).get()!;
  return { ...row, onTimeRate: row.doneWithDue ? row.doneOnTime / row.doneWithDue : null };
}

