// Which projects a dashboard covers for its viewer: one project (404 when the viewer may not read
// it, as everywhere), or every project the viewer may read (the cross-project dashboard).
import { inArray } from 'drizzle-orm';
import { projects } from '../../../db/schema.ts';
import { readableSpaceIds, type Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { unauthorized } from '../errors.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import type { Lang } from '../../i18n/index.ts';
import { oneOf } from '../params.ts';
import { csvResponse } from '../requirements/csv-export.ts';
import { METRICS, metricTable, tableCsv } from './charts.ts';
import { computeDashboard, type Dashboard, type ScopedProject } from './metrics.ts';
import { parseDashboardQuery, type DashboardQuery } from './query.ts';

export interface DashboardView { projects: { key: string; name: string }[]; query: DashboardQuery; dashboard: Dashboard }

/** `project` is a project key, or null for every project the viewer may read. */
export function dashboardFor(viewer: Viewer | null, project: string | null, params: Iterable<[string, string]>, now = Date.now()): DashboardView {
  if (!viewer) throw unauthorized();
  const query = parseDashboardQuery(params, new Date(now).toISOString().slice(0, 10));
  const rows = project === null
    ? (() => {
      const spaceIds = readableSpaceIds(viewer);
      return spaceIds.length ? db().select().from(projects).where(inArray(projects.spaceId, spaceIds)).orderBy(projects.key).all() : [];
    })()
    : [loadProject(viewer, project).project];
  const scoped: ScopedProject[] = rows.map((p) => ({ id: p.id, key: p.key, categories: projectCategories(db(), p.id) }));
  return { projects: rows.map((p) => ({ key: p.key, name: p.name })), query, dashboard: computeDashboard(viewer, scoped, query, now) };
}

/** One metric's table as a CSV download; `metric` names it among the other query parameters. */
export function dashboardCsv(viewer: Viewer | null, project: string | null, params: URLSearchParams, lang: Lang): Response {
  const metric = oneOf('metric', params.get('metric') ?? '', METRICS);
  const rest = [...params].filter(([name]) => name !== 'metric');
  const table = metricTable(metric, dashboardFor(viewer, project, rest).dashboard, lang);
  return csvResponse({ filename: `${project ?? 'all'}-${metric}-${new Date().toISOString().slice(0, 10)}.csv`, body: tableCsv(table) });
}
