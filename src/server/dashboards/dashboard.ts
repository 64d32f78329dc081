// Which projects a dashboard covers for its viewer: one project (404 when the viewer may not read
// it, as everywhere), or every project the viewer may read (the cross-project dashboard).
import { inArray } from 'drizzle-orm';
import { projects } from '../../../db/schema.ts';
import type { Lang } from '../../i18n/index.ts';
import { readableSpaceIds, type Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { unauthorized } from '../errors.ts';
import { oneOf } from '../params.ts';
import { loadProject, projectCategories } from '../projects/projects.ts';
import { csvResponse } from '../requirements/csv-export.ts';
import { METRICS, metricTable, tableCsv } from './charts.ts';
import { computeDashboard, computeDashboardAsync, type Dashboard, type ScopedProject } from './metrics.ts';
import { parseDashboardQuery, type DashboardQuery } from './query.ts';

export interface DashboardView { projects: { key: string; name: string }[]; query: DashboardQuery; dashboard: Dashboard }
interface Scope { viewer: Viewer; rows: (typeof projects.$inferSelect)[]; scoped: ScopedProject[]; query: DashboardQuery }

/** `project` is a project key, or null for every project the viewer may read. */
function scopeOf(viewer: Viewer | null, project: string | null, params: Iterable<[string, string]>, now: number): Scope {
  if (!viewer) throw unauthorized();
  const query = parseDashboardQuery(params, new Date(now).toISOString().slice(0, 10));
  let rows: (typeof projects.$inferSelect)[];
  if (project !== null) rows = [loadProject(viewer, project).project];
  else {
    const spaceIds = readableSpaceIds(viewer);
    rows = spaceIds.length ? db().select().from(projects).where(inArray(projects.spaceId, spaceIds)).orderBy(projects.key).all() : [];
  }
  return { viewer, rows, query, scoped: rows.map((p) => ({ id: p.id, key: p.key, categories: projectCategories(db(), p.id) })) };
}

const view = (s: Scope, dashboard: Dashboard): DashboardView => ({ projects: s.rows.map((p) => ({ key: p.key, name: p.name })), query: s.query, dashboard });

/** At once (a page's embedded chart is drawn inside a synchronous view). */
export function dashboardFor(viewer: Viewer | null, project: string | null, params: Iterable<[string, string]>, now = Date.now()): DashboardView {
  const s = scopeOf(viewer, project, params, now);
  return view(s, computeDashboard(s.viewer, s.scoped, s.query, now));
}

/** For the API and the dashboard pages: other requests are served between its queries. */
export async function loadDashboard(viewer: Viewer | null, project: string | null, params: Iterable<[string, string]>, now = Date.now()): Promise<DashboardView> {
  const s = scopeOf(viewer, project, params, now);
  return view(s, await computeDashboardAsync(s.viewer, s.scoped, s.query, now));
}

/** One metric's table as a CSV download; `metric` names it among the other query parameters. */
export async function dashboardCsv(viewer: Viewer | null, project: string | null, params: URLSearchParams, lang: Lang): Promise<Response> {
  const metric = oneOf('metric', params.get('metric') ?? '', METRICS);
  const rest = [...params].filter(([name]) => name !== 'metric');
  const table = metricTable(metric, (await loadDashboard(viewer, project, rest)).dashboard, lang);
  return csvResponse({ filename: `${project ?? 'all'}-${metric}-${new Date().toISOString().slice(0, 10)}.csv`, body: tableCsv(table) });
}
